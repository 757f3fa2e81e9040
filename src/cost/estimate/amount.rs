//! What a bill computes in: exact decimals for every amount a report
//! shows, or [`Interval`]s, floats that bound the exact amount, for the
//! break-even search to compare curves without pricing them exactly where
//! they are far apart (docs/cost.md, "Break-even points").

use std::ops::{Add, AddAssign, Div, Mul, Sub};

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::units::Money;

/// The arithmetic a bill is written in, once for both kinds.
pub(crate) trait Amount:
    Copy + Add<Output = Self> + Sub<Output = Self> + Mul<Output = Self> + Div<Output = Self> + AddAssign
{
    const ZERO: Self;
    const ONE: Self;
    /// No bound: the top of a price table's last tier.
    const UNBOUNDED: Self;
    fn exact(value: Decimal) -> Self;
    fn of(n: u64) -> Self;
    fn max(self, other: Self) -> Self;
    fn min(self, other: Self) -> Self;
    fn ceil(self) -> Self;
    /// Multiplies, staying at the largest decimal where the product would pass it.
    fn saturating_mul(self, other: Self) -> Self;
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

    fn of(n: u64) -> Self {
        Decimal::from(n)
    }

    fn max(self, other: Self) -> Self {
        Ord::max(self, other)
    }

    fn min(self, other: Self) -> Self {
        Ord::min(self, other)
    }

    fn ceil(self) -> Self {
        Decimal::ceil(&self)
    }

    fn saturating_mul(self, other: Self) -> Self {
        Decimal::saturating_mul(self, other)
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
/// result of its operands' values, widened past the float's rounding, so
/// that the exact decimal a bill computes lies within the interval the
/// same bill computes in intervals. The property
/// `an_interval_bill_holds_the_exact_bill` in tests/it/cost.rs holds it so.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    pub lo: f64,
    pub hi: f64,
}

/// The largest decimal, as a float (below the true value: a clamp to it
/// stays outside the decimal's range).
const DECIMAL_MAX: f64 = 7.922_816_251_426_434e28;

impl Interval {
    pub(crate) const ONE: Interval = Interval { lo: 1.0, hi: 1.0 };
    const EVERYTHING: Interval = Interval { lo: f64::NEG_INFINITY, hi: f64::INFINITY };

    /// `[lo, hi]` widened past the rounding of the float operation that
    /// gave them (half a unit in the last place; four are taken). An
    /// undefined end (∞ − ∞, 0 × ∞) bounds nothing.
    fn widened(lo: f64, hi: f64) -> Interval {
        const RELATIVE: f64 = 4.0 * f64::EPSILON;
        let lo = if lo.is_nan() { f64::NEG_INFINITY } else { lo - lo.abs() * RELATIVE - f64::MIN_POSITIVE };
        let hi = if hi.is_nan() { f64::INFINITY } else { hi + hi.abs() * RELATIVE + f64::MIN_POSITIVE };
        Interval { lo, hi }
    }

    fn point(x: f64) -> Interval {
        Interval::widened(x, x)
    }

    /// `Less` when every value of `self` is below every value of `other`,
    /// `Greater` when above; `None` when they overlap (or touch).
    pub(crate) fn order(self, other: Interval) -> Option<std::cmp::Ordering> {
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
        // rust_decimal's conversion rounds more than once: a few units in
        // the last place, and a millionth of a millionth is taken.
        let Some(x) = value.to_f64() else { return Interval::EVERYTHING };
        let slack = x.abs() * 1e-12;
        Interval::widened(x - slack, x + slack)
    }

    fn of(n: u64) -> Self {
        // Exact below 2^53; rounded, and widened, above.
        Interval::point(n as f64)
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

    fn saturating_mul(self, other: Self) -> Self {
        let product = self * other;
        Interval { lo: product.lo.clamp(-DECIMAL_MAX, DECIMAL_MAX), hi: product.hi.clamp(-DECIMAL_MAX, DECIMAL_MAX) }
    }

    fn per_unit(self, per: u64) -> Self {
        self / Interval::of(per)
    }

    fn billed(self) -> Self {
        // Half a cent either way, and what the exact bill's own rounding
        // may have moved the amount (a decimal rounds at its 28th digit and
        // its 28th decimal place: far less than a millionth of a dollar).
        let slack = 0.005 + 1e-6;
        Interval::widened(self.lo - slack - self.lo.abs() * 1e-20, self.hi + slack + self.hi.abs() * 1e-20)
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

    /// `d` within `i`, but for the decimal's own rounding at its 28th
    /// decimal place (a bill's cent and millionth of a dollar cover it).
    fn holds(i: Interval, d: Decimal) -> bool {
        let v = d.to_f64().unwrap();
        i.lo - 1e-27 <= v && v <= i.hi + 1e-27
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
    fn a_divisor_that_may_be_zero_bounds_nothing() {
        let maybe_zero = Interval { lo: -1.0, hi: 1.0 };
        for quotient in [Interval::ONE / maybe_zero, Interval::ONE / <Interval as Amount>::ZERO] {
            assert_eq!((quotient.lo, quotient.hi), (f64::NEG_INFINITY, f64::INFINITY));
        }
    }
}
