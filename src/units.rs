//! Values that carry units: durations, sizes, money and vCPU.
//!
//! Every quantity in a proposal is written with its unit (`29s`, `512MiB`,
//! `$0.50`), because a bare `30` is the most common way to get a timeout
//! wrong by a factor of a thousand. Each type parses from text, displays in
//! a canonical form that parses back to the same value, and stores an exact
//! integer or decimal (never a float), so comparisons are exact.
//!
//! ```
//! use archpolicy::units::{Duration, Size};
//!
//! let d: Duration = "1.5s".parse().unwrap();
//! assert_eq!(d.as_millis(), 1500);
//! assert_eq!(d.to_string(), "1500ms");
//! assert_eq!("15m".parse::<Duration>().unwrap().to_string(), "15m");
//! assert_eq!("1m".parse::<Duration>().unwrap().to_string(), "60s");
//!
//! let s: Size = "2GiB".parse().unwrap();
//! assert_eq!(s.as_mib(), 2048);
//! assert!("2GB".parse::<Size>().is_err()); // ambiguous: say GiB
//! ```

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Why a unit value did not parse. The loader turns it into a diagnostic
/// with the span of the value; the message and help live here so that the
/// policy language reports unit literals the same way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnitError {
    /// A number without any unit, e.g. `30`.
    MissingUnit { quantity: Quantity },
    /// A unit that this quantity does not accept, e.g. `30sec`.
    UnknownUnit { quantity: Quantity, unit: String },
    /// A decimal size unit (`MB`, `GB`) where AWS means the binary one.
    AmbiguousUnit { unit: String, binary: &'static str },
    /// No number in front of the unit, or a malformed one.
    NotANumber { quantity: Quantity },
    /// The value is finer than the type's resolution, e.g. `0.5ms`.
    TooPrecise { quantity: Quantity },
    /// The value does not fit (or is negative).
    OutOfRange { quantity: Quantity },
}

/// The kinds of quantity with units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Quantity {
    Duration,
    Size,
    Money,
    Vcpu,
    Percent,
}

impl Quantity {
    /// The units a value of this quantity may be written in.
    pub fn accepted_units(self) -> &'static [&'static str] {
        match self {
            Quantity::Duration => DURATION_UNITS_NAMES,
            Quantity::Size => SIZE_UNITS_NAMES,
            Quantity::Money => &["$"],
            Quantity::Vcpu => &["vCPU"],
            Quantity::Percent => &["%"],
        }
    }

    /// Examples shown in help text.
    pub fn examples(self) -> &'static str {
        match self {
            Quantity::Duration => "`500ms`, `29s`, `15m` or `1h`",
            Quantity::Size => "`512MiB` or `2GiB`",
            Quantity::Money => "`$25` or `$0.50`",
            Quantity::Vcpu => "`0.25`, `1` or `2vCPU`",
            Quantity::Percent => "`5%` or `0.5%`",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Quantity::Duration => "duration",
            Quantity::Size => "size",
            Quantity::Money => "amount of money",
            Quantity::Vcpu => "number of vCPU",
            Quantity::Percent => "percentage",
        }
    }
}

impl fmt::Display for UnitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UnitError::MissingUnit { quantity } => {
                write!(f, "this {} has no unit", quantity.name())
            }
            UnitError::UnknownUnit { quantity, unit } => {
                write!(f, "`{unit}` is not a unit of {}", quantity.name())
            }
            UnitError::AmbiguousUnit { unit, binary } => {
                write!(f, "`{unit}` is ambiguous: AWS sizes are binary, write `{binary}`")
            }
            UnitError::NotANumber { quantity } => {
                write!(f, "expected a {} such as {}", quantity.name(), quantity.examples())
            }
            UnitError::TooPrecise { quantity } => match quantity {
                Quantity::Duration => f.write_str("durations are counted in whole milliseconds"),
                Quantity::Size => f.write_str("sizes are counted in whole bytes"),
                Quantity::Money => f.write_str("amounts are counted to 10 decimal places at most"),
                Quantity::Vcpu => f.write_str("vCPU are counted in thousandths at most"),
                Quantity::Percent => f.write_str("this percentage is too precise"),
            },
            UnitError::OutOfRange { quantity } => {
                write!(f, "this {} is negative or too large", quantity.name())
            }
        }
    }
}

