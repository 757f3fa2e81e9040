//! Proposals that stand on a template (`import:`): the verdicts the corpus's
//! notes imply, values and provenance as AWS reads the template, conflicts,
//! intrinsics, parameters files, and the skeletons `policy import --write`
//! writes.

use crate::common;

use std::path::Path;

use archpolicy::import::{Imported, ImportedService, import_file};
use archpolicy::model::{NamedEnum, Pattern};
use archpolicy::report::Status;
use archpolicy::units::Duration;
use archpolicy::{PolicySet, Proposal};

/// A proposal standing on `service` of the template at `template`, written
/// beside it (so `from` is the file name), with `extra` lines added.
fn proposal_text(template: &Path, service: &ImportedService, max_request: &str, extra: &str) -> String {
    let from = template.file_name().unwrap().to_string_lossy();
    format!(
        "name: imported\nenvironment: staging\n\
         import: {{ from: \"{from}\", select: \"{}\", parameter_defaults: true }}\n\
         workload: {{ requests_per_month: 1000000, avg_duration: 100ms, max_request_duration: {max_request}, peak_rps: 10 }}\n{extra}",
        service.select.raw()
    )
}

/// Loads a proposal as if it were the file `name` beside the template.
fn load_beside(template: &Path, text: &str) -> Result<Proposal, archpolicy::Failure<archpolicy::LoadError>> {
    let name = template.parent().unwrap().join("imported.arch.yaml");
    archpolicy::load_str(&name.to_string_lossy(), text)
}

/// The keys no template decides, for the service's pattern and template.
fn open_keys(imported: &Imported, service: &ImportedService) -> String {
    let resource = imported.template().resources.get(service.select.raw()).unwrap();
    match service.pattern {
        Pattern::LambdaApiGateway if resource.property("VpcConfig").is_some() => {
            "function: { vpc: { subnets: private } }\n".into()
        }
        Pattern::LambdaApiGateway => String::new(),
        _ => "service: { auth: library }\n".into(),
    }
}

/// The `gateway-sync-limit` verdict on a proposal standing on `service`
/// whose longest request is the API-facing function's timeout (29 s for a
/// Fargate service, API Gateway's default), and that timeout.
fn verdict(set: &PolicySet, path: &Path, imported: &Imported, service: &ImportedService) -> (Status, String) {
    let extra = open_keys(imported, service);
    let probe = load_beside(path, &proposal_text(path, service, "1s", &extra))
        .unwrap_or_else(|f| panic!("{}: {}", path.display(), archpolicy::source::Failure::to_string(&f)));
    let timeout = probe.model().function().map_or("29s".to_string(), |f| f.timeout.to_string());
    let proposal = load_beside(path, &proposal_text(path, service, &timeout, &extra)).unwrap();
    let report = set.check(&proposal);
    let outcome = report.outcomes.iter().find(|o| o.policy == "gateway-sync-limit").unwrap();
    (outcome.status, timeout)
}

/// The timeout a `[29s-RULE:VIOLATION N > ...]` note names: the API-facing function that breaks the rule.
fn violating_timeout(notes: &str) -> Option<String> {
    let rule = notes.split("[29s-RULE:").nth(1)?;
    let rule = rule.split(']').next()?;
    if !rule.starts_with("VIOLATION ") {
        return None;
    }
    let before = rule.split(" > ").next()?;
    let number: String =
        before.chars().rev().take_while(char::is_ascii_digit).collect::<String>().chars().rev().collect();
    Some(format!("{number}s"))
}

