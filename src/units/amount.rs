//! What a bill computes in (src/cost/estimate): exact decimals for every
//! amount a report shows, or [`Interval`]s, floats that bound the exact
//! amount, for the break-even search to compare curves without pricing
//! them exactly where they are far apart (docs/cost.md, "Break-even
//! points"). Here, below `cost` and `patterns`, which both count in it.

use std::ops::{Add, AddAssign, Div, Mul, Sub};

use rust_decimal::Decimal;

use crate::units::{Money, Size};

/// The arithmetic a bill is written in, once for both kinds.
pub(crate) trait Amount:
    Copy + Add<Output = Self> + Sub<Output = Self> + Mul<Output = Self> + Div<Output = Self> + AddAssign
{
    const ZERO: Self;
    const ONE: Self;
    /// No bound: the top of a price table's last tier.
    const UNBOUNDED: Self;
    fn exact(value: Decimal) -> Self;
    /// A value given both ways, each worked out once (a price).
    fn known(exact: Decimal, bounds: Interval) -> Self;
    /// `size` in GiB ([`Size::as_gib_decimal`]).
    fn gib(size: Size) -> Self;
    fn of(n: u64) -> Self;
    fn max(self, other: Self) -> Self;
    fn min(self, other: Self) -> Self;
    fn ceil(self) -> Self;
    /// Adds, staying at the largest decimal where the sum would pass it.
    fn saturating_add(self, other: Self) -> Self;
    /// Multiplies, staying at the largest decimal where the product would pass it.
    fn saturating_mul(self, other: Self) -> Self;
    /// Multiplies; the largest decimal where the product would pass it.
    fn mul_or_max(self, other: Self) -> Self;
    /// Divides; the largest decimal where the quotient would pass it, or
    /// for a zero divisor.
    fn div_or_max(self, other: Self) -> Self;
    /// `self` counted in units of `per`.
    fn per_unit(self, per: u64) -> Self;
    /// A line's amount as the bill adds it: rounded to the cent.
    fn billed(self) -> Self;
    /// Whether `self` is at most `other` for certain (an interval: all of it).
    fn surely_at_most(self, other: Self) -> bool;
    /// The exact value, for the lines a bill keeps; `None` for an interval.
    fn as_exact(self) -> Option<Decimal>;
}

impl Amount for Decimal {
    const ZERO: Self = Decimal::ZERO;
    const ONE: Self = Decimal::ONE;
    const UNBOUNDED: Self = Decimal::MAX;

    fn exact(value: Decimal) -> Self {
        value
    }

    fn known(exact: Decimal, _: Interval) -> Self {
        exact
    }

    fn gib(size: Size) -> Self {
        size.as_gib_decimal()
    }

    fn of(n: u64) -> Self {
        Decimal::from(n)
    }

    // rust_decimal's own: on a tie it keeps `self` (its scale), as the
    // bill did before it was generic.
    fn max(self, other: Self) -> Self {
        Decimal::max(self, other)
    }

    fn min(self, other: Self) -> Self {
        Decimal::min(self, other)
    }

    fn ceil(self) -> Self {
        Decimal::ceil(&self)
    }

    fn saturating_add(self, other: Self) -> Self {
        Decimal::saturating_add(self, other)
    }

    fn saturating_mul(self, other: Self) -> Self {
        Decimal::saturating_mul(self, other)
    }

    fn mul_or_max(self, other: Self) -> Self {
        self.checked_mul(other).unwrap_or(Decimal::MAX)
    }

    fn div_or_max(self, other: Self) -> Self {
        self.checked_div(other).unwrap_or(Decimal::MAX)
    }

