//! How bad a finding is. Policies declare it and reports count and render
//! it, so it lives here, below both; the policy AST re-exports it.

use serde::{Deserialize, Serialize};

/// How bad a finding is.
///
/// ```
/// use archpolicy::Severity;
/// assert!(Severity::Deny > Severity::Warn && Severity::Warn > Severity::Info);
/// assert_eq!(Severity::Warn.name(), "warn");
/// assert_eq!(serde_json::to_string(&Severity::Deny).unwrap(), "\"deny\"");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Noted; fails a run only at `--fail-on info`.
    Info,
    /// Reported; fails a run at `--fail-on warn` or `info`.
    Warn,
    /// Fails a run (the default `--fail-on deny`).
    Deny,
}

impl Severity {
    /// The keyword: `info`, `warn` or `deny`.
    ///
    /// ```
    /// use archpolicy::Severity;
    /// assert_eq!(Severity::Deny.name(), "deny");
    /// assert_eq!(Severity::Info.to_string(), Severity::Info.name());
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warn => "warn",
            Severity::Deny => "deny",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl From<Severity> for miette::Severity {
    fn from(severity: Severity) -> Self {
        match severity {
            Severity::Deny => miette::Severity::Error,
            Severity::Warn => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        }
    }
}
