// rust-static-pie: rustc -C target-feature=+crt-static: a static-pie glibc program
// (ET_DYN, no PT_INTERP, no DT_NEEDED); runs on scratch.
fn main() {
    println!("ok rust-static-pie");
}
