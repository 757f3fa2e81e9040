//! The examples load, validate against the published JSON Schema, and the
//! generated docs are current.

use crate::common;

use common::assert_current;

use std::path::{Path, PathBuf};

fn examples() -> Vec<PathBuf> {
    common::proposal_files(&["examples"])
}

#[test]
fn every_example_loads() {
    let files = examples();
    assert!(files.len() >= 7, "expected the three patterns and scenarios A to D, found {files:?}");
    for file in files {
        if let Err(failure) = archpolicy::load_file(&file) {
            panic!("{} did not load: {failure}", file.display());
        }
    }
}

#[test]
fn scenarios_have_the_patterns_the_guide_gives_them() {
    use archpolicy::model::Pattern::*;
    for (file, pattern) in [
        ("scenario_a_saas_api", LambdaApiGateway),
        ("scenario_b_image_processing", FargateAlb),
        ("scenario_c_websocket_chat", FargateAlb),
        ("scenario_d_partner_api", FargateApiGateway),
        ("lambda_api_gateway", LambdaApiGateway),
        ("fargate_alb", FargateAlb),
        ("fargate_api_gateway", FargateApiGateway),
    ] {
        let proposal = archpolicy::load_file(format!("examples/{file}.arch.yaml")).unwrap();
        assert_eq!(proposal.model().pattern(), pattern, "{file}");
    }
    // B runs requests for dozens of seconds: only the ALB path holds them.
    let b = archpolicy::load_file("examples/scenario_b_image_processing.arch.yaml").unwrap().facts();
    assert_eq!(b.get("supports.long_requests").unwrap().value.to_string(), "true");
    // C needs WebSockets carried end to end.
    let c = archpolicy::load_file("examples/scenario_c_websocket_chat.arch.yaml").unwrap().facts();
    assert_eq!(c.get("supports.websockets").unwrap().value.to_string(), "true");
    // D authorizes and throttles at the gateway.
    let d = archpolicy::load_file("examples/scenario_d_partner_api.arch.yaml").unwrap().facts();
    assert_eq!(d.get("auth.enforced_at").unwrap().value.to_string(), "gateway");
    assert!(d.get("gateway.throttle.rate").is_some());
}

fn schema_validator() -> jsonschema::Validator {
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string("docs/proposal.schema.json").unwrap()).unwrap();
    jsonschema::validator_for(&schema).expect("the schema compiles")
}

/// YAML to JSON through the same parser the loader uses.
fn yaml_to_json(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap();
    serde_saphyr::from_str(&text).unwrap()
}

#[test]
fn every_example_validates_against_the_json_schema() {
    let validator = schema_validator();
    for file in examples() {
        let instance = yaml_to_json(&file);
        let errors: Vec<String> =
            validator.iter_errors(&instance).map(|e| format!("{} at {}", e, e.instance_path())).collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", file.display());
    }
}

#[test]
fn the_json_schema_rejects_what_the_loader_rejects() {
    let validator = schema_validator();
    for (fixture, why) in [
        ("unknown_top_level_key", "unknown key"),
        ("unknown_key_typo", "unknown key in a component"),
        ("timeout_without_unit", "a duration without its unit"),
        ("foreign_component", "a component of another pattern"),
        ("unknown_pattern", "an unknown pattern"),
    ] {
        let instance = yaml_to_json(Path::new(&format!("tests/fixtures/load/{fixture}.arch.yaml")));
        assert!(!validator.is_valid(&instance), "the schema accepts {why} ({fixture})");
    }
}

#[test]
fn facts_reference_is_current() {
    assert_current("docs/facts.md", &archpolicy::facts::doc::markdown(), "examples");
}

#[test]
fn published_json_schema_is_current() {
    let schema = archpolicy::json_schema::proposal_schema();
    assert_current(
        "docs/proposal.schema.json",
        &format!("{}\n", serde_json::to_string_pretty(&schema).unwrap()),
        "examples",
    );
}

#[test]
fn published_needs_schema_is_current() {
    let schema = archpolicy::json_schema::needs_schema();
    assert_current(
        "docs/needs.schema.json",
        &format!("{}\n", serde_json::to_string_pretty(&schema).unwrap()),
        "examples",
    );
}

/// The sections a proposal and a needs file share are stated once: each
/// is the same schema in both, key, type and description.
#[test]
fn the_two_schemas_state_the_shared_sections_alike() {
    let proposal = archpolicy::json_schema::proposal_schema();
    let needs = archpolicy::json_schema::needs_schema();
    let shared: Vec<&String> =
        needs["properties"].as_object().unwrap().keys().filter(|k| *k != "requirements").collect();
    assert!(shared.len() >= 8, "{shared:?}");
    for key in shared {
        assert_eq!(proposal["properties"][key], needs["properties"][key], "`{key}`");
    }
}

#[test]
fn the_scenarios_and_reference_patterns_pass_the_standard_pack() {
    // The guide's recommendation for each scenario passes with no finding at
    // all; the files that break policies on purpose are in breaks_on_purpose/.
    let set = archpolicy::PolicySet::standard().unwrap();
    let options = archpolicy::policy::RunOptions {
        today: archpolicy::units::Date::new(2026, 11, 30).unwrap(),
        ..archpolicy::policy::RunOptions::standard()
    };
    for file in examples().into_iter().filter(|f| !f.starts_with("examples/breaks_on_purpose")) {
        let report = set.check_with(&archpolicy::load_file(&file).unwrap(), &options);
        let found: Vec<String> = report
            .findings
            .iter()
            .filter(|f| f.waiver.is_none())
            .map(|f| format!("{}: {}", f.policy, f.message))
            .collect();
        assert!(found.is_empty(), "{}: {found:#?}", file.display());
    }
    for file in common::proposal_files(&["examples/breaks_on_purpose"]) {
        let report = set.check_with(&archpolicy::load_file(&file).unwrap(), &options);
        assert!(!report.findings.is_empty(), "{} breaks no policy", file.display());
    }
}

proptest::proptest! {
    #![proptest_config(common::proptest_config(48))]

    /// Every generated valid model, of every pattern of the registry (the
    /// function URL's `function_url` with its CORS lists too), written as the
    /// loader writes it, is valid against the published JSON Schema and loads
    /// back to the same model: the schema and the loader say the same of it.
    #[test]
    fn every_patterns_valid_models_pass_the_json_schema(model in crate::strategies::model()) {
        let validator = schema_validator();
        let instance = serde_json::to_value(&model).unwrap();
        let errors: Vec<String> = validator.iter_errors(&instance).map(|e| format!("{} at {}", e, e.instance_path())).collect();
        proptest::prop_assert!(errors.is_empty(), "{}: {errors:#?}", model.pattern);
        let text = serde_json::to_string(&instance).unwrap();
        let loaded = archpolicy::load_str("m.arch.json", &text).map_err(|f| f.to_string());
        proptest::prop_assert_eq!(loaded.map(|p| p.into_model()), Ok(model));
    }
}
