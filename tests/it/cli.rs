//! The `policy` binary on good and bad input: exit codes and messages.

use crate::common;

use common::{policy, raw_stderr, stderr, stdout, write};

use std::path::Path;

#[test]
fn facts_prints_the_snapshot_card() {
    let out = policy(&["facts", "examples/scenario_b_image_processing.arch.yaml"]);
    assert_eq!(out.status.code(), Some(0), "{}", raw_stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("image-render (fargate_alb) examples/scenario_b_image_processing.arch.yaml"));
    let line = text.lines().find(|l| l.starts_with("request.sync_limit")).unwrap();
    assert!(line.contains("120s") && line.contains("derived from `load_balancer.idle_timeout`"), "{line}");
    let line = text.lines().find(|l| l.starts_with("service.ephemeral_storage")).unwrap();
    assert!(line.contains("50GiB") && line.contains("scenario_b_image_processing.arch.yaml:25:"), "{line}");
    // Colors are off when stderr is not a terminal; stdout never has them.
    assert!(!text.contains('\u{1b}'));
}

/// The function URL example's facts as a user sees them: its request path
/// (the function's 90 s timeout, no gateway), CloudFront in front, IAM auth
/// at the URL, streaming, and the URL's throttle from reserved concurrency.
#[test]
fn facts_of_a_lambda_function_url() {
    let out = policy(&["facts", "examples/lambda_function_url.arch.yaml", "--today", "2026-11-30"]);
    assert_eq!(out.status.code(), Some(0), "{}", raw_stderr(&out));
    insta::assert_snapshot!(stdout(&out));
}

/// Issue 28: Lambda behind an internal ALB: the ALB is the front door
/// (internal), bodies are limited to 1 MiB, and neither WebSockets nor
/// streams reach the function.
#[test]
fn facts_of_a_lambda_alb() {
    let out = policy(&["facts", "examples/lambda_alb.arch.yaml", "--today", "2026-11-30"]);
    assert_eq!(out.status.code(), Some(0), "{}", raw_stderr(&out));
    insta::assert_snapshot!(stdout(&out));
}

/// Issue 28: an internal service's facts: `network.exposure` is
/// `internal`, from the ALB's scheme; `network.entry` is still the ALB.
#[test]
fn facts_of_an_internal_fargate_alb() {
    let out = policy(&["facts", "tests/fixtures/accept/fargate_alb_internal.arch.yaml", "--today", "2026-11-30"]);
    assert_eq!(out.status.code(), Some(0), "{}", raw_stderr(&out));
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn facts_json_is_machine_readable() {
    let out = policy(&["facts", "--format", "json", "examples/lambda_api_gateway.arch.yaml"]);
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["pattern"], "lambda_api_gateway");
    assert_eq!(json["facts"]["function.timeout"]["value"], "10s");
    assert_eq!(json["facts"]["function.timeout"]["provenance"]["kind"], "declared");
    assert_eq!(json["facts"]["function.timeout"]["provenance"]["line"], 25);
    assert_eq!(json["facts"]["gateway.integration_timeout"]["provenance"]["kind"], "default");
    assert_eq!(
        json["facts"]["gateway.integration_timeout"]["provenance"]["source"]["what"],
        "default REST API integration timeout"
    );
    assert_eq!(json["facts"]["request.sync_limit"]["provenance"]["decided_by"], "function.timeout");

    let out = policy(&["facts", "--format", "json", "examples"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json.as_array().map(Vec::len), Some(15));
}

#[test]
fn schema_prints_json_schema() {
    let out = policy(&["schema"]);
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["$schema"], "https://json-schema.org/draft/2020-12/schema");
}

#[test]
fn a_missing_path_is_an_input_error() {
    let out = policy(&["facts", "no/such/file.arch.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        raw_stderr(&out).contains("cannot read `no/such/file.arch.yaml`: no such file or directory"),
        "{}",
        raw_stderr(&out)
    );
}

#[test]
fn a_directory_without_proposals_is_an_input_error() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "README.md", b"# not a proposal");
    let out = policy(&["facts", &dir.path().display().to_string()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(raw_stderr(&out).contains("no proposals in"), "{}", raw_stderr(&out));
    assert!(raw_stderr(&out).contains("*.arch.yaml"), "{}", raw_stderr(&out));
}

#[test]
fn an_empty_file_is_an_input_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "empty.arch.yaml", b"");
    let out = policy(&["facts", &path]);
    assert_eq!(out.status.code(), Some(2));
    assert!(raw_stderr(&out).contains(&format!("`{path}` is empty")), "{}", raw_stderr(&out));
}

