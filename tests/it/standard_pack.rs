//! The standard pack: every policy documented, and each with a proposal
//! that passes it and one that fails it (tests/policies/ID/).

use crate::common;

use common::assert_current;

use archpolicy::PolicySet;
use archpolicy::policy::RunOptions;
use archpolicy::report::Status;
use archpolicy::report::human::{Style, render_finding};
use archpolicy::units::Date;

fn standard() -> PolicySet {
    match PolicySet::standard() {
        Ok(set) => set,
        Err(failure) => panic!("the standard pack does not check: {failure}"),
    }
}

/// The day the pack's fixtures are judged on: runtime dates are AWS's and
/// real, so a fixed day keeps the results from moving with the calendar.
fn options() -> RunOptions<'static> {
    RunOptions { today: Date::new(2027, 3, 1).unwrap(), ..RunOptions::standard() }
}

fn status(set: &PolicySet, proposal: &str, policy: &str) -> Status {
    let proposal = archpolicy::load_file(proposal).unwrap_or_else(|f| panic!("{proposal}: {f}"));
    let report = set.check_with(&proposal, &options());
    report.outcomes.iter().find(|o| o.policy == policy).map(|o| o.status).unwrap()
}

#[test]
fn the_standard_pack_checks_without_warnings() {
    let set = standard();
    assert!(set.warnings().is_empty(), "{:?}", set.warnings());
    assert!(set.policies().len() >= 12);
}

#[test]
fn every_standard_policy_has_a_title_help_and_docs() {
    for policy in standard().policies() {
        let id = policy.id();
        assert!(policy.title().is_some(), "{id} has no title");
        assert!(policy.help().is_some(), "{id} has no help");
        assert!(policy.docs().is_some(), "{id} has no docs");
    }
}

#[test]
fn the_standard_pack_ships_tests_that_pass() {
    // The same tests `policy test policies` runs: a passing and a failing
    // proposal per policy, and `given` variations.
    let set = PolicySet::from_paths(&["policies".into()]).unwrap_or_else(|f| panic!("{f}"));
    let (results, errors) = set.run_tests();
    assert!(errors.is_empty(), "{errors:?}");
    for r in &results {
        assert!(r.passed(), "{}: {:?}", r.name, r.failures);
    }
    for policy in standard().policies() {
        let id = policy.id();
        let dir = format!("tests/policies/{id}");
        assert_eq!(status(&set, &format!("{dir}/pass.arch.yaml"), id), Status::Pass, "{dir}/pass.arch.yaml");
        assert_eq!(status(&set, &format!("{dir}/fail.arch.yaml"), id), Status::Fail, "{dir}/fail.arch.yaml");
        let tested = |what: &str| results.iter().any(|r| r.name == format!("{id} {what} proposal"));
        assert!(tested("passes on its passing") && tested("fails on its failing"), "{id} has no pass and fail tests");
    }
}

#[test]
fn standard_policy_violations() {
    let set = standard();
    for policy in set.policies() {
        let id = policy.id();
        let path = format!("tests/policies/{id}/fail.arch.yaml");
        let proposal = archpolicy::load_file(&path).unwrap();
        let report = set.check_with(&proposal, &options());
        let rendered: Vec<String> =
            report.findings.iter().filter(|f| f.policy == id).map(|f| render_finding(f, Style::PLAIN)).collect();
        insta::assert_snapshot!(format!("violation_{id}"), rendered.join("\n"));
    }
}

#[test]
fn the_policy_reference_is_current() {
    let generated = archpolicy::policy::doc::markdown(&standard());
    assert_current("docs/policies.md", &generated, "standard_pack");
}

#[test]
fn the_reference_examples_pass_every_standard_policy() {
    let set = standard();
    for file in ["lambda_api_gateway", "fargate_alb", "fargate_api_gateway"] {
        let proposal = archpolicy::load_file(format!("examples/{file}.arch.yaml")).unwrap();
        let report = set.check(&proposal);
        let ids: Vec<&str> = report.findings.iter().map(|f| f.policy.as_str()).collect();
        assert!(ids.is_empty(), "{file}: {ids:?}");
    }
}

/// `gateway-sync-limit`'s help names the timeout that ends the request on
/// this proposal and remedies that apply to it: telling a proposal whose ALB
/// is the limit to "front the service with an ALB" helped no one.
#[test]
fn gateway_sync_limit_help_names_the_limiting_timeout_and_the_patterns_that_wait_longer() {
    let help = |text: &str| {
        let proposal = archpolicy::load_str("x.arch.yaml", text).unwrap_or_else(|f| panic!("{f}"));
        let report = standard().check_with(&proposal, &options());
        let finding = report.findings.iter().find(|f| f.policy == "gateway-sync-limit").expect("a finding");
        finding.help.clone().unwrap()
    };
    let behind_alb = help(
        "name: x\npattern: fargate_alb\nenvironment: development\n\
         workload: { requests_per_month: 100000, avg_duration: 1s, max_request_duration: 120s, peak_rps: 5 }\n\
         load_balancer: { idle_timeout: 60s }\n\
         service: { cpu: 1, memory: 2GiB, tasks: { min: 1, desired: 1, max: 2 }, subnets: private, auth: library }\n",
    );
    assert!(behind_alb.contains("here it is the `load_balancer`'s"), "{behind_alb}");
    assert!(behind_alb.contains("`load_balancer.idle_timeout`"), "{behind_alb}");
    assert!(!behind_alb.contains("front the service with an ALB"), "{behind_alb}");
    let behind_gateway = help(
        "name: x\npattern: lambda_api_gateway\nenvironment: development\n\
         workload: { requests_per_month: 100000, avg_duration: 1s, max_request_duration: 60s, peak_rps: 5 }\n\
         gateway: { api: http }\nfunction: { runtime: python3.13, memory: 512MiB, timeout: 90s }\n",
    );
    assert!(behind_gateway.contains("here it is the `gateway`'s"), "{behind_gateway}");
    for remedy in
        ["`lambda_function_url`", "`lambda_alb`", "`fargate_alb`", "`queue_worker`", "`gateway.transfer: stream`"]
    {
        assert!(behind_gateway.contains(remedy), "{remedy} missing from: {behind_gateway}");
    }
}
