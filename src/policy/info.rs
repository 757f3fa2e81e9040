//! What an embedder reads of a set's policies: [`PolicyInfo`], a view of
//! one checked policy by its id, severity and prose, as `policy list` and
//! `policy explain` show them. The checked policy itself (its syntax tree,
//! its lowered conditions) stays inside the crate.

use miette::SourceSpan;

use super::set::PolicySet;
use super::typecheck::CheckedPolicy;
use crate::report::Severity;
use crate::source::SourceFile;

/// One policy of a [`PolicySet`]: its id, severity, title, help and docs as
/// written, and where it is. Borrowed from the set; [`PolicySet::policies`]
/// lists them by id, [`PolicySet::policy`] finds one.
///
/// ```
/// let set = archpolicy::PolicySet::standard()?;
/// for policy in set.policies() {
///     // What `policy list` shows: id, severity, title.
///     let _line = format!("{}  {}  {}", policy.id(), policy.severity(), policy.title().unwrap_or_default());
/// }
/// let sync = set.policy("gateway-sync-limit").unwrap();
/// assert_eq!(sync.severity(), archpolicy::Severity::Deny);
/// # Ok::<(), archpolicy::Failure<archpolicy::Located>>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct PolicyInfo<'a> {
    policy: &'a CheckedPolicy,
    file: &'a SourceFile,
}

impl<'a> PolicyInfo<'a> {
    /// The id findings and waivers name it by.
    ///
    /// ```
    /// let set = archpolicy::PolicySet::from_str("org.policy", "policy no-sandbox: warn { require environment != sandbox }")?;
    /// let ids: Vec<&str> = set.policies().map(|p| p.id()).collect();
    /// assert_eq!(ids, ["no-sandbox"]);
    /// # Ok::<(), archpolicy::Failure<archpolicy::Located>>(())
    /// ```
    pub fn id(&self) -> &'a str {
        &self.policy.ast.id.name
    }

    /// `deny`, `warn` or `info`, as declared.
    ///
    /// ```
    /// use archpolicy::{PolicySet, Severity};
    /// let set = PolicySet::from_str("org.policy", "policy p: info { require environment != sandbox }")?;
    /// assert_eq!(set.policy("p").unwrap().severity(), Severity::Info);
    /// # Ok::<(), archpolicy::Failure<archpolicy::Located>>(())
    /// ```
    pub fn severity(&self) -> Severity {
        self.policy.ast.severity
    }

    /// The `title` clause, interpolations shown as `{fact.path}`; `None`
    /// when the policy has none.
    ///
    /// ```
    /// let text = "policy p: warn {\n  title \"Not in the sandbox\"\n  require environment != sandbox\n}\n";
    /// let set = archpolicy::PolicySet::from_str("org.policy", text)?;
    /// assert_eq!(set.policy("p").unwrap().title().as_deref(), Some("Not in the sandbox"));
    /// # Ok::<(), archpolicy::Failure<archpolicy::Located>>(())
    /// ```
    pub fn title(&self) -> Option<String> {
        self.policy.ast.title().map(|m| m.template())
    }

    /// The `help` clause (how to fix a finding), interpolations shown as
    /// `{fact.path}`; `None` when the policy has none.
    ///
    /// ```
    /// let set = archpolicy::PolicySet::standard()?;
    /// assert!(set.policies().all(|p| p.help().is_some()), "every standard policy says how to fix it");
    /// # Ok::<(), archpolicy::Failure<archpolicy::Located>>(())
    /// ```
    pub fn help(&self) -> Option<String> {
        self.policy.ast.help().map(|m| m.template())
    }

    /// The `docs` clause (why the policy exists), as `policy explain` shows
    /// it; `None` when the policy has none.
    ///
    /// ```
    /// let set = archpolicy::PolicySet::standard()?;
    /// assert!(set.policy("gateway-sync-limit").unwrap().docs().is_some());
    /// # Ok::<(), archpolicy::Failure<archpolicy::Located>>(())
    /// ```
    pub fn docs(&self) -> Option<String> {
        self.policy.ast.docs().map(|m| m.template())
    }

    /// The file the policy is written in.
    ///
    /// ```
    /// let set = archpolicy::PolicySet::from_str("org.policy", "policy p: warn { require environment != sandbox }")?;
    /// assert_eq!(set.policy("p").unwrap().file().name(), "org.policy");
    /// # Ok::<(), archpolicy::Failure<archpolicy::Located>>(())
    /// ```
    pub fn file(&self) -> &'a SourceFile {
        self.file
    }

    /// Where its id is written in [`PolicyInfo::file`].
    ///
    /// ```
    /// let set = archpolicy::PolicySet::from_str("org.policy", "policy p: warn { require environment != sandbox }")?;
    /// let policy = set.policy("p").unwrap();
    /// assert_eq!(policy.file().slice(policy.span()), Some("p"));
    /// # Ok::<(), archpolicy::Failure<archpolicy::Located>>(())
    /// ```
    pub fn span(&self) -> SourceSpan {
        self.policy.ast.id.span
    }
}

impl PolicySet {
    /// The policies, by id.
    ///
    /// ```
    /// let set = archpolicy::PolicySet::standard()?;
    /// let ids: Vec<&str> = set.policies().map(|p| p.id()).collect();
    /// assert!(ids.windows(2).all(|pair| pair[0] < pair[1]), "sorted by id: {ids:?}");
    /// assert!(ids.contains(&"gateway-sync-limit"));
    /// # Ok::<(), archpolicy::Failure<archpolicy::Located>>(())
    /// ```
    pub fn policies(&self) -> impl ExactSizeIterator<Item = PolicyInfo<'_>> {
        self.policies.iter().map(|policy| self.info(policy))
    }

    /// The policy with this id.
    ///
    /// ```
    /// let set = archpolicy::PolicySet::standard()?;
    /// assert!(set.policy("gateway-sync-limit").is_some());
    /// assert!(set.policy("gateway-sync-limt").is_none());
    /// # Ok::<(), archpolicy::Failure<archpolicy::Located>>(())
    /// ```
    pub fn policy(&self, id: &str) -> Option<PolicyInfo<'_>> {
        self.checked_policy(id).map(|policy| self.info(policy))
    }

    fn info<'a>(&'a self, policy: &'a CheckedPolicy) -> PolicyInfo<'a> {
        PolicyInfo { policy, file: &self.files[policy.file] }
    }
}
