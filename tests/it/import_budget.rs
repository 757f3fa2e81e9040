//! The work budget of a template's import (`import::fuel`, issue 22): each
//! class of template the attacker review found costly either imports with
//! the right result or is refused with the one budget error, never hangs
//! or fills memory. Speed is never asserted; what is asserted is the
//! result, the error, and that fuel spent never passes the budget.

use crate::common;

use archpolicy::import::fuel::{Fuel, MAX_FUEL};
use archpolicy::import::resolve::{Parameters, Resolver};
use archpolicy::import::{ImportError, Template, import_str};
use archpolicy::yaml::Node;
use archpolicy::{LoadError, LoadFailure, Proposal};
use proptest::prelude::*;

const WORKLOAD: &str =
    "workload: { requests_per_month: 1, avg_duration: 1ms, max_request_duration: 1s, peak_rps: 1 }\n";

/// A SAM template of one function behind the implicit API, with `extra` top-level sections
/// and the function's `properties` (indented for the `Properties` mapping).
fn sam(extra: &str, properties: &str) -> String {
    format!(
        "Transform: AWS::Serverless-2016-10-31\n{extra}Resources:\n  F:\n    Type: AWS::Serverless::Function\n    \
         Properties:\n      Runtime: python3.13\n{properties}      Events:\n        E: {{ Type: Api, Properties: {{ Path: /, Method: get }} }}\n"
    )
}

