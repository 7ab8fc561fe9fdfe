// rust-openssl: the openssl crate linked dynamically against the system libssl/libcrypto
// (libssl.so.3, libcrypto.so.3; no crt-static, so also libgcc_s.so.1). Finds the CA bundle
// with openssl-probe ($SSL_CERT_FILE, else the well-known files) and parses it with
// libcrypto. Fails if there is no bundle or it holds no certificate.
use openssl::x509::X509;
use std::process::exit;

fn main() {
    let probe = openssl_probe::probe();
    let Some(file) = probe.cert_file else {
        println!(
            "FAIL rust-openssl: no CA bundle found ({})",
            openssl::version::version()
        );
        exit(1);
    };
    let pem = match std::fs::read(&file) {
        Ok(b) => b,
        Err(e) => {
            println!("FAIL rust-openssl: {}: {e}", file.display());
            exit(1);
        }
    };
    match X509::stack_from_pem(&pem) {
        Ok(certs) if !certs.is_empty() => println!(
            "ok rust-openssl ({} certificates from {}, {})",
            certs.len(),
            file.display(),
            openssl::version::version()
        ),
        Ok(_) => {
            println!("FAIL rust-openssl: no certificates in {}", file.display());
            exit(1);
        }
        Err(e) => {
            println!("FAIL rust-openssl: {}: {e}", file.display());
            exit(1);
        }
    }
}