impl UnitError {
    /// How to fix it: the accepted units with examples.
    pub fn help(&self) -> String {
        match self {
            UnitError::AmbiguousUnit { unit, binary } => format!(
                "AWS's consoles say \"{unit}\" for Lambda and Fargate sizes but mean `{binary}`; accepted units: {}",
                list_units(Quantity::Size)
            ),
            UnitError::MissingUnit { quantity }
            | UnitError::UnknownUnit { quantity, .. }
            | UnitError::NotANumber { quantity }
            | UnitError::TooPrecise { quantity }
            | UnitError::OutOfRange { quantity } => format!(
                "write the unit after the number, e.g. {}; accepted units: {}",
                quantity.examples(),
                list_units(*quantity)
            ),
        }
    }

    pub fn quantity(&self) -> Quantity {
        match self {
            UnitError::AmbiguousUnit { .. } => Quantity::Size,
            UnitError::MissingUnit { quantity }
            | UnitError::UnknownUnit { quantity, .. }
            | UnitError::NotANumber { quantity }
            | UnitError::TooPrecise { quantity }
            | UnitError::OutOfRange { quantity } => *quantity,
        }
    }
}

impl std::error::Error for UnitError {}

fn list_units(q: Quantity) -> String {
    q.accepted_units().iter().map(|u| format!("`{u}`")).collect::<Vec<_>>().join(", ")
}

/// Splits `12.5ms` into (`12.5`, `ms`), allowing one space between them.
fn split_number(text: &str) -> (&str, &str) {
    let text = text.trim();
    let end = text
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == '.' || *c == '_' || *c == '-' || *c == '+'))
        .map(|(i, _)| i)
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(end);
    (number, unit.trim_start())
}

/// Parses a non-negative decimal number, allowing `_` as a digit separator.
fn parse_decimal(number: &str, quantity: Quantity) -> Result<Decimal, UnitError> {
    let cleaned: String = number.chars().filter(|c| *c != '_').collect();
    let valid = !cleaned.is_empty()
        && cleaned.chars().all(|c| c.is_ascii_digit() || c == '.' || c == '-')
        && cleaned.chars().filter(|c| *c == '.').count() <= 1
        && cleaned.chars().any(|c| c.is_ascii_digit());
    if !valid {
        return Err(UnitError::NotANumber { quantity });
    }
    let value = Decimal::from_str_exact(&cleaned).map_err(|_| UnitError::OutOfRange { quantity })?;
    if value.is_sign_negative() && !value.is_zero() {
        return Err(UnitError::OutOfRange { quantity });
    }
    Ok(value)
}

/// `value * factor` as a whole `u64`, or why not.
fn scale_to_u64(value: Decimal, factor: u64, quantity: Quantity) -> Result<u64, UnitError> {
    let scaled = value.checked_mul(Decimal::from(factor)).ok_or(UnitError::OutOfRange { quantity })?;
    if scaled.fract() != Decimal::ZERO {
        return Err(UnitError::TooPrecise { quantity });
    }
    u64::try_from(scaled).map_err(|_| UnitError::OutOfRange { quantity })
}