    /// Exact. Most prices are per one unit or per million: neither divides,
    /// the commonest arithmetic of a bill (a million moves the decimal point
    /// while the scale has room).
    fn per_unit(self, per: u64) -> Self {
        if per == 1 {
            return self;
        }
        if per == 1_000_000 && self.scale() + 6 <= 28 {
            let mut shifted = self;
            if shifted.set_scale(self.scale() + 6).is_ok() {
                return shifted;
            }
        }
        self.checked_div(Decimal::from(per)).unwrap_or_default()
    }

    fn billed(self) -> Self {
        Money::round_to_cents(self)
    }

    fn surely_at_most(self, other: Self) -> bool {
        self <= other
    }

    fn as_exact(self) -> Option<Decimal> {
        Some(self)
    }
}

/// An amount known to lie between two floats: each operation bounds every
/// result of its operands' values, widened past the float's rounding and
/// past the decimal's (at its 28th digit and its 28th decimal place), so
/// that the exact decimal a bill computes, step by step, lies within the
/// interval the same bill computes in intervals. The property
/// `an_interval_bill_holds_the_exact_bill` in tests/it/cost.rs holds it so.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    pub lo: f64,
    pub hi: f64,
}

/// The largest decimal (2^96 - 1) lies between these two floats: 2^96,
/// and the float below it.
const ABOVE_DECIMAL_MAX: f64 = 7.922_816_251_426_434e28;
const BELOW_DECIMAL_MAX: f64 = 7.922_816_251_426_432e28;

impl Interval {
    pub(crate) const ONE: Interval = Interval { lo: 1.0, hi: 1.0 };
    const EVERYTHING: Interval = Interval { lo: f64::NEG_INFINITY, hi: f64::INFINITY };

    /// `[lo, hi]` widened past the rounding of the float operation that
    /// gave them (half a unit in the last place; four are taken), and of
    /// the decimal operation it stands for (a decimal keeps 28 decimal
    /// places: a small quotient keeps few digits, which a large price
    /// multiplies). An undefined end (∞ − ∞, 0 × ∞, or a widening that
    /// gives one) bounds nothing.
    #[inline]
    fn widened(lo: f64, hi: f64) -> Interval {
        const RELATIVE: f64 = 4.0 * f64::EPSILON;
        const DECIMAL_STEP: f64 = 1e-28;
        let (lo, hi) = (lo - lo.abs() * RELATIVE - DECIMAL_STEP, hi + hi.abs() * RELATIVE + DECIMAL_STEP);
        Interval { lo: if lo.is_nan() { f64::NEG_INFINITY } else { lo }, hi: if hi.is_nan() { f64::INFINITY } else { hi } }
    }

    /// The exact total, in cents, of a bill these bounds hold, when they
    /// are narrower than 0.4 of a cent: a bill's total is a whole number of
    /// cents (each line is rounded to one), only one lies within, and the
    /// middle rounds to it. A total is never negative (a float below zero
    /// by its rounding is taken).
    fn cents(self) -> Option<i64> {
        let narrow = self.lo > -0.001 && self.hi < 1e12 && self.hi - self.lo < 0.004;
        // The middle lies within a fifth of a cent of the whole one the
        // bounds hold (and above -0.05): adding a half and truncating
        // rounds it.
        narrow.then_some(((self.lo + self.hi) * 50.0 + 0.5) as i64)
    }

    internal! {
        /// The exact total of a bill these bounds hold, where they hold one
        /// whole number of cents alone ([`Interval::cents`]).
        fn exact_total(self) -> Option<Money> {
            self.cents().map(|cents| Money::from_decimal(Decimal::new(cents, 2)))
        }
    }

    /// Clamped to the decimals' range, as a decimal result that would pass
    /// it is clamped (a clamp never falls: the bound still holds).
    fn within_decimals(self) -> Interval {
        let lo = self.lo.clamp(-ABOVE_DECIMAL_MAX, BELOW_DECIMAL_MAX);
        let hi = self.hi.clamp(-BELOW_DECIMAL_MAX, ABOVE_DECIMAL_MAX);
        Interval { lo, hi }
    }

