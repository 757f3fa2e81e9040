//! One work budget ("fuel") for everything a template makes the tool do,
//! as wasmtime and Cedar meter evaluation: every condition, intrinsic,
//! reference, lookup, classification step and Terraform reference spends
//! from it, and a value's size is charged before the value is built.
//!
//! The meter belongs to the [`super::Template`] (made when the template is
//! read, shared by its clones), so every [`super::resolve::Resolver`] made
//! over one template, classification and Terraform lowering draw on one
//! budget: no stage can start a fresh one. Once it runs out, every later
//! spend fails too, and the import ends with one
//! [`super::ImportError::Budget`] that names what spent it.

use std::sync::{Arc, Mutex, PoisonError};

use miette::SourceSpan;

/// The budget of one template's import, in units of one byte built. It
/// bounds what importing a template up to [`super::MAX_TEMPLATE_BYTES`]
/// can allocate (beyond the parsed tree itself) and do: docs/security.md.
pub const MAX_FUEL: u64 = 64 * 1024 * 1024;

/// One step of work (a condition, an intrinsic, a lookup, an edge followed)
/// costs as much as building this many bytes.
pub const STEP: u64 = 64;

/// What fuel is spent on, as the error names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Work {
    /// Evaluating `Conditions` (`Fn::And`, `Fn::Or`, `Fn::Equals`, ...).
    Conditions,
    /// Copying values while working out intrinsics.
    Values,
    /// Copies of parameter values, one per `Ref`.
    References,
    /// The text `Fn::Join` builds.
    JoinedText,
    /// The text `Fn::Sub` builds.
    SubstitutedText,
    /// `Fn::FindInMap` lookups and the index of `Mappings`.
    Lookups,
    /// Classifying services: the references between resources followed.
    Classification,
    /// Terraform references followed through modules and instances.
    TerraformReferences,
    /// Files the template includes (`AWS::Include`): their bytes and trees.
    Includes,
}

const KINDS: usize = 9;

impl Work {
    /// The words the error uses.
    pub fn describe(self) -> &'static str {
        match self {
            Work::Conditions => "conditions",
            Work::Values => "values worked out",
            Work::References => "copied parameter values",
            Work::JoinedText => "joined text (`Fn::Join`)",
            Work::SubstitutedText => "substituted text (`Fn::Sub`)",
            Work::Lookups => "`Fn::FindInMap` lookups",
            Work::Classification => "classification (references between resources)",
            Work::TerraformReferences => "Terraform references",
            Work::Includes => "included files (`AWS::Include`)",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Why the budget ran out: what spent most of it, and where it ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exhausted {
    /// The kind of work that spent the most.
    pub work: Work,
    /// Where the spend that did not fit was asked for.
    pub at: SourceSpan,
}

#[derive(Debug)]
struct Meter {
    limit: u64,
    spent: u64,
    by: [u64; KINDS],
    out: Option<SourceSpan>,
}

/// The meter of one template's import; clones share it.
#[derive(Clone)]
pub struct Fuel(Arc<Mutex<Meter>>);

impl Fuel {
    /// A full budget of [`MAX_FUEL`].
    pub fn new() -> Fuel {
        Fuel::with_limit(MAX_FUEL)
    }

    /// A budget of `limit` units (tests use small ones).
    pub fn with_limit(limit: u64) -> Fuel {
        Fuel(Arc::new(Mutex::new(Meter { limit, spent: 0, by: [0; KINDS], out: None })))
    }

    fn meter(&self) -> std::sync::MutexGuard<'_, Meter> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Spends `units` on `work` at `at`; when they do not fit, nothing is
    /// spent, the budget is out for good, and the caller must not do the work.
    pub fn spend(&self, work: Work, units: u64, at: SourceSpan) -> Result<(), Exhausted> {
        let mut m = self.meter();
        if m.out.is_none() {
            match m.spent.checked_add(units).filter(|total| *total <= m.limit) {
                Some(total) => {
                    m.spent = total;
                    m.by[work.index()] = m.by[work.index()].saturating_add(units);
                    return Ok(());
                }
                None => {
                    // What did not fit counts for naming the spender, not as spent.
                    m.by[work.index()] = m.by[work.index()].saturating_add(units);
                    m.out = Some(at);
                }
            }
        }
        Err(exhausted(&m).unwrap_or(Exhausted { work, at }))
    }

    /// Whether the budget ran out, and why.
    pub fn exhausted(&self) -> Option<Exhausted> {
        exhausted(&self.meter())
    }

    /// Units spent so far; never more than [`Fuel::limit`].
    pub fn spent(&self) -> u64 {
        self.meter().spent
    }

    pub fn limit(&self) -> u64 {
        self.meter().limit
    }
}

fn exhausted(m: &Meter) -> Option<Exhausted> {
    let at = m.out?;
    let kinds = [
        Work::Conditions,
        Work::Values,
        Work::References,
        Work::JoinedText,
        Work::SubstitutedText,
        Work::Lookups,
        Work::Classification,
        Work::TerraformReferences,
        Work::Includes,
    ];
    let work = kinds.into_iter().max_by_key(|w| m.by[w.index()]).unwrap_or(Work::Values);
    Some(Exhausted { work, at })
}

impl Default for Fuel {
    fn default() -> Self {
        Fuel::new()
    }
}

impl std::fmt::Debug for Fuel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let m = self.meter();
        write!(f, "Fuel({} of {})", m.spent, m.limit)
    }
}

/// The meter is how a template was read, not what it says: two templates
/// that say the same are equal whatever their imports spent.
impl PartialEq for Fuel {
    fn eq(&self, _: &Fuel) -> bool {
        true
    }
}

/// The bytes a value takes in memory: each node's own size (and each
/// mapping entry's key), plus its text, counted up to `limit`.
pub fn weight(node: &crate::yaml::Node, limit: u64) -> u64 {
    use crate::yaml::Value;
    let node_size = std::mem::size_of::<crate::yaml::Node>() as u64;
    let key_size = std::mem::size_of::<crate::yaml::Key>() as u64;
    let mut total = 0u64;
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        total = total.saturating_add(node_size);
        match &n.value {
            Value::Str(s) => total = total.saturating_add(s.len() as u64),
            Value::Seq(items) => stack.extend(items),
            Value::Map(entries) => {
                for (key, value) in entries {
                    total = total.saturating_add(key_size).saturating_add(key.name.len() as u64);
                    stack.push(value);
                }
            }
            _ => {}
        }
        if total > limit {
            break;
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spending_past_the_limit_spends_nothing_and_stays_out() {
        let fuel = Fuel::with_limit(100);
        let at = SourceSpan::from((3, 4));
        assert!(fuel.spend(Work::Conditions, 60, at).is_ok());
        let out = fuel.spend(Work::JoinedText, 50, at).unwrap_err();
        assert_eq!(out.work, Work::Conditions, "conditions spent 60, the join asked for 50");
        assert_eq!(fuel.spent(), 60);
        assert!(fuel.spend(Work::Values, 1, at).is_err(), "once out, out for good");
        assert_eq!(fuel.clone().exhausted(), Some(Exhausted { work: Work::Conditions, at }));
        assert!(fuel.spend(Work::Values, u64::MAX, at).is_err());
        assert!(fuel.spent() <= fuel.limit());
    }
}