fn parse_with_units(text: &str, quantity: Quantity, units: &[(&'static str, u64)]) -> Result<u64, UnitError> {
    let (number, unit) = split_number(text);
    if number.is_empty() {
        return Err(UnitError::NotANumber { quantity });
    }
    let value = parse_decimal(number, quantity)?;
    if unit.is_empty() {
        return Err(UnitError::MissingUnit { quantity });
    }
    let factor = units.iter().find(|(name, _)| *name == unit).map(|(_, factor)| *factor);
    match factor {
        Some(factor) => scale_to_u64(value, factor, quantity),
        None => Err(UnitError::UnknownUnit { quantity, unit: unit.to_string() }),
    }
}

/// Writes `value` in the largest unit that divides it exactly.
fn display_in_units(f: &mut fmt::Formatter<'_>, value: u64, units: &[(&str, u64)]) -> fmt::Result {
    // `units` is ordered from the largest to the smallest, which divides everything.
    for (name, factor) in units {
        if value != 0 && value.is_multiple_of(*factor) {
            return write!(f, "{}{name}", value / factor);
        }
    }
    let (name, _) = units[units.len() - 1];
    write!(f, "{value}{name}")
}

// ---------------------------------------------------------------- Duration

const DURATION_UNITS: &[(&str, u64)] = &[("h", 3_600_000), ("m", 60_000), ("s", 1_000), ("ms", 1)];
const DURATION_UNITS_NAMES: &[&str] = &["ms", "s", "m", "h"];

/// A span of time, held in whole milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Duration {
    millis: u64,
}

impl Duration {
    pub const ZERO: Duration = Duration { millis: 0 };

    pub const fn from_millis(millis: u64) -> Self {
        Duration { millis }
    }
    pub const fn from_secs(secs: u64) -> Self {
        Duration { millis: secs * 1_000 }
    }
    pub const fn from_mins(mins: u64) -> Self {
        Duration { millis: mins * 60_000 }
    }
    pub const fn as_millis(self) -> u64 {
        self.millis
    }
    /// Whole seconds, if the duration is a whole number of seconds.
    pub const fn as_whole_secs(self) -> Option<u64> {
        if self.millis.is_multiple_of(1_000) { Some(self.millis / 1_000) } else { None }
    }
}

impl FromStr for Duration {
    type Err = UnitError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
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
const MIB: u64 = 1024 * KIB;
const GIB: u64 = 1024 * MIB;
const TIB: u64 = 1024 * GIB;
const SIZE_UNITS: &[(&str, u64)] = &[("TiB", TIB), ("GiB", GIB), ("MiB", MIB), ("KiB", KIB), ("B", 1)];
const SIZE_UNITS_NAMES: &[&str] = &["B", "KiB", "MiB", "GiB", "TiB"];
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

/// An amount of memory or storage, held in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Size {
    bytes: u64,
}

impl Size {
    pub const fn from_bytes(bytes: u64) -> Self {
        Size { bytes }
    }
    pub const fn from_mib(mib: u64) -> Self {
        Size { bytes: mib * MIB }
    }
    pub const fn from_gib(gib: u64) -> Self {
        Size { bytes: gib * GIB }
    }
    pub const fn as_bytes(self) -> u64 {
        self.bytes
    }
    /// Whole MiB, rounded down.
    pub const fn as_mib(self) -> u64 {
        self.bytes / MIB
    }
    pub const fn is_whole_mib(self) -> bool {
        self.bytes.is_multiple_of(MIB)
    }
    pub const fn is_whole_gib(self) -> bool {
        self.bytes.is_multiple_of(GIB)
    }
    /// The size in GiB as an exact decimal.
    pub fn as_gib_decimal(self) -> Decimal {
        Decimal::from(self.bytes) / Decimal::from(GIB)
    }
}

impl FromStr for Size {
    type Err = UnitError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
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

/// An amount in US dollars, exact (never a float).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money {
    amount: Decimal,
}

impl Money {
    pub const ZERO: Money = Money { amount: Decimal::ZERO };
    /// The most decimal places a written amount may have.
    pub const MAX_SCALE: u32 = 10;

    pub fn from_decimal(amount: Decimal) -> Self {
        Money { amount: amount.normalize() }
    }
    pub fn as_decimal(self) -> Decimal {
        self.amount
    }
}

impl FromStr for Money {
    type Err = UnitError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
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

/// A number of vCPU, held in thousandths (Fargate's smallest size is 0.25).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Vcpu {
    millis: u32,
}

impl Vcpu {
    pub const fn from_millis(millis: u32) -> Self {
        Vcpu { millis }
    }
    pub const fn as_millis(self) -> u32 {
        self.millis
    }
    pub fn as_decimal(self) -> Decimal {
        Decimal::new(i64::from(self.millis), 3).normalize()
    }
    /// Parses a plain number of vCPU as YAML gives it (`1`, `0.25`).
    pub fn from_number_text(text: &str) -> Result<Self, UnitError> {
        let q = Quantity::Vcpu;
        let value = parse_decimal(text, q)?;
        let millis = scale_to_u64(value, 1_000, q)?;
        u32::try_from(millis).map(Vcpu::from_millis).map_err(|_| UnitError::OutOfRange { quantity: q })
    }
}

impl FromStr for Vcpu {
    type Err = UnitError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
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

impl FromStr for Percent {
    type Err = UnitError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
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

// ------------------------------------------------------------------- serde

macro_rules! serde_as_string {
    ($($ty:ident),*) => {$(
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    )*};
}
serde_as_string!(Duration, Size, Money, Percent);

impl Serialize for Vcpu {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // A plain number, as `cpu: 0.25` is written in proposals; thousandths are exact in f64.
        serializer.serialize_f64(f64::from(self.millis) / 1_000.0)
    }
}

impl<'de> Deserialize<'de> for Vcpu {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        let text = match &value {
            serde_json::Value::Number(n) => n.to_string(),
            serde_json::Value::String(s) => s.clone(),
            _ => return Err(serde::de::Error::custom("expected a number of vCPU")),
        };
        text.parse().map_err(serde::de::Error::custom)
    }
}

macro_rules! schema_as_pattern {
    ($ty:ident, $name:literal, $pattern:literal, $desc:literal) => {
        impl schemars::JsonSchema for $ty {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                $name.into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({
                    "type": "string",
                    "pattern": $pattern,
                    "description": $desc,
                })
            }
        }
    };
}
schema_as_pattern!(
    Duration,
    "Duration",
    "^[0-9][0-9_]*(\\.[0-9]+)? ?(ms|s|m|h)$",
    "a duration with its unit: `500ms`, `29s`, `15m`, `1h`"
);
schema_as_pattern!(
    Size,
    "Size",
    "^[0-9][0-9_]*(\\.[0-9]+)? ?(B|KiB|MiB|GiB|TiB)$",
    "a size with its binary unit: `512MiB`, `2GiB`"
);
schema_as_pattern!(Percent, "Percent", "^[0-9]+(\\.[0-9]+)? ?%$", "a percentage: `5%`, `0.5%`");
schema_as_pattern!(Money, "Money", "^\\$[0-9][0-9_,]*(\\.[0-9]+)?$", "an amount in US dollars: `$25`, `$0.50`");