    fn point(x: f64) -> Interval {
        Interval::widened(x, x)
    }

    /// How two bills' exact totals compare, where their bounds say: `Less`
    /// when every value of `self` is below every value of `other`,
    /// `Greater` when above, and as their cents compare (`Equal` too) when
    /// each holds one whole number of cents; `None` otherwise.
    pub(crate) fn order(self, other: Interval) -> Option<std::cmp::Ordering> {
        if let (Some(a), Some(b)) = (self.cents(), other.cents()) {
            return Some(a.cmp(&b));
        }
        if self.hi < other.lo {
            Some(std::cmp::Ordering::Less)
        } else if self.lo > other.hi {
            Some(std::cmp::Ordering::Greater)
        } else {
            None
        }
    }

    /// The least and greatest of four products or quotients; any undefined
    /// one bounds nothing.
    fn hull(values: [f64; 4]) -> Interval {
        if values.iter().any(|v| v.is_nan()) {
            return Interval::EVERYTHING;
        }
        let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        Interval::widened(lo, hi)
    }
}

/// A mantissa past 64 bits, as a float: rare (a price or a quantity of
/// more than 18 digits), and a 128-bit conversion is a library call that
/// the compiler would otherwise make on every path.
#[cold]
#[inline(never)]
fn wide_to_float(mantissa: i128) -> f64 {
    mantissa as f64
}

/// `x.floor()` for `0 <= x < 2^63`, where truncation is the floor: without
/// the library call `floor` is on this target (two a line of a bill).
fn floor_nonnegative(x: f64) -> f64 {
    (x as i64) as f64
}

impl Add for Interval {
    type Output = Interval;
    fn add(self, other: Interval) -> Interval {
        Interval::widened(self.lo + other.lo, self.hi + other.hi)
    }
}

impl AddAssign for Interval {
    fn add_assign(&mut self, other: Interval) {
        *self = *self + other;
    }
}

impl Sub for Interval {
    type Output = Interval;
    fn sub(self, other: Interval) -> Interval {
        Interval::widened(self.lo - other.hi, self.hi - other.lo)
    }
}

impl Mul for Interval {
    type Output = Interval;
    fn mul(self, other: Interval) -> Interval {
        if self.lo >= 0.0 && other.lo >= 0.0 {
            return Interval::widened(self.lo * other.lo, self.hi * other.hi);
        }
        let (a, b) = (self, other);
        Interval::hull([a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi])
    }
}

impl Div for Interval {
    type Output = Interval;
    fn div(self, other: Interval) -> Interval {
        // A divisor that may be zero bounds nothing (the exact bill never
        // divides by zero: its divisors are checked or constant).
        if !(other.lo > 0.0 || other.hi < 0.0) {
            return Interval::EVERYTHING;
        }
        if self.lo >= 0.0 && other.lo > 0.0 {
            return Interval::widened(self.lo / other.hi, self.hi / other.lo);
        }
        let (a, b) = (self, other);
        Interval::hull([a.lo / b.lo, a.lo / b.hi, a.hi / b.lo, a.hi / b.hi])
    }
}

impl Amount for Interval {
    const ZERO: Self = Interval { lo: 0.0, hi: 0.0 };
    const ONE: Self = Interval::ONE;
    const UNBOUNDED: Self = Interval { lo: f64::INFINITY, hi: f64::INFINITY };

    fn exact(value: Decimal) -> Self {
        // The mantissa over a power of ten: three roundings at most (the
        // mantissa past 2^53, the power past 10^22, the quotient), where
        // rust_decimal's conversion takes a 128-bit float conversion and a
        // power; a millionth of a millionth is taken.
        const POWERS: [f64; 29] = [
            1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
            1e19, 1e20, 1e21, 1e22, 1e23, 1e24, 1e25, 1e26, 1e27, 1e28,
        ];
        let mantissa = value.mantissa();
        let whole = match i64::try_from(mantissa) {
            Ok(small) => small as f64,
            Err(_) => wide_to_float(mantissa),
        };
        let x = whole / POWERS[(value.scale() as usize).min(28)];
        let slack = x.abs() * 1e-12;
        Interval::widened(x - slack, x + slack)
    }

