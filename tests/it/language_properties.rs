//! Properties of the policy language (docs/testing.md says how to run them longer).

use crate::ast_strategies;
use crate::common;

use common::proptest_config;

use archpolicy::PolicySet;
use archpolicy::policy::ast::WithoutSpans;
use archpolicy::policy::{format, parse};
use archpolicy::report::Status;
use proptest::prelude::*;

proptest! {
    // Printing and parsing are fast, and precedence bugs hide in rare shapes: run more.
    #![proptest_config(proptest_config(1000))]

    #[test]
    fn printed_asts_parse_back_to_the_same_ast(file in ast_strategies::policy_file()) {
        let text = format(&file);
        let parsed = match parse(&text) {
            Ok(parsed) => parsed,
            Err(errors) => panic!("printed text does not parse:\n{text}\n{:?}", errors.first()),
        };
        prop_assert_eq!(parsed.without_spans(), file, "{}", text);
    }

    #[test]
    fn formatting_is_idempotent(file in ast_strategies::policy_file()) {
        let once = format(&file);
        let twice = format(&parse(&once).unwrap());
        prop_assert_eq!(once, twice);
    }

    #[test]
    fn parsing_arbitrary_text_never_panics(text in "[ -~\n]{0,200}") {
        let _ = parse(&text);
        let _ = PolicySet::from_str("fuzz.policy", &text);
    }
}

/// The standard pack's policies, re-laid into `files` files in a shuffled order.
fn shuffled_pack(order: &[usize], files: usize) -> Vec<archpolicy::SourceFile> {
    let mut params = Vec::new();
    let mut policies = Vec::new();
    for (_, text) in archpolicy::policy::STANDARD_PACK {
        for item in parse(text).unwrap().items {
            match item {
                archpolicy::policy::ast::Item::Param(_) => params.push(item),
                archpolicy::policy::ast::Item::Policy(_) => policies.push(item),
                archpolicy::policy::ast::Item::Test(_) => {}
            }
        }
    }
    let mut shuffled: Vec<_> = order.iter().map(|i| policies[i % policies.len()].clone()).collect();
    shuffled.dedup_by(|a, b| a == b);
    // Keep each policy once, in the order given.
    let mut seen = Vec::new();
    shuffled.retain(|p| {
        if seen.contains(p) {
            false
        } else {
            seen.push(p.clone());
            true
        }
    });
    for p in &policies {
        if !seen.contains(p) {
            shuffled.push(p.clone());
            seen.push(p.clone());
        }
    }
    let mut buckets: Vec<Vec<archpolicy::policy::ast::Item>> = vec![Vec::new(); files.max(1)];
    buckets[files.max(1) - 1].extend(params);
    for (i, p) in shuffled.into_iter().enumerate() {
        buckets[i % files.max(1)].push(p);
    }
    buckets
        .into_iter()
        .enumerate()
        .map(|(i, items)| {
            let file = archpolicy::policy::PolicyFile { items };
            archpolicy::SourceFile::new(format!("part{i}.policy"), format(&file))
        })
        .collect()
}

/// A finding as file, policy, message and proposal offset, with every outcome of its proposal.
type FindingView = (String, String, String, Option<usize>, Vec<(String, Status)>);

/// What a finding says, independent of where its policy is written.
fn outcome_view(report: &archpolicy::Report) -> Vec<FindingView> {
    report
        .proposals
        .iter()
        .flat_map(|p| {
            p.findings.iter().map(move |f| {
                let outcomes = p.outcomes.iter().map(|o| (o.policy.clone(), o.status)).collect();
                (
                    p.file.clone(),
                    f.policy.clone(),
                    f.message.clone(),
                    f.proposal_location.as_ref().map(|l| l.offset),
                    outcomes,
                )
            })
        })
        .collect()
}

proptest! {
    #![proptest_config(proptest_config(64))]

    #[test]
    fn results_do_not_depend_on_the_order_of_policies_files_or_proposals(
        order in proptest::collection::vec(0usize..64, 0..20),
        files in 1usize..4,
        rotate in 0usize..16,
    ) {
        let proposals = common::example_proposals();
        let baseline = PolicySet::standard().unwrap().check_all(&proposals);
        let set = PolicySet::from_sources(shuffled_pack(&order, files)).unwrap();
        let mut reordered = proposals.clone();
        reordered.rotate_left(rotate % proposals.len());
        reordered.reverse();
        let report = set.check_all(&reordered);
        prop_assert_eq!(outcome_view(&report), outcome_view(&baseline));
        prop_assert_eq!(report.summary, baseline.summary);
    }
}

