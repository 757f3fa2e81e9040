//! Issue 26, "the language keeps its promises": the first release's quoted
//! enum values still mean their members (with a warning `policy fmt` fixes),
//! a file may name its language version, and component tests (`function is
//! set`) narrow like pattern tests. docs/language.md ("Versions and
//! compatibility", "Patterns and components") states what is checked here.

use crate::common;
use crate::strategies;

use archpolicy::facts::PatternSet;
use archpolicy::model::{Component, NamedEnum, Pattern};
use archpolicy::policy::{CheckedPolicy, components_read, format_canonical, reach};
use archpolicy::report::Status;
use archpolicy::{PolicySet, Proposal};
use proptest::prelude::*;

fn statuses(set: &PolicySet, proposals: &[Proposal]) -> Vec<Vec<Status>> {
    proposals.iter().map(|p| set.check(p).outcomes.iter().map(|o| o.status).collect()).collect()
}

fn warning_codes(set: &PolicySet) -> Vec<String> {
    set.warnings().iter().filter_map(|w| w.report().code().map(|c| c.to_string())).collect()
}

// ---------------------------------------------------------------- quoted values

const QUOTED: &str = r#"param floor: portability = "portable_compute"

policy prod: warn {
  when    environment == "production"
  when    "lambda_api_gateway" != pattern
  require observability.tracing in ["xray", "otel"] and portability >= floor
}

policy tier: info {
  require tags.tier is set implies tags.tier == "core"
}
"#;

const BARE: &str = r#"param floor: portability = portable_compute

policy prod: warn {
  when    environment == production
  when    lambda_api_gateway != pattern
  require observability.tracing in [xray, otel] and portability >= floor
}

policy tier: info {
  require tags.tier is set implies tags.tier == "core"
}
"#;

#[test]
fn a_quoted_enum_value_means_its_member_with_a_warning() {
    let quoted = PolicySet::from_str("quoted.policy", QUOTED).unwrap();
    let bare = PolicySet::from_str("bare.policy", BARE).unwrap();
    let proposals = common::example_proposals();
    assert_eq!(statuses(&quoted, &proposals), statuses(&bare, &proposals));
    // One warning per quoted member; `tags.tier == "core"` is text, not an enum.
    let codes = warning_codes(&quoted);
    assert_eq!(codes.len(), 5, "{codes:?}");
    assert!(codes.iter().all(|c| c == "archpolicy::check::quoted_enum_value"), "{codes:?}");
    assert!(warning_codes(&bare).is_empty());
}

#[test]
fn the_quoted_value_warning_offers_the_bare_name_as_the_fix() {
    let set = PolicySet::from_str("q.policy", QUOTED).unwrap();
    let first = set.warnings().iter().map(|w| w.report()).find(|r| r.to_string().contains("`environment`")).unwrap();
    let help = first.help().unwrap().to_string();
    // The language server's quick fix takes the did-you-mean's name (src/lsp/diagnostics.rs).
    assert!(help.starts_with("did you mean `production`?"), "{help}");
    assert!(help.contains("policy fmt"), "{help}");
    let label = first.labels().unwrap().next().unwrap();
    assert_eq!(&QUOTED[label.offset()..label.offset() + label.len()], "\"production\"");
}

#[test]
fn a_quoted_value_that_names_no_member_lists_the_members() {
    let text = "policy p: deny {\n  when environment == \"Production\"\n  require observability.tracing != none\n}\n";
    let failure = PolicySet::from_str("p.policy", text).unwrap_err();
    let report = failure.reports().remove(0);
    assert_eq!(report.to_string(), "unknown environment value `Production`");
    let help = report.help().unwrap().to_string();
    assert!(help.starts_with("did you mean `production`?"), "{help}");
    assert!(help.contains("`staging`"), "{help}");
}

#[test]
fn fmt_rewrites_quoted_enum_values_and_nothing_else() {
    assert_eq!(format_canonical(QUOTED).unwrap(), format_canonical(BARE).unwrap());
    // Idempotent, and the result checks without a warning.
    let once = format_canonical(QUOTED).unwrap();
    assert_eq!(format_canonical(&once).unwrap(), once);
    assert!(warning_codes(&PolicySet::from_str("f.policy", &once).unwrap()).is_empty());
    // A string compared with a string stays a string.
    assert!(once.contains("tags.tier == \"core\""), "{once}");
}

