//! One run of the command: load the catalog, inspect each input, decide, render, and choose
//! the exit code. Per-file failures are reported and never stop the run.

use crate::catalog::Catalog;
use crate::cli::{Config, Format, Mode};
use crate::inspect::{self, Limits};
use crate::render::{self, verdict_line, Outcome};
use crate::text::escape_path;
use crate::verdict::{self, Options};
use std::io::{self, Write};

/// Exit codes, as documented in README.md.
pub const EXIT_OK: u8 = 0;
pub const EXIT_OVER_MAX: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

pub fn run(config: &Config) -> u8 {
    let catalog = match &config.catalog {
        Some(path) => Catalog::load(path),
        None => Catalog::embedded(),
    };
    let catalog = match catalog {
        Ok(c) => c,
        Err(e) => {
            eprintln!("whichbase: {e}");
            return EXIT_ERROR;
        }
    };
    if let Some(r) = &config.release {
        if catalog.release(r).is_none() {
            let names: Vec<&str> = catalog
                .index
                .releases
                .iter()
                .map(|r| r.name.as_str())
                .collect();
            eprintln!(
                "whichbase: unknown release '{r}' (one of: {})",
                names.join(", ")
            );
            return EXIT_ERROR;
        }
    }
    let options = Options {
        release: config.release.clone(),
        ignore: config.ignore.iter().copied().collect(),
        strict: config.strict,
        library_tree: config.verbose,
    };
    let images = matches!(config.mode, Mode::Images { .. });
    if config.root.is_some() && !matches!(config.format, Format::Table | Format::Json) {
        eprintln!(
            "whichbase: --format {} is for verdicts; --root checks print as table or json",
            format!("{:?}", config.format).to_lowercase()
        );
        return EXIT_ERROR;
    }
    if images {
        return crate::run_images::run_images(config, &catalog, &options);
    }
    let limits = Limits::default();
    let table = config.format == Format::Table && config.root.is_none() && !config.dockerfile;
    // Directories are walked first; their files join the flat list of inputs, and each
    // directory remembers which of those are its own.
    let mut jobs: Vec<Job> = Vec::new();
    let mut items: Vec<Item> = Vec::new();
    for p in &config.paths {
        if std::fs::metadata(p).is_ok_and(|m| m.is_dir()) {
            let walk = inspect::walk::walk(p, &config.exclude);
            let start = jobs.len();
            // Moved, not copied: a walk of /usr holds 130,000 paths.
            let entry_points = walk.entry_points;
            jobs.extend(walk.files.into_iter().map(|f| Job {
                sniff: !entry_points.contains(&f),
                path: f,
                // A file of a walked directory shows as one line unless `-v`: its table is
                // not laid out.
                whole_block: config.verbose,
            }));
            items.push(Item::Directory {
                path: p.clone(),
                files: start..jobs.len(),
                skipped: walk.skipped,
            });
        } else {
            items.push(Item::File(jobs.len()));
            jobs.push(Job {
                path: p.clone(),
                whole_block: true,
                sniff: false,
            });
        }
    }
    let progress = Progress::new(table && jobs.len() > 200, jobs.len());
    let examine = |job: &Job| {
        let path = &job.path;
        let inspected = if job.sniff {
            inspect::inspect_if_worth(path, &limits)
        } else {
            Some(inspect::inspect(path, &limits))
        };
        progress.tick(path);
        let outcome = Outcome {
            path: path.clone(),
            result: inspected?.map(|facts| {
                let v = decide_file(&facts, path, &catalog, &options);
                (facts, v)
            }),
        };
        // Writing into memory cannot fail.
        let mut block = Vec::new();
        if table && job.whole_block {
            let _ = render::table::render_one(&mut block, &outcome, config.verbose, config.color);
        }
        // Boxed: every walked file has a slot until the end, most of them `None` (not a
        // program). An outcome held inline made each slot 440 bytes: /usr's 130,000 slots
        // were 57 MB, copied again while the threads' lists were joined.
        Some(Box::new((outcome, block)))
    };
    let examined = in_parallel(&jobs, examine);
    progress.finish();
    // The files not worth a verdict leave their directory's list.
    let (mut outcomes, blocks) = keep_examined(examined, &mut items);
    for item in &items {
        if let Item::Directory { files, .. } = item {
            judge_brought_libraries_with_their_programs(&mut outcomes[files.clone()]);
        }
    }
    let directories: Vec<render::DirectoryOutcome> = items
        .iter()
        .filter_map(|i| match i {
            Item::Directory {
                path,
                files,
                skipped,
            } => {
                let verdicts: Vec<(String, &verdict::Verdict)> = outcomes[files.clone()]
                    .iter()
                    .filter_map(|o| {
                        o.result
                            .as_ref()
                            .ok()
                            .map(|(_, v)| (escape_path(&o.path), v))
                    })
                    .collect();
                let failed = outcomes[files.clone()].iter().filter(|o| o.result.is_err()).count();
                let mut combined = verdict::combine(&verdicts);
                if failed > 0 {
                    combined.notes.push(format!(
                        "{failed} file(s) could not be inspected (see the errors): this verdict does not cover them"
                    ));
                }
                Some(render::DirectoryOutcome {
                    path: path.clone(),
                    verdict: combined,
                    files: files.clone(),
                    skipped: skipped.clone(),
                })
            }
            Item::File(_) => None,
        })
        .collect();

    let mut failed = false;
    for o in &outcomes {
        if let Err(e) = &o.result {
            eprintln!("whichbase: {e}");
            failed = true;
        }
    }
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    if let Some(dir) = &config.root {
        let result =
            crate::run_images::root_checks(config, dir, &outcomes, &catalog, &options, &mut out);
        let _ = out.flush();
        return match result {
            Err(e) => {
                eprintln!("whichbase: {e}");
                EXIT_ERROR
            }
            Ok(_) if failed => EXIT_ERROR,
            Ok(true) => EXIT_OK,
            Ok(false) => EXIT_OVER_MAX,
        };
    }
    if config.dockerfile {
        let mut refused = false;
        let mut first = true;
        for o in &outcomes {
            let Ok((facts, v)) = &o.result else { continue };
            let path = escape_path(&o.path);
            match render::dockerfile::for_file(
                &path,
                facts,
                v,
                &catalog,
                config.user.as_deref().unwrap_or("nonroot"),
                config.max,
            ) {
                Ok(text) => {
                    if !first {
                        let _ = writeln!(out);
                    }
                    first = false;
                    let _ = out.write_all(text.as_bytes());
                }
                Err(e) => {
                    eprintln!("whichbase: {e}");
                    refused = true;
                }
            }
        }
        let _ = out.flush();
        return if failed {
            EXIT_ERROR
        } else if refused {
            EXIT_OVER_MAX
        } else {
            EXIT_OK
        };
    }
    let written = match config.format {
        Format::Table => {
            let mut first = true;
            let mut dirs = directories.iter();
            items.iter().try_for_each(|i| match i {
                Item::File(n) => render::table::write_block(&mut out, &blocks[*n], &mut first),
                Item::Directory { .. } => match dirs.next() {
                    Some(d) => render::table::write_directory(
                        &mut out,
                        d,
                        &outcomes,
                        &blocks,
                        config.verbose,
                        config.color,
                        &mut first,
                    ),
                    None => Ok(()),
                },
            })
        }
        Format::Json => render::json::render(
            &mut out,
            &outcomes,
            &directories,
            &catalog.index,
            config.verbose,
        ),
        Format::Sarif | Format::Github | Format::Markdown => {
            ci_format(&mut out, config, &outcomes, &directories, &catalog.index)
        }
    }
    .and_then(|()| out.flush());
    if let Err(e) = written {
        // A closed pipe (`whichbase ... | head`) is not an error worth reporting.
        if e.kind() != io::ErrorKind::BrokenPipe {
            eprintln!("whichbase: writing output: {e}");
            return EXIT_ERROR;
        }
    }

    let mut over = false;
    if let Some(max) = config.max {
        // A directory's files that do not count in its verdict (library JARs, object files,
        // libraries judged with the program that brings them) do not fail the gate either.
        let mut uncounted = vec![false; outcomes.len()];
        for item in &items {
            if let Item::Directory { files, .. } = item {
                for i in files.clone() {
                    uncounted[i] = outcomes[i]
                        .result
                        .as_ref()
                        .is_ok_and(|(_, v)| v.not_a_program);
                }
            }
        }
        for (o, _) in outcomes.iter().zip(&uncounted).filter(|(_, &u)| !u) {
            if let Ok((_, v)) = &o.result {
                if v.tier > max {
                    over = true;
                    let why = v.blocking_needs().join(", ");
                    eprintln!(
                        "whichbase: {}: needs {} (over --max {max}): {}",
                        escape_path(&o.path),
                        verdict_line(v),
                        if why.is_empty() {
                            "see the reasons"
                        } else {
                            &why
                        }
                    );
                }
            }
        }
    }
    // The catalog is a large tree of small allocations; the process is about to exit, so let
    // the OS reclaim it instead of freeing it piece by piece.
    std::mem::forget(catalog);
    std::mem::forget(outcomes);
    if failed {
        EXIT_ERROR
    } else if over {
        EXIT_OVER_MAX
    } else {
        EXIT_OK
    }
}

