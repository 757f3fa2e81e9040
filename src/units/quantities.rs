//! The quantities a proposal and a policy write with units: durations,
//! sizes, money, vCPU and percentages.

use std::fmt;

use rust_decimal::Decimal;

use super::{ParseUnit, Quantity, UnitError, display_in_units, parse_decimal, parse_with_units, scale_to_u64, split_number};

// ---------------------------------------------------------------- Duration

const DURATION_UNITS: &[(&str, u64)] = &[("h", 3_600_000), ("m", 60_000), ("s", 1_000), ("ms", 1)];
pub(super) const DURATION_UNITS_NAMES: &[&str] = &["ms", "s", "m", "h"];

/// A span of time, held in whole milliseconds: what a proposal writes as
/// `500ms`, `29s`, `15m` or `1h`, and what duration facts hold
/// ([`FactValue::Duration`](crate::FactValue::Duration)). `Display` writes
/// the language's spelling: seconds up to ten minutes, then whole minutes
/// or hours.
///
/// ```
/// use archpolicy::Duration;
/// let timeout: Duration = "90s".parse().unwrap();
/// assert_eq!(timeout, Duration::from_millis(90_000));
/// assert_eq!(timeout.to_string(), "90s");
/// assert_eq!(Duration::from_mins(2).to_string(), "120s");
/// assert_eq!(Duration::from_mins(15).to_string(), "15m");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Duration {
    millis: u64,
}

impl Duration {
    /// No time at all.
    ///
    /// ```
    /// assert_eq!(archpolicy::Duration::ZERO.as_millis(), 0);
    /// ```
    pub const ZERO: Duration = Duration { millis: 0 };

    /// `millis` milliseconds.
    ///
    /// ```
    /// assert_eq!(archpolicy::Duration::from_millis(1_500).to_string(), "1500ms");
    /// ```
    pub const fn from_millis(millis: u64) -> Self {
        Duration { millis }
    }
    /// `secs` seconds. Saturating: a count of seconds beyond `u64::MAX`
    /// milliseconds is that many.
    ///
    /// ```
    /// use archpolicy::Duration;
    /// assert_eq!(Duration::from_secs(29), "29s".parse().unwrap());
    /// ```
    pub const fn from_secs(secs: u64) -> Self {
        Duration { millis: secs.saturating_mul(1_000) }
    }
    /// `mins` minutes. Saturating, as [`Duration::from_secs`].
    ///
    /// ```
    /// assert_eq!(archpolicy::Duration::from_mins(15).as_millis(), 900_000);
    /// ```
    pub const fn from_mins(mins: u64) -> Self {
        Duration { millis: mins.saturating_mul(60_000) }
    }
    /// The duration in milliseconds.
    ///
    /// ```
    /// let timeout: archpolicy::Duration = "1m".parse().unwrap();
    /// assert_eq!(timeout.as_millis(), 60_000);
    /// ```
    pub const fn as_millis(self) -> u64 {
        self.millis
    }
    /// Whole seconds, if the duration is a whole number of seconds.
    pub(crate) const fn as_whole_secs(self) -> Option<u64> {
        if self.millis.is_multiple_of(1_000) { Some(self.millis / 1_000) } else { None }
    }
    /// The duration rounded up to whole seconds, or down within the last
    /// second that `u64` milliseconds hold (never wrapping).
    pub(crate) const fn whole_secs_up(self) -> Self {
        match self.millis.div_ceil(1_000).checked_mul(1_000) {
            Some(millis) => Duration { millis },
            None => Duration { millis: self.millis / 1_000 * 1_000 },
        }
    }
}

impl ParseUnit for Duration {
    fn parse_unit(s: &str) -> Result<Self, UnitError> {
        parse_with_units(s, Quantity::Duration, DURATION_UNITS).map(Duration::from_millis)
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Hours and minutes read well only for long spans: `60s` stays `60s`,
        // `900s` becomes `15m`.
        let m = self.millis;
        if m != 0 && m.is_multiple_of(3_600_000) {
            write!(f, "{}h", m / 3_600_000)
        } else if m >= 600_000 && m.is_multiple_of(60_000) {
            write!(f, "{}m", m / 60_000)
        } else if m.is_multiple_of(1_000) {
            write!(f, "{}s", m / 1_000)
        } else {
            write!(f, "{m}ms")
        }
    }
}

