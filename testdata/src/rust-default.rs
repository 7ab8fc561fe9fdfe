// rust-default: `rustc -O` hello world: a glibc dynamic program whose DT_NEEDED includes
// libgcc_s.so.1 (Rust's unwinder), so it needs the distroless cc image.
// catch_unwind keeps the unwinder genuinely in use.
fn main() {
    if std::panic::catch_unwind(|| 1 + 1).is_ok() {
        println!("ok rust-default");
    }
}
