// rust-tz-jiff: jiff::tz::TimeZone::get("Europe/Paris") with jiff's default features: on
// Linux it reads the system tz database (/usr/share/zoneinfo, or $TZDIR); nothing is
// bundled. Fails without it.
use jiff::{tz::TimeZone, Timestamp};

fn main() {
    let tz = match TimeZone::get("Europe/Paris") {
        Ok(tz) => tz,
        Err(e) => {
            println!("FAIL rust-tz-jiff: {e}");
            std::process::exit(1);
        }
    };
    let ts = Timestamp::from_second(1_700_000_000).unwrap();
    let info = tz.to_offset_info(ts);
    println!(
        "ok rust-tz-jiff (Europe/Paris {} {})",
        info.abbreviation(),
        info.offset()
    );
}