/// Loads a proposal standing on `template` (written beside it) with `select`.
fn stand_on(template: &str, select: &str) -> Result<Proposal, LoadFailure> {
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
fn budget_error(failure: &LoadFailure) -> (String, String) {
    let errors: Vec<&LoadError> = failure.errors.iter().collect();
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

/// `C{i}` is `Fn::Or` (or `Fn::And`) of ten `Condition: C{i-1}`: worked out
/// by tree, `C12` is 10^12 evaluations; worked out once per name, 120 (12 levels: names nest at most 32 deep).
fn exponential_conditions(function: &str, levels: usize, base: &str) -> String {
    let mut out = format!("Conditions:\n  C0: {base}\n");
    for i in 1..=levels {
        let tens = vec![format!("{{ Condition: C{} }}", i - 1); 10].join(", ");
        out.push_str(&format!("  C{i}: {{ \"{function}\": [{tens}] }}\n"));
    }
    out
}

#[test]
fn exponential_conditions_are_worked_out_once_each() {
    for (function, base, timeout) in
        [("Fn::Or", "!Equals [a, b]", "4s"), ("Fn::And", "!Equals [a, a]", "3s"), ("Fn::Or", "!Equals [a, a]", "3s")]
    {
        let template = sam(&exponential_conditions(function, 12, base), "      Timeout: !If [C12, 3, 4]\n");
        let proposal = stand_on(&template, "F").unwrap_or_else(|e| panic!("{function}: {e}"));
        assert_eq!(proposal.model.function().unwrap().timeout.to_string(), timeout, "{function} {base}");
        let parsed = Template::parse("t.yaml", &template).unwrap();
        let parameters = Parameters::default();
        let resolver = Resolver::new(&parsed, &parameters);
        assert_eq!(resolver.condition("C12", miette::SourceSpan::from((0, 0)), 0), Ok(timeout == "3s"));
        assert!(parsed.fuel.spent() < MAX_FUEL / 100, "{} spent of {MAX_FUEL}", parsed.fuel.spent());
    }
    // `policy import` (classification and the listing) over the same template ends too.
    let imported = import_str("t.yaml", &sam(&exponential_conditions("Fn::Or", 12, "!Equals [a, b]"), "")).unwrap();
    assert_eq!(imported.findings.services.len(), 1);
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
    let parts = vec!["x"; 10_000].join(", ");
    let properties = format!("      MemorySize: !Join [\"{}\", [{parts}]]\n", "d".repeat(1 << 20));
    let failure = stand_on(&sam("", &properties), "F").unwrap_err();
    let (work, message) = budget_error(&failure);
    assert_eq!(work, "joined text (`Fn::Join`)", "{message}");
    // The length would overflow: it is computed with checked arithmetic, and refused.
    let template = Template::parse("t.yaml", &sam("", "")).unwrap();
    let join = node(&format!("{{ \"Fn::Join\": [\"{}\", [{parts}]] }}", "d".repeat(1 << 20)));
    assert!(resolve(&template, &join).unwrap_err().contains("joined text"));
    assert!(template.fuel.spent() <= template.fuel.limit());
}

#[test]
fn a_huge_sub_is_refused_before_it_is_built() {
    // One 64 KiB variable substituted 100 000 times: 6.4 GB if built.
    let pattern = "${A}".repeat(100_000);
    let properties = format!("      MemorySize: !Sub [\"{pattern}\", {{ A: \"{}\" }}]\n", "a".repeat(64 * 1024));
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
    // 300 000 integers are some 17 MB as nodes: copied 40 times they were
    // 700 MB counted as 12 MB; weighed in bytes, the fourth copy is refused.
    let ints = vec!["1"; 300_000].join(",");
    let selects = vec!["{ \"Fn::Select\": [0, { Ref: P }] }"; 40].join(", ");
    let extra = format!("Parameters:\n  P: {{ Type: List<Number>, Default: [{ints}] }}\n");
    let properties = format!("      Tags: [{selects}]\n      MemorySize: !Select [0, !Ref P]\n");
    let template = Template::parse("t.yaml", &sam(&extra, &properties)).unwrap();
    let copies = node(&format!("[{selects}]"));
    let refused = resolve(&template, &copies).unwrap_err();
    assert!(refused.contains("copied parameter values"), "{refused}");
    assert!(template.fuel.spent() <= template.fuel.limit());
    // One copy fits, and reads the value.
    let fresh = Template::parse("t.yaml", &sam(&extra, "")).unwrap();
    let one = node("{ \"Fn::Select\": [2, { Ref: P }] }");
    assert_eq!(resolve(&fresh, &one).unwrap().unwrap().value, archpolicy::yaml::Value::Int(1));
}

#[test]
fn eighty_thousand_lookups_are_indexed() {
    let entries: String = (0..80_000).map(|i| format!("    K{i}: {{ V: v{i} }}\n")).collect();
    let lookups: Vec<String> = (0..80_000).map(|i| format!("{{ \"Fn::FindInMap\": [M, K{i}, V] }}")).collect();
    let template = Template::parse("t.yaml", &sam(&format!("Mappings:\n  M:\n{entries}"), "")).unwrap();
    let values = resolve(&template, &node(&format!("[{}]", lookups.join(", ")))).unwrap().unwrap();
    let archpolicy::yaml::Value::Seq(items) = values.value else { panic!("a list") };
    assert_eq!(items.len(), 80_000);
    assert_eq!(items[79_999].value, archpolicy::yaml::Value::Str("v79999".into()));
    let missing = node("{ \"Fn::FindInMap\": [M, K80000, V] }");
    assert!(resolve(&template, &missing).unwrap_err().contains("`Mappings` has no `M.K80000.V`"));
}

#[test]
fn a_hundred_thousand_apis_are_classified_by_index() {
    let mut text =
        String::from("Resources:\n  Fn: { Type: AWS::Lambda::Function, Properties: { Runtime: python3.13 } }\n");
    for i in 0..100_000 {
        text.push_str(&format!("  A{i}: {{ Type: AWS::ApiGateway::RestApi }}\n"));
    }
    text.push_str("  M: { Type: AWS::ApiGateway::Method, Properties: { RestApiId: !Ref A5, Integration: { Uri: !GetAtt Fn.Arn } } }\n");
    let imported = import_str("t.yaml", &text).unwrap();
    assert_eq!(imported.findings.services.len(), 1);
    assert_eq!(imported.findings.services[0].resources, ["A5", "M", "Fn"]);
}

#[test]
fn a_terraform_plan_with_references_in_every_instance_is_refused() {
    // 3 000 functions (count), each of 3 000 log groups refers to all of
    // them: 9 million addresses if copied into every instance.
    let n = 3_000;
    let mut planned = Vec::new();
    for i in 0..n {
        planned.push(format!(
            "{{\"address\":\"aws_lambda_function.f[{i}]\",\"mode\":\"managed\",\"type\":\"aws_lambda_function\",\"name\":\"f\",\"index\":{i},\"values\":{{}}}}"
        ));
        planned.push(format!(
            "{{\"address\":\"aws_cloudwatch_log_group.g[{i}]\",\"mode\":\"managed\",\"type\":\"aws_cloudwatch_log_group\",\"name\":\"g\",\"index\":{i},\"values\":{{}}}}"
        ));
    }
    let plan = format!(
        "{{\"format_version\":\"1.2\",\"planned_values\":{{\"root_module\":{{\"resources\":[{}]}}}},\
         \"configuration\":{{\"root_module\":{{\"resources\":[{{\"address\":\"aws_cloudwatch_log_group.g\",\"mode\":\"managed\",\
         \"type\":\"aws_cloudwatch_log_group\",\"name\":\"g\",\"expressions\":{{\"name\":{{\"references\":[\"aws_lambda_function.f\"]}}}}}}]}}}}}}",
        planned.join(",")
    );
    let failure = import_str("plan.json", &plan).unwrap_err();
    let errors: Vec<&ImportError> = failure.errors.iter().collect();
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
    let errors: Vec<&LoadError> = failure.errors.iter().collect();
    assert_eq!(errors.len(), 1, "{failure}");
    let LoadError::ImportAmbiguous { names, ids, matches, .. } = errors[0] else { panic!("{failure}") };
    assert_eq!(names, "`Fast` (construct `Stack/Fast/Resource`), `Slow` (construct `Fast`)");
    assert_eq!(ids, "`Stack/Fast/Resource`, `Slow`", "a name that selects each alone");
    assert_eq!(matches.len(), 2, "a label at each resource");
    // Each alone selects its own function.
    let fast = stand_on(&template, "Stack/Fast/Resource").unwrap();
    assert_eq!(fast.model.function().unwrap().timeout.to_string(), "3s");
    let slow = stand_on(&template, "Slow").unwrap();
    assert_eq!(slow.model.function().unwrap().timeout.to_string(), "25s");
    // Two constructs with one path: neither is picked.
    let twice = format!(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n{}{}",
        cdk_function("Fast", "Stack/Fn"),
        cdk_function("Slow", "Stack/Fn")
    );
    let failure = stand_on(&twice, "Stack/Fn").unwrap_err();
    assert!(failure.to_string().contains("`Stack/Fn` names 2 resources of the template"), "{failure}");
    assert!(matches!(failure.errors.iter().next(), Some(LoadError::ImportAmbiguous { .. })));
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