#[test]
fn a_file_that_is_not_utf8_is_an_input_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "latin1.arch.yaml", b"name: caf\xe9\npattern: fargate_alb\n");
    let out = policy(&["facts", &path]);
    assert_eq!(out.status.code(), Some(2));
    let err = raw_stderr(&out);
    assert!(err.contains("the file is not UTF-8 text"), "{err}");
    assert!(err.contains("latin1.arch.yaml:1:10"), "the label points at the byte: {err}");
}

/// A template's logical ID whose bytes are not UTF-8 reads with U+FFFD in
/// their place (a stray byte is shown, not fatal), and `import --write`
/// names it so; a proposal must be UTF-8 (its values are the user's), so
/// one that copies the raw bytes is refused with how to name the ID, and
/// the spelling it gives selects the service.
#[test]
fn a_template_id_that_is_not_utf8_is_named_with_the_replacement_character() {
    std::fs::create_dir_all("target").unwrap();
    let dir = tempfile::tempdir_in("target").unwrap();
    let template = b"Resources:\n  Fn\xff:\n    Type: AWS::Lambda::Function\n    Properties: { Runtime: python3.13, Handler: index.handler, \
        Timeout: 30, Role: arn:aws:iam::123456789012:role/x, Code: { ZipFile: x } }\n  \
        Url: { Type: AWS::Lambda::Url, Properties: { TargetFunctionArn: !GetAtt Fn\xff.Arn, AuthType: AWS_IAM } }\n";
    write(dir.path(), "t.yaml", template);
    let out = crate::common::policy_in(dir.path(), &["import", "--write", "out", "t.yaml"]);
    assert!(out.status.success(), "{}", raw_stderr(&out));
    let written = std::fs::read_to_string(dir.path().join("out/fn.arch.yaml")).unwrap();
    assert!(written.contains("select: \"Fn\u{fffd}\""), "{written}");
    let workload = "environment: test\nworkload: { requests_per_month: 1000000, avg_duration: 100ms, max_request_duration: 2s, peak_rps: 10 }\n";
    let proposal = |select: &[u8]| {
        let mut text = b"name: h\nimport: { from: t.yaml, select: \"".to_vec();
        text.extend_from_slice(select);
        text.extend_from_slice(b"\" }\n");
        text.extend_from_slice(workload.as_bytes());
        text
    };
    // The raw byte, copied from the template: refused, with the spelling to use.
    write(dir.path(), "raw.arch.yaml", proposal(b"Fn\xff"));
    let out = crate::common::policy_in(dir.path(), &["check", "raw.arch.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("the file is not UTF-8 text"), "{err}");
    assert!(err.contains("is read with U+FFFD in their place: name it so, as `policy import --write` does (or write `\\uFFFD` in a double-quoted string)"), "{err}");
    // That spelling, and the character itself, select the service.
    for (name, select) in [("escaped.arch.yaml", "Fn\\uFFFD"), ("character.arch.yaml", "Fn\u{fffd}")] {
        write(dir.path(), name, proposal(select.as_bytes()));
        let out = crate::common::policy_in(dir.path(), &["check", name]);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", raw_stderr(&out));
    }
}

#[test]
fn a_100_mb_file_is_refused_without_reading_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.arch.yaml");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(100 * 1024 * 1024).unwrap();
    let out = policy(&["facts", &path.display().to_string()]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("is 100MiB, more than the 1MiB a proposal may have"), "{err}");
}

#[test]
fn a_yaml_alias_bomb_is_refused() {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let p = i - 1;
        text.push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"));
    }
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "bomb.arch.yaml", text.as_bytes());
    let out = policy(&["facts", &path]);
    assert_eq!(out.status.code(), Some(2));
    assert!(raw_stderr(&out).contains("archpolicy::load::budget"), "{}", raw_stderr(&out));
}