impl schemars::JsonSchema for Vcpu {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Vcpu".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "a number of vCPU: 0.25, 0.5, 1, 2, 4, 8 or 16",
            "anyOf": [
                { "type": "number", "exclusiveMinimum": 0 },
                { "type": "string", "pattern": "^[0-9]+(\\.[0-9]+)? ?(vCPU|vcpu)$" }
            ]
        })
    }
}

// -------------------------------------------------------------------- Date

/// A calendar date (`2027-03-31`), for waiver expiry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

/// Why a date did not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("expected a date written as `YYYY-MM-DD`")]
    Format,
    #[error("there is no such day")]
    NoSuchDay,
}

impl Date {
    pub fn new(year: u16, month: u8, day: u8) -> Result<Self, DateError> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return Err(DateError::NoSuchDay);
        }
        Ok(Date { year, month, day })
    }
    /// Today in UTC, from the system clock.
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
        Date::from_days_since_epoch((secs / 86_400) as i64)
    }

    /// The civil date `days` after 1970-01-01 (Howard Hinnant's algorithm).
    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)).clamp(0, 9999) as u16;
        Date { year, month, day }
    }

    pub fn year(self) -> u16 {
        self.year
    }
    pub fn month(self) -> u8 {
        self.month
    }
    pub fn day(self) -> u8 {
        self.day
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl FromStr for Date {
    type Err = DateError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let parts: Vec<&str> = s.trim().split('-').collect();
        let [y, m, d] = parts.as_slice() else {
            return Err(DateError::Format);
        };
        let digits = |p: &str, n: usize| p.len() == n && p.chars().all(|c| c.is_ascii_digit());
        if !(digits(y, 4) && digits(m, 2) && digits(d, 2)) {
            return Err(DateError::Format);
        }
        let number = |p: &str| p.parse::<u16>().map_err(|_| DateError::Format);
        let (year, month, day) = (number(y)?, number(m)?, number(d)?);
        Date::new(year, month as u8, day as u8)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

serde_as_string!(Date);

impl schemars::JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            "description": "a date written as YYYY-MM-DD"
        })
    }
}

#[cfg(test)]
mod date_tests {
    use super::*;

    #[test]
    fn days_since_the_epoch_become_dates() {
        assert_eq!(Date::from_days_since_epoch(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_days_since_epoch(19_723).to_string(), "2024-01-01");
        assert_eq!(Date::from_days_since_epoch(20_784).to_string(), "2026-11-27");
        assert_eq!(Date::from_days_since_epoch(11_016).to_string(), "2000-02-29");
    }

    #[test]
    fn dates_validate_the_calendar() {
        assert_eq!("2027-03-31".parse::<Date>().unwrap().to_string(), "2027-03-31");
        assert_eq!("2028-02-29".parse::<Date>().unwrap().day(), 29);
        assert_eq!("2027-02-29".parse::<Date>(), Err(DateError::NoSuchDay));
        assert_eq!("2027-3-31".parse::<Date>(), Err(DateError::Format));
        assert_eq!("tomorrow".parse::<Date>(), Err(DateError::Format));
    }
}

#[cfg(test)]
mod tests {
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
}
