//! The units' texts are faithful: every value prints as text that parses back
//! to the same value. Small algebraic laws over plain numbers, where
//! quickcheck's `Arbitrary` and its shrinking toward zero fit best.
//! `QUICKCHECK_TESTS` runs them longer (CONTRIBUTING.md).

use crate::common;

use common::quickcheck;

use archpolicy::units::{Date, Duration, Money, Percent, Size, Vcpu};
use rust_decimal::Decimal;

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
    quickcheck(1000).quickcheck(law as fn(u64) -> bool);
}

#[test]
fn sizes_round_trip_through_their_text() {
    fn law(bytes: u64) -> bool {
        round_trips(Size::from_bytes(bytes))
    }
    quickcheck(1000).quickcheck(law as fn(u64) -> bool);
}

#[test]
fn money_round_trips_through_its_text() {
    fn law(units: u64, scale: u8) -> bool {
        round_trips(Money::from_decimal(decimal(units, scale, Money::MAX_SCALE)))
    }
    quickcheck(1000).quickcheck(law as fn(u64, u8) -> bool);
}

#[test]
fn vcpus_round_trip_through_their_text() {
    fn law(millis: u32) -> bool {
        round_trips(Vcpu::from_millis(millis))
    }
    quickcheck(1000).quickcheck(law as fn(u32) -> bool);
}

#[test]
fn percentages_round_trip_through_their_text() {
    fn law(units: u64, scale: u8) -> bool {
        round_trips(Percent::from_fraction(decimal(units, scale, 10)))
    }
    quickcheck(1000).quickcheck(law as fn(u64, u8) -> bool);
}

#[test]
fn dates_round_trip_through_their_text() {
    // Up to the year 9000: dates are written with four-digit years.
    fn law(days: u32) -> bool {
        round_trips(Date::from_days_since_epoch(i64::from(days % 2_600_000)))
    }
    quickcheck(1000).quickcheck(law as fn(u32) -> bool);
}