// -------------------------------------------------------------------- Size

const KIB: u64 = 1024;
pub(super) const MIB: u64 = 1024 * KIB;
const GIB: u64 = 1024 * MIB;
const TIB: u64 = 1024 * GIB;
const SIZE_UNITS: &[(&str, u64)] = &[("TiB", TIB), ("GiB", GIB), ("MiB", MIB), ("KiB", KIB), ("B", 1)];
pub(super) const SIZE_UNITS_NAMES: &[&str] = &["B", "KiB", "MiB", "GiB", "TiB"];
/// Decimal spellings that people write for AWS's binary sizes.
const AMBIGUOUS_SIZE_UNITS: &[(&str, &str)] = &[
    ("KB", "KiB"),
    ("kB", "KiB"),
    ("MB", "MiB"),
    ("GB", "GiB"),
    ("TB", "TiB"),
    ("K", "KiB"),
    ("M", "MiB"),
    ("G", "GiB"),
    ("Mi", "MiB"),
    ("Gi", "GiB"),
];

/// An amount of memory or storage, held in bytes: what a proposal writes
/// as `512MiB` or `2GiB`, and what size facts hold
/// ([`FactValue::Size`](crate::FactValue::Size)). `Display` writes the
/// language's spelling.
///
/// ```
/// use archpolicy::Size;
/// let memory: Size = "2GiB".parse().unwrap();
/// assert_eq!(memory, Size::from_mib(2048));
/// assert_eq!(memory.to_string(), "2GiB");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Size {
    bytes: u64,
}

impl Size {
    /// `bytes` bytes.
    ///
    /// ```
    /// assert_eq!(archpolicy::Size::from_bytes(1024).to_string(), "1KiB");
    /// ```
    pub const fn from_bytes(bytes: u64) -> Self {
        Size { bytes }
    }
    /// `mib` MiB. Saturating: more MiB than `u64` bytes hold is that many bytes.
    ///
    /// ```
    /// assert_eq!(archpolicy::Size::from_mib(512).to_string(), "512MiB");
    /// ```
    pub const fn from_mib(mib: u64) -> Self {
        Size { bytes: mib.saturating_mul(MIB) }
    }
    /// `gib` GiB. Saturating, as [`Size::from_mib`].
    ///
    /// ```
    /// assert_eq!(archpolicy::Size::from_gib(3).as_mib(), 3072);
    /// ```
    pub const fn from_gib(gib: u64) -> Self {
        Size { bytes: gib.saturating_mul(GIB) }
    }
    /// The size in bytes.
    ///
    /// ```
    /// assert_eq!(archpolicy::Size::from_mib(1).as_bytes(), 1_048_576);
    /// ```
    pub const fn as_bytes(self) -> u64 {
        self.bytes
    }
    /// Whole MiB, rounded down.
    ///
    /// ```
    /// let memory: archpolicy::Size = "1536MiB".parse().unwrap();
    /// assert_eq!(memory.as_mib(), 1536);
    /// ```
    pub const fn as_mib(self) -> u64 {
        self.bytes / MIB
    }
    pub(crate) const fn is_whole_mib(self) -> bool {
        self.bytes.is_multiple_of(MIB)
    }
    pub(crate) const fn is_whole_gib(self) -> bool {
        self.bytes.is_multiple_of(GIB)
    }
    /// The size in GiB as an exact decimal.
    ///
    /// ```
    /// let memory: archpolicy::Size = "1536MiB".parse().unwrap();
    /// assert_eq!(memory.as_gib_decimal(), "1.5".parse().unwrap());
    /// ```
    pub fn as_gib_decimal(self) -> Decimal {
        Decimal::from(self.bytes) / Decimal::from(GIB)
    }
}

impl ParseUnit for Size {
    fn parse_unit(s: &str) -> Result<Self, UnitError> {
        match parse_with_units(s, Quantity::Size, SIZE_UNITS) {
            Err(UnitError::UnknownUnit { unit, .. }) => match AMBIGUOUS_SIZE_UNITS.iter().find(|(u, _)| *u == unit) {
                Some((_, binary)) => Err(UnitError::AmbiguousUnit { unit, binary }),
                None => Err(UnitError::UnknownUnit { quantity: Quantity::Size, unit }),
            },
            other => other.map(Size::from_bytes),
        }
    }
}

