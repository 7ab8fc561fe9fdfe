// rust-native-certs: rustls_native_certs::load_native_certs(), which reads the system CA
// bundle ($SSL_CERT_FILE / $SSL_CERT_DIR, else the well-known files such as
// /etc/ssl/certs/ca-certificates.crt, found with openssl-probe). Fails if it finds none.
// Built with cargo-auditable (rust-native-certs, has .dep-v0) and with plain cargo
// (rust-native-certs-plain, no .dep-v0).
use std::process::exit;

const NAME: &str = match option_env!("WHICHBASE_NAME") {
    Some(n) => n,
    None => "rust-native-certs",
};

fn main() {
    let result = rustls_native_certs::load_native_certs();
    if result.certs.is_empty() {
        let why = match result.errors.first() {
            Some(e) => e.to_string(),
            None => "no certificate files found".to_string(),
        };
        println!("FAIL {NAME}: no certificates ({why})");
        exit(1);
    }
    println!(
        "ok {NAME} ({} certificates, {} errors)",
        result.certs.len(),
        result.errors.len()
    );
}
