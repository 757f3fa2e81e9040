//! Fact values and where each came from.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use miette::SourceSpan;
use serde::Serialize;
use serde_json::json;

use super::schema::FactType;
use crate::model::limits::Source;
use crate::model::named_enum::{EnumType, NamedEnum};
use crate::source::SourceFile;
use crate::units::{Duration, Money, Size, Vcpu};

/// A typed fact value.
///
/// ```
/// use archpolicy::FactValue;
/// let facts = archpolicy::load_file("examples/fargate_alb.arch.yaml")?.facts();
/// let Some(FactValue::Bool(private)) = facts.get("network.compute_private").map(|f| &f.value) else { panic!() };
/// assert!(*private);
/// assert_eq!(facts.get("network.entry").unwrap().value.to_json(), serde_json::json!("alb"));
/// # Ok::<(), archpolicy::Failure<archpolicy::LoadError>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FactValue {
    /// A yes or no.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// Text.
    Text(String),
    /// A duration.
    Duration(Duration),
    /// A size in bytes.
    Size(Size),
    /// An amount of money.
    Money(Money),
    /// A number of vCPUs.
    Vcpu(Vcpu),
    /// An enum value: its type (with every accepted spelling) and its spelling.
    Enum(&'static EnumType, &'static str),
    /// A list of records (the `data` stores), each its fields' facts by
    /// name (`kind`, `proxy`).
    ///
    /// ```
    /// use archpolicy::FactValue;
    /// let facts = archpolicy::load_file("examples/fargate_api_gateway.arch.yaml")?.facts();
    /// let Some(FactValue::List(stores)) = facts.get("data").map(|f| &f.value) else { panic!("a list") };
    /// assert_eq!(stores[0]["kind"].value.to_string(), "rds");
    /// # Ok::<(), archpolicy::Failure<archpolicy::LoadError>>(())
    /// ```
    List(Vec<BTreeMap<String, Fact>>),
}

impl FactValue {
    /// The value of one of the model's enums.
    pub(crate) fn of_enum<E: NamedEnum>(value: E) -> Self {
        FactValue::Enum(E::TYPE, value.name())
    }

    /// The name of this value's type, as docs/facts.md and
    /// `policy facts --format json` spell it: `duration`, `bool`,
    /// ``enum `pattern` ``, ...
    ///
    /// ```
    /// let facts = archpolicy::load_file("examples/lambda_api_gateway.arch.yaml")?.facts();
    /// assert_eq!(facts.get("function.timeout").unwrap().value.type_name(), "duration");
    /// assert_eq!(facts.get("pattern").unwrap().value.type_name(), "enum `pattern`");
    /// assert_eq!(archpolicy::FactValue::Bool(true).type_name(), "bool");
    /// # Ok::<(), archpolicy::Failure<archpolicy::LoadError>>(())
    /// ```
    pub fn type_name(&self) -> String {
        self.fact_type().name()
    }

    /// The schema type of this value.
    pub(crate) fn fact_type(&self) -> FactType {
        match self {
            FactValue::Bool(_) => FactType::Bool,
            FactValue::Int(_) => FactType::Int,
            FactValue::Text(_) => FactType::Text,
            FactValue::Duration(_) => FactType::Duration,
            FactValue::Size(_) => FactType::Size,
            FactValue::Money(_) => FactType::Money,
            FactValue::Vcpu(_) => FactType::Vcpu,
            FactValue::Enum(t, _) => FactType::Enum(t),
            FactValue::List(_) => FactType::List,
        }
    }

    /// The value as JSON: units as their canonical text, enums as names.
    ///
    /// ```
    /// use archpolicy::FactValue;
    /// let facts = archpolicy::load_file("examples/lambda_api_gateway.arch.yaml")?.facts();
    /// assert_eq!(facts.get("function.timeout").unwrap().value.to_json(), serde_json::json!("10s"));
    /// assert_eq!(FactValue::Int(3).to_json(), serde_json::json!(3));
    /// # Ok::<(), archpolicy::Failure<archpolicy::LoadError>>(())
    /// ```
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            FactValue::Bool(b) => json!(b),
            FactValue::Int(i) => json!(i),
            FactValue::Text(s) => json!(s),
            FactValue::Enum(_, name) => json!(name),
            FactValue::List(records) => json!(
                records
                    .iter()
                    .map(|r| r
                        .iter()
                        .map(|(k, f)| (k.clone(), f.value.to_json()))
                        .collect::<serde_json::Map<_, _>>())
                    .collect::<Vec<_>>()
            ),
            other => json!(other.to_string()),
        }
    }
}

