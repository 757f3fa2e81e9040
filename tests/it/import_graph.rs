//! A differential test of the resource graph: for every template of the
//! shared corpus, which resource refers to which (as `Template` reads it,
//! the graph classification walks) equals what cfn-lint's template graph
//! (`cfnlint.graph`, run by tests/graph/edges.py) reports, edge for edge,
//! among the resource types the classifier reads.
//!
//! Where cfn-lint is not installed the test says so and passes, unless
//! `ARCHPOLICY_REQUIRE_SAM=1` (which `.ci/run` sets after installing
//! cfn-lint from PyPI): then a missing cfn-lint fails it.

use crate::common;

use std::collections::BTreeSet;
use std::process::Command;

use archpolicy::import_file;
use serde_json::Value as Json;

/// The resource types classification and translation read.
const READ: &[&str] = &[
    "AWS::ApiGateway::RestApi",
    "AWS::ApiGateway::Resource",
    "AWS::ApiGateway::Method",
    "AWS::ApiGateway::Stage",
    "AWS::ApiGateway::Authorizer",
    "AWS::ApiGateway::VpcLink",
    "AWS::ApiGatewayV2::Api",
    "AWS::ApiGatewayV2::Integration",
    "AWS::ApiGatewayV2::Route",
    "AWS::ApiGatewayV2::Stage",
    "AWS::ApiGatewayV2::Authorizer",
    "AWS::ApiGatewayV2::VpcLink",
    "AWS::Serverless::Api",
    "AWS::Serverless::HttpApi",
    "AWS::Serverless::Function",
    "AWS::Lambda::Function",
    "AWS::Lambda::Alias",
    "AWS::Lambda::Version",
    "AWS::Lambda::Url",
    "AWS::ElasticLoadBalancingV2::LoadBalancer",
    "AWS::ElasticLoadBalancingV2::Listener",
    "AWS::ElasticLoadBalancingV2::ListenerRule",
    "AWS::ElasticLoadBalancingV2::TargetGroup",
    "AWS::ECS::Service",
    "AWS::ECS::TaskDefinition",
    "AWS::ApplicationAutoScaling::ScalableTarget",
    "AWS::WAFv2::WebACLAssociation",
];

fn cfn_lint_available() -> bool {
    Command::new("python3").args(["-c", "import cfnlint.graph"]).output().is_ok_and(|o| o.status.success())
}

#[test]
fn the_resource_graph_agrees_with_cfn_lint_edge_for_edge() {
    if !cfn_lint_available() {
        assert!(
            std::env::var_os("ARCHPOLICY_REQUIRE_SAM").is_none(),
            "ARCHPOLICY_REQUIRE_SAM is set but python3 cannot import cfnlint.graph: `pip install cfn-lint`"
        );
        eprintln!("NOTE: cfn-lint is not installed (`pip install cfn-lint`): the graph differential test did not run");
        return;
    }
    let mut templates: Vec<std::path::PathBuf> = common::corpus()
        .into_iter()
        .map(|row| row.path)
        .filter(|path| !path.to_string_lossy().ends_with(".tf"))
        .filter(|path| import_file(path).is_ok())
        .collect();
    assert!(templates.len() >= 30, "{} templates", templates.len());
    // And this repository's own reference fixtures (issue 25).
    let fixtures = std::path::Path::new("tests/fixtures/import/references");
    let mut own: Vec<_> = std::fs::read_dir(fixtures).unwrap().map(|e| e.unwrap().path()).collect();
    own.retain(|p| p.is_file() && p.extension().is_some_and(|e| e != "md"));
    own.sort();
    templates.extend(own);
    let output = Command::new("python3").arg("tests/graph/edges.py").args(&templates).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let results: Vec<Json> = serde_json::from_slice(&output.stdout).unwrap();
    let mut compared = 0;
    for result in &results {
        let file = result["file"].as_str().unwrap();
        let name = std::path::Path::new(file).file_name().unwrap().to_string_lossy().to_string();
        if let Some(error) = result["error"].as_str() {
            // cfn-lint refuses a key written twice (E0000), which CloudFormation
            // deploys with its last value (docs/import.md): no graph to compare.
            assert!(
                error.contains("E0000") && error.contains("Duplicate found"),
                "{name}: cfn-lint refused it: {error}"
            );
            continue;
        }
        let imported = import_file(std::path::Path::new(file)).unwrap();
        let t = &imported.template();
        let read = |id: &str| t.resources.get(id).is_some_and(|r| READ.contains(&r.kind.as_str()));
        let ours: BTreeSet<(String, String)> = t
            .resources
            .values()
            .filter(|r| read(&r.id))
            .flat_map(|r| r.refs.iter().filter(|to| read(to) && **to != r.id).map(|to| (r.id.clone(), to.clone())))
            .collect();
        let theirs: BTreeSet<(String, String)> = result["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e[0].as_str().unwrap().to_string(), e[1].as_str().unwrap().to_string()))
            .filter(|(a, b)| read(a) && read(b))
            .collect();
        let only_ours: Vec<_> = ours.difference(&theirs).collect();
        let only_theirs: Vec<_> = theirs.difference(&ours).collect();
        assert!(
            only_ours.is_empty() && only_theirs.is_empty(),
            "{name}: only ours {only_ours:?}, only cfn-lint's {only_theirs:?}"
        );
        compared += ours.len();
    }
    assert!(compared >= 100, "{compared} edges compared");
}
