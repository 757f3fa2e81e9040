//! Parsing and canonical display of every quantity.

use super::quantities::MIB;
use super::*;

#[test]
fn durations_parse_and_display_canonically() {
    for (text, millis, shown) in [
        ("500ms", 500, "500ms"),
        ("29s", 29_000, "29s"),
        ("15m", 900_000, "15m"),
        ("1h", 3_600_000, "1h"),
        ("90s", 90_000, "90s"),
        ("120s", 120_000, "120s"),
        ("900s", 900_000, "15m"),
        ("60s", 60_000, "60s"),
        ("1.5s", 1_500, "1500ms"),
        ("30 s", 30_000, "30s"),
        ("0s", 0, "0s"),
    ] {
        let d: Duration = text.parse().unwrap();
        assert_eq!(d.as_millis(), millis, "{text}");
        assert_eq!(d.to_string(), shown, "{text}");
    }
}

#[test]
fn duration_errors_name_the_problem() {
    assert_eq!("30".parse::<Duration>(), Err(UnitError::MissingUnit { quantity: Quantity::Duration }));
    assert_eq!(
        "30sec".parse::<Duration>(),
        Err(UnitError::UnknownUnit { quantity: Quantity::Duration, unit: "sec".into() })
    );
    assert_eq!("0.5ms".parse::<Duration>(), Err(UnitError::TooPrecise { quantity: Quantity::Duration }));
    assert_eq!("-1s".parse::<Duration>(), Err(UnitError::OutOfRange { quantity: Quantity::Duration }));
    assert_eq!("s".parse::<Duration>(), Err(UnitError::NotANumber { quantity: Quantity::Duration }));
    assert!(UnitError::MissingUnit { quantity: Quantity::Duration }.help().contains("`29s`"));
}

#[test]
fn sizes_are_binary_and_decimal_spellings_are_refused_with_the_fix() {
    assert_eq!("512MiB".parse::<Size>().unwrap().as_bytes(), 512 * MIB);
    assert_eq!("1024MiB".parse::<Size>().unwrap().to_string(), "1GiB");
    assert_eq!("1536MiB".parse::<Size>().unwrap().to_string(), "1536MiB");
    assert_eq!("1024MB".parse::<Size>(), Err(UnitError::AmbiguousUnit { unit: "MB".into(), binary: "MiB" }));
}

#[test]
fn money_is_exact() {
    let m: Money = "$0.0000166667".parse().unwrap();
    assert_eq!(m.to_string(), "$0.0000166667");
    assert_eq!("$25".parse::<Money>().unwrap().to_string(), "$25.00");
    assert_eq!("$1,000.5".parse::<Money>().unwrap().to_string(), "$1000.50");
    assert_eq!("25".parse::<Money>(), Err(UnitError::MissingUnit { quantity: Quantity::Money }));
}

#[test]
fn vcpu_accepts_numbers_and_the_unit() {
    assert_eq!("0.25".parse::<Vcpu>().unwrap().as_millis(), 250);
    assert_eq!("2vCPU".parse::<Vcpu>().unwrap().as_millis(), 2000);
    assert_eq!("0.25".parse::<Vcpu>().unwrap().to_string(), "0.25 vCPU");
    assert!("1 core".parse::<Vcpu>().is_err());
}

#[test]
fn counts_are_grouped_by_thousands() {
    assert_eq!(super::grouped("0"), "0");
    assert_eq!(super::grouped("999"), "999");
    assert_eq!(super::grouped("1000"), "1,000");
    assert_eq!(super::grouped("1234567"), "1,234,567");
    assert_eq!(super::grouped("1000000000000000"), "1,000,000,000,000,000");
}
