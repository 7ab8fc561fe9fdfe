//! Container images as input: a `docker save` archive, an OCI image layout (a directory or
//! its tar archive), or an unpacked root filesystem. Blobs are read in place (a tar member
//! by its offset, never extracted); every JSON document and layer is size-bounded; an index
//! with several platforms gives one image per platform.

use super::layers::{decompressed, LayerLimits, Overlay};
use super::{RootError, RootFs};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// JSON documents (index, manifest, config) larger than this are refused.
const JSON_LIMIT: u64 = 8 << 20;
/// Nested indexes deeper than this are refused.
const MAX_INDEX_DEPTH: usize = 4;
/// Images per input.
const MAX_IMAGES: usize = 64;

/// What the image's configuration says about how it starts.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImageConfig {
    pub entrypoint: Vec<String>,
    pub cmd: Vec<String>,
    pub working_dir: String,
    pub env: Vec<String>,
    pub user: String,
}

impl ImageConfig {
    /// `NAME` of the environment, as the runtime passes it.
    pub fn env_var(&self, name: &str) -> Option<&str> {
        self.env
            .iter()
            .find_map(|e| e.strip_prefix(name).and_then(|r| r.strip_prefix('=')))
    }

    /// The absolute directories of `LD_LIBRARY_PATH`, which the loader searches first.
    pub fn ld_library_path(&self) -> Vec<String> {
        self.env_var("LD_LIBRARY_PATH")
            .map(|v| {
                v.split(':')
                    .filter(|d| d.starts_with('/'))
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The `PATH` the runtime looks the entrypoint up in (Docker's default when unset).
    pub fn path_dirs(&self) -> Vec<String> {
        self.env_var("PATH")
            .unwrap_or("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
            .split(':')
            .filter(|d| d.starts_with('/'))
            .map(str::to_string)
            .collect()
    }
}

/// One image read from the input.
pub struct LoadedImage {
    /// A tag or reference name the archive records (`RepoTags`, `org.opencontainers.image.ref.name`).
    pub name: Option<String>,
    /// `linux/amd64`, `linux/arm/v7`; empty when the input is a bare root filesystem.
    pub platform: String,
    pub config: ImageConfig,
    pub root: RootFs,
    pub layers: usize,
    /// Programs too large to inspect.
    pub not_inspected: Vec<String>,
}

/// Where blobs come from: a directory, or members of an uncompressed tar read in place.
enum Store {
    Dir(PathBuf),
    Tar {
        file: PathBuf,
        members: BTreeMap<String, (u64, u64)>,
    },
}

impl Store {
    fn open_tar(path: &Path) -> Result<Store, String> {
        let mut f = std::fs::File::open(path).map_err(|e| e.to_string())?;
        let mut magic = [0u8; 4];
        let n = f.read(&mut magic).map_err(|e| e.to_string())?;
        if magic[..n].starts_with(&[0x1f, 0x8b]) {
            return Err("a gzip-compressed archive: decompress it first (gunzip), whichbase reads image archives in place".into());
        }
        f.seek(SeekFrom::Start(0)).map_err(|e| e.to_string())?;
        let mut archive = tar::Archive::new(f);
        let mut members = BTreeMap::new();
        let mut links = Vec::new();
        for entry in archive
            .entries_with_seek()
            .map_err(|e| format!("not a tar archive: {e}"))?
        {
            let entry = entry.map_err(|e| format!("reading the archive: {e}"))?;
            if members.len() > 1_000_000 {
                return Err("more than a million members".into());
            }
            let name = member_name(&entry.path_bytes());
            match entry.header().entry_type() {
                tar::EntryType::Regular | tar::EntryType::Continuous => {
                    members.insert(name, (entry.raw_file_position(), entry.size()));
                }
                tar::EntryType::Symlink | tar::EntryType::Link => {
                    if let Some(t) = entry.link_name_bytes() {
                        links.push((name, member_name(&t), entry.header().entry_type()));
                    }
                }
                _ => {}
            }
        }
        // `docker save` links a repeated layer to its first copy.
        for (name, target, kind) in links {
            let target = if kind == tar::EntryType::Symlink {
                let dir = name.rsplit_once('/').map_or("", |(d, _)| d);
                lexical_join(dir, &target)
            } else {
                target
            };
            if let Some(&m) = members.get(&target) {
                members.insert(name, m);
            }
        }
        Ok(Store::Tar {
            file: path.to_path_buf(),
            members,
        })
    }

    fn has(&self, name: &str) -> bool {
        match self {
            Store::Dir(d) => d.join(name).is_file(),
            Store::Tar { members, .. } => members.contains_key(name),
        }
    }

    fn open(&self, name: &str) -> Result<(Box<dyn BufRead>, u64), String> {
        if name.split('/').any(|c| c == ".." || c.is_empty()) || name.starts_with('/') {
            return Err(format!("{name}: not a path inside the image"));
        }
        match self {
            Store::Dir(d) => {
                let p = d.join(name);
                let meta = std::fs::metadata(&p).map_err(|e| format!("{name}: {e}"))?;
                if !meta.is_file() {
                    return Err(format!("{name}: not a regular file"));
                }
                let f = std::fs::File::open(&p).map_err(|e| format!("{name}: {e}"))?;
                Ok((Box::new(BufReader::with_capacity(1 << 16, f)), meta.len()))
            }
            Store::Tar { file, members } => {
                let &(offset, size) = members
                    .get(name)
                    .ok_or_else(|| format!("{name}: not in the archive"))?;
                let mut f = std::fs::File::open(file).map_err(|e| e.to_string())?;
                f.seek(SeekFrom::Start(offset)).map_err(|e| e.to_string())?;
                Ok((
                    Box::new(BufReader::with_capacity(1 << 16, f.take(size))),
                    size,
                ))
            }
        }
    }

    fn json(&self, name: &str) -> Result<serde_json::Value, String> {
        let (r, size) = self.open(name)?;
        if size > JSON_LIMIT {
            return Err(format!("{name}: {size} bytes of JSON (limit {JSON_LIMIT})"));
        }
        let mut text = Vec::new();
        r.take(JSON_LIMIT + 1)
            .read_to_end(&mut text)
            .map_err(|e| format!("{name}: {e}"))?;
        serde_json::from_slice(&text).map_err(|e| format!("{name}: not valid JSON: {e}"))
    }
}

fn member_name(raw: &[u8]) -> String {
    let s = String::from_utf8_lossy(raw);
    s.trim_start_matches("./")
        .trim_start_matches('/')
        .to_string()
}

fn lexical_join(dir: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = dir.split('/').filter(|c| !c.is_empty()).collect();
    for c in rel.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    parts.join("/")
}

/// Reads every image of the input at `path`.
pub fn load(path: &Path, limits: &LayerLimits) -> Result<Vec<LoadedImage>, RootError> {
    let err = |what: String| RootError::new(path, what);
    let meta =
        std::fs::metadata(path).map_err(|e| err(format!("cannot read: {}", io_reason(&e))))?;
    let store = if meta.is_dir() {
        if !path.join("oci-layout").is_file() && !path.join("manifest.json").is_file() {
            // An unpacked root filesystem.
            return Ok(vec![LoadedImage {
                name: None,
                platform: String::new(),
                config: ImageConfig::default(),
                root: RootFs::from_dir(path)?,
                layers: 0,
                not_inspected: Vec::new(),
            }]);
        }
        Store::Dir(path.to_path_buf())
    } else if meta.is_file() {
        Store::open_tar(path).map_err(err)?
    } else {
        return Err(err("not a regular file or directory".into()));
    };
    let images = if store.has("index.json") {
        oci_images(&store)
    } else if store.has("manifest.json") {
        docker_images(&store)
    } else {
        Err(
            "neither an OCI image layout (index.json) nor a docker save archive (manifest.json)"
                .into(),
        )
    }
    .map_err(err)?;
    if images.is_empty() {
        return Err(err("no image in it".into()));
    }
    images
        .into_iter()
        .map(|spec| build(&store, path, spec, limits).map_err(err))
        .collect()
}

/// One image to assemble: its config blob and layer blobs, by member name.
struct Spec {
    name: Option<String>,
    config: String,
    layers: Vec<String>,
}

fn docker_images(store: &Store) -> Result<Vec<Spec>, String> {
    let manifest = store.json("manifest.json")?;
    let list = manifest
        .as_array()
        .ok_or("manifest.json: not a list of images")?;
    let mut out = Vec::new();
    for m in list.iter().take(MAX_IMAGES) {
        let config = m["Config"]
            .as_str()
            .ok_or("manifest.json: an image without Config")?;
        let layers = m["Layers"]
            .as_array()
            .ok_or("manifest.json: an image without Layers")?
            .iter()
            .map(|l| {
                l.as_str()
                    .map(str::to_string)
                    .ok_or("manifest.json: a layer that is not a name")
            })
            .collect::<Result<Vec<_>, _>>()?;
        out.push(Spec {
            name: m["RepoTags"][0].as_str().map(str::to_string),
            config: config.to_string(),
            layers,
        });
    }
    Ok(out)
}

fn blob_name(digest: &str) -> Result<String, String> {
    let (alg, hex) = digest
        .split_once(':')
        .ok_or_else(|| format!("digest {digest:?} has no algorithm"))?;
    let ok = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+._-=".contains(&b))
    };
    if !ok(alg) || !ok(hex) {
        return Err(format!("digest {digest:?} is not a digest"));
    }
    Ok(format!("blobs/{alg}/{hex}"))
}

fn oci_images(store: &Store) -> Result<Vec<Spec>, String> {
    let index = store.json("index.json")?;
    let mut out = Vec::new();
    walk_index(store, &index, None, 0, &mut out)?;
    Ok(out)
}

fn walk_index(
    store: &Store,
    index: &serde_json::Value,
    name: Option<&str>,
    depth: usize,
    out: &mut Vec<Spec>,
) -> Result<(), String> {
    if depth > MAX_INDEX_DEPTH {
        return Err(format!("indexes nested deeper than {MAX_INDEX_DEPTH}"));
    }
    let manifests = index["manifests"]
        .as_array()
        .ok_or("an index without manifests")?;
    for d in manifests {
        if out.len() >= MAX_IMAGES {
            break;
        }
        // BuildKit's attestations sit in the index as platform unknown/unknown.
        if d["platform"]["os"].as_str() == Some("unknown") {
            continue;
        }
        let digest = d["digest"].as_str().ok_or("a descriptor without digest")?;
        let media = d["mediaType"].as_str().unwrap_or("");
        let ref_name = d["annotations"]["org.opencontainers.image.ref.name"]
            .as_str()
            .or(name);
        let doc = store.json(&blob_name(digest)?)?;
        let doc_media = doc["mediaType"].as_str().unwrap_or(media);
        if doc_media.contains("index")
            || doc_media.contains("manifest.list")
            || doc.get("manifests").is_some()
        {
            walk_index(store, &doc, ref_name, depth + 1, out)?;
            continue;
        }
        let config = doc["config"]["digest"]
            .as_str()
            .ok_or_else(|| format!("manifest {digest}: no config"))?;
        let layers = doc["layers"]
            .as_array()
            .ok_or_else(|| format!("manifest {digest}: no layers"))?
            .iter()
            .map(|l| {
                l["digest"]
                    .as_str()
                    .ok_or_else(|| format!("manifest {digest}: a layer without digest"))
                    .and_then(blob_name)
            })
            .collect::<Result<Vec<_>, _>>()?;
        out.push(Spec {
            name: ref_name.map(str::to_string),
            config: blob_name(config)?,
            layers,
        });
    }
    Ok(())
}

fn strings(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn build(
    store: &Store,
    path: &Path,
    spec: Spec,
    limits: &LayerLimits,
) -> Result<LoadedImage, String> {
    let config = store.json(&spec.config)?;
    let os = config["os"].as_str().unwrap_or("linux");
    let arch = config["architecture"].as_str().unwrap_or("");
    let platform = match config["variant"].as_str() {
        // The catalog names 64-bit ARM without its v8.
        Some(v) if !v.is_empty() && arch != "arm64" => format!("{os}/{arch}/{v}"),
        _ => format!("{os}/{arch}"),
    };
    let c = &config["config"];
    let image_config = ImageConfig {
        entrypoint: strings(&c["Entrypoint"]),
        cmd: strings(&c["Cmd"]),
        working_dir: c["WorkingDir"].as_str().unwrap_or("").to_string(),
        env: strings(&c["Env"]),
        user: c["User"].as_str().unwrap_or("").to_string(),
    };
    if spec.layers.len() > limits.max_layers {
        return Err(format!(
            "{} layers (limit {})",
            spec.layers.len(),
            limits.max_layers
        ));
    }
    let mut overlay = Overlay::default();
    for (i, layer) in spec.layers.iter().enumerate() {
        let (reader, _) = store.open(layer)?;
        let what = format!("layer {} ({layer})", i + 1);
        let stream = decompressed(reader, &what)?;
        overlay.apply(stream, i, limits, &what)?;
    }
    let not_inspected = std::mem::take(&mut overlay.not_inspected);
    Ok(LoadedImage {
        name: spec.name,
        platform,
        config: image_config,
        root: RootFs::from_nodes(path, overlay.into_nodes()),
        layers: spec.layers.len(),
        not_inspected,
    })
}

/// The OS error without Rust's " (os error N)" suffix, lower case like the other messages.
fn io_reason(e: &std::io::Error) -> String {
    let s = e.to_string();
    let s = s.split(" (os error").next().unwrap_or(&s);
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_lowercase().chain(c).collect())
        .unwrap_or_default()
}