/// In a directory, a shared library that a program there brings (reads through `$ORIGIN` and
/// decides with) is judged with that program: its own verdict no longer counts on its own.
fn judge_brought_libraries_with_their_programs(outcomes: &mut [Outcome]) {
    // Library path on this machine -> the first program (as the user named it) that brings it.
    let mut brought: std::collections::BTreeMap<std::path::PathBuf, String> =
        std::collections::BTreeMap::new();
    for o in outcomes.iter() {
        if let Ok((_, v)) = &o.result {
            for lib in &v.brought {
                brought
                    .entry(std::path::PathBuf::from(lib))
                    .or_insert_with(|| escape_path(&o.path));
            }
        }
    }
    if brought.is_empty() {
        return;
    }
    for o in outcomes.iter_mut() {
        let Ok((inspect::Facts::Elf(e), v)) = &mut o.result else {
            continue;
        };
        if e.kind != inspect::ElfKind::SharedLibrary {
            continue;
        }
        let by = std::fs::canonicalize(&o.path)
            .ok()
            .and_then(|p| brought.get(&p));
        if let Some(by) = by {
            v.not_a_program = true;
            v.notes.push(format!(
                "{by} loads it from beside itself: it is judged with that program"
            ));
            v.judged_with = Some(by.clone());
        }
    }
}

