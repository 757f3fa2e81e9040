//! The analysis of policies that can never matter (docs/language.md,
//! "Analysis"): one fixture per case under tests/fixtures/analysis, rendered
//! as the user sees it, and the properties that make it trustworthy: it
//! never claims what a proposal can refute.

use crate::common;
use crate::strategies;

use archpolicy::PolicySet;
use archpolicy::facts::FactValue;
use archpolicy::report::Status;
use archpolicy::report::human::{Style, render};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn rendered(path: &std::path::Path) -> String {
    let name = format!("fixtures/analysis/{}", path.file_name().unwrap().to_string_lossy());
    let text = std::fs::read_to_string(path).unwrap();
    let set = PolicySet::from_str(&name, &text).unwrap_or_else(|f| panic!("{name} does not check: {f}"));
    let found = set.analyze();
    if found.is_empty() {
        return "(nothing found)".into();
    }
    found.iter().map(|l| render(&l.report(), Style::PLAIN)).collect::<Vec<_>>().join("\n")
}

#[test]
fn analysis_diagnostics() {
    insta::glob!("../fixtures/analysis", "*.policy", |path| {
        insta::assert_snapshot!(rendered(path));
    });
}

#[test]
fn the_standard_pack_has_no_policy_that_can_never_matter() {
    let set = PolicySet::standard().unwrap();
    let found: Vec<String> = set.analyze().iter().map(|l| l.error.to_string()).collect();
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn analyze_on_the_command_line_exits_1_with_a_finding() {
    let out = common::policy(&["check", "--policies", "tests/fixtures/analysis/conflicting_pair.policy", "--analyze"]);
    assert_eq!(out.status.code(), Some(1), "{}", common::stderr(&out));
    assert!(common::stderr(&out).contains("cannot both pass"), "{}", common::stderr(&out));
    assert!(common::stdout(&out).contains("analyzed 2 policies: 1 finding"), "{}", common::stdout(&out));
    let out = common::policy(&["check", "--analyze"]);
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
}

// ------------------------------------------------------------- generated policies

/// Facts and literals around their limits, so that contradictions are
/// common: the facts every proposal has.
const ATOMS: &[&str] = &[
    "environment == production",
    "environment == staging",
    "environment in [staging, test]",
    "environment not in [production]",
    "portability >= portable_compute",
    "portability < portable",
    "function is set",
    "service is set",
    "gateway is not set",
    "pattern == fargate_alb",
    "pattern != lambda_api_gateway",
    "workload.peak_rps <= 100",
    "workload.peak_rps > 5000",
    "workload.max_request_duration > 29s",
    "workload.max_request_duration <= 10s",
];

/// Facts of one component, read below its guard.
const GUARDED: &[(&str, &[&str])] = &[
    (
        "function is set",
        &[
            "function.timeout > 900s",
            "function.timeout <= 1s",
            "function.timeout >= 30s",
            "function.timeout < 60s",
            "function.memory >= 2GiB",
            "function.memory < 128MiB",
            "function.memory == 1GiB",
            "function.architecture == arm64",
            "function.provisioned_concurrency >= 0",
            "function.provisioned_concurrency > 5",
        ],
    ),
    (
        "service is set",
        &[
            "service.tasks.min >= 3",
            "service.tasks.min > 2",
            "service.tasks.min >= 0",
            "service.tasks.min == 0",
            "service.tasks.min != 1",
            "service.cpu >= 2",
            "service.cpu < 0.5",
            "load_balancer.idle_timeout > 4000s",
            "load_balancer.idle_timeout >= 60s",
            "load_balancer.waf",
            "service.subnets == private",
        ],
    ),
];

fn condition(atoms: Vec<&'static str>) -> impl Strategy<Value = String> {
    let leaf = proptest::sample::select(atoms).prop_map(str::to_string);
    leaf.prop_recursive(2, 8, 2, |inner| {
        prop_oneof![
            inner.clone().prop_map(|e| format!("not ({e})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a}) and ({b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a}) or ({b})")),
            (inner.clone(), inner).prop_map(|(a, b)| format!("({a}) implies ({b})")),
        ]
    })
}

/// Two policies under one guard (or none): a shared `when`, a `require` each.
fn policy_pair() -> impl Strategy<Value = String> {
    (0..=GUARDED.len()).prop_flat_map(|g| {
        let (guard, atoms) = match GUARDED.get(g) {
            Some((guard, own)) => (format!("  when {guard}\n"), ATOMS.iter().chain(own.iter()).copied().collect()),
            None => (String::new(), ATOMS.to_vec()),
        };
        (Just(guard), condition(atoms.clone()), condition(atoms.clone()), condition(atoms)).prop_map(
            |(guard, when, require, other)| {
                format!(
                    "policy a: warn {{\n{guard}  when {when}\n  require {require}\n}}\n\npolicy b: warn {{\n{guard}  when {when}\n  require {other}\n}}\n"
                )
            },
        )
    })
}

/// A policy, if the generated conditions check (a fact outside its
/// component's narrowing does not); `None` otherwise.
fn checked(text: &str) -> Option<PolicySet> {
    PolicySet::from_str("generated.policy", text).ok()
}

fn proposal(model: &archpolicy::model::Model) -> archpolicy::Proposal {
    let text = serde_saphyr::to_string(model).expect("a model serializes");
    archpolicy::load_str("generated.arch.yaml", &text).expect("a generated model loads")
}

fn examples() -> Vec<archpolicy::Proposal> {
    common::example_files().iter().map(|f| archpolicy::load_file(f).unwrap()).collect()
}

fn codes(set: &PolicySet) -> Vec<String> {
    set.analyze().iter().filter_map(|l| l.report().code().map(|c| c.to_string())).collect()
}

proptest! {
    #![proptest_config(common::proptest_config(64))]

    #[test]
    fn whatever_the_analysis_says_no_proposal_refutes(
        text in policy_pair(),
        models in proptest::collection::vec(strategies::model(), 4),
    ) {
        // A `when` whose patterns contradict is a load error, not the analysis's.
        let Some(set) = checked(&text) else { return Ok(()) };
        let codes = codes(&set);
        let proposals: Vec<_> = models.iter().map(proposal).chain(examples()).collect();
        for p in &proposals {
            let report = set.check(p);
            let (a, b) = (report.outcomes[0].status, report.outcomes[1].status);
            if codes.iter().any(|c| c.ends_with("when_never_holds")) {
                prop_assert_eq!(a, Status::Skip, "{}", text);
            }
            // Each code names one of the two policies; either way, no proposal may refute it.
            for l in set.analyze() {
                let message = l.error.to_string();
                let of_a = message.contains("`a`");
                let status = if of_a { a } else { b };
                if message.contains("always holds") {
                    prop_assert_ne!(status, Status::Fail, "{}\n{}", message, text);
                }
                if message.contains("can never hold") {
                    prop_assert_ne!(status, Status::Pass, "{}\n{}", message, text);
                }
                if message.contains("cannot both pass") {
                    prop_assert!(!(a == Status::Pass && b == Status::Pass), "{}\n{}", message, text);
                }
            }
        }
    }

    #[test]
    fn every_fact_lies_within_the_range_the_analysis_assumes(model in strategies::model()) {
        let proposal = proposal(&model);
        let facts = proposal.facts();
        for (path, lo, hi) in archpolicy::policy::analyze::ranges::bounded_facts() {
            let Some(value) = facts.get(path) else { continue };
            let v = match &value.value {
                FactValue::Int(i) => Decimal::from(*i),
                FactValue::Duration(d) => Decimal::from(d.as_millis()),
                FactValue::Size(s) => Decimal::from(s.as_bytes()),
                FactValue::Vcpu(c) => c.as_decimal(),
                FactValue::Money(m) => m.as_decimal(),
                _ => continue,
            };
            prop_assert!(lo.is_none_or(|lo| v >= lo) && hi.is_none_or(|hi| v <= hi), "{} = {}", path, v);
        }
    }
}

// ------------------------------------------------------------- performance

/// 200 policies over the facts the analysis reads, deterministic.
fn generated_set(n: usize) -> String {
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |m: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % m as u64) as usize
    };
    let mut text = String::new();
    for i in 0..n {
        let (guard, own) = GUARDED[next(GUARDED.len())];
        let atoms: Vec<&str> = ATOMS.iter().chain(own).copied().collect();
        let when = atoms[next(atoms.len())];
        let require = format!("({}) or ({})", atoms[next(atoms.len())], atoms[next(atoms.len())]);
        text.push_str(&format!("policy g{i}: warn {{\n  when {guard}\n  when {when}\n  require {require}\n}}\n\n"));
    }
    text
}

/// Times the analysis of the standard pack and a generated 200-policy set
/// (docs/performance.md): `cargo test --release --test it -- policy_analysis:: --ignored --nocapture`.
#[test]
#[ignore = "a measurement, run by hand in release"]
fn time_the_analysis() {
    let pack = PolicySet::standard().unwrap();
    // Generated policies that do not check (a fact outside its narrowing) are left out.
    let text: String = generated_set(1000)
        .split("\n\n")
        .filter(|p| !p.trim().is_empty() && checked(p).is_some())
        .take(200)
        .map(|p| format!("{p}\n\n"))
        .collect();
    let generated = PolicySet::from_str("generated.policy", &text).unwrap();
    assert_eq!(generated.policies().len(), 200);
    for (name, set) in [("standard pack", &pack), ("200 generated", &generated)] {
        let runs = 20;
        let start = std::time::Instant::now();
        let mut found = 0;
        for _ in 0..runs {
            found = set.analyze().len();
        }
        let each = start.elapsed() / runs;
        println!("{name}: {} policies, {found} findings, {each:?} per analysis", set.policies().len());
    }
}