impl fmt::Display for FactValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FactValue::Bool(b) => write!(f, "{b}"),
            FactValue::Int(i) => write!(f, "{i}"),
            FactValue::Text(s) => write!(f, "{s:?}"),
            FactValue::Duration(d) => write!(f, "{d}"),
            FactValue::Size(s) => write!(f, "{s}"),
            FactValue::Money(m) => write!(f, "{m}"),
            FactValue::Vcpu(v) => write!(f, "{v}"),
            FactValue::Enum(_, name) => f.write_str(name),
            FactValue::List(records) => {
                f.write_str("[")?;
                for (i, r) in records.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    let fields: Vec<String> = r.iter().map(|(k, v)| format!("{k}: {}", v.value)).collect();
                    write!(f, "{{ {} }}", fields.join(", "))?;
                }
                f.write_str("]")
            }
        }
    }
}

/// One element of a list fact: its fields by name (`kind`, `proxy`).
pub type Record = BTreeMap<String, Fact>;

/// Where a fact's value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Provenance {
    /// Written in the proposal at `path`.
    Declared { path: Cow<'static, str>, span: SourceSpan },
    /// Not written: a default, AWS's own when `source` is set.
    Default { path: Cow<'static, str>, source: Option<Source> },
    /// Computed from other facts by `rule`; `decided_by` names the fact whose
    /// value settled it, where one did (the smallest timeout, say).
    Derived { from: Vec<&'static str>, rule: &'static str, decided_by: Option<&'static str> },
}

/// A value and its provenance.
///
/// ```
/// let proposal = archpolicy::load_file("examples/fargate_alb.arch.yaml")?;
/// let facts = proposal.facts();
/// let timeout = facts.get("load_balancer.idle_timeout").unwrap();
/// // Declared in the file, or AWS's default with its source.
/// let said = timeout.describe_provenance(proposal.source());
/// assert!(said.starts_with("examples/fargate_alb.arch.yaml:") || said.starts_with("AWS default"), "{said}");
/// # Ok::<(), archpolicy::Failure<archpolicy::LoadError>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    /// The value.
    pub value: FactValue,
    /// Where it came from: a span, an AWS default with its source, or a
    /// derivation ([`describe_provenance`](Fact::describe_provenance),
    /// [`provenance_json`](Fact::provenance_json)).
    pub(crate) provenance: Provenance,
}

impl Fact {
    /// Where the value came from, in words: `orders.arch.yaml:12:12`,
    /// `default: default REST API integration timeout (...)`, or a derivation.
    ///
    /// ```
    /// let proposal = archpolicy::load_file("examples/lambda_api_gateway.arch.yaml")?;
    /// let timeout = proposal.facts().get("function.timeout").unwrap().clone();
    /// let said = timeout.describe_provenance(proposal.source());
    /// assert!(said.starts_with("examples/lambda_api_gateway.arch.yaml:"), "{said}");
    /// # Ok::<(), archpolicy::Failure<archpolicy::LoadError>>(())
    /// ```
    pub fn describe_provenance(&self, source: &SourceFile) -> String {
        match &self.provenance {
            Provenance::Declared { span, .. } => {
                let (file, line, col) = source.position(*span);
                format!("{file}:{line}:{col}")
            }
            Provenance::Default { source: Some(s), .. } => format!("AWS default: {s}"),
            Provenance::Default { source: None, .. } => "default".to_string(),
            Provenance::Derived { from, rule, .. } => {
                let from: Vec<String> = from.iter().map(|f| format!("`{f}`")).collect();
                format!("derived from {}: {rule}", from.join(", "))
            }
        }
    }

    /// The provenance as the JSON of `policy facts --format json`.
    ///
    /// ```
    /// let proposal = archpolicy::load_file("examples/lambda_api_gateway.arch.yaml")?;
    /// let timeout = proposal.facts().get("function.timeout").unwrap().clone();
    /// let json = timeout.provenance_json(proposal.source());
    /// assert_eq!((json["kind"].as_str(), json["path"].as_str()), (Some("declared"), Some("function.timeout")));
    /// assert_eq!(json["file"], "examples/lambda_api_gateway.arch.yaml");
    /// # Ok::<(), archpolicy::Failure<archpolicy::LoadError>>(())
    /// ```
    pub fn provenance_json(&self, source: &SourceFile) -> serde_json::Value {
        match &self.provenance {
            Provenance::Declared { path, span } => {
                let (file, line, column) = source.position(*span);
                json!({ "kind": "declared", "path": path, "file": file, "line": line, "column": column })
            }
            Provenance::Default { path, source } => {
                json!({ "kind": "default", "path": path, "source": source.as_ref().map(|s| json!(s)) })
            }
            Provenance::Derived { from, rule, decided_by } => {
                json!({ "kind": "derived", "from": from, "rule": rule, "decided_by": decided_by })
            }
        }
    }
}

internal! {
    impl Fact {
        pub fn new(value: FactValue, provenance: Provenance) -> Fact {
            Fact { value, provenance }
        }

        pub fn provenance(&self) -> &Provenance {
            &self.provenance
        }
    }
}

impl Serialize for FactValue {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(s)
    }
}