/// The verdict of one file. A program whose RUNPATH/RPATH finds libraries beside it
/// (`$ORIGIN`) is decided with what those libraries need, read from the files that are there.
fn decide_file(
    facts: &inspect::Facts,
    path: &std::path::Path,
    catalog: &crate::catalog::Catalog,
    options: &verdict::Options,
) -> verdict::Verdict {
    let inspect::Facts::Elf(e) = facts else {
        return verdict::decide(facts, catalog, options);
    };
    let Some(beside) = crate::survey::libraries_beside(e, path) else {
        return verdict::decide(facts, catalog, options);
    };
    let mut v = verdict::decide(
        &inspect::Facts::Elf(Box::new(beside.facts)),
        catalog,
        options,
    );
    // A library the program names itself that is neither beside it nor anywhere in Debian is
    // one still to be copied there: the set beside it is not complete, so the program is
    // judged as before, its $ORIGIN libraries to be copied and checked once they are all there.
    let file_name = |p: &str| p.rsplit('/').next().unwrap_or(p).to_string();
    let brought: Vec<String> = beside.libraries.iter().map(|l| file_name(l)).collect();
    let missing: Vec<String> = e
        .needed
        .iter()
        .map(ToString::to_string)
        .filter(|n| !brought.contains(n))
        .filter(|n| {
            v.reasons
                .iter()
                .any(|r| r.need == *n && r.tier == crate::catalog::Tier::None)
        })
        .collect();
    if !missing.is_empty() {
        let mut v = verdict::decide(facts, catalog, options);
        v.notes.push(format!(
            "{} not beside the program yet: the libraries that are ({}) were not read; with all of them there, whichbase reads them and counts their needs",
            missing.join(", "),
            brought.join(", ")
        ));
        return v;
    }
    // Shown relative to the program's directory, where the user keeps them.
    let dir = beside.origin.as_str();
    let shown = |p: &str| {
        p.strip_prefix(dir)
            .and_then(|r| r.strip_prefix('/'))
            .map_or_else(|| p.to_string(), str::to_string)
    };
    let needed: Vec<String> = e.needed.iter().map(ToString::to_string).collect();
    verdict::with_libraries_beside(
        &mut v,
        &needed,
        &beside.libraries,
        &beside.unreachable,
        shown,
    );
    v
}

/// The formats CI reads (SARIF, GitHub annotations, Markdown), for file verdicts and for
/// image reports alike; paths are shown relative to the working directory.
pub(crate) fn ci_format(
    out: &mut impl Write,
    config: &Config,
    outcomes: &[Outcome],
    directories: &[render::DirectoryOutcome],
    catalog: &crate::catalog::CatalogIndex,
) -> io::Result<()> {
    let cwd = std::env::current_dir().ok();
    match config.format {
        Format::Sarif => render::sarif::render(
            out,
            outcomes,
            directories,
            catalog,
            config.max,
            cwd.as_deref(),
        ),
        Format::Github => {
            render::github::render(out, outcomes, directories, config.max, cwd.as_deref())
        }
        _ => render::markdown::render(out, outcomes, directories, config.max),
    }
}

/// One file to examine.
struct Job {
    path: std::path::PathBuf,
    /// Whether its table of reasons is shown (not for a directory's file without `-v`).
    whole_block: bool,
    /// Whether it comes from a walked directory, and is examined only if its first bytes are
    /// worth a verdict.
    sniff: bool,
}