#[test]
fn fmt_check_reports_a_file_with_a_quoted_enum_value() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("org.policy");
    std::fs::write(&path, format_canonical(QUOTED).unwrap().replace("== production", "== \"production\"")).unwrap();
    let out = common::policy(&["fmt", "--check", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", common::stdout(&out));
    assert!(common::stdout(&out).contains("would reformat"), "{}", common::stdout(&out));
    let out = common::policy(&["fmt", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert!(std::fs::read_to_string(&path).unwrap().contains("environment == production"));
}

// ---------------------------------------------------------------- versions

#[test]
fn a_file_may_name_the_language_version_and_fmt_keeps_it() {
    let text = "# org rules\nlanguage 1\n# the first\npolicy p: warn {\n  require workload.peak_rps <= 100\n}\n";
    PolicySet::from_str("v.policy", text).unwrap();
    assert_eq!(archpolicy::policy::declared_language(text), Some(archpolicy::policy::LANGUAGE_VERSION));
    let formatted = format_canonical(text).unwrap();
    assert_eq!(
        formatted,
        "# org rules\nlanguage 1\n\n# the first\npolicy p: warn {\n  require workload.peak_rps <= 100\n}\n"
    );
    assert_eq!(format_canonical(&formatted).unwrap(), formatted);
    assert_eq!(archpolicy::policy::declared_language("policy p: warn {}"), None);
}

#[test]
fn an_unknown_language_version_is_an_error() {
    let failure = PolicySet::from_str("v.policy", "language 7\npolicy p: warn { require true }\n").unwrap_err();
    let report = failure.reports().remove(0);
    assert_eq!(report.to_string(), "this file is written in language 7");
}

// ---------------------------------------------------------------- components

fn one(text: &str) -> CheckedPolicy {
    PolicySet::from_str("c.policy", text).unwrap().checked_policies()[0].clone()
}

#[test]
fn a_component_test_narrows_like_a_pattern_test() {
    for component in Component::ALL {
        let fact = archpolicy::facts::SCHEMA
            .iter()
            .find(|d| d.path.starts_with(&format!("{}.", component.name())) && !d.optional)
            .unwrap();
        let text =
            format!("policy p: info {{\n  when {} is set\n  require {} == {1}\n}}\n", component.name(), fact.path);
        assert_eq!(one(&text).patterns, PatternSet::with(component), "{text}");
        // Without the test, the fact is refused wherever a pattern lacks the component.
        if PatternSet::with(component) != PatternSet::ALL {
            let bare = format!("policy p: info {{\n  require {} == {0}\n}}\n", fact.path);
            assert!(PolicySet::from_str("c.policy", &bare).is_err(), "{bare}");
        }
    }
}

#[test]
fn a_component_test_holds_exactly_for_the_patterns_built_with_it() {
    let proposals = common::example_proposals();
    for component in Component::ALL {
        let text = format!("policy p: info {{\n  require {} is set\n}}\n", component.name());
        let set = PolicySet::from_str("c.policy", &text).unwrap();
        for proposal in &proposals {
            let pattern = Pattern::from_name(&set.check(proposal).pattern).unwrap();
            let holds = set.check(proposal).outcomes[0].status == Status::Pass;
            assert_eq!(holds, PatternSet::with(component).contains(pattern), "{} on {pattern:?}", component.name());
        }
    }
}

#[test]
fn the_fix_for_a_missing_fact_names_the_component() {
    let failure =
        PolicySet::from_str("m.policy", "policy p: warn {\n  require function.memory >= 512MiB\n}\n").unwrap_err();
    let help = failure.reports().remove(0).help().unwrap().to_string();
    assert!(help.contains("`when function is set`"), "{help}");
}

#[test]
fn reach_lists_patterns_components_and_what_is_read() {
    let policy = one(
        "policy p: warn {\n  when service is set\n  require service.tasks.min >= 2 or load_balancer is not set\n}\n",
    );
    let r = reach(&policy);
    assert_eq!(r.patterns, PatternSet::with(Component::Service).patterns().collect::<Vec<_>>());
    assert!(r.components.contains(&Component::Service));
    assert_eq!(r.reads, vec![Component::Service]);
    assert_eq!(components_read(&policy.ast).len(), 1);
}

#[test]
fn explain_shows_the_patterns_and_components_a_policy_applies_to() {
    let out = common::policy(&["explain", "public-alb-waf"]);
    let text = common::stdout(&out);
    // Issue 28: Lambda behind a public ALB has the same front door.
    assert!(text.contains("applies to: fargate_alb, lambda_alb\n"), "{text}");
    assert!(text.contains("components present: load_balancer\n"), "{text}");
    assert!(text.contains("reads components: load_balancer\n"), "{text}");
    let out = common::policy(&["explain", "latency-sensitive-cold-starts"]);
    let text = common::stdout(&out);
    assert!(text.contains("applies to: lambda_api_gateway, lambda_function_url, lambda_alb, queue_worker\n"), "{text}");
    assert!(text.contains("components present: function\n"), "{text}");
    assert!(text.contains("reads components: function\n"), "{text}");
}

// ---------------------------------------------------------------- the standard pack

/// Standard policies that name a component or a pattern on purpose, beyond
/// the components whose facts they read, each with its reason.
const ON_PURPOSE: &[(&str, &str)] = &[
    (
        "lambda-concurrency-quota",
        "the account's Lambda concurrency is used by functions; it reads no `function.*` fact; `when queue is not set`: a queue's worker does not take the peak (`queue-worker-keeps-up`)",
    ),
    (
        "lambda-concurrency-headroom",
        "the account's Lambda concurrency is used by functions; it reads no `function.*` fact; `when queue is not set`: a queue's worker does not take the peak (`queue-worker-keeps-up`)",
    ),
    ("lambda-rds-proxy", "connection pooling for Lambda functions; it reads `data`, not `function.*`"),
    ("public-alb-waf", "about the ALB that faces the internet: `fargate_api_gateway`'s ALB sits behind the gateway"),
    (
        "partner-gateway-controls",
        "applies to every partner-facing proposal; reads `gateway.*` under its own `gateway is set`",
    ),
    (
        "gateway-sync-limit",
        "`when queue is not set`: behind a queue the caller is answered 202 and does not wait for the job",
    ),
    ("max-request-time", "`when queue is not set`: behind a queue the caller does not wait for the job"),
    ("long-requests-need-alb", "`when queue is not set`: behind a queue the caller does not wait for the job"),
    (
        "job-fits-worker-timeout",
        "`when queue is set`: the job's length against the worker's timeout, only where a queue answers the caller",
    ),
    (
        "queue-worker-concurrency-capped",
        "`when function is set`: only a Lambda worker's event source mapping has a `max_concurrency` to set; it reads the queue and the account",
    ),
];

/// The patterns that have every component `policy` reads.
fn with_what_it_reads(policy: &CheckedPolicy) -> PatternSet {
    components_read(&policy.ast).into_iter().fold(PatternSet::ALL, |set, c| set.intersect(PatternSet::with(c)))
}

fn applies_exactly_where_what_it_reads_is(set: &PolicySet, proposal: &Proposal) -> Result<(), TestCaseError> {
    let pattern = proposal.model().pattern;
    let report = set.check(proposal);
    for policy in set.checked_policies() {
        let id = policy.ast.id.name.as_str();
        if ON_PURPOSE.iter().any(|(p, _)| *p == id) {
            continue;
        }
        let present = with_what_it_reads(policy).contains(pattern);
        prop_assert_eq!(policy.patterns.contains(pattern), present, "{} on {:?}", id, pattern);
        if !present {
            let outcome = report.outcomes.iter().find(|o| o.policy == id).unwrap();
            prop_assert_eq!(outcome.status, Status::Skip, "{} on {:?}", id, pattern);
        }
    }
    Ok(())
}

#[test]
fn the_exceptions_are_standard_policies_that_still_narrow() {
    let set = PolicySet::standard().unwrap();
    for (id, _) in ON_PURPOSE {
        let policy = set.checked_policy(id).unwrap_or_else(|| panic!("`{id}` is not a standard policy"));
        assert_ne!(policy.patterns, with_what_it_reads(policy), "`{id}` needs no exception");
    }
}

#[test]
fn every_standard_policy_applies_exactly_where_the_components_it_reads_are_on_the_examples() {
    let set = PolicySet::standard().unwrap();
    for proposal in common::example_proposals() {
        applies_exactly_where_what_it_reads_is(&set, &proposal).unwrap();
    }
}

proptest! {
    #![proptest_config(common::proptest_config(32))]

    #[test]
    fn every_standard_policy_applies_exactly_where_the_components_it_reads_are(model in strategies::model()) {
        let set = PolicySet::standard().unwrap();
        let text = serde_saphyr::to_string(&model).expect("a model serializes");
        let proposal = archpolicy::load_str("generated.arch.yaml", &text).unwrap();
        applies_exactly_where_what_it_reads_is(&set, &proposal)?;
    }
}
