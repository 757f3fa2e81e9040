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
use std::collections::HashMap;

use miette::SourceSpan;

pub use derive::{derive, derive_on, derive_with, sync_limit};
pub(crate) use derive::{CostRead, derive_priced};
pub use schema::{FactDef, FactType, PatternSet, SCHEMA};
pub use value::{Fact, FactValue, Provenance, Record};

use crate::model::Pattern;
use crate::source::SourceFile;

/// Facts by path.
pub(crate) type FactMap = HashMap<Cow<'static, str>, Fact, foldhash::fast::FixedState>;

/// The facts of one proposal, by path.
///
/// ```
/// let facts = archpolicy::load_file("examples/lambda_api_gateway.arch.yaml")?.facts();
/// assert_eq!(facts.pattern().to_string(), "lambda_api_gateway");
/// assert!(facts.iter().any(|(path, _)| path == "function.timeout"));
/// assert!(facts.get("service.cpu").is_none(), "a Lambda proposal has no Fargate service");
/// # Ok::<(), archpolicy::Failure<archpolicy::LoadError>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pattern: Pattern,
    /// By path, hashed: a check derives about a hundred facts a proposal
    /// and reads them by path, and a tree's string compares were most of
    /// deriving them. [`Facts::iter`] sorts.
    values: FactMap,
}

impl Facts {
    /// The proposal's pattern, as the file spells it.
    ///
    /// ```
    /// let facts = archpolicy::load_file("examples/fargate_alb.arch.yaml")?.facts();
    /// assert_eq!(facts.pattern(), "fargate_alb");
    /// # Ok::<(), archpolicy::Failure<archpolicy::LoadError>>(())
    /// ```
    pub fn pattern(&self) -> &'static str {
        crate::model::NamedEnum::name(self.pattern)
    }

    /// The fact at `path` (`request.sync_limit`, `tags.team`), if the proposal has it.
    ///
    /// ```
    /// let facts = archpolicy::load_file("examples/lambda_api_gateway.arch.yaml")?.facts();
    /// assert_eq!(facts.get("function.timeout").unwrap().value.to_string(), "10s");
    /// assert_eq!(facts.get("tags.team").unwrap().value.to_string(), "\"catalog\"");
    /// assert!(facts.get("tags.cost_center").is_none(), "an optional fact the proposal does not set");
    /// # Ok::<(), archpolicy::Failure<archpolicy::LoadError>>(())
    /// ```
    pub fn get(&self, path: &str) -> Option<&Fact> {
        self.values.get(path)
    }

    /// Facts in path order.
    ///
    /// ```
    /// let facts = archpolicy::load_file("examples/fargate_alb.arch.yaml")?.facts();
    /// let paths: Vec<&str> = facts.iter().map(|(path, _)| path).collect();
    /// assert!(paths.windows(2).all(|w| w[0] < w[1]), "in path order");
    /// assert!(paths.contains(&"network.entry"));
    /// # Ok::<(), archpolicy::Failure<archpolicy::LoadError>>(())
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Fact)> {
        let mut facts: Vec<(&str, &Fact)> = self.values.iter().map(|(k, v)| (k.as_ref(), v)).collect();
        facts.sort_unstable_by_key(|(path, _)| *path);
        facts.into_iter()
    }

    /// Sets a fact, as a test's `given` does; derived facts are not recomputed.
    ///
    /// ```
    /// use archpolicy::{FactValue, PolicySet};
    /// let proposal = archpolicy::load_file("examples/lambda_api_gateway.arch.yaml")?;
    /// let mut facts = proposal.facts();
    /// // What if the team were another one? Change one fact, keep its provenance.
    /// let mut team = facts.get("tags.team").unwrap().clone();
    /// team.value = FactValue::Text("payments".into());
    /// facts.set("tags.team", team);
    /// let set = PolicySet::from_str("org.policy", "policy owned: warn {\n  require tags.team != \"payments\"\n}\n")?;
    /// let report = set.check_facts(&proposal, &facts, "2026-12-07".parse()?);
    /// assert_eq!(report.findings[0].policy, "owned");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set(&mut self, path: &str, fact: Fact) {
        self.values.insert(Cow::Owned(path.to_string()), fact);
    }

    /// How many facts there are.
    ///
    /// ```
    /// let facts = archpolicy::load_file("examples/fargate_alb.arch.yaml")?.facts();
    /// assert_eq!(facts.len(), facts.iter().count());
    /// # Ok::<(), archpolicy::Failure<archpolicy::LoadError>>(())
    /// ```
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether there are none.
    ///
    /// ```
    /// let facts = archpolicy::load_file("examples/fargate_alb.arch.yaml")?.facts();
    /// assert!(!facts.is_empty(), "every pattern has facts");
    /// # Ok::<(), archpolicy::Failure<archpolicy::LoadError>>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The span in the proposal that decided a fact's value: its own for a
    /// declared fact, the deciding fact's for a derived one (followed
    /// through derivations), none for a default.
    ///
    /// ```
    /// let proposal = archpolicy::load_file("examples/lambda_api_gateway.arch.yaml")?;
    /// let facts = proposal.facts();
    /// let span = facts.deciding_span("function.timeout").unwrap();
    /// assert_eq!(proposal.source().slice(span), Some("10s"));
    /// # Ok::<(), archpolicy::Failure<archpolicy::LoadError>>(())
    /// ```
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
    ///
    /// ```
    /// let proposal = archpolicy::load_file("examples/lambda_api_gateway.arch.yaml")?;
    /// let json = proposal.facts().to_json(proposal.source());
    /// assert_eq!(json["pattern"], "lambda_api_gateway");
    /// let timeout = &json["facts"]["function.timeout"];
    /// assert_eq!((timeout["type"].as_str(), timeout["display"].as_str()), (Some("duration"), Some("10s")));
    /// assert_eq!(timeout["provenance"]["kind"], "declared");
    /// # Ok::<(), archpolicy::Failure<archpolicy::LoadError>>(())
    /// ```
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
            "pattern": self.pattern(),
            "facts": facts,
        })
    }
}
