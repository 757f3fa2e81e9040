//! The work budget of a template's import (`import::fuel`, issue 22): each
//! class of template the attacker review found costly either imports with
//! the right result or is refused with the one budget error, never hangs
//! or fills memory. Speed is never asserted; what is asserted is the
//! result, the error, and that fuel spent never passes the budget.

use crate::common;
#[path = "hostile_templates.rs"]
mod templates;

use archpolicy::import::fuel::{Fuel, MAX_FUEL};
use archpolicy::import::resolve::{Parameters, Resolver};
use archpolicy::import::{ImportError, Template, import_str};
use archpolicy::yaml::Node;
use archpolicy::{Failure, LoadError, Proposal};
use proptest::prelude::*;

const WORKLOAD: &str =
    "workload: { requests_per_month: 1, avg_duration: 1ms, max_request_duration: 1s, peak_rps: 1 }\n";

use templates::sam;

/// Loads a proposal standing on `template` (written beside it) with `select`.
fn stand_on(template: &str, select: &str) -> Result<Proposal, Failure<LoadError>> {
    std::fs::create_dir_all("target").unwrap();
    let dir = tempfile::tempdir_in("target").unwrap();
    std::fs::write(dir.path().join("t.yaml"), template).unwrap();
    let text = format!(
        "name: f\nenvironment: test\nimport: {{ from: t.yaml, select: {select}, parameter_defaults: true }}\n{WORKLOAD}"
    );
    let name = dir.path().join("p.arch.yaml");
    archpolicy::load_str(&name.to_string_lossy(), &text)
}

/// The one budget error of a proposal that stands on too costly a template.
fn budget_error(failure: &Failure<LoadError>) -> (String, String) {
    let errors: Vec<&LoadError> = failure.errors().iter().collect();
    assert_eq!(errors.len(), 1, "one error says the budget is spent: {failure}");
    match errors[0] {
        LoadError::ImportBudget { template, work, .. } => {
            let code = miette::Diagnostic::code(errors[0]).map(|c| c.to_string()).unwrap_or_default();
            assert_eq!(code, "archpolicy::import::budget");
            assert_eq!(template, "t.yaml", "the error names the template");
            (work.clone(), errors[0].to_string())
        }
        other => panic!("expected the budget error, got {other:?}"),
    }
}

/// The value of `node` under `template`, with the parameters' defaults.
fn resolve(template: &Template, node: &Node) -> Result<Option<Node>, String> {
    let parameters = Parameters { values: Default::default(), use_defaults: true };
    Resolver::new(template, &parameters).value(node).map_err(|u| u.message)
}

fn node(text: &str) -> Node {
    archpolicy::yaml::parse_with(text, archpolicy::yaml::Options::TEMPLATE).unwrap().unwrap()
}

/// `L{i}W0` is `Fn::Or` (or `Fn::And`) of ten `Condition: L{i-1}W0`: worked
/// out by tree, `L12W0` is 10^12 evaluations; worked out once per name, 120
/// (12 levels: names nest at most 32 deep).
fn exponential_conditions(function: &str, base: &str) -> (String, String) {
    templates::conditions(function, base, 13, 1)
}

#[test]
fn exponential_conditions_are_worked_out_once_each() {
    for (function, base, timeout) in
        [("Fn::Or", "!Equals [a, b]", "4s"), ("Fn::And", "!Equals [a, a]", "3s"), ("Fn::Or", "!Equals [a, a]", "3s")]
    {
        let (conditions, top) = exponential_conditions(function, base);
        let template = sam(&conditions, &format!("      Timeout: !If [{top}, 3, 4]\n"));
        let proposal = stand_on(&template, "F").unwrap_or_else(|e| panic!("{function}: {e}"));
        assert_eq!(proposal.model().function().unwrap().timeout.to_string(), timeout, "{function} {base}");
        let parsed = Template::parse("t.yaml", &template).unwrap();
        let parameters = Parameters::default();
        let resolver = Resolver::new(&parsed, &parameters);
        assert_eq!(resolver.condition(&top, miette::SourceSpan::from((0, 0)), 0), Ok(timeout == "3s"));
        assert!(parsed.fuel.spent() < MAX_FUEL / 100, "{} spent of {MAX_FUEL}", parsed.fuel.spent());
    }
    // `policy import` (classification and the listing) over the same template ends too.
    let imported = import_str("t.yaml", &sam(&exponential_conditions("Fn::Or", "!Equals [a, b]").0, "")).unwrap();
    assert_eq!(imported.classification().services.len(), 1);
}

