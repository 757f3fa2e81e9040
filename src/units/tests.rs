//! Parsing and canonical display of every quantity.

use super::quantities::MIB;
use super::*;
use rust_decimal::Decimal;

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
    assert_eq!(Duration::parse_unit("30"), Err(UnitError::MissingUnit { quantity: Quantity::Duration }));
    assert_eq!(
        Duration::parse_unit("30sec"),
        Err(UnitError::UnknownUnit { quantity: Quantity::Duration, unit: "sec".into() })
    );
    assert_eq!(Duration::parse_unit("0.5ms"), Err(UnitError::TooPrecise { quantity: Quantity::Duration }));
    assert_eq!(Duration::parse_unit("-1s"), Err(UnitError::OutOfRange { quantity: Quantity::Duration }));
    assert_eq!(Duration::parse_unit("s"), Err(UnitError::NotANumber { quantity: Quantity::Duration }));
    assert!(UnitError::MissingUnit { quantity: Quantity::Duration }.help().contains("`29s`"));
}

#[test]
fn sizes_are_binary_and_decimal_spellings_are_refused_with_the_fix() {
    assert_eq!("512MiB".parse::<Size>().unwrap().as_bytes(), 512 * MIB);
    assert_eq!("1024MiB".parse::<Size>().unwrap().to_string(), "1GiB");
    assert_eq!("1536MiB".parse::<Size>().unwrap().to_string(), "1536MiB");
    assert_eq!(Size::parse_unit("1024MB"), Err(UnitError::AmbiguousUnit { unit: "MB".into(), binary: "MiB" }));
}

#[test]
fn money_is_exact() {
    let m: Money = "$0.0000166667".parse().unwrap();
    assert_eq!(m.to_string(), "$0.0000166667");
    assert_eq!("$25".parse::<Money>().unwrap().to_string(), "$25.00");
    assert_eq!("$1,000.5".parse::<Money>().unwrap().to_string(), "$1000.50");
    assert_eq!(Money::parse_unit("25"), Err(UnitError::MissingUnit { quantity: Quantity::Money }));
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

// Laws: every value prints as text that parses back to the same value.
// Small algebraic laws over plain numbers, where quickcheck's `Arbitrary`
// and its shrinking toward zero fit best. `QUICKCHECK_TESTS` runs them
// longer (CONTRIBUTING.md), as it does the integration tests' laws.

/// A runner of `default_tests` tests, or as many as `QUICKCHECK_TESTS` says
/// (quickcheck reads the variable itself unless a count is set).
fn laws(default_tests: u64) -> quickcheck::QuickCheck {
    let runner = quickcheck::QuickCheck::new();
    if std::env::var_os("QUICKCHECK_TESTS").is_some() { runner } else { runner.tests(default_tests) }
}

/// Parses the text `value` prints, and says whether that gives `value` back.
fn round_trips<T>(value: T) -> bool
where
    T: std::fmt::Display + std::str::FromStr + PartialEq,
{
    value.to_string().parse::<T>().is_ok_and(|parsed| parsed == value)
}

/// A non-negative amount with `scale` decimal places, at most `max_scale`.
fn decimal(units: u64, scale: u8, max_scale: u32) -> Decimal {
    Decimal::new(i64::try_from(units >> 1).unwrap(), u32::from(scale) % (max_scale + 1))
}

#[test]
fn durations_round_trip_through_their_text() {
    fn law(millis: u64) -> bool {
        round_trips(Duration::from_millis(millis))
    }
    laws(1000).quickcheck(law as fn(u64) -> bool);
}

#[test]
fn sizes_round_trip_through_their_text() {
    fn law(bytes: u64) -> bool {
        round_trips(Size::from_bytes(bytes))
    }
    laws(1000).quickcheck(law as fn(u64) -> bool);
}

#[test]
fn money_round_trips_through_its_text() {
    fn law(units: u64, scale: u8) -> bool {
        round_trips(Money::from_decimal(decimal(units, scale, Money::MAX_SCALE)))
    }
    laws(1000).quickcheck(law as fn(u64, u8) -> bool);
}

#[test]
fn vcpus_round_trip_through_their_text() {
    fn law(millis: u32) -> bool {
        round_trips(Vcpu::from_millis(millis))
    }
    laws(1000).quickcheck(law as fn(u32) -> bool);
}

#[test]
fn percentages_round_trip_through_their_text() {
    fn law(units: u64, scale: u8) -> bool {
        round_trips(Percent::from_fraction(decimal(units, scale, 10)))
    }
    laws(1000).quickcheck(law as fn(u64, u8) -> bool);
}

#[test]
fn dates_round_trip_through_their_text() {
    // Up to the year 9000: dates are written with four-digit years.
    fn law(days: u32) -> bool {
        round_trips(Date::from_days_since_epoch(i64::from(days % 2_600_000)))
    }
    laws(1000).quickcheck(law as fn(u32) -> bool);
}

/// The one rounding rule of a bill, done in 128-bit integers, is rust_decimal's
/// half-away-from-zero to the cent: the same value, scale and sign (so the
/// same text), on decimals of every scale and size.
#[test]
fn rounding_to_cents_is_rust_decimals_rounding() {
    use proptest::prelude::*;
    let reference = |d: Decimal| d.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    let check = |d: Decimal| {
        let (ours, theirs) = (Money::round_to_cents(d), reference(d));
        assert_eq!((ours, ours.to_string(), ours.scale()), (theirs, theirs.to_string(), theirs.scale()), "{d:?}");
    };
    for text in ["0", "0.005", "-0.005", "0.004999", "-0.0049", "1.125", "2.135", "-2.135", "0.00", "-0.00", "-0.001", "123.4", "7"] {
        check(text.parse().unwrap());
    }
    check(Decimal::from_parts(0, 0, 0, true, 3));
    check(Decimal::from_parts(0, 0, 0, true, 28));
    check(Decimal::from_parts(0, 0, 0, false, 5));
    check(Decimal::MAX);
    check(Decimal::MIN);
    check(Decimal::from_i128_with_scale(5, 28));
    check(Decimal::from_i128_with_scale(-5, 3));
    check(Decimal::from_i128_with_scale((1i128 << 96) - 1, 28));
    check(Decimal::from_i128_with_scale((1i128 << 96) - 1, 3));
    proptest!(ProptestConfig::with_cases(2000), |(mantissa in -(1i128 << 96) + 1..(1i128 << 96), scale in 0u32..=28)| {
        check(Decimal::from_i128_with_scale(mantissa, scale));
    });
    // Half a cent exactly, at every scale.
    for scale in 3..=28u32 {
        let half = 5 * 10i128.pow(scale - 3);
        for mantissa in [half, -half, 12 * 10i128.pow(scale - 2) + half, half - 1, -(half - 1)] {
            check(Decimal::from_i128_with_scale(mantissa, scale));
        }
    }
}