    fn known(_: Decimal, bounds: Interval) -> Self {
        bounds
    }

    fn gib(size: Size) -> Self {
        // A division by a power of two, exact in floats up to 2^53 bytes
        // (and widened above); the decimal's quotient rounds at its 28th
        // decimal place, which the widening covers. No decimal division:
        // a bill reads several sizes, and it was a third of its work.
        Interval::point(size.as_bytes() as f64 / (1u64 << 30) as f64)
    }

    fn of(n: u64) -> Self {
        // Exact up to 2^53; rounded, and widened, above.
        const EXACT: u64 = 1 << f64::MANTISSA_DIGITS;
        if n <= EXACT { Interval { lo: n as f64, hi: n as f64 } } else { Interval::point(n as f64) }
    }

    fn max(self, other: Self) -> Self {
        Interval { lo: self.lo.max(other.lo), hi: self.hi.max(other.hi) }
    }

    fn min(self, other: Self) -> Self {
        Interval { lo: self.lo.min(other.lo), hi: self.hi.min(other.hi) }
    }

    fn ceil(self) -> Self {
        // Exact in floats, and never falls: the ceiling of any value between
        // the ends lies between the ends' ceilings.
        Interval { lo: self.lo.ceil(), hi: self.hi.ceil() }
    }

    fn saturating_add(self, other: Self) -> Self {
        (self + other).within_decimals()
    }

    fn saturating_mul(self, other: Self) -> Self {
        (self * other).within_decimals()
    }

    fn mul_or_max(self, other: Self) -> Self {
        // Both are never negative where a bill multiplies so.
        (self * other).within_decimals()
    }

    fn div_or_max(self, other: Self) -> Self {
        // A divisor that may be zero bounds nothing, which holds the maximum.
        (self / other).within_decimals()
    }

    fn per_unit(self, per: u64) -> Self {
        self / Interval::of(per)
    }

    fn billed(self) -> Self {
        // What the exact bill's own rounding may have moved the amount (a
        // decimal rounds at its 28th digit and its 28th decimal place: far
        // less than a millionth of a dollar), and a margin for the floats
        // below.
        let lo = self.lo - 1e-6 - self.lo.abs() * 1e-12;
        let hi = self.hi + 1e-6 + self.hi.abs() * 1e-12;
        // Where every amount within rounds to one cent (half a cent away
        // from zero, which never falls), the line is that cent exactly: most
        // lines are, a tier's empty line too, and their bills' bounds are
        // then as narrow as the floats' rounding.
        // Only within ±10^12, where a cent count fits an integer.
        let cent = |x: f64| {
            if x >= 0.0 { floor_nonnegative(x * 100.0 + 0.5) } else { -floor_nonnegative(-x * 100.0 + 0.5) }
        };
        if lo > -1e12 && hi < 1e12 && cent(lo) == cent(hi) {
            return Interval::point(cent(lo) / 100.0);
        }
        Interval::widened(lo - 0.005, hi + 0.005)
    }

    fn surely_at_most(self, other: Self) -> bool {
        self.hi <= other.lo
    }

    fn as_exact(self) -> Option<Decimal> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::prelude::ToPrimitive;

    fn holds(i: Interval, d: Decimal) -> bool {
        let v = d.to_f64().unwrap();
        i.lo <= v && v <= i.hi
    }