#[test]
fn a_condition_that_names_itself_is_an_error_not_a_loop() {
    let template = sam(
        "Conditions:\n  A: { \"Fn::Or\": [{ Condition: B }, { Condition: B }] }\n  B: { \"Fn::Not\": [{ Condition: A }] }\n",
        "      Timeout: !If [A, 3, 4]\n",
    );
    let failure = stand_on(&template, "F").unwrap_err();
    assert!(failure.to_string().contains("names itself"), "{failure}");
}

#[test]
fn a_huge_join_is_refused_before_it_is_built() {
    // A 1 MiB delimiter between 10 000 parts: 10 GB if built.
    let properties = format!("      MemorySize: {}\n", templates::join(1 << 20, 10_000));
    let failure = stand_on(&sam("", &properties), "F").unwrap_err();
    let (work, message) = budget_error(&failure);
    assert_eq!(work, "joined text (`Fn::Join`)", "{message}");
    // The length would overflow: it is computed with checked arithmetic, and refused.
    let template = Template::parse("t.yaml", &sam("", "")).unwrap();
    let join = node(&templates::join(1 << 20, 10_000));
    assert!(resolve(&template, &join).unwrap_err().contains("joined text"));
    assert!(template.fuel.spent() <= template.fuel.limit());
}

#[test]
fn a_huge_sub_is_refused_before_it_is_built() {
    // One 64 KiB variable substituted 100 000 times: 6.4 GB if built.
    let properties = format!("      MemorySize: {}\n", templates::sub(100_000, 64 * 1024));
    let failure = stand_on(&sam("", &properties), "F").unwrap_err();
    let (work, message) = budget_error(&failure);
    assert_eq!(work, "substituted text (`Fn::Sub`)", "{message}");
}

#[test]
fn a_sub_and_a_join_within_the_budget_are_worked_out() {
    let template = Template::parse("t.yaml", &sam("Parameters:\n  P: { Type: String, Default: \"5\" }\n", "")).unwrap();
    let sub = node("{ \"Fn::Sub\": [\"${A}${P}-${!Lit}${A}\", { A: \"1\" }] }");
    assert_eq!(resolve(&template, &sub).unwrap().unwrap().value, archpolicy::yaml::Value::Str("15-${Lit}1".into()));
    let join = node("{ \"Fn::Join\": [\",\", [a, { Ref: P }, c]] }");
    assert_eq!(resolve(&template, &join).unwrap().unwrap().value, archpolicy::yaml::Value::Str("a,5,c".into()));
}

#[test]
fn a_parameter_of_many_integers_is_weighed_in_bytes_when_copied() {
    // 240 000 integers are some 11 MB as nodes: copied 40 times they would
    // be 460 MB, counted as 10 MB when a node was a byte; weighed in
    // bytes, a copy within the first seven is refused.
    let selects = templates::selects(40);
    let extra = templates::many_ints(240_000);
    let properties = format!("      Tags: {selects}\n      MemorySize: !Select [0, !Ref P]\n");
    let template = Template::parse("t.yaml", &sam(&extra, &properties)).unwrap();
    let copies = node(&selects);
    let refused = resolve(&template, &copies).unwrap_err();
    assert!(refused.contains("copied parameter values"), "{refused}");
    assert!(template.fuel.spent() <= template.fuel.limit());
    // One copy fits, and reads the value.
    let fresh = Template::parse("t.yaml", &sam(&extra, "")).unwrap();
    let one = node("{ \"Fn::Select\": [2, { Ref: P }] }");
    assert_eq!(resolve(&fresh, &one).unwrap().unwrap().value, archpolicy::yaml::Value::Int(1));
}

