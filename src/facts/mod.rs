//! Facts: the typed, documented namespace that policies see.
//!
//! Policies never read the YAML. They read facts derived from the model
//! ([`derive()`]), typed by one schema ([`schema::SCHEMA`]), each value with
//! its [`Provenance`]: a span in the proposal, a default with its source, or
//! the facts it was computed from.
//!
//! ```
//! use archpolicy::facts::FactValue;
//! use archpolicy::units::Duration;
//!
//! let proposal = archpolicy::load_file("examples/scenario_a_saas_api.arch.yaml").unwrap();
//! let facts = proposal.facts();
//! let limit = facts.get("request.sync_limit").unwrap();
//! assert!(matches!(limit.value, FactValue::Duration(d) if d <= Duration::from_secs(29)));
//! ```

mod derive;
pub mod doc;
pub mod schema;
mod value;

use std::borrow::Cow;
use std::collections::BTreeMap;

use miette::SourceSpan;

pub use derive::{derive, derive_on, derive_with, sync_limit};
pub use schema::{FactDef, FactType, PatternSet, SCHEMA};
pub use value::{Fact, FactValue, Provenance, Record};

use crate::model::Pattern;
use crate::source::SourceFile;

/// The facts of one proposal, by path.
///
/// ```
/// let facts = archpolicy::load_file("examples/lambda_api_gateway.arch.yaml")?.facts();
/// assert_eq!(facts.pattern().to_string(), "lambda_api_gateway");
/// assert!(facts.iter().any(|(path, _)| path == "function.timeout"));
/// assert!(facts.get("service.cpu").is_none(), "a Lambda proposal has no Fargate service");
/// # Ok::<(), archpolicy::LoadFailure>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pattern: Pattern,
    values: BTreeMap<Cow<'static, str>, Fact>,
}

impl Facts {
    /// The proposal's pattern.
    pub fn pattern(&self) -> Pattern {
        self.pattern
    }

    /// The fact at `path` (`request.sync_limit`, `tags.team`), if the proposal has it.
    pub fn get(&self, path: &str) -> Option<&Fact> {
        self.values.get(path)
    }

    /// Facts in path order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Fact)> {
        self.values.iter().map(|(k, v)| (k.as_ref(), v))
    }

    /// Sets a fact, as a test's `given` does; derived facts are not recomputed.
    pub fn set(&mut self, path: &str, fact: Fact) {
        self.values.insert(Cow::Owned(path.to_string()), fact);
    }

    /// How many facts there are.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The span in the proposal that decided a fact's value: its own for a
    /// declared fact, the deciding fact's for a derived one (followed
    /// through derivations), none for a default.
    pub fn deciding_span(&self, path: &str) -> Option<SourceSpan> {
        let mut current = path;
        // Derivations do not loop, but bound the walk all the same.
        for _ in 0..8 {
            match &self.get(current)?.provenance {
                Provenance::Declared { span, .. } => return Some(*span),
                Provenance::Default { .. } => return None,
                Provenance::Derived { decided_by: Some(next), .. } => current = next,
                Provenance::Derived { decided_by: None, .. } => return None,
            }
        }
        None
    }

    /// The facts as JSON: `{ path: { type, value, display, provenance } }`.
    pub fn to_json(&self, source: &SourceFile) -> serde_json::Value {
        let facts: serde_json::Map<String, serde_json::Value> = self
            .iter()
            .map(|(path, fact)| {
                (
                    path.to_string(),
                    serde_json::json!({
                        "type": fact.value.fact_type().name(),
                        "value": fact.value.to_json(),
                        "display": fact.value.to_string(),
                        "provenance": fact.provenance_json(source),
                    }),
                )
            })
            .collect();
        serde_json::json!({
            "file": source.name(),
            "pattern": crate::model::NamedEnum::name(self.pattern),
            "facts": facts,
        })
    }
}
