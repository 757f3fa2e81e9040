//! Hostile policies and proposals that used to pass, hang or blow up: each
//! case of the hostile-input review stays here so it cannot come back.

use archpolicy::PolicySet;

/// A proposal with `stores` data stores (the loader's most is 100).
fn proposal_with_stores(stores: usize) -> archpolicy::Proposal {
    let mut text = String::from(
        "name: many\npattern: fargate_alb\nenvironment: production\n\
         workload: { requests_per_month: 1000, avg_duration: 100ms, max_request_duration: 1s, peak_rps: 1 }\n\
         load_balancer: { idle_timeout: 60s, waf: true }\n\
         service: { cpu: 1, memory: 2GiB, tasks: { min: 2, desired: 2, max: 4 }, auth: library }\ndata:\n",
    );
    for i in 0..stores {
        text.push_str(if i % 2 == 0 { "  - { kind: dynamodb }\n" } else { "  - { kind: rds, proxy: true }\n" });
    }
    archpolicy::load_str("many.arch.yaml", &text).unwrap()
}

#[test]
fn nested_quantifiers_are_bounded_when_checked_not_when_run() {
    // Four levels over 100 stores once took seconds, five minutes: now the
    // checker refuses a third level before anything runs.
    for depth in 3..=6 {
        let vars: Vec<String> = (0..depth).map(|i| format!("x{i}")).collect();
        let mut body = format!("{}.kind == {}.kind", vars[0], vars[depth - 1]);
        for v in vars.iter().rev() {
            body = format!("all {v} in data: {body}");
        }
        let text = format!("policy deep: deny {{\n  require {body}\n}}\n");
        let failure = PolicySet::from_str("deep.policy", &text).expect_err("too costly to check");
        assert!(failure.to_string().contains("times per proposal"), "{depth}: {failure}");
    }
}

#[test]
fn two_levels_over_the_longest_list_check_and_run() {
    let text = "policy pairs: deny {\n  require all a in data: all b in data: a.kind == b.kind\n}\n";
    let set = PolicySet::from_str("pairs.policy", text).unwrap();
    let report = set.check(&proposal_with_stores(100));
    assert_eq!(report.findings.len(), 1, "a dynamodb and an rds store make a pair of different kinds");
    let count =
        "policy counted: warn {\n  require count(a in data: count(b in data: a.kind == b.kind) > 1) <= 100\n}\n";
    assert!(PolicySet::from_str("count.policy", count).is_ok());
}