#[test]
fn forty_thousand_lookups_are_indexed() {
    let mapping = templates::mapping(40_000, |i| format!("v{i}"));
    let lookups: Vec<String> = (0..40_000).map(|i| format!("{{ \"Fn::FindInMap\": [M, K{i}, V] }}")).collect();
    let template = Template::parse("t.yaml", &sam(&mapping, "")).unwrap();
    let values = resolve(&template, &node(&format!("[{}]", lookups.join(", ")))).unwrap().unwrap();
    let archpolicy::yaml::Value::Seq(items) = values.value else { panic!("a list") };
    assert_eq!(items.len(), 40_000);
    assert_eq!(items[39_999].value, archpolicy::yaml::Value::Str("v39999".into()));
    let missing = node("{ \"Fn::FindInMap\": [M, K40000, V] }");
    assert!(resolve(&template, &missing).unwrap_err().contains("`Mappings` has no `M.K40000.V`"));
}

#[test]
fn fifty_thousand_apis_are_classified_by_index() {
    // Scanned for each API, 2.5 billion steps; indexed, one lookup each.
    let imported = import_str("t.yaml", &templates::apis(50_000, std::iter::once(5))).unwrap();
    assert_eq!(imported.classification().services.len(), 1);
    assert_eq!(imported.classification().services[0].resources, ["A5", "M5", "Fn"]);
}

#[test]
fn a_template_over_the_node_budget_is_refused_as_it_is_read() {
    // 70 000 APIs are some 280 000 keys and values: over the template's 250 000.
    let failure = import_str("t.yaml", &templates::apis(70_000, std::iter::empty())).unwrap_err();
    let error = &failure.errors()[0];
    assert_eq!(miette::Diagnostic::code(error).map(|c| c.to_string()).as_deref(), Some("archpolicy::import::syntax"));
    assert!(error.to_string().contains("more than 250000 keys and values"), "{error}");
    // Just under it reads.
    assert!(import_str("t.yaml", &templates::apis(60_000, std::iter::empty())).is_ok());
}

#[test]
fn a_terraform_plan_with_references_in_every_instance_is_refused() {
    // 3 000 functions (count), each of 3 000 log groups refers to all of
    // them: 9 million addresses if copied into every instance.
    let plan = templates::terraform(3_000);
    let failure = import_str("plan.json", &plan).unwrap_err();
    let errors: Vec<&ImportError> = failure.errors().iter().collect();
    assert_eq!(errors.len(), 1);
    match errors[0] {
        ImportError::Budget { template, work, span } => {
            assert_eq!(template, "plan.json");
            assert_eq!(work, "Terraform references");
            assert!(span.is_some(), "it points at the resource being lowered");
        }
        other => panic!("expected the budget error, got {other:?}"),
    }
}

/// A function behind the implicit API, with an optional `aws:cdk:path`.
fn cdk_function(id: &str, path: &str) -> String {
    format!(
        "  {id}:\n    Type: AWS::Serverless::Function\n    Metadata: {{ aws:cdk:path: \"{path}\" }}\n    Properties:\n      \
         Runtime: python3.13\n      Timeout: {}\n      Events:\n        E: {{ Type: Api, Properties: {{ Path: /{id}, Method: get }} }}\n",
        if id == "Slow" { 25 } else { 3 }
    )
}