#[test]
fn deeply_nested_yaml_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let flow = format!("name: {}{}", "[".repeat(100_000), "]".repeat(100_000));
    let path = write(dir.path(), "flow.arch.yaml", flow.as_bytes());
    let out = policy(&["facts", &path]);
    assert_eq!(out.status.code(), Some(2), "{}", raw_stderr(&out));
    let mut block = String::new();
    for depth in 0..5_000 {
        block.push_str(&" ".repeat(depth));
        block.push_str("k:\n");
    }
    let path = write(dir.path(), "block.arch.yaml", block.as_bytes());
    let out = policy(&["facts", &path]);
    assert_eq!(out.status.code(), Some(2), "{}", raw_stderr(&out));
    assert!(!raw_stderr(&out).contains("panicked"));
}

#[test]
fn one_bad_file_among_good_ones_fails_the_run_but_reports_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy("examples/fargate_alb.arch.yaml", dir.path().join("a.arch.yaml")).unwrap();
    write(dir.path(), "b.arch.yaml", b"name: x\n");
    let out = policy(&["facts", &dir.path().display().to_string()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).starts_with("storefront (fargate_alb)"));
    assert!(raw_stderr(&out).contains("missing key `pattern`"), "{}", raw_stderr(&out));
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(policy(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(policy(&["facts"]).status.code(), Some(2));
    let out = policy(&["facts", "--format", "xml", "examples"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(raw_stderr(&out).contains("table") && raw_stderr(&out).contains("json"), "lists the valid formats");
    assert_eq!(policy(&["--help"]).status.code(), Some(0));
}

#[test]
fn a_cloudformation_template_gets_one_message_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let template = b"AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Timeout: !Ref Timeout\n";
    let path = write(dir.path(), "template.yaml", template);
    let out = policy(&["facts", &path]);
    assert_eq!(out.status.code(), Some(2));
    let err = raw_stderr(&out);
    assert!(err.contains("found a CloudFormation template"), "{err}");
    assert!(!err.contains("missing key"), "one message, not one per missing key: {err}");
}

#[test]
fn other_tools_files_get_one_message_naming_them() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text, what) in [
        ("openapi.yaml", "openapi: 3.0.0\ninfo: { title: orders, version: '1' }\npaths: {}\n", "an OpenAPI document"),
        ("deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: orders }\n", "a Kubernetes manifest"),
        ("compose.yaml", "services:\n  web: { image: nginx }\n", "a Docker Compose file"),
        ("main.tf.json", "{\"resource\": {\"aws_lambda_function\": {}}}\n", "a Terraform configuration"),
    ] {
        let path = write(dir.path(), name, text.as_bytes());
        let out = policy(&["facts", &path]);
        assert_eq!(out.status.code(), Some(2), "{name}");
        let err = raw_stderr(&out);
        assert!(err.contains(&format!("found {what}")), "{name}: {err}");
        assert!(!err.contains("missing key"), "{name}: one message, not one per missing key: {err}");
    }
}

/// Real templates by other authors, read in place from `../shared/iac-corpus` (never copied here).
/// Every CloudFormation/SAM YAML template there that is well-formed YAML is named as a template.
#[test]
fn templates_in_the_shared_iac_corpus_are_named_as_templates() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/iac-corpus");
    let Ok(dirs) = std::fs::read_dir(&corpus) else {
        eprintln!("skipped: {} is not present in this checkout", corpus.display());
        return;
    };
    let mut seen = 0;
    for dir in dirs.flatten().filter(|d| d.path().is_dir()) {
        for file in std::fs::read_dir(dir.path()).unwrap().flatten() {
            let path = file.path();
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let is_yaml = matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"));
            if !is_yaml || !text.contains("AWSTemplateFormatVersion") {
                continue;
            }
            let out = policy(&["facts", &path.display().to_string()]);
            assert_eq!(out.status.code(), Some(2), "{}", path.display());
            let err = raw_stderr(&out);
            // One corpus file repeats a mapping key; that YAML error rightly comes first.
            assert!(
                err.contains("found a CloudFormation template") || err.contains("duplicate key"),
                "{}: {err}",
                path.display()
            );
            seen += 1;
        }
    }
    assert!(seen > 10, "expected the corpus to hold CloudFormation templates, saw {seen}");
}