impl fmt::Display for Size {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.bytes == 0 {
            return f.write_str("0B");
        }
        display_in_units(f, self.bytes, SIZE_UNITS)
    }
}

// ------------------------------------------------------------------- Money

/// An amount in US dollars, exact (never a float): what a proposal or a
/// policy writes as `$25` or `$0.50`, what money facts hold
/// ([`FactValue::Money`](crate::FactValue::Money)) and what a
/// [`CostReport`](crate::CostReport) adds up. `Display` writes the
/// language's spelling, with at least two decimals.
///
/// ```
/// use archpolicy::Money;
/// let budget: Money = "$50".parse().unwrap();
/// assert_eq!(budget.to_string(), "$50.00");
/// assert!(Money::ZERO < budget);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money {
    amount: Decimal,
}

impl Money {
    /// Nothing: what `lambda_api_gateway` costs at idle.
    ///
    /// ```
    /// assert_eq!(archpolicy::Money::ZERO.to_string(), "$0.00");
    /// ```
    pub const ZERO: Money = Money { amount: Decimal::ZERO };
    /// The most decimal places a written amount may have.
    pub(crate) const MAX_SCALE: u32 = 10;

    /// `dollars` whole dollars, in a constant.
    pub(crate) const fn from_whole_dollars(dollars: u32) -> Money {
        Money { amount: Decimal::from_parts(dollars, 0, 0, false, 0) }
    }

    /// `amount` dollars (a [`rust_decimal::Decimal`]).
    ///
    /// ```
    /// let amount = "0.0000166667".parse().unwrap();
    /// assert_eq!(archpolicy::Money::from_decimal(amount).to_string(), "$0.0000166667");
    /// ```
    pub fn from_decimal(amount: Decimal) -> Self {
        Money { amount: amount.normalize() }
    }
    /// The amount in dollars, exact.
    ///
    /// ```
    /// let budget: archpolicy::Money = "$12.50".parse().unwrap();
    /// assert_eq!(budget.as_decimal().to_string(), "12.5");
    /// ```
    pub fn as_decimal(self) -> Decimal {
        self.amount
    }
    /// Rounded to the cent as AWS bills: a half cent goes up (away from
    /// zero), not to even (`$16.425` is `$16.43`). The one rounding of money
    /// that every report and the `cost.*` facts use, so a policy judges the
    /// figure a report shows.
    pub(crate) fn to_cents(self) -> Money {
        Money::from_decimal(Money::round_to_cents(self.amount))
    }

    /// An amount rounded to the cent as a bill's line is (half a cent up):
    /// the one rounding rule, also for totals summed without a `Money` each.
    pub(crate) fn round_to_cents(amount: Decimal) -> Decimal {
        // In 128-bit integers: every line of the hundreds of bills a
        // break-even search prices is rounded here, and rust_decimal's
        // general rounding was a tenth of `policy cost`. The unit test
        // `rounding_to_cents_is_rust_decimals_rounding` holds the two equal.
        let scale = amount.scale();
        let mantissa = amount.mantissa();
        if scale <= 2 {
            return amount;
        }
        if mantissa == 0 {
            // Zero, whose sign rust_decimal keeps (`-0.000` is `-0.00`).
            return amount.round_dp(2);
        }
        let divisor = 10i128.pow(scale - 2);
        let (whole, rest) = (mantissa / divisor, mantissa % divisor);
        let away = rest.unsigned_abs() * 2 >= divisor.unsigned_abs();
        let cents = if away { whole + mantissa.signum() } else { whole };
        match Decimal::try_from_i128_with_scale(cents, 2) {
            Ok(rounded) => rounded,
            Err(_) => amount.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero),
        }
    }
}