mod typed {
    //! Well-typed policies over the fact schema, to run the evaluator on.

    use archpolicy::facts::{FactType, PatternSet, SCHEMA};
    use archpolicy::model::{NamedEnum, Pattern};
    use proptest::prelude::*;

    /// Facts that every pattern in `patterns` has, of the given kind.
    fn facts(patterns: PatternSet, kind: fn(FactType) -> bool) -> Vec<&'static str> {
        SCHEMA
            .iter()
            // `pattern` is narrowed by the explicit `when`: comparing it again could
            // write a contradiction, which the checker rightly refuses.
            .filter(|d| {
                d.patterns.is_superset_of(patterns) && !d.optional && !d.path.contains('[') && d.path != "pattern"
            })
            .filter(|d| kind(d.ty))
            .map(|d| d.path)
            .collect()
    }

    fn literal_of(ty: FactType, seed: u64) -> String {
        match ty {
            FactType::Bool => ["true", "false"][seed as usize % 2].into(),
            FactType::Int => format!("{}", seed % 100_000),
            FactType::Duration => format!("{}ms", seed % 1_000_000),
            FactType::Size => format!("{}MiB", seed % 20_000),
            FactType::Money => format!("${}", seed % 1000),
            FactType::Vcpu => format!("{}", seed % 16),
            FactType::Text => format!("\"t{}\"", seed % 3),
            // Now and then quoted, as the first release wrote enum values: the same member.
            FactType::Enum(e) if seed % 4 == 3 => format!("\"{}\"", e.values[seed as usize % e.values.len()]),
            FactType::Enum(e) => e.values[seed as usize % e.values.len()].to_string(),
            FactType::List => "0".into(),
        }
    }

    /// A bool expression: comparisons of facts with literals and each other, combined.
    pub fn condition(patterns: PatternSet) -> impl Strategy<Value = String> {
        let scalar = facts(patterns, |t| !matches!(t, FactType::List));
        let ordered = facts(patterns, |t| {
            matches!(t, FactType::Int | FactType::Duration | FactType::Size | FactType::Vcpu)
                || matches!(t, FactType::Enum(e) if e.ordered)
        });
        let leaf = (proptest::sample::select(scalar), proptest::sample::select(ordered), any::<u64>(), 0u8..6)
            .prop_map(|(fact, ordered_fact, seed, shape)| {
                let ty = archpolicy::facts::schema::lookup(fact).unwrap().ty;
                let oty = archpolicy::facts::schema::lookup(ordered_fact).unwrap().ty;
                match shape {
                    0 => format!("{fact} == {}", literal_of(ty, seed)),
                    1 => format!("{fact} != {}", literal_of(ty, seed)),
                    2 => format!("{ordered_fact} <= {}", literal_of(oty, seed)),
                    3 => format!("{ordered_fact} > {}", literal_of(oty, seed)),
                    4 => format!("{fact} in [{}, {}]", literal_of(ty, seed), literal_of(ty, seed / 7)),
                    _ => format!("count(d in data: d.proxy or d.kind == dynamodb) >= {}", seed % 3),
                }
            });
        let combined = leaf.prop_recursive(3, 16, 2, |inner| {
            prop_oneof![
                inner.clone().prop_map(|e| format!("not ({e})")),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a}) and ({b})")),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a}) or ({b})")),
                (inner.clone(), inner).prop_map(|(a, b)| format!("({a}) implies ({b})")),
            ]
        });
        // One quantifier around the whole, and the leaves' `count`: two
        // levels over `data`, what the checker's iteration budget allows.
        combined.prop_flat_map(|c| {
            prop_oneof![
                Just(c.clone()),
                Just(format!("all d in data: ({c})")),
                Just(format!("any d in data: ({c})")),
                Just(format!("(all d in data: ({c})) or ({c})")),
            ]
        })
    }

    /// A policy, narrowed to one pattern or to all.
    pub fn policy() -> impl Strategy<Value = String> {
        proptest::option::of(proptest::sample::select(Pattern::ALL.to_vec())).prop_flat_map(|pattern| {
            let set = pattern.map_or(PatternSet::ALL, PatternSet::of);
            let when = pattern.map(|p| format!("  when pattern == {}\n", p.name())).unwrap_or_default();
            (Just(when), condition(set), condition(set))
                .prop_map(|(when, w, r)| format!("policy generated: warn {{\n{when}  when {w}\n  require {r}\n}}\n"))
        })
    }
}

