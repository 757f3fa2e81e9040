//! Enums whose values are written as names in proposals and policies.
//!
//! One macro defines the Rust enum, its spelling, serde and JSON Schema, and
//! the [`EnumType`] that the fact schema and the policy checker use, so a
//! value's spelling lives in exactly one place.

/// An enum type of the fact schema: its name and the values it accepts,
/// as an enum fact ([`FactValue::Enum`](crate::FactValue::Enum)) carries it.
///
/// ```
/// use archpolicy::FactValue;
/// let facts = archpolicy::load_file("examples/fargate_alb.arch.yaml")?.facts();
/// let Some(FactValue::Enum(kind, value)) = facts.get("network.entry").map(|f| &f.value) else { panic!("an enum") };
/// assert_eq!((kind.name, *value), ("entry", "alb"));
/// assert!(kind.values.contains(&"api_gateway"));
/// assert_eq!(kind.position("alb"), kind.values.iter().position(|v| *v == "alb"));
/// # Ok::<(), archpolicy::Failure<archpolicy::LoadError>>(())
/// ```
#[derive(Debug, PartialEq, Eq, serde::Serialize)]
pub struct EnumType {
    /// The type's name as shown to users, e.g. `api_type`.
    pub name: &'static str,
    /// The accepted spellings, in order (for ordered enums, from least to most).
    pub values: &'static [&'static str],
    /// Whether `<` and `>` are meaningful between values.
    pub ordered: bool,
}

impl EnumType {
    /// The index of `name` among the values (for an ordered enum, its rank).
    ///
    /// ```
    /// use archpolicy::FactValue;
    /// let facts = archpolicy::load_file("examples/fargate_alb.arch.yaml")?.facts();
    /// let Some(FactValue::Enum(portability, _)) = facts.get("portability").map(|f| &f.value) else { panic!() };
    /// assert!(portability.ordered);
    /// assert!(portability.position("aws_native") < portability.position("portable"));
    /// # Ok::<(), archpolicy::Failure<archpolicy::LoadError>>(())
    /// ```
    pub fn position(&self, name: &str) -> Option<usize> {
        self.values.iter().position(|v| *v == name)
    }
}

/// An enum written by name.
pub trait NamedEnum: Sized + Copy + 'static {
    const TYPE: &'static EnumType;
    fn name(self) -> &'static str;
    fn from_name(name: &str) -> Option<Self>;
}

/// `named_enum!(/// doc, pub enum Name("type_name", ordered) { Variant = "spelling", ... })`
macro_rules! named_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident($type_name:literal, ordered = $ordered:literal) {
            $( $(#[$vmeta:meta])* $variant:ident = $spelling:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            /// Every value, in declaration order.
            #[allow(dead_code, reason = "not every enum is iterated")]
            pub const ALL: [$name; [$($spelling),+].len()] = [$($name::$variant),+];
        }

        impl $crate::model::named_enum::NamedEnum for $name {
            const TYPE: &'static $crate::model::named_enum::EnumType =
                &$crate::model::named_enum::EnumType {
                    name: $type_name,
                    values: &[$($spelling),+],
                    ordered: $ordered,
                };
            fn name(self) -> &'static str {
                match self { $( $name::$variant => $spelling ),+ }
            }
            fn from_name(name: &str) -> Option<Self> {
                match name { $( $spelling => Some($name::$variant), )+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str($crate::model::named_enum::NamedEnum::name(*self))
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str($crate::model::named_enum::NamedEnum::name(*self))
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                <$name as $crate::model::named_enum::NamedEnum>::from_name(&text).ok_or_else(|| {
                    serde::de::Error::unknown_variant(
                        &text,
                        <$name as $crate::model::named_enum::NamedEnum>::TYPE.values,
                    )
                })
            }
        }

        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({
                    "type": "string",
                    "enum": [$($spelling),+],
                })
            }
        }
    };
}

pub(crate) use named_enum;
