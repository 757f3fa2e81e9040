//! Decoding one value of the tree into a typed value, with the error a user
//! sees when it does not fit: the expected kind, the unit, "did you mean".

use rust_decimal::Decimal;

use super::super::components::CacheSize;
use super::super::err::LoadError;
use super::super::named_enum::NamedEnum;
use crate::suggest;
use crate::units::{Date, Duration, Money, ParseUnit, Percent, Quantity, Size, UnitError, Vcpu};
use crate::yaml::{Node, Value};

/// Decoding one value of the tree into a typed value.
pub trait FromNode: Sized {
    /// What is expected, for "expects ..." messages.
    fn expected() -> String;
    fn from_node(node: &Node, key: &str) -> Result<Self, LoadError>;
}

fn wrong_type<T: FromNode>(node: &Node, key: &str, help: &str) -> LoadError {
    LoadError::WrongType {
        what: format!("`{key}`"),
        expected: T::expected(),
        found: node.value.describe(),
        span: node.span,
        help: help.to_string(),
    }
}

impl FromNode for bool {
    fn expected() -> String {
        "`true` or `false`".into()
    }
    fn from_node(node: &Node, key: &str) -> Result<Self, LoadError> {
        match &node.value {
            Value::Bool(b) => Ok(*b),
            _ => Err(wrong_type::<bool>(
                node,
                key,
                "write `true` or `false` (YAML 1.1's `yes` and `on` are not booleans here)",
            )),
        }
    }
}

/// The workload key of `path` and its bound as messages show it, when the
/// bounds table has one ([`crate::model::limits::workload::BOUNDS`]).
fn workload_bound(path: &str) -> Option<(&str, String)> {
    let key = path.strip_prefix("workload.")?;
    crate::model::limits::workload::bound(key).map(|b| (key, b.shown()))
}

macro_rules! from_node_int {
    ($($ty:ty),*) => {$(
        impl FromNode for $ty {
            fn expected() -> String {
                format!("a whole number from {} to {}", <$ty>::MIN, <$ty>::MAX)
            }
            fn from_node(node: &Node, key: &str) -> Result<Self, LoadError> {
                let whole = match &node.value {
                    Value::Int(i) => Some(*i),
                    Value::Float(x) if x.fract() == 0.0 && x.abs() < 1e30 => Some(*x as i128),
                    Value::Str(s) => s.replace('_', "").parse::<i128>().ok(),
                    _ => None,
                };
                match whole.map(|w| (w, <$ty>::try_from(w))) {
                    Some((_, Ok(value))) => Ok(value),
                    // A workload number has a bound of its own, far below its
                    // type's (`peak_rps`: 10^9): name it, as the validator would.
                    Some((w, Err(_))) => Err(match workload_bound(key) {
                        Some((short, max)) if w > 0 => {
                            crate::model::validate::beyond_the_model(short, &w.to_string(), &max, node.span)
                        }
                        bound => LoadError::OutOfLimit {
                            message: format!(
                                "`{key}` must be from {} to {}",
                                <$ty>::MIN,
                                bound.map_or_else(|| <$ty>::MAX.to_string(), |(_, max)| max)
                            ),
                            span: node.span,
                            label: "out of range".into(),
                            help: "write a smaller whole number".into(),
                        },
                    }),
                    None => Err(wrong_type::<$ty>(node, key, "write a plain number such as `2`, without a unit")),
                }
            }
        }
    )*};
}
from_node_int!(u8, u32, u64);

impl FromNode for String {
    fn expected() -> String {
        "text".into()
    }
    fn from_node(node: &Node, key: &str) -> Result<Self, LoadError> {
        match &node.value {
            Value::Str(s) => Ok(s.clone()),
            Value::Int(i) => Ok(i.to_string()),
            Value::Float(x) => Ok(x.to_string()),
            Value::Bool(b) => Ok(b.to_string()),
            _ => Err(wrong_type::<String>(
                node,
                key,
                "write the text after the key; quote it if it starts with a special character",
            )),
        }
    }
}

