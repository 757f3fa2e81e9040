//! Errors of reading an infrastructure template.


use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

use crate::source::Failure;
use crate::yaml::YamlError;

/// A template that could not be read as one.
///
/// ```
/// use miette::Diagnostic;
/// let failure = archpolicy::import_str("t.yaml", "Resources: 3").unwrap_err();
/// let error = failure.errors().iter().next().unwrap();
/// assert!(error.code().unwrap().to_string().starts_with("archpolicy::import::"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[non_exhaustive]
pub enum ImportError {
    /// The file could not be read.
    #[error("cannot read `{path}`: {reason}")]
    #[diagnostic(code(archpolicy::import::io))]
    Io {
        /// The file, as named.
        path: String,
        /// Why it could not be read: the operating system's reason, in lower case, or the gate's.
        reason: String,
    },

    /// YAML or JSON that does not parse, or trips the template budget.
    #[error("{message}")]
    #[diagnostic(code(archpolicy::import::syntax), help("{help}"))]
    Syntax {
        /// The message, as shown.
        message: String,
        /// What to write instead (the diagnostic's help).
        help: String,
        /// The offending text, where known.
        #[label("here")]
        span: Option<SourceSpan>,
    },

    /// Terraform's own language: read the plan instead.
    #[error("`{path}` is Terraform configuration (HCL), which is not read")]
    #[diagnostic(
        code(archpolicy::import::terraform_hcl),
        help(
            "HCL leaves values to variables, modules and providers that only a plan resolves: run `terraform plan -out plan && terraform show -json plan > plan.json` and import the plan"
        )
    )]
    TerraformHcl {
        /// The file, as named.
        path: String,
    },

    /// A file that is no template at all.
    #[error("not an infrastructure template: {why}")]
    #[diagnostic(
        code(archpolicy::import::not_a_template),
        help("give a CloudFormation or SAM template (YAML or JSON), or `cdk synth` output")
    )]
    NotATemplate {
        /// Why it is not one.
        why: String,
        /// What marks it as no template, where known.
        #[label("here")]
        span: Option<SourceSpan>,
    },

    /// A file the template includes (`AWS::Include`) that is not read: in
    /// Amazon S3, outside the repository, or unreadable.
    #[error("cannot include `{location}`: {reason}")]
    #[diagnostic(code(archpolicy::import::include), help("{help}"))]
    Include {
        /// The `Location` the include names.
        location: String,
        /// Why it was not read.
        reason: String,
        /// What to write instead (the diagnostic's help).
        help: String,
        /// The include, in the template.
        #[label("included here")]
        span: Option<SourceSpan>,
    },

    /// The template needs more work to import than one import may do
    /// (the import budget): refused, not worked out.
    #[error("`{template}` needs more work to import than the budget allows: {work} spent most of it")]
    #[diagnostic(
        code(archpolicy::import::budget),
        help(
            "a template is imported under a work budget (docs/security.md); simplify its {work}, or import a template that holds only the service"
        )
    )]
    Budget {
        /// The template's file, as named.
        template: String,
        /// What spent most of the budget, e.g. `references`.
        work: String,
        /// Where the budget ran out, where known.
        #[label("the budget ran out here")]
        span: Option<SourceSpan>,
    },
}

impl ImportError {
    /// The error of a template attached at `base`. Only syntax errors come
    /// before the tree is shifted; the others' spans are from the tree.
    pub(super) fn shifted(self, base: usize) -> ImportError {
        match self {
            ImportError::Syntax { message, help, span } => {
                ImportError::Syntax { message, help, span: span.map(|s| crate::yaml::shifted(s, base)) }
            }
            other => other,
        }
    }

    /// Where it points, if anywhere.
    ///
    /// ```
    /// let failure = archpolicy::import_str("t.yaml", "Resources: [").unwrap_err();
    /// let span = failure.errors()[0].span().unwrap();
    /// assert_eq!(failure.source.as_ref().unwrap().position(span).0, "t.yaml");
    /// ```
    pub fn span(&self) -> Option<SourceSpan> {
        match self {
            ImportError::Syntax { span, .. }
            | ImportError::NotATemplate { span, .. }
            | ImportError::Budget { span, .. }
            | ImportError::Include { span, .. } => *span,
            _ => None,
        }
    }
}

impl ImportError {
    /// The error of a template whose budget ran out. An embedder matches
    /// the variant this builds, [`ImportError::Budget`].
    pub(crate) fn budget(template: &str, exhausted: super::fuel::Exhausted) -> ImportError {
        ImportError::Budget {
            template: template.to_string(),
            work: exhausted.work.describe().to_string(),
            span: Some(exhausted.at),
        }
    }
}

/// A template that did not load: its errors, with the file.
///
/// ```
/// let failure = archpolicy::import_str("t.json", "{ \"Resources\": [] }").unwrap_err();
/// assert_eq!(failure.source.as_ref().map(|s| s.name()), Some("t.json"));
/// assert!(!failure.reports().is_empty());
/// ```
pub type ImportFailure = Failure<ImportError>;

impl ImportError {
    /// A template's tree error. Not `From`: the tree's error type is no part of the API.
    pub(crate) fn from_yaml(error: YamlError) -> Self {
        let span = error.span();
        let help = match &error {
            YamlError::Syntax { help, .. } => help.clone(),
            YamlError::Budget { .. } => "templates are read under a budget (docs/security.md)".into(),
        };
        ImportError::Syntax { message: error.to_string(), help, span }
    }
}