impl ParseUnit for Money {
    fn parse_unit(s: &str) -> Result<Self, UnitError> {
        let q = Quantity::Money;
        let text = s.trim();
        let Some(number) = text.strip_prefix('$') else {
            return if text.chars().next().is_some_and(|c| c.is_ascii_digit()) {
                Err(UnitError::MissingUnit { quantity: q })
            } else {
                Err(UnitError::NotANumber { quantity: q })
            };
        };
        let number: String = number.chars().filter(|c| *c != ',').collect();
        let amount = parse_decimal(&number, q)?;
        if amount.scale() > Money::MAX_SCALE {
            return Err(UnitError::TooPrecise { quantity: q });
        }
        Ok(Money::from_decimal(amount))
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let amount = self.amount.normalize();
        if amount.scale() < 2 { write!(f, "${:.2}", amount) } else { write!(f, "${amount}") }
    }
}

// -------------------------------------------------------------------- vCPU

/// A number of vCPU, held in thousandths (Fargate's smallest size is
/// 0.25): what a Fargate service's `cpu` writes, and what vCPU facts hold
/// ([`FactValue::Vcpu`](crate::FactValue::Vcpu)).
///
/// ```
/// use archpolicy::Vcpu;
/// let cpu: Vcpu = "0.25".parse().unwrap();
/// assert_eq!(cpu, Vcpu::from_millis(250));
/// assert_eq!(cpu.to_string(), "0.25 vCPU");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Vcpu {
    millis: u32,
}

impl Vcpu {
    /// `millis` thousandths of a vCPU.
    ///
    /// ```
    /// assert_eq!(archpolicy::Vcpu::from_millis(2_000).to_string(), "2 vCPU");
    /// ```
    pub const fn from_millis(millis: u32) -> Self {
        Vcpu { millis }
    }
    /// The number in thousandths of a vCPU.
    ///
    /// ```
    /// let cpu: archpolicy::Vcpu = "0.5 vCPU".parse().unwrap();
    /// assert_eq!(cpu.as_millis(), 500);
    /// ```
    pub const fn as_millis(self) -> u32 {
        self.millis
    }
    /// The number of vCPU as an exact decimal.
    ///
    /// ```
    /// assert_eq!(archpolicy::Vcpu::from_millis(250).as_decimal().to_string(), "0.25");
    /// ```
    pub fn as_decimal(self) -> Decimal {
        Decimal::new(i64::from(self.millis), 3).normalize()
    }
    /// Parses a plain number of vCPU as YAML gives it (`1`, `0.25`).
    pub(crate) fn from_number_text(text: &str) -> Result<Self, UnitError> {
        let q = Quantity::Vcpu;
        let value = parse_decimal(text, q)?;
        let millis = scale_to_u64(value, 1_000, q)?;
        u32::try_from(millis).map(Vcpu::from_millis).map_err(|_| UnitError::OutOfRange { quantity: q })
    }
}

impl ParseUnit for Vcpu {
    fn parse_unit(s: &str) -> Result<Self, UnitError> {
        let (number, unit) = split_number(s);
        if number.is_empty() {
            return Err(UnitError::NotANumber { quantity: Quantity::Vcpu });
        }
        if !unit.is_empty() && !unit.eq_ignore_ascii_case("vcpu") {
            return Err(UnitError::UnknownUnit { quantity: Quantity::Vcpu, unit: unit.to_string() });
        }
        Vcpu::from_number_text(number)
    }
}

impl fmt::Display for Vcpu {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} vCPU", self.as_decimal())
    }
}

// ----------------------------------------------------------------- Percent

/// A percentage, held as an exact fraction (`5%` is 0.05).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Percent {
    fraction: Decimal,
}

impl Percent {
    pub fn from_fraction(fraction: Decimal) -> Self {
        Percent { fraction: fraction.normalize() }
    }
    pub fn fraction(self) -> Decimal {
        self.fraction
    }
}

impl ParseUnit for Percent {
    fn parse_unit(s: &str) -> Result<Self, UnitError> {
        let q = Quantity::Percent;
        let (number, unit) = split_number(s);
        if number.is_empty() {
            return Err(UnitError::NotANumber { quantity: q });
        }
        let value = parse_decimal(number, q)?;
        match unit {
            "%" => Ok(Percent::from_fraction(value / Decimal::from(100))),
            "" => Err(UnitError::MissingUnit { quantity: q }),
            other => Err(UnitError::UnknownUnit { quantity: q, unit: other.to_string() }),
        }
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}%", (self.fraction * Decimal::from(100)).normalize())
    }
}

super::from_str_via_units!(Duration, Size, Money, Vcpu, Percent);