/// A list of text, e.g. CORS origins.
impl FromNode for Vec<String> {
    fn expected() -> String {
        "a list of text".into()
    }
    fn from_node(node: &Node, key: &str) -> Result<Self, LoadError> {
        match &node.value {
            Value::Seq(items) => items.iter().map(|item| String::from_node(item, key)).collect(),
            _ => Err(wrong_type::<Vec<String>>(node, key, "write a list such as `[\"https://example.com\"]`")),
        }
    }
}

/// The number of a scalar as the user wrote it (for `30` → "did you mean `30s`").
fn number_text(node: &Node) -> Option<String> {
    match &node.value {
        Value::Int(i) => Some(i.to_string()),
        Value::Float(x) => Some(x.to_string()),
        _ => None,
    }
}

fn unit_error(node: &Node, key: &str, error: UnitError) -> LoadError {
    let quantity = error.quantity();
    let mut help = error.help();
    let label = match &error {
        UnitError::MissingUnit { .. } => {
            let number = number_text(node)
                .or_else(|| match &node.value {
                    Value::Str(s) => Some(s.trim().to_string()),
                    _ => None,
                })
                .unwrap_or_default();
            let unit = match quantity {
                Quantity::Duration => "s",
                Quantity::Size if number.parse::<u64>().is_ok_and(|n| n >= 64) => "MiB",
                Quantity::Size => "GiB",
                Quantity::Money => "$",
                Quantity::Percent => "%",
                Quantity::Vcpu => "vCPU",
            };
            let guess = if quantity == Quantity::Money { format!("${number}") } else { format!("{number}{unit}") };
            help = format!("did you mean `{guess}`? {help}");
            "no unit".to_string()
        }
        UnitError::UnknownUnit { unit, .. } => {
            let spelled_out = SPELLED_OUT_UNITS.iter().find(|(long, _)| long.eq_ignore_ascii_case(unit));
            let suggestion = spelled_out
                .map(|(_, short)| *short)
                .or_else(|| suggest::did_you_mean(unit, quantity.accepted_units().iter().copied()));
            if let Some(short) = suggestion {
                let number = match &node.value {
                    Value::Str(s) => s.trim().trim_end_matches(unit.as_str()).trim().to_string(),
                    _ => String::new(),
                };
                help = format!("did you mean `{number}{short}`? {help}");
            }
            "unknown unit".to_string()
        }
        UnitError::AmbiguousUnit { binary, .. } => format!("write `{binary}`"),
        _ => format!("not a {}", quantity.name()),
    };
    LoadError::Unit { key: key.to_string(), message: error.to_string(), span: node.span, label, help }
}

/// Units people spell out, and the symbol to write instead.
const SPELLED_OUT_UNITS: &[(&str, &str)] = &[
    ("millisecond", "ms"),
    ("milliseconds", "ms"),
    ("msec", "ms"),
    ("sec", "s"),
    ("secs", "s"),
    ("second", "s"),
    ("seconds", "s"),
    ("min", "m"),
    ("mins", "m"),
    ("minute", "m"),
    ("minutes", "m"),
    ("hr", "h"),
    ("hrs", "h"),
    ("hour", "h"),
    ("hours", "h"),
];

macro_rules! from_node_unit {
    ($($ty:ty => $quantity:expr),*) => {$(
        impl FromNode for $ty {
            fn expected() -> String {
                format!("a {} such as {}", $quantity.name(), $quantity.examples())
            }
            fn from_node(node: &Node, key: &str) -> Result<Self, LoadError> {
                match &node.value {
                    Value::Str(s) => <$ty as ParseUnit>::parse_unit(s).map_err(|e| unit_error(node, key, e)),
                    Value::Int(_) | Value::Float(_) => {
                        Err(unit_error(node, key, UnitError::MissingUnit { quantity: $quantity }))
                    }
                    _ => Err(wrong_type::<$ty>(node, key, &UnitError::NotANumber { quantity: $quantity }.help())),
                }
            }
        }
    )*};
}
from_node_unit!(
    Duration => Quantity::Duration,
    Size => Quantity::Size,
    Money => Quantity::Money,
    Percent => Quantity::Percent
);