#[test]
fn a_select_that_names_two_resources_is_an_error_listing_both() {
    // `Slow`'s construct path is the logical ID of `Fast`: `select: Fast` names both.
    let template = format!(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n{}{}",
        cdk_function("Fast", "Stack/Fast/Resource"),
        cdk_function("Slow", "Fast")
    );
    let failure = stand_on(&template, "Fast").unwrap_err();
    let errors: Vec<&LoadError> = failure.errors().iter().collect();
    assert_eq!(errors.len(), 1, "{failure}");
    let LoadError::ImportAmbiguous { names, ids, matches, .. } = errors[0] else { panic!("{failure}") };
    assert_eq!(names, "`Fast` (construct `Stack/Fast/Resource`), `Slow` (construct `Fast`)");
    assert_eq!(ids, "`Stack/Fast/Resource`, `Slow`", "a name that selects each alone");
    assert_eq!(matches.len(), 2, "a label at each resource");
    // Each alone selects its own function.
    let fast = stand_on(&template, "Stack/Fast/Resource").unwrap();
    assert_eq!(fast.model().function().unwrap().timeout.to_string(), "3s");
    let slow = stand_on(&template, "Slow").unwrap();
    assert_eq!(slow.model().function().unwrap().timeout.to_string(), "25s");
    // Two constructs with one path: neither is picked.
    let twice = format!(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n{}{}",
        cdk_function("Fast", "Stack/Fn"),
        cdk_function("Slow", "Stack/Fn")
    );
    let failure = stand_on(&twice, "Stack/Fn").unwrap_err();
    assert!(failure.to_string().contains("`Stack/Fn` names 2 services of the template"), "{failure}");
    assert!(matches!(failure.errors().iter().next(), Some(LoadError::ImportAmbiguous { .. })));
}

/// A random condition over `conditions` names (which may name each other, and themselves).
fn condition(conditions: usize) -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        (0..conditions).prop_map(|i| format!("{{\"Condition\":\"C{i}\"}}")),
        ("[ab]", "[ab]").prop_map(|(a, b)| format!("{{\"Fn::Equals\":[\"{a}\",\"{b}\"]}}")),
        Just("{\"Fn::Equals\":[{\"Ref\":\"P\"},\"ab\"]}".to_string()),
    ];
    leaf.prop_recursive(4, 40, 10, |inner| {
        prop_oneof![
            inner.clone().prop_map(|c| format!("{{\"Fn::Not\":[{c}]}}")),
            prop::collection::vec(inner.clone(), 2..=10).prop_map(|cs| format!("{{\"Fn::And\":[{}]}}", cs.join(","))),
            prop::collection::vec(inner, 2..=10).prop_map(|cs| format!("{{\"Fn::Or\":[{}]}}", cs.join(","))),
        ]
    })
}

/// A random value of nested intrinsics.
fn value(conditions: usize) -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        "[a-z]{0,3}".prop_map(|s| format!("\"{s}\"")),
        Just("{\"Ref\":\"P\"}".to_string()),
        Just("{\"Ref\":\"L\"}".to_string()),
        Just("{\"Ref\":\"Nope\"}".to_string()),
        (0..3usize, 0..3usize).prop_map(|(a, b)| format!("{{\"Fn::FindInMap\":[\"M\",\"K{a}\",\"V{b}\"]}}")),
        "[a-z$\\{\\}!P]{0,12}".prop_map(|s| format!("{{\"Fn::Sub\":\"{s}\"}}")),
    ];
    leaf.prop_recursive(5, 64, 8, move |inner| {
        prop_oneof![
            (0..conditions, inner.clone(), inner.clone())
                .prop_map(|(c, a, b)| format!("{{\"Fn::If\":[\"C{c}\",{a},{b}]}}")),
            ("[,-]{0,2}", prop::collection::vec(inner.clone(), 0..8))
                .prop_map(|(d, parts)| format!("{{\"Fn::Join\":[\"{d}\",[{}]]}}", parts.join(","))),
            (0..4usize, prop::collection::vec(inner.clone(), 0..4))
                .prop_map(|(i, items)| format!("{{\"Fn::Select\":[{i},[{}]]}}", items.join(","))),
            (inner.clone(), inner.clone())
                .prop_map(|(a, b)| format!("{{\"Fn::Sub\":[\"${{A}}-${{B}}${{P}}${{A}}\",{{\"A\":{a},\"B\":{b}}}]}}")),
            prop::collection::vec(inner, 0..6).prop_map(|items| format!("[{}]", items.join(","))),
        ]
    })
}