#[test]
fn the_29s_rule_verdicts_follow_the_corpus_notes() {
    let set = PolicySet::standard().unwrap();
    let mut table = String::new();
    let rows: Vec<_> = common::corpus().into_iter().filter(|r| r.notes.contains("29s-RULE")).collect();
    assert!(rows.len() >= 14, "the manifest marks {} templates", rows.len());
    for row in rows {
        let name = row.path.file_name().unwrap().to_string_lossy().to_string();
        let rule = row.notes.split("29s-RULE").nth(1).and_then(|r| r.split(']').next()).unwrap_or_default();
        let imported = match import_file(&row.path) {
            Ok(imported) => imported,
            Err(failure) => {
                // Terraform HCL is refused (docs/import.md): not a template this tool reads whole.
                assert!(name.ends_with(".tf"), "{name}: {failure}");
                table.push_str(&format!("{name}\n  [29s-RULE{rule}]: refused: {}\n", failure.errors()[0]));
                continue;
            }
        };
        table.push_str(&format!("{name}\n  [29s-RULE{rule}]\n"));
        if row.group == "near-miss" {
            // A Lambda function behind a WebSocket API is now the WebSocket form of
            // `lambda_api_gateway`; the corpus's note reads it as out of scope.
            let websocket = |s: &archpolicy::import::ImportedService| {
                let api = s.resources.first().and_then(|id| imported.template().resources.get(id.raw()));
                api.and_then(|a| a.text("ProtocolType")).is_some_and(|p| p.eq_ignore_ascii_case("WEBSOCKET"))
            };
            assert!(
                imported.classification().services.iter().all(websocket),
                "{name}: a near-miss is no whole pattern"
            );
            table.push_str("  not a whole pattern: no verdict\n");
            continue;
        }
        assert!(!imported.classification().services.is_empty(), "{name}: a whole template");
        let violating = violating_timeout(&row.notes);
        let mut denied = false;
        for service in &imported.classification().services {
            let (status, timeout) = verdict(&set, &row.path, &imported, service);
            let same = |a: &str, b: &str| a.parse::<Duration>().ok() == b.parse::<Duration>().ok();
            let expected = match &violating {
                Some(v) if same(v, &timeout) => Status::Fail,
                _ => Status::Pass,
            };
            assert_eq!(status, expected, "{name}: {} with requests of {timeout}", service.select.raw());
            denied |= status == Status::Fail;
            table.push_str(&format!("  {} (timeout {timeout}): {status:?}\n", service.select.raw()));
        }
        if let Some(v) = violating {
            assert!(denied, "{name}: no service with the violating timeout {v}");
        }
    }
    insta::assert_snapshot!(table);
}

#[test]
fn a_note_names_its_violating_timeout() {
    assert_eq!(violating_timeout("x [29s-RULE:VIOLATION 30 > 29, off-by-one]"), Some("30s".into()));
    assert_eq!(violating_timeout("[29s-RULE:VIOLATION Lambda 60 > 29s integration]"), Some("60s".into()));
    assert_eq!(violating_timeout("[29s-RULE:BOUNDARY exactly 29, must NOT fire]"), None);
    assert_eq!(violating_timeout("[29s-RULE:VIOLATION-candidate (x) 30 > 29]"), None);
}

fn example(name: &str) -> std::path::PathBuf {
    Path::new("tests/fixtures/import").join(name)
}

/// Loads a fixture proposal, or renders its errors as a user sees them.
fn load_or_render(name: &str) -> Result<Proposal, String> {
    archpolicy::load_file(example(name)).map_err(|failure| {
        let style = archpolicy::report::human::Style::PLAIN;
        failure.reports().iter().map(|r| archpolicy::report::human::render(r, style)).collect::<String>()
    })
}

#[test]
fn imported_values_come_from_the_template_line_and_defaults_from_aws() {
    let proposal = load_or_render("orders.arch.yaml").unwrap();
    let facts = proposal.facts();
    let from = |path: &str| facts.get(path).unwrap().describe_provenance(proposal.source());
    assert_eq!(from("function.timeout"), "tests/fixtures/import/orders-template.yaml:34:16");
    assert_eq!(facts.get("function.timeout").unwrap().value.to_string(), "20s");
    // MemorySize "1024" as a string reads as CloudFormation reads it.
    assert_eq!(facts.get("function.memory").unwrap().value.to_string(), "1GiB");
    assert!(
        from("gateway.endpoint")
            .starts_with("AWS default: a REST API with no `EndpointConfiguration` is edge-optimized")
    );
    assert_eq!(facts.get("gateway.endpoint").unwrap().value.to_string(), "edge");
    assert!(
        from("function.architecture").starts_with("AWS default: Lambda instruction set"),
        "{}",
        from("function.architecture")
    );
    // The proposal's own values keep the proposal's lines.
    assert_eq!(from("workload.peak_rps"), "tests/fixtures/import/orders.arch.yaml:9:13");
}