proptest! {
    #![proptest_config(proptest_config(64))]

    #[test]
    fn a_checked_policy_never_fails_at_evaluation(text in typed::policy()) {
        let set = match PolicySet::from_str("generated.policy", &text) {
            Ok(set) => set,
            Err(failure) => panic!("the generator wrote a policy that does not check:\n{text}\n{failure}"),
        };
        for proposal in common::example_proposals() {
            // Evaluation returns a report for every proposal: it has no error path.
            let report = set.check(&proposal);
            prop_assert_eq!(report.outcomes.len(), 1);
        }
    }

    #[test]
    fn formatting_a_checked_policy_keeps_it_checked_with_the_same_verdicts(text in typed::policy()) {
        let before = PolicySet::from_str("generated.policy", &text).unwrap();
        let formatted = archpolicy::policy::format_canonical(&text).unwrap();
        let after = match PolicySet::from_str("formatted.policy", &formatted) {
            Ok(set) => set,
            Err(failure) => panic!("formatted, it no longer checks:\n{text}\n{formatted}\n{failure}"),
        };
        // The canonical form has no deprecated spelling left.
        prop_assert!(after.warnings().is_empty(), "{}", formatted);
        for proposal in common::example_proposals() {
            let (was, is) = (before.check(&proposal), after.check(&proposal));
            prop_assert_eq!(was.outcomes, is.outcomes);
        }
    }

    #[test]
    fn not_flips_a_result(condition in typed::condition(archpolicy::facts::PatternSet::ALL)) {
        let plain = PolicySet::from_str("a.policy", &format!("policy p: warn {{ require {condition} }}")).unwrap();
        let negated = PolicySet::from_str("b.policy", &format!("policy p: warn {{ require not ({condition}) }}")).unwrap();
        for proposal in common::example_proposals() {
            let a = plain.check(&proposal).outcomes[0].status;
            let b = negated.check(&proposal).outcomes[0].status;
            prop_assert_ne!(a, b);
        }
    }

    #[test]
    fn raising_a_bound_never_turns_a_pass_into_a_fail(
        fact in proptest::sample::select(vec![
            ("workload.max_request_duration", "ms"),
            ("request.sync_limit", "ms"),
            ("workload.avg_duration", "ms"),
            ("workload.peak_rps", ""),
            ("workload.requests_per_month", ""),
            ("network.az_count", ""),
        ]),
        low in 0u64..200_000,
        raise in 0u64..200_000,
    ) {
        let (path, unit) = fact;
        let at = |bound: u64| PolicySet::from_str("b.policy", &format!("policy p: deny {{ require {path} <= {bound}{unit} }}")).unwrap();
        let (low_set, high_set) = (at(low), at(low + raise));
        for proposal in common::example_proposals() {
            if low_set.check(&proposal).outcomes[0].status == Status::Pass {
                prop_assert_eq!(high_set.check(&proposal).outcomes[0].status, Status::Pass);
            }
        }
    }
}

mod boolean_laws {
    //! quickcheck: `not`, `and`, `or` and `implies` agree with Rust's booleans.

    use archpolicy::PolicySet;
    use archpolicy::facts::FactValue;
    use archpolicy::report::Status;
    use quickcheck::{Arbitrary, Gen};

    const VARS: &[&str] = &[
        "workload.websockets",
        "workload.streaming",
        "workload.latency_sensitive",
        "supports.websockets",
        "network.compute_in_vpc",
    ];

    #[derive(Debug, Clone)]
    enum Formula {
        Var(usize),
        Lit(bool),
        Not(Box<Formula>),
        And(Box<Formula>, Box<Formula>),
        Or(Box<Formula>, Box<Formula>),
        Implies(Box<Formula>, Box<Formula>),
    }

    impl Formula {
        fn gen_sized(g: &mut Gen, size: usize) -> Formula {
            let choice = if size == 0 { u8::arbitrary(g) % 2 } else { u8::arbitrary(g) % 6 };
            let sub = |g: &mut Gen| Box::new(Formula::gen_sized(g, size / 2));
            match choice {
                0 => Formula::Var(usize::arbitrary(g) % VARS.len()),
                1 => Formula::Lit(bool::arbitrary(g)),
                2 => Formula::Not(sub(g)),
                3 => Formula::And(sub(g), sub(g)),
                4 => Formula::Or(sub(g), sub(g)),
                _ => Formula::Implies(sub(g), sub(g)),
            }
        }