fn random_template() -> impl Strategy<Value = (String, Vec<String>)> {
    (1..12usize).prop_flat_map(|n| {
        (prop::collection::vec(condition(n), n), prop::collection::vec(value(n), 1..6), "[ab]{1,2}")
    })
    .prop_map(|(conditions, values, p)| {
        let conditions: Vec<String> =
            conditions.iter().enumerate().map(|(i, c)| format!("\"C{i}\":{c}")).collect();
        let mappings = "\"M\":{\"K0\":{\"V0\":\"x\",\"V1\":[\"y\",\"z\"]},\"K1\":{\"V0\":{\"Ref\":\"P\"}}}";
        let template = format!(
            "{{\"Parameters\":{{\"P\":{{\"Type\":\"String\",\"Default\":\"{p}\"}},\"L\":{{\"Type\":\"CommaDelimitedList\",\"Default\":[\"{p}\",\"q\"]}}}},\
             \"Conditions\":{{{}}},\"Mappings\":{{{mappings}}},\"Resources\":{{\"R\":{{\"Type\":\"AWS::SNS::Topic\"}}}}}}",
            conditions.join(",")
        );
        (template, values)
    })
}

proptest! {
    // 64 cases by default; `PROPTEST_CASES=10000 cargo test --release --test it import_budget::` runs more (docs/testing.md).
    #![proptest_config(common::proptest_config(64))]

    /// Every value and condition of a random template of nested intrinsics
    /// ends, under any budget, with a value, an unresolved value, or the
    /// budget error once the budget is out; fuel spent never passes the budget.
    #[test]
    fn evaluation_ends_within_the_budget_and_never_overspends(
        (text, values) in random_template(),
        limit in prop_oneof![Just(MAX_FUEL), 0..20_000u64],
    ) {
        let mut template = Template::parse("t.json", &text).unwrap();
        template.fuel = Fuel::with_limit(limit);
        let parameters = Parameters { values: Default::default(), use_defaults: true };
        let resolver = Resolver::new(&template, &parameters);
        let names: Vec<String> = template.conditions.keys().cloned().collect();
        for name in &names {
            match resolver.condition(name, miette::SourceSpan::from((0, 0)), 0) {
                Ok(_) => {}
                Err(e) if e.message.contains("budget") => prop_assert!(template.fuel.exhausted().is_some()),
                Err(_) => {}
            }
        }
        for v in &values {
            let node = node(v);
            match resolver.value(&node) {
                Ok(_) => {}
                Err(e) if e.message.contains("budget") => prop_assert!(template.fuel.exhausted().is_some()),
                Err(_) => {}
            }
            prop_assert!(template.fuel.spent() <= template.fuel.limit());
        }
        if template.fuel.exhausted().is_some() {
            prop_assert!(resolver.value(&node("{\"Ref\":\"P\"}")).unwrap_err().message.contains("budget"), "once out, out for good");
        }
    }

    /// With the whole budget, the conditions of a random template (up to 11,
    /// each up to ten wide and four deep, naming each other) are worked out
    /// without running out: each is worked out once.
    #[test]
    fn random_conditions_never_spend_the_whole_budget((text, _values) in random_template()) {
        let template = Template::parse("t.json", &text).unwrap();
        let parameters = Parameters::default();
        let resolver = Resolver::new(&template, &parameters);
        let names: Vec<String> = template.conditions.keys().cloned().collect();
        for name in &names {
            let _ = resolver.condition(name, miette::SourceSpan::from((0, 0)), 0);
        }
        prop_assert!(template.fuel.exhausted().is_none());
        prop_assert!(template.fuel.spent() < MAX_FUEL / 100);
    }
}
