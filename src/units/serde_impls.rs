//! serde and JSON Schema for the quantities: each is written as its text.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{Date, Duration, Money, Percent, Size, Vcpu};

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
serde_as_string!(Duration, Size, Money, Percent, Date);

impl Serialize for Vcpu {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // A plain number, as `cpu: 0.25` is written in proposals; thousandths are exact in f64.
        serializer.serialize_f64(f64::from(self.as_millis()) / 1_000.0)
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
