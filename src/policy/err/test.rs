//! Errors of `test` blocks, found when the tests are collected or run.

use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

/// An error of a `test` block, in [`PolicyError::Test`](super::PolicyError::Test), that shows when
/// the tests are collected or run. Codes `archpolicy::test::*`.
///
/// ```
/// use archpolicy::{PolicyError, TestError};
/// let text = "policy p: warn { require environment != sandbox }\ntest \"t\" {\n  proposal \"no/such.arch.yaml\"\n  expect p: pass\n}\n";
/// let (_, errors) = archpolicy::PolicySet::from_str("org.policy", text)?.run_tests();
/// assert!(matches!(errors[0].error, PolicyError::Test(TestError::ProposalNotLoaded { .. })), "{errors:?}");
/// # Ok::<(), archpolicy::Failure<archpolicy::Located>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[non_exhaustive]
pub enum TestError {
    /// A test that names no proposal.
    #[error("this test names no proposal")]
    #[diagnostic(
        code(archpolicy::test::no_proposal),
        help("add `proposal \"path/to/file.arch.yaml\"`, relative to the policy file")
    )]
    NoProposal {
        /// The test.
        #[label("test")]
        span: SourceSpan,
    },

    /// A test whose proposal does not load.
    #[error("the test's proposal `{path}` does not load: {reason}")]
    #[diagnostic(
        code(archpolicy::test::proposal_not_loaded),
        help("the path is relative to the policy file; `policy facts FILE` shows what is wrong with a proposal")
    )]
    ProposalNotLoaded {
        /// The proposal's path, as written.
        path: String,
        /// Why it does not load.
        reason: String,
        /// The proposal's path in the test.
        #[label("this proposal")]
        span: SourceSpan,
    },

    /// A test whose proposal is outside the files a policy file may read.
    #[error("cannot read the test's proposal `{path}`: {reason}")]
    #[diagnostic(
        code(archpolicy::test::proposal_outside),
        help(
            "a test's proposal is a relative path inside the policy file's repository (outside a repository: the current directory, or the policy file's own), with no symlink out of it"
        )
    )]
    ProposalOutside {
        /// The proposal's path, as written.
        path: String,
        /// The directory a test's proposal must lie in.
        root: String,
        /// Why, in lower case.
        reason: String,
        /// The proposal's path in the test.
        #[label("read only inside `{root}`")]
        span: SourceSpan,
    },

    /// A test with no `expect`.
    #[error("this test expects nothing")]
    #[diagnostic(code(archpolicy::test::no_expect), help("add `expect POLICY-ID: deny|warn|info|pass|skip`"))]
    NoExpect {
        /// The test.
        #[label("test")]
        span: SourceSpan,
    },

    /// A test name used twice across the set's files.
    #[error("duplicate test name `{name}`")]
    #[diagnostic(
        code(archpolicy::test::duplicate_test),
        help("test names are unique across the files of a run; rename one")
    )]
    DuplicateTest {
        /// The test's name.
        name: String,
        /// The second test of that name.
        #[label("second test of this name")]
        span: SourceSpan,
    },
}