        fn text(&self) -> String {
            match self {
                Formula::Var(i) => VARS[*i].to_string(),
                Formula::Lit(b) => b.to_string(),
                Formula::Not(a) => format!("not ({})", a.text()),
                Formula::And(a, b) => format!("({}) and ({})", a.text(), b.text()),
                Formula::Or(a, b) => format!("({}) or ({})", a.text(), b.text()),
                Formula::Implies(a, b) => format!("({}) implies ({})", a.text(), b.text()),
            }
        }

        fn eval(&self, vars: &[bool]) -> bool {
            match self {
                Formula::Var(i) => vars[*i],
                Formula::Lit(b) => *b,
                Formula::Not(a) => !a.eval(vars),
                Formula::And(a, b) => a.eval(vars) && b.eval(vars),
                Formula::Or(a, b) => a.eval(vars) || b.eval(vars),
                Formula::Implies(a, b) => !a.eval(vars) || b.eval(vars),
            }
        }
    }

    impl Arbitrary for Formula {
        fn arbitrary(g: &mut Gen) -> Formula {
            let size = g.size();
            Formula::gen_sized(g, size)
        }
        fn shrink(&self) -> Box<dyn Iterator<Item = Formula>> {
            match self {
                Formula::Not(a) => Box::new(std::iter::once((**a).clone())),
                Formula::And(a, b) | Formula::Or(a, b) | Formula::Implies(a, b) => {
                    Box::new(vec![(**a).clone(), (**b).clone()].into_iter())
                }
                _ => Box::new(std::iter::empty()),
            }
        }
    }

    fn agrees(formula: Formula, which: u8) -> bool {
        let files = crate::common::proposal_files(&["examples"]);
        let proposal = archpolicy::load_file(&files[which as usize % files.len()]).unwrap();
        let facts = proposal.facts();
        let vars: Vec<bool> =
            VARS.iter().map(|v| matches!(facts.get(v).map(|f| &f.value), Some(FactValue::Bool(true)))).collect();
        let set = PolicySet::from_str("q.policy", &format!("policy p: warn {{ require {} }}", formula.text())).unwrap();
        let status = set.check(&proposal).outcomes[0].status;
        (status == Status::Pass) == formula.eval(&vars)
    }

    #[test]
    fn connectives_agree_with_a_reference_boolean_evaluation() {
        crate::common::quickcheck(200).quickcheck(agrees as fn(Formula, u8) -> bool);
    }
}

#[test]
fn the_deepest_allowed_nesting_parses_checks_and_evaluates_on_a_test_thread() {
    // Test threads have 2 MiB of stack: the nesting limit must fit in it, unoptimized.
    let depth = archpolicy::policy::MAX_NESTING;
    let parens = format!("{}workload.websockets or true{}", "(".repeat(depth), ")".repeat(depth));
    // Two quantifiers fit the iteration budget; the rest of the depth is parentheses.
    let mixed =
        format!("{}(any d in data: any e in data: d.proxy or true){}", "(".repeat(depth - 3), ")".repeat(depth - 3));
    for condition in [parens, mixed] {
        let text = format!("policy deep: warn {{ require {condition} }}");
        let set = PolicySet::from_str("deep.policy", &text).unwrap_or_else(|f| panic!("{f}"));
        for proposal in common::example_proposals() {
            set.check(&proposal);
        }
        let printed = format(&parse(&text).unwrap());
        assert!(parse(&printed).is_ok());
    }
    // Quantifiers nested to the parser's limit parse, and the checker refuses them.
    let quantifiers = format!("policy deep: warn {{ require {}true }}", "any d in data: ".repeat(depth - 1));
    assert!(parse(&quantifiers).is_ok());
    let refused = PolicySet::from_str("deep.policy", &quantifiers).expect_err("beyond the iteration budget");
    assert!(refused.to_string().contains("times per proposal"), "{refused}");
    let too_deep = format!("policy deep: warn {{ require {}true{} }}", "(".repeat(depth + 1), ")".repeat(depth + 1));
    assert!(parse(&too_deep).is_err());
}
