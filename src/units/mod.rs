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

use rust_decimal::Decimal;

mod amount;
mod date;
mod quantities;
mod serde_impls;

pub(crate) use amount::Amount;
pub use amount::Interval;
pub use date::{DATE_HELP, Date, DateError};

use quantities::{DURATION_UNITS_NAMES, SIZE_UNITS_NAMES};
pub use quantities::{Duration, Money, Percent, Size, Vcpu};
use serde::Serialize;

/// Why a quantity or a date written as text (`29s`, `512MiB`, `$0.50`,
/// `0.25` vCPU, `2027-03-31`) did not parse: the error of the `FromStr` of
/// [`Duration`], [`Size`], [`Money`], [`Vcpu`] and [`Date`]. Its `Display`
/// is the message `policy` shows for the same value in a proposal;
/// [`QuantityError::help`] says what to write instead.
///
/// ```
/// use archpolicy::{Date, Duration, Size};
/// let error = "30".parse::<Duration>().unwrap_err();
/// assert_eq!(error.to_string(), "this duration has no unit");
/// assert!(error.help().contains("`29s`"), "{}", error.help());
/// let error = "2GB".parse::<Size>().unwrap_err();
/// assert_eq!(error.to_string(), "`GB` is ambiguous: AWS sizes are binary, write `GiB`");
/// let error = "31/03/2027".parse::<Date>().unwrap_err();
/// assert_eq!(error.to_string(), "expected a date written as `YYYY-MM-DD`");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuantityError {
    message: String,
    help: String,
}

impl QuantityError {
    /// What to write instead: the accepted units with examples, or the
    /// form of a date.
    ///
    /// ```
    /// let error = "30sec".parse::<archpolicy::Duration>().unwrap_err();
    /// assert_eq!(error.to_string(), "`sec` is not a unit of duration");
    /// assert!(error.help().contains("`ms`"), "{}", error.help());
    /// ```
    pub fn help(&self) -> &str {
        &self.help
    }

    pub(crate) fn unit(error: UnitError) -> Self {
        QuantityError { message: error.to_string(), help: error.help() }
    }

    pub(crate) fn date(error: DateError) -> Self {
        QuantityError { message: error.to_string(), help: date::DATE_HELP.into() }
    }
}

impl fmt::Display for QuantityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for QuantityError {}

/// Parsing a quantity with the error the loader and the policy parser
/// match on; the public `FromStr` gives a [`QuantityError`].
pub(crate) trait ParseUnit: Sized {
    /// The value written as `text`.
    fn parse_unit(text: &str) -> Result<Self, UnitError>;
}

/// `FromStr` of each quantity, through [`ParseUnit`].
macro_rules! from_str_via_units {
    ($($ty:ty),*) => {$(
        impl std::str::FromStr for $ty {
            type Err = $crate::units::QuantityError;
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                <$ty as $crate::units::ParseUnit>::parse_unit(text).map_err($crate::units::QuantityError::unit)
            }
        }
    )*};
}
pub(crate) use from_str_via_units;

/// Why a quantity written with its unit did not parse, as the loader
/// (`archpolicy::load::unit`) and the policy parser read it; the public
/// face is [`QuantityError`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum UnitError {
    /// A number without any unit, e.g. `30`.
    MissingUnit {
        /// The quantity expected.
        quantity: Quantity,
    },
    /// A unit that this quantity does not accept, e.g. `30sec`.
    UnknownUnit {
        /// The quantity expected.
        quantity: Quantity,
        /// The unit, as written.
        unit: String,
    },
    /// A decimal size unit (`MB`, `GB`) where AWS means the binary one.
    AmbiguousUnit {
        /// The unit, as written.
        unit: String,
        /// The binary unit to write instead, e.g. `MiB`.
        binary: &'static str,
    },
    /// No number in front of the unit, or a malformed one.
    NotANumber {
        /// The quantity expected.
        quantity: Quantity,
    },
    /// The value is finer than the type's resolution, e.g. `0.5ms`.
    TooPrecise {
        /// The quantity expected.
        quantity: Quantity,
    },
    /// The value does not fit (or is negative).
    OutOfRange {
        /// The quantity expected.
        quantity: Quantity,
    },
}

/// The kinds of quantity written with a unit, as a [`UnitError`] names
/// the one it expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Quantity {
    /// A duration: `500ms`, `29s`, `15m`, `1h`.
    Duration,
    /// A size in bytes: `512MiB`, `2GiB`.
    Size,
    /// An amount in dollars: `$25`, `$0.50`.
    Money,
    /// A number of vCPU: `0.25`, `2vCPU`.
    Vcpu,
    /// A percentage: `5%`.
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
    pub(crate) fn examples(self) -> &'static str {
        match self {
            Quantity::Duration => "`500ms`, `29s`, `15m` or `1h`",
            Quantity::Size => "`512MiB` or `2GiB`",
            Quantity::Money => "`$25` or `$0.50`",
            Quantity::Vcpu => "`0.25`, `1` or `2vCPU`",
            Quantity::Percent => "`5%` or `0.5%`",
        }
    }

    /// The quantity as messages name it, e.g. `amount of money`.
    pub(crate) fn name(self) -> &'static str {
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

    /// The quantity that was expected (a size, for an ambiguous unit).
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

pub(crate) fn list_units(q: Quantity) -> String {
    q.accepted_units().iter().map(|u| format!("`{u}`")).collect::<Vec<_>>().join(", ")
}

/// Splits `12.5ms` into (`12.5`, `ms`), allowing one space between them.
pub(crate) fn split_number(text: &str) -> (&str, &str) {
    let text = text.trim();
    let end = text
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == '.' || *c == '_' || *c == '-' || *c == '+'))
        .map(|(i, _)| i)
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(end);
    (number, unit.trim_start())
}

/// `digits` (an integer's digits, no sign) grouped by thousands:
/// `1000000` as `1,000,000`. The one grouping of counts a person reads, in
/// cost tables and in the loader's bounds.
pub fn grouped(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Parses a non-negative decimal number, allowing `_` as a digit separator.
pub(crate) fn parse_decimal(number: &str, quantity: Quantity) -> Result<Decimal, UnitError> {
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
pub(crate) fn scale_to_u64(value: Decimal, factor: u64, quantity: Quantity) -> Result<u64, UnitError> {
    let scaled = value.checked_mul(Decimal::from(factor)).ok_or(UnitError::OutOfRange { quantity })?;
    if scaled.fract() != Decimal::ZERO {
        return Err(UnitError::TooPrecise { quantity });
    }
    u64::try_from(scaled).map_err(|_| UnitError::OutOfRange { quantity })
}

pub(crate) fn parse_with_units(
    text: &str,
    quantity: Quantity,
    units: &[(&'static str, u64)],
) -> Result<u64, UnitError> {
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
pub(crate) fn display_in_units(f: &mut fmt::Formatter<'_>, value: u64, units: &[(&str, u64)]) -> fmt::Result {
    // `units` is ordered from the largest to the smallest, which divides everything.
    for (name, factor) in units {
        if value != 0 && value.is_multiple_of(*factor) {
            return write!(f, "{}{name}", value / factor);
        }
    }
    let (name, _) = units[units.len() - 1];
    write!(f, "{value}{name}")
}

#[cfg(test)]
mod tests;