    #[test]
    fn each_operation_bounds_the_decimal_result() {
        let values = ["0", "1", "0.1", "3", "730", "0.0000133334", "2.9375", "141857556", "1e-9", "-5.5", "1000000"];
        let values: Vec<Decimal> =
            values.iter().map(|v| v.parse().or_else(|_| Decimal::from_scientific(v)).unwrap()).collect();
        for &a in &values {
            for &b in &values {
                let (x, y) = (Interval::exact(a), Interval::exact(b));
                assert!(holds(x + y, a + b), "{a} + {b}");
                assert!(holds(x - y, a - b), "{a} - {b}");
                assert!(holds(x * y, a * b), "{a} × {b}");
                if !b.is_zero() {
                    assert!(holds(x / y, a / b), "{a} / {b}");
                }
                assert!(holds(Amount::max(x, y), Amount::max(a, b)) && holds(Amount::min(x, y), Amount::min(a, b)));
            }
            assert!(holds(Amount::ceil(Interval::exact(a)), Amount::ceil(a)), "⌈{a}⌉");
            assert!(holds(Interval::exact(a).billed(), a.billed()), "{a} to the cent");
        }
    }

    #[test]
    fn a_line_that_rounds_to_one_cent_is_that_cent_and_bills_compare_by_cents() {
        let line = |text: &str| Interval::exact(text.parse::<Decimal>().unwrap()).billed();
        let cents = line("1.2341");
        assert!(cents.hi - cents.lo < 1e-12 && holds(cents, Decimal::new(123, 2)), "{cents:?}");
        // At half a cent the exact rounding is not known from the bounds.
        let half = line("1.235");
        assert!(half.hi - half.lo >= 0.01 && holds(half, Decimal::new(124, 2)), "{half:?}");
        // An empty tier's line reaches just below zero: it is no cent.
        let empty = Interval { lo: -1e-9, hi: 1e-9 }.billed();
        assert_eq!(empty.cents(), Some(0));
        use std::cmp::Ordering::*;
        assert_eq!(line("3.001").order(line("2.999")), Some(Equal), "both are $3.00");
        assert_eq!(line("3.001").order(line("3.009")), Some(Less));
        assert_eq!(half.order(line("1.236")), None, "$1.24 or $1.25 against $1.24");
        // A total is read from bounds that hold one cent alone, and only then.
        assert_eq!(cents.exact_total(), Some(Money::from_decimal(Decimal::new(123, 2))));
        assert_eq!((line("0.2").exact_total(), half.exact_total()), (Some("$0.20".parse().unwrap()), None));
    }

    #[test]
    fn the_floor_of_a_nonnegative_float_is_its_truncation() {
        for x in [0.0, 0.49999999999999994, 0.5, 1.0, 1.9999999999999998, 123_456.5, 1e14 + 0.5, 9.0e15, 9.2e18] {
            assert_eq!(floor_nonnegative(x), x.floor(), "{x}");
        }
    }

    #[test]
    fn a_size_in_gib_bounds_the_decimal_quotient() {
        for bytes in [0, 1, 3, 10 * 1024, (3 << 30) + 1, 1 << 53, (1 << 53) + 1, u64::MAX / 3, u64::MAX] {
            let size = Size::from_bytes(bytes);
            let (bounds, exact) = (<Interval as Amount>::gib(size), <Decimal as Amount>::gib(size));
            assert!(holds(bounds, exact), "{bytes} bytes: {exact} outside {bounds:?}");
            // Widened: the float quotient may be the decimal's only to a
            // float's precision (a comparison in floats cannot tell).
            assert!(bytes == 0 || bounds.lo < bounds.hi, "{bytes} bytes: {bounds:?} is not widened");
        }
    }

    #[test]
    fn a_divisor_that_may_be_zero_bounds_nothing() {
        let maybe_zero = Interval { lo: -1.0, hi: 1.0 };
        for quotient in [Interval::ONE / maybe_zero, Interval::ONE / <Interval as Amount>::ZERO] {
            assert_eq!((quotient.lo, quotient.hi), (f64::NEG_INFINITY, f64::INFINITY));
        }
    }
}