/// The outcomes and table blocks of the files examined, without the walked files that were
/// not worth a verdict; directory ranges in `items` are renumbered to match.
fn keep_examined(
    examined: Vec<Option<Box<Examined>>>,
    items: &mut [Item],
) -> (Vec<Outcome>, Vec<Vec<u8>>) {
    // new_index[i]: the position among kept outcomes of the first kept job at or after i.
    let mut new_index = Vec::with_capacity(examined.len() + 1);
    let mut kept = 0;
    for e in &examined {
        new_index.push(kept);
        kept += usize::from(e.is_some());
    }
    new_index.push(kept);
    for item in items.iter_mut() {
        match item {
            Item::File(n) => *n = new_index[*n],
            Item::Directory { files, .. } => {
                *files = new_index[files.start]..new_index[files.end];
            }
        }
    }
    examined.into_iter().flatten().map(|b| *b).unzip()
}

/// A file's outcome and its table block (empty unless it is shown whole).
type Examined = (Outcome, Vec<u8>);

/// One command-line input: a file (its index among the inspected files) or a walked
/// directory (the range of its files).
enum Item {
    File(usize),
    Directory {
        path: std::path::PathBuf,
        files: std::ops::Range<usize>,
        skipped: Vec<String>,
    },
}

/// A progress line on stderr for long scans, only when stderr is a terminal (never in JSON
/// or when piped): `[  120/4000] path`, redrawn at most ten times a second.
struct Progress {
    enabled: bool,
    total: usize,
    done: std::sync::atomic::AtomicUsize,
    last: std::sync::Mutex<std::time::Instant>,
}

impl Progress {
    fn new(wanted: bool, total: usize) -> Progress {
        use std::io::IsTerminal;
        Progress {
            enabled: wanted && io::stderr().is_terminal(),
            total,
            done: std::sync::atomic::AtomicUsize::new(0),
            // The first file is shown at once, then at most ten updates a second.
            last: std::sync::Mutex::new(
                std::time::Instant::now()
                    .checked_sub(std::time::Duration::from_secs(1))
                    .unwrap_or_else(std::time::Instant::now),
            ),
        }
    }

    fn tick(&self, path: &std::path::Path) {
        if !self.enabled {
            return;
        }
        let n = self.done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        let Ok(mut last) = self.last.try_lock() else {
            return;
        };
        if last.elapsed() < std::time::Duration::from_millis(100) {
            return;
        }
        *last = std::time::Instant::now();
        let name: String = escape_path(path).chars().take(60).collect();
        eprint!("\r\x1b[K[{n:>6}/{}] {name}", self.total);
    }

    fn finish(&self) {
        if self.enabled {
            eprint!("\r\x1b[K");
        }
    }
}

/// Sets a thread's heap up for a directory's worth of outcomes. glibc gives each thread an
/// arena of its own and grows it one `mprotect` call at a time, as little as each allocation
/// needs; the outcomes a thread keeps until the end made 430 such calls on /usr/bin. Freeing a
/// block larger than the mmap threshold raises the threshold to its size (and the trim
/// threshold to twice that): the first call, on the main thread, does that; each thread's
/// call then takes a block just under it from its own arena, which grows once, and keeps it
/// as free space. Nothing is touched, so nothing counts in the resident set. Measured on
/// /usr/bin, 2026-11-25: 437 -> 6 `mprotect` calls, 46.9 -> 45.7 ms of processor time.
/// Other allocators just map and unmap the block.
fn reserve_heap(first: bool) {
    const SIZE: usize = 4 << 20;
    let size = if first { SIZE } else { SIZE - (64 << 10) };
    // black_box: an allocation nothing uses could be optimised away.
    drop(std::hint::black_box(Vec::<u8>::with_capacity(size)));
}

/// Maps `f` over `items` on every core, keeping the input order. Threads take the next
/// input from a shared counter, so one run of large files (the static qemu programs sit
/// together in /usr/bin) does not leave a core idle; a single input runs on this thread with
/// no thread started.
fn in_parallel<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    // Below this many inputs a thread costs more than it saves.
    const MIN_PER_THREAD: usize = 16;
    // Asked only when there is work for two: the answer reads four files of /proc and /sys
    // (the cgroup's CPU quota), a tenth of a one-file run.
    let threads = if items.len() < 2 * MIN_PER_THREAD {
        1
    } else {
        std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(items.len() / MIN_PER_THREAD)
            .max(1)
    };
    if threads == 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    reserve_heap(true);
    let work = || {
        reserve_heap(false);
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else {
                return done;
            };
            done.push((i, f(item)));
        }
    };
    let mut all: Vec<(usize, R)> = std::thread::scope(|s| {
        let helpers: Vec<_> = (1..threads).map(|_| s.spawn(work)).collect();
        let mut all = work();
        for h in helpers {
            all.extend(h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        }
        all
    });
    all.sort_unstable_by_key(|&(i, _)| i);
    all.into_iter().map(|(_, r)| r).collect()
}
