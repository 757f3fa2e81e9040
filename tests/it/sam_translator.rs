//! The SAM transform as we read it, against the SAM translator itself.
//!
//! tests/sam/translate.py runs AWS's translator (`samtranslator`, which
//! cfn-lint carries) offline on every SAM template of the shared corpus; this
//! test reads the same templates and checks, template by template, that the
//! functions' properties after `Globals` are merged, the APIs (implicit ones
//! included) and which functions each API integrates with are the same.
//!
//! Where `samtranslator` is not installed the test says so and passes, unless
//! `ARCHPOLICY_REQUIRE_SAM=1` (which `.ci/run` sets after installing cfn-lint
//! from PyPI): then a missing translator fails it.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use archpolicy::import::{Template, import_file};
use archpolicy::model::Pattern;
use archpolicy::yaml::{Node, Value};
use serde_json::Value as Json;

/// The properties the translator's output is compared on.
const PROPERTIES: &[&str] = &[
    "Runtime",
    "MemorySize",
    "Timeout",
    "Architectures",
    "EphemeralStorage",
    "SnapStart",
    "VpcConfig",
    "ProvisionedConcurrencyConfig",
];

fn translator_available() -> bool {
    Command::new("python3").args(["-c", "import samtranslator"]).output().is_ok_and(|o| o.status.success())
}

/// A node as JSON, intrinsics kept as the mappings they are.
fn json(node: &Node) -> Json {
    match &node.value {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => serde_json::json!(i64::try_from(*i).unwrap()),
        Value::Float(x) => serde_json::json!(x),
        Value::Str(s) => Json::String(s.clone()),
        Value::Seq(items) => Json::Array(items.iter().map(json).collect()),
        Value::Map(entries) => Json::Object(entries.iter().map(|(k, v)| (k.name.clone(), json(v))).collect()),
    }
}

/// Our reading of one SAM function: the compared properties after `Globals`.
fn our_function(template: &Template, id: &str) -> BTreeMap<String, Json> {
    let resource = &template.resources[id];
    PROPERTIES.iter().filter_map(|p| resource.property(p).map(|n| (p.to_string(), json(n)))).collect()
}

fn their_function(value: &Json) -> BTreeMap<String, Json> {
    value.as_object().unwrap().iter().map(|(k, v)| (k.clone(), v.clone())).collect()
}

#[test]
fn globals_and_implicit_apis_agree_with_the_sam_translator() {
    if !translator_available() {
        assert!(
            std::env::var_os("ARCHPOLICY_REQUIRE_SAM").is_none(),
            "ARCHPOLICY_REQUIRE_SAM is set but python3 cannot import samtranslator: `pip install cfn-lint`"
        );
        eprintln!(
            "NOTE: samtranslator is not installed (`pip install cfn-lint`): the SAM differential test did not run"
        );
        return;
    }
    // Laid out as in their repositories, so a template's local includes are beside it.
    let (_tree, rows) = common::corpus_tree();
    let sam: Vec<std::path::PathBuf> = rows
        .into_iter()
        .filter(|(row, _)| std::fs::read_to_string(&row.path).is_ok_and(|t| t.contains("AWS::Serverless-2016-10-31")))
        .map(|(_, at)| at)
        .collect();
    assert!(sam.len() >= 20, "{} SAM templates in the corpus", sam.len());
    let output = Command::new("python3").arg("tests/sam/translate.py").args(&sam).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let results: Vec<Json> = serde_json::from_slice(&output.stdout).unwrap();
    let mut compared = (0, 0, 0);
    for result in &results {
        let file = result["file"].as_str().unwrap();
        let name = std::path::Path::new(file).file_name().unwrap().to_string_lossy().to_string();
        assert!(result["error"].is_null(), "{name}: the translator refused it: {}", result["error"]);
        let imported = import_file(std::path::Path::new(file)).unwrap_or_else(|f| panic!("{name}: {f}"));
        let template = &imported.template();
        for (id, theirs) in result["functions"].as_object().unwrap() {
            assert_eq!(our_function(template, id), their_function(theirs), "{name}: function {id}");
            compared.0 += 1;
        }
        compared.1 += compare_apis(&name, template, &result["apis"]);
        compared.2 += compare_integrations(&name, &imported, &result["apis"]);
    }
    // Every template was compared on something: functions, APIs, integrations.
    assert!(compared.0 >= 24 && compared.1 >= 19 && compared.2 >= 13, "compared {compared:?}");
}

/// The same REST and HTTP APIs (implicit ones included), of the same kind.
fn compare_apis(name: &str, template: &Template, apis: &Json) -> usize {
    let kind = |t: &str| match t {
        "AWS::ApiGateway::RestApi" | "AWS::Serverless::Api" => Some("rest"),
        "AWS::ApiGatewayV2::Api" | "AWS::Serverless::HttpApi" => Some("http"),
        _ => None,
    };
    let ours: BTreeMap<String, &str> = template
        .resources
        .values()
        .filter_map(|r| {
            let k = kind(&r.kind)?;
            let websocket = r.text("ProtocolType").is_some_and(|p| p.eq_ignore_ascii_case("WEBSOCKET"));
            Some((r.id.clone(), if websocket { "websocket" } else { k }))
        })
        .collect();
    let theirs: BTreeMap<String, &str> =
        apis.as_object().unwrap().iter().map(|(id, api)| (id.clone(), api["kind"].as_str().unwrap())).collect();
    assert_eq!(ours, theirs, "{name}: APIs");
    ours.len()
}

/// Each REST or HTTP API integrates with the same SAM functions.
fn compare_integrations(name: &str, imported: &archpolicy::import::Imported, apis: &Json) -> usize {
    let sam_functions: BTreeSet<&str> =
        imported.template().of_kind(&["AWS::Serverless::Function"]).map(|r| r.id.as_str()).collect();
    let mut ours: BTreeSet<(String, String)> = BTreeSet::new();
    let websocket = |id: &str| {
        imported
            .template()
            .resources
            .get(id)
            .and_then(|r| r.text("ProtocolType"))
            .is_some_and(|p| p.eq_ignore_ascii_case("WEBSOCKET"))
    };
    for service in imported.classification().services.iter().filter(|s| s.pattern == Pattern::LambdaApiGateway) {
        // WebSocket APIs are compared as APIs above; their routes are not SAM events.
        if sam_functions.contains(service.select.raw()) && !websocket(service.resources[0].raw()) {
            ours.insert((service.resources[0].raw().to_string(), service.select.raw().to_string()));
        }
    }
    let mut theirs: BTreeSet<(String, String)> = BTreeSet::new();
    for (id, api) in apis.as_object().unwrap() {
        if api["kind"] == "websocket" {
            continue;
        }
        for f in api["functions"].as_array().unwrap() {
            theirs.insert((id.clone(), f.as_str().unwrap().to_string()));
        }
    }
    assert_eq!(ours, theirs, "{name}: which API reaches which function");
    ours.len()
}