#[test]
fn findings_point_into_the_template() {
    let proposal = load_or_render("orders.arch.yaml").unwrap();
    let set = PolicySet::standard().unwrap();
    let report = set.check(&proposal);
    // The WAF the template leaves out: the finding points at the API in the template.
    let waf = report.findings.iter().find(|f| f.policy == "public-rest-api-waf").expect("no web ACL");
    let at = waf.proposal_location.as_ref().unwrap();
    assert_eq!((at.file.as_str(), at.line), ("tests/fixtures/import/orders-template.yaml", 24));
    // A 25 s request on a 20 s function: the limit's value names the template's line.
    let sync =
        report.findings.iter().find(|f| f.policy == "gateway-sync-limit").expect("a 25s request on a 20s function");
    let limit = sync.values.iter().find(|v| v.name == "request.sync_limit").unwrap();
    assert!(limit.from.contains("orders-template.yaml:34:16"), "{}", limit.from);
}

#[test]
fn import_errors_show_both_files() {
    let mut rendered = String::new();
    for name in [
        "conflict.arch.yaml",
        "unresolved.arch.yaml",
        "no-such-service.arch.yaml",
        "outside.arch.yaml",
        "vpc-set-without-vpc.arch.yaml",
        "import-value.arch.yaml",
    ] {
        let errors = load_or_render(name).expect_err(name);
        rendered.push_str(&format!("==> {name}\n{errors}\n"));
    }
    insta::assert_snapshot!(rendered);
}

#[test]
fn parameters_come_from_the_file_or_the_defaults_when_asked() {
    let with_file = load_or_render("with-parameters.arch.yaml").unwrap();
    let function = with_file.model().function().unwrap();
    assert_eq!(function.timeout.to_string(), "12s");
    let from = with_file.facts().get("function.timeout").unwrap().describe_provenance(with_file.source());
    assert_eq!(from, "tests/fixtures/import/parameters.json:3:58");
    let defaults = load_or_render("with-defaults.arch.yaml").unwrap();
    assert_eq!(defaults.model().function().unwrap().timeout.to_string(), "25s");
    // Fn::If on an evaluable condition: Stage is `prod`, so the prod memory.
    assert_eq!(defaults.model().function().unwrap().memory.to_string(), "2GiB");
}