impl FromNode for CacheSize {
    fn expected() -> String {
        "an API cache size in GB".into()
    }
    fn from_node(node: &Node, key: &str) -> Result<Self, LoadError> {
        let gb = Decimal::from_node(node, key)?;
        CacheSize::new(gb).ok_or_else(|| LoadError::OutOfLimit {
            message: format!("API Gateway offers no {gb} GB cache"),
            span: node.span,
            label: "not an offered size".into(),
            help: format!(
                "write one of {} (GB); AWS: API Gateway cache sizes (apigateway/latest/developerguide/api-gateway-caching.html)",
                CacheSize::OFFERED.join(", ")
            ),
        })
    }
}

impl FromNode for Decimal {
    fn expected() -> String {
        "a number such as `0.5`".into()
    }
    fn from_node(node: &Node, key: &str) -> Result<Self, LoadError> {
        let text = match &node.value {
            Value::Int(i) => i.to_string(),
            Value::Float(x) => x.to_string(),
            Value::Str(s) => s.trim().to_string(),
            _ => String::new(),
        };
        Decimal::from_str_exact(&text)
            .map(|d| d.normalize())
            .map_err(|_| wrong_type::<Decimal>(node, key, "write a plain number such as `0.5`, without a unit"))
    }
}

impl FromNode for Vcpu {
    fn expected() -> String {
        format!("a {} such as {}", Quantity::Vcpu.name(), Quantity::Vcpu.examples())
    }
    fn from_node(node: &Node, key: &str) -> Result<Self, LoadError> {
        let parsed = match &node.value {
            Value::Int(_) | Value::Float(_) => Vcpu::from_number_text(&number_text(node).unwrap_or_default()),
            Value::Str(s) => Vcpu::parse_unit(s),
            _ => return Err(wrong_type::<Vcpu>(node, key, &UnitError::NotANumber { quantity: Quantity::Vcpu }.help())),
        };
        parsed.map_err(|e| unit_error(node, key, e))
    }
}

impl FromNode for Date {
    fn expected() -> String {
        "a date such as `2027-03-31`".into()
    }
    fn from_node(node: &Node, key: &str) -> Result<Self, LoadError> {
        match &node.value {
            Value::Str(s) => Date::parse_date(s).map_err(|e| LoadError::Unit {
                key: key.to_string(),
                message: e.to_string(),
                span: node.span,
                label: "not a date".into(),
                help: crate::units::DATE_HELP.into(),
            }),
            _ => Err(wrong_type::<Date>(node, key, crate::units::DATE_HELP)),
        }
    }
}

impl<E: NamedEnum> FromNode for E {
    fn expected() -> String {
        suggest::one_of(E::TYPE.values)
    }
    fn from_node(node: &Node, key: &str) -> Result<Self, LoadError> {
        let text = match &node.value {
            Value::Str(s) => s.clone(),
            Value::Bool(b) => b.to_string(),
            Value::Int(i) => i.to_string(),
            Value::Float(x) => x.to_string(),
            _ => return Err(wrong_type::<E>(node, key, &format!("write one of {}", E::expected()))),
        };
        E::from_name(&text).ok_or_else(|| {
            let accepted = format!("expected one of {}", E::expected());
            let help = match suggest::did_you_mean(&text, E::TYPE.values.iter().copied()) {
                Some(s) => format!("did you mean `{s}`? {accepted}"),
                None => accepted,
            };
            LoadError::UnknownValue {
                key: key.to_string(),
                kind: E::TYPE.name.replace('_', " "),
                value: text,
                span: node.span,
                help,
            }
        })
    }
}