/// `policy import --write` then a workload: the same facts as the proposal written by hand.
#[test]
fn a_written_skeleton_plus_a_workload_gives_the_hand_written_facts() {
    // Inside the repository (target/), where a proposal may stand on the fixtures.
    std::fs::create_dir_all("target").unwrap();
    let dir = tempfile::tempdir_in("target").unwrap();
    let out = common::policy(&[
        "import",
        "--write",
        &dir.path().to_string_lossy(),
        "tests/fixtures/import/orders-template.yaml",
    ]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let written = dir.path().join("orders-function.arch.yaml");
    let skeleton = std::fs::read_to_string(&written).unwrap();
    let temp = dir.path().file_name().unwrap().to_string_lossy().to_string();
    insta::assert_snapshot!(skeleton.replace(&temp, "TEMP"));
    // The skeleton alone says what is missing.
    let alone = archpolicy::load_file(&written).unwrap_err().to_string();
    assert!(alone.contains("missing key `environment`") && alone.contains("missing key `workload`"), "{alone}");
    let filled = format!(
        "{skeleton}environment: production\nworkload: {{ requests_per_month: 5000000, avg_duration: 80ms, max_request_duration: 25s, peak_rps: 40 }}\n"
    );
    std::fs::write(&written, filled).unwrap();
    let imported = archpolicy::load_file(&written).unwrap();
    let by_hand = archpolicy::load_file("tests/fixtures/import/orders-by-hand.arch.yaml").unwrap();
    let values = |p: &Proposal| -> Vec<(String, String)> {
        p.facts()
            .iter()
            .filter(|(path, _)| *path != "name")
            .map(|(path, f)| (path.to_string(), f.value.to_string()))
            .collect()
    };
    assert_eq!(values(&imported), values(&by_hand));
    assert_eq!(imported.model().components, by_hand.model().components);
}

#[test]
fn every_pattern_imports_from_a_template() {
    for (name, pattern) in [
        ("orders.arch.yaml", Pattern::LambdaApiGateway),
        ("fargate-alb.arch.yaml", Pattern::FargateAlb),
        ("fargate-api.arch.yaml", Pattern::FargateApiGateway),
    ] {
        let proposal = load_or_render(name).unwrap_or_else(|e| panic!("{name}:\n{e}"));
        assert_eq!(proposal.model().pattern, pattern, "{name}");
        assert!(proposal.model().import.is_some());
    }
    let alb = load_or_render("fargate-alb.arch.yaml").unwrap();
    let service = alb.model().service().unwrap();
    // Cpu "512" CPU units and Memory "1 GB", as ECS reads them.
    assert_eq!((service.cpu.to_string(), service.memory.to_string()), ("0.5 vCPU".into(), "1GiB".into()));
    assert_eq!((service.tasks.min, service.tasks.desired, service.tasks.max), (2, 2, 6));
    assert_eq!(alb.model().load_balancer().unwrap().scheme.name(), "internet_facing");
    let api = load_or_render("fargate-api.arch.yaml").unwrap();
    assert_eq!(api.model().vpc_link().unwrap().version.name(), "v2");
    assert_eq!(api.model().load_balancer().unwrap().scheme.name(), "internal");
}

/// `cdk synth` output: the service is selected by its construct path, and
/// the route's JWT authorizer and the function's settings are read.
#[test]
fn a_cdk_template_is_selected_by_its_construct_path() {
    let proposal = load_or_render("cdk.arch.yaml").unwrap_or_else(|e| panic!("{e}"));
    let gateway = proposal.model().gateway().unwrap();
    assert_eq!((gateway.api.name(), gateway.authorizer.name()), ("http", "jwt"));
    assert_eq!(gateway.integration_timeout.to_string(), "30s");
    let function = proposal.model().function().unwrap();
    assert_eq!((function.memory.to_string(), function.timeout.to_string()), ("512MiB".into(), "15s".into()));
    let from = proposal.facts().get("function.timeout").unwrap().describe_provenance(proposal.source());
    assert_eq!(from, "tests/fixtures/import/cdk.out.template.json:11:20");
}

/// A Terraform plan: the service is selected by its address, and the
/// corpus's SnapStart stack (`timeout = "200"` behind a REST API) breaks the
/// 29 s rule as its manifest note says, from the plan's own value.
#[test]
fn a_proposal_stands_on_a_terraform_plan() {
    let text = "name: stockbroker\nenvironment: staging\n\
                import: { from: rest-api-lambda-snapstart.plan.json, select: aws_lambda_function.UnicornStockBrokerFunction }\n\
                workload: { requests_per_month: 1000000, avg_duration: 100ms, max_request_duration: 200s, peak_rps: 10 }\n";
    let proposal = archpolicy::load_str("tests/fixtures/terraform/p.arch.yaml", text).unwrap_or_else(|f| panic!("{f}"));
    let function = proposal.model().function().unwrap();
    assert_eq!(function.timeout.to_string(), "200s");
    assert!(function.snapstart);
    let from = proposal.facts().get("function.timeout").unwrap().describe_provenance(proposal.source());
    assert!(from.starts_with("tests/fixtures/terraform/rest-api-lambda-snapstart.plan.json:"), "{from}");
    let report = PolicySet::standard().unwrap().check(&proposal);
    let outcome = report.outcomes.iter().find(|o| o.policy == "gateway-sync-limit").unwrap();
    assert_eq!(outcome.status, Status::Fail);
}

/// A resource's `Condition` decides whether the service is deployed; SAM's
/// default authorizer is told by its entry, and an event's `NONE` overrides it.
#[test]
fn conditions_and_sam_authorizers_are_read_as_deployed() {
    let refused = load_or_render("conditional-dev.arch.yaml").expect_err("not created in dev");
    assert!(refused.contains("`AuditFunction` is created only when `IsProd` holds"), "{refused}");
    assert!(refused.contains("conditional-template.yaml:23:16"), "{refused}");
    let audit = load_or_render("conditional-prod.arch.yaml").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(audit.model().gateway().unwrap().authorizer.name(), "cognito");
    assert_eq!(audit.model().function().unwrap().timeout.to_string(), "3s", "AWS's default");
    let health = load_or_render("health.arch.yaml").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(health.model().gateway().unwrap().authorizer.name(), "none");
}

/// A parameter's value copied into every `Ref` of a join cannot fill
/// memory: worked-out values are bounded, and past the bound refused.
#[test]
fn a_join_of_a_huge_parameter_is_refused_not_built() {
    std::fs::create_dir_all("target").unwrap();
    let dir = tempfile::tempdir_in("target").unwrap();
    let refs = vec!["!Ref Big"; 200].join(", ");
    let template = format!(
        "Transform: AWS::Serverless-2016-10-31\nParameters:\n  Big: {{ Type: String, Default: \"{}\" }}\n\
         Conditions:\n  IsBig: !Equals [!Ref Big, x]\nResources:\n  \
         F:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.13\n      \
         MemorySize: !Join [\"\", [{refs}]]\n      Timeout: !If [IsBig, 3, 4]\n      Events:\n        E: {{ Type: Api, Properties: {{ Path: /, Method: get }} }}\n",
        "x".repeat(512 * 1024)
    );
    std::fs::write(dir.path().join("t.yaml"), template).unwrap();
    let text = "name: f\nenvironment: test\nimport: { from: t.yaml, select: F, parameter_defaults: true }\n\
                workload: { requests_per_month: 1, avg_duration: 1ms, max_request_duration: 1s, peak_rps: 1 }\n";
    let name = dir.path().join("p.arch.yaml");
    let failure = archpolicy::load_str(&name.to_string_lossy(), text).unwrap_err();
    let spent = "needs more work to import than the budget allows: copied parameter values spent most of it";
    assert!(failure.to_string().contains(spent), "{failure}");
    // One error says the budget is spent, not one per value read after it
    // (the timeout's condition reads the parameter again).
    assert_eq!(failure.errors().iter().count(), 1, "{failure}");
}

/// What protects a service is every way to it: an authorizer no method
/// uses protects nothing, a method with no `AuthorizationType` is open,
/// and one open method makes the service open.
#[test]
fn the_weakest_way_to_a_function_decides_its_authorizer() {
    for (select, expected) in [("Open", "none"), ("Mixed", "none"), ("Guarded", "iam")] {
        let text = format!(
            "name: m\nenvironment: test\nimport: {{ from: methods-template.yaml, select: {select} }}\n\
             workload: {{ requests_per_month: 1, avg_duration: 1ms, max_request_duration: 1s, peak_rps: 1 }}\n"
        );
        let proposal =
            archpolicy::load_str("tests/fixtures/import/m.arch.yaml", &text).unwrap_or_else(|f| panic!("{f}"));
        assert_eq!(proposal.model().gateway().unwrap().authorizer.name(), expected, "{select}");
    }
}

/// Every CI format puts a place in the template under the template's name:
/// a finding on a value the template leaves out, and a load error in it.
#[test]
fn ci_formats_name_the_template_for_places_in_it() {
    let template = "tests/fixtures/import/orders-template.yaml";
    let out = common::policy(&["check", "tests/fixtures/import/orders.arch.yaml", "--format", "github"]);
    let github = common::stdout(&out);
    assert!(github.contains(&format!("file={template},line=24,col=3,title=public-rest-api-waf")), "{github}");
    let out = common::policy(&["check", "tests/fixtures/import/orders.arch.yaml", "--format", "sarif"]);
    let sarif: serde_json::Value = serde_json::from_str(&common::stdout(&out)).unwrap();
    let waf =
        sarif["runs"][0]["results"].as_array().unwrap().iter().find(|r| r["ruleId"] == "public-rest-api-waf").unwrap();
    let physical = &waf["locations"][0]["physicalLocation"];
    assert_eq!(physical["artifactLocation"]["uri"], template);
    assert_eq!(physical["region"]["startLine"], 24);
    for format in ["json", "github", "junit"] {
        let out = common::policy(&["check", "tests/fixtures/import/unresolved.arch.yaml", "--format", format]);
        assert_eq!(out.status.code(), Some(2), "{format}");
        let text = common::stdout(&out);
        assert!(text.contains("orders-template.yaml") && !text.contains("unresolved.arch.yaml:15"), "{format}: {text}");
    }
}

/// Values AWS would not take are refused with the list, never read as a
/// default; settings that decide the pattern are worked out with the
/// parameters before the template is classified.
#[test]
fn unknown_values_are_refused_and_deciding_settings_worked_out() {
    std::fs::create_dir_all("target").unwrap();
    let dir = tempfile::tempdir_in("target").unwrap();
    let base = std::fs::read_to_string("tests/fixtures/import/fargate-alb-template.yaml").unwrap();
    let proposal = |template: &str, extra: &str| {
        std::fs::write(dir.path().join("t.yaml"), template).unwrap();
        let text = format!(
            "name: web\nenvironment: staging\nimport: {{ from: t.yaml, select: Service{extra} }}\n\
             workload: {{ requests_per_month: 1000, avg_duration: 60ms, max_request_duration: 1s, peak_rps: 1 }}\n\
             service: {{ subnets: private, auth: library }}\n"
        );
        archpolicy::load_str(&dir.path().join("p.arch.yaml").to_string_lossy(), &text).map_err(|failure| {
            let style = archpolicy::report::human::Style::PLAIN;
            let text: String = failure.reports().iter().map(|r| archpolicy::report::human::render(r, style)).collect();
            text.split_whitespace().collect::<Vec<_>>().join(" ")
        })
    };
    let typo = base
        .replace("      Subnets: !Ref PublicSubnets\n", "      Scheme: interal\n      Subnets: !Ref PublicSubnets\n");
    let error = proposal(&typo, ", parameter_defaults: true").unwrap_err();
    assert!(error.contains("has `Scheme: interal`, which AWS does not take"), "{error}");
    let yes = base.replace(
        "          Subnets: !Ref PrivateSubnets\n",
        "          Subnets: !Ref PrivateSubnets\n          AssignPublicIp: YES\n",
    );
    let error = proposal(&yes, ", parameter_defaults: true").unwrap_err();
    assert!(error.contains("`AssignPublicIp` is the text `YES`"), "{error}");
    // The launch type from a parameter: Fargate by its default, undecided without it.
    let by_parameter = base
        .replace("      LaunchType: FARGATE\n", "      LaunchType: !Ref Launch\n")
        .replace("Parameters:\n", "Parameters:\n  Launch: { Type: String, Default: FARGATE }\n");
    let with_defaults = proposal(&by_parameter, ", parameter_defaults: true").unwrap_or_else(|f| panic!("{f}"));
    assert_eq!(with_defaults.model().pattern, Pattern::FargateAlb);
    let error = proposal(&by_parameter, "").unwrap_err();
    assert!(error.contains("`Service` may or may not run on Fargate"), "{error}");
}

/// `Fn::Select` says which element it wanted and how long the list is.
#[test]
fn a_select_past_the_list_says_where_and_how_long() {
    std::fs::create_dir_all("target").unwrap();
    let dir = tempfile::tempdir_in("target").unwrap();
    let template = "Transform: AWS::Serverless-2016-10-31\nResources:\n  F:\n    Type: AWS::Serverless::Function\n    \
                    Properties:\n      Runtime: python3.13\n      Timeout: !Select [5, [1, 2, 3]]\n      \
                    Events:\n        E: { Type: Api, Properties: { Path: /, Method: get } }\n";
    std::fs::write(dir.path().join("t.yaml"), template).unwrap();
    let text = "name: f\nenvironment: test\nimport: { from: t.yaml, select: F }\n\
                workload: { requests_per_month: 1, avg_duration: 1ms, max_request_duration: 1s, peak_rps: 1 }\n";
    let failure = archpolicy::load_str(&dir.path().join("p.arch.yaml").to_string_lossy(), text).unwrap_err();
    assert!(failure.to_string().contains("`Fn::Select` picks element 5 of a list of 3"), "{failure}");
}

/// A value the template leaves to AWS's default is decided: the proposal
/// cannot set another, and the loader's default (AWS's, sourced) applies.
#[test]
fn a_value_left_to_aws_cannot_be_set_in_the_proposal() {
    let text = "name: orders\nenvironment: production\nimport: { from: orders-template.yaml, select: OrdersFunction }\n\
                workload: { requests_per_month: 1000, avg_duration: 50ms, max_request_duration: 1s, peak_rps: 1 }\n\
                gateway: { integration_timeout: 10s }\n";
    let failure = archpolicy::load_str("tests/fixtures/import/p.arch.yaml", text).unwrap_err();
    assert!(
        failure
            .to_string()
            .contains("`gateway.integration_timeout` is set in the proposal, but not set in the template"),
        "{failure}"
    );
    let proposal = load_or_render("orders.arch.yaml").unwrap();
    let from = proposal.facts().get("gateway.integration_timeout").unwrap().describe_provenance(proposal.source());
    assert!(from.starts_with("AWS default: default REST API integration timeout"), "{from}");
}

/// `policy facts` on a proposal standing on a template shows each imported
/// value's template line and each AWS default with its source.
#[test]
fn policy_facts_shows_the_template_line_and_aws_defaults() {
    let out = common::policy(&["facts", "tests/fixtures/import/orders.arch.yaml"]);
    assert_eq!(out.status.code(), Some(0));
    let text = common::stdout(&out);
    let line = |fact: &str| text.lines().find(|l| l.starts_with(&format!("{fact} "))).unwrap_or_default().to_string();
    assert!(line("function.timeout").ends_with("tests/fixtures/import/orders-template.yaml:34:16"), "{text}");
    assert!(line("gateway.endpoint").contains("AWS default: a REST API with no `EndpointConfiguration`"), "{text}");
    let out = common::policy(&["facts", "--format", "json", "tests/fixtures/import/orders.arch.yaml"]);
    let json: serde_json::Value = serde_json::from_str(&common::stdout(&out)).unwrap();
    let provenance = &json["facts"]["function.timeout"]["provenance"];
    assert_eq!(
        (provenance["file"].as_str(), provenance["line"].as_u64()),
        (Some("tests/fixtures/import/orders-template.yaml"), Some(34))
    );
}

/// One function behind two front doors (an HTTP API event and a function
/// URL; two URLs): `import --write` writes a proposal per service, each
/// loading and selecting its own service; the function's ID alone names
/// both, so it is refused with a name for each.
#[test]
fn each_written_proposal_selects_its_own_service_when_a_function_has_two_front_doors() {
    std::fs::create_dir_all("target").unwrap();
    let dir = tempfile::tempdir_in("target").unwrap();
    let sam = "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      \
        CodeUri: src/\n      Handler: app.handler\n      Runtime: nodejs22.x\n      Timeout: 45\n      \
        FunctionUrlConfig: { AuthType: NONE, InvokeMode: RESPONSE_STREAM }\n      Events:\n        Api: { Type: HttpApi }\n";
    let urls = "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties: { Runtime: python3.13, Handler: index.handler, \
        Timeout: 30, Role: arn:aws:iam::123456789012:role/x, Code: { ZipFile: x } }\n  \
        Version: { Type: AWS::Lambda::Version, Properties: { FunctionName: !Ref Fn } }\n  \
        Alias: { Type: AWS::Lambda::Alias, Properties: { FunctionName: !Ref Fn, FunctionVersion: !GetAtt Version.Version, Name: live } }\n  \
        Url: { Type: AWS::Lambda::Url, Properties: { TargetFunctionArn: !Ref Alias, AuthType: AWS_IAM } }\n  \
        Url2: { Type: AWS::Lambda::Url, Properties: { TargetFunctionArn: !GetAtt Fn.Arn, AuthType: NONE } }\n";
    let workload = "environment: test\nworkload: { requests_per_month: 1000000, avg_duration: 100ms, max_request_duration: 2s, peak_rps: 10 }\n";
    for (template, text, expected) in [
        (
            "doors.yaml",
            sam,
            vec![
                ("serverless-http-api.arch.yaml", Pattern::LambdaApiGateway, "ServerlessHttpApi", ""),
                ("fn-url.arch.yaml", Pattern::LambdaFunctionUrl, "FnUrl", "response_stream"),
            ],
        ),
        (
            "urls.yaml",
            urls,
            vec![
                ("url.arch.yaml", Pattern::LambdaFunctionUrl, "Url", "aws_iam"),
                ("url2.arch.yaml", Pattern::LambdaFunctionUrl, "Url2", "none"),
            ],
        ),
    ] {
        let path = common::write(dir.path(), template, text);
        let out_dir = dir.path().join(template.trim_end_matches(".yaml"));
        let out = common::policy(&["import", "--write", &out_dir.to_string_lossy(), &path]);
        assert!(out.status.success(), "{}", common::stderr(&out));
        let listing = common::stdout(&out);
        for (file, pattern, select, said) in expected {
            // The listing names each service by what selects it.
            assert!(listing.contains(&format!("  {}  {select}\n", pattern.name())), "{listing}");
            let written = out_dir.join(file);
            let skeleton = std::fs::read_to_string(&written).unwrap_or_else(|e| panic!("{file}: {e}"));
            assert!(skeleton.contains(&format!("select: \"{select}\"")), "{skeleton}");
            std::fs::write(&written, format!("{skeleton}{workload}")).unwrap();
            let proposal = archpolicy::load_file(&written)
                .unwrap_or_else(|f| panic!("{file}: {}", archpolicy::source::Failure::to_string(&f)));
            assert_eq!(proposal.model().pattern, pattern, "{file}");
            let facts = proposal.facts();
            let fact = |p: &str| facts.iter().find(|(path, _)| *path == p).map(|(_, f)| f.value.to_string());
            // Each URL's own settings reach its own proposal.
            if pattern == Pattern::LambdaFunctionUrl {
                let wanted = if said == "response_stream" {
                    fact("function_url.invoke_mode")
                } else {
                    fact("function_url.auth")
                };
                assert_eq!(wanted.as_deref(), Some(said), "{file}");
            }
        }
        // The function's own ID names both services: refused, with each one's name.
        let text = format!("name: x\nimport: {{ from: ../{template}, select: Fn }}\n{workload}");
        let both = out_dir.join("both.arch.yaml");
        std::fs::write(&both, text).unwrap();
        let error = archpolicy::load_file(&both).unwrap_err().to_string();
        assert!(error.contains("`Fn` names 2 services of the template"), "{error}");
    }
}

/// Outside a repository the root reads go under is the current directory:
/// `policy import --write out` writes `from: ../t.yaml`, so `cd out &&
/// policy check .` cannot read the template. The refusal says exactly where
/// to run from, and that command checks the proposal.
#[test]
fn a_written_proposal_checked_from_its_own_directory_outside_a_repository_says_where_to_run() {
    let dir = tempfile::tempdir().unwrap();
    assert!(dir.path().ancestors().all(|a| !a.join(".git").exists()), "the temporary directory is in a repository");
    let urls = "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties: { Runtime: python3.13, Handler: index.handler, \
        Timeout: 30, Role: arn:aws:iam::123456789012:role/x, Code: { ZipFile: x } }\n  \
        Url: { Type: AWS::Lambda::Url, Properties: { TargetFunctionArn: !GetAtt Fn.Arn, AuthType: AWS_IAM } }\n";
    common::write(dir.path(), "t.yaml", urls);
    let out = common::policy_in(dir.path(), &["import", "--write", "out", "t.yaml"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let written = common::files_in(dir.path().join("out"), ".arch.yaml");
    assert_eq!(written.len(), 1, "{written:?}");
    let file = written[0].file_name().unwrap().to_string_lossy().to_string();
    let skeleton = std::fs::read_to_string(&written[0]).unwrap();
    assert!(skeleton.contains("from: \"../t.yaml\"") || skeleton.contains("from: ../t.yaml"), "{skeleton}");
    let workload = "environment: test\nworkload: { requests_per_month: 1000000, avg_duration: 100ms, max_request_duration: 2s, peak_rps: 10 }\n";
    std::fs::write(&written[0], format!("{skeleton}{workload}")).unwrap();
    let inside = common::policy_in(&dir.path().join("out"), &["check", "."]);
    assert_eq!(inside.status.code(), Some(2), "{}", common::stdout(&inside));
    let said = common::stderr(&inside);
    assert!(said.contains("cannot read `../t.yaml`: it is outside `.`"), "{said}");
    let command =
        format!("run from `..` (`cd .. && policy check out/{file}`), or make `..` a repository (`git init ..`)");
    assert!(said.contains(&command), "{said}");
    // The command it names reads the template and checks the proposal.
    let from_above = common::policy_in(dir.path(), &["check", &format!("out/{file}")]);
    assert_ne!(from_above.status.code(), Some(2), "{}", common::stderr(&from_above));
}
