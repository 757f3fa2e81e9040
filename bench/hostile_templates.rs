//! Writes the worst templates of each costly class the attacker review of
//! issue 22 found, each as close to the 8 MiB template limit as it goes,
//! and beside each a proposal standing on it (`p-CLASS.arch.yaml`), so
//! both `policy import` and `policy check` can be timed on them
//! (bench/hostile-templates.sh; figures in docs/performance.md).
//!
//! cargo run --release --example bench-hostile-templates -- DIR

use std::fmt::Write as _;
use std::path::Path;

/// Just under `import::MAX_TEMPLATE_BYTES`.
const LIMIT: usize = 8 * 1024 * 1024 - 4096;

const SAM: &str = "Transform: AWS::Serverless-2016-10-31\n";

fn function(properties: &str) -> String {
    format!(
        "  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.13\n{properties}      \
         Events:\n        E: {{ Type: Api, Properties: {{ Path: /, Method: get }} }}\n"
    )
}

/// An ECS service whose launch type is `launch` (worked out when imported).
fn service(id: &str, launch: &str) -> String {
    format!("  {id}: {{ Type: AWS::ECS::Service, Properties: {{ LaunchType: {launch} }} }}\n")
}

/// Levels of conditions, each `Fn::Or` of ten of the level below, as many
/// per level as fit: worked out by tree, 10^levels evaluations.
fn conditions() -> String {
    let levels = 15;
    // As many as the 1 000 000-node budget of the parser lets through.
    let width = (LIMIT / levels / 232).min(1_900);
    let mut out = String::from(SAM);
    out.push_str("Conditions:\n");
    for w in 0..width {
        let _ = writeln!(out, "  L0W{w}: !Equals [a, b]");
    }
    for l in 1..levels {
        for w in 0..width {
            let tens: Vec<String> = (0..10).map(|k| format!("{{Condition: L{}W{}}}", l - 1, (w + k) % width)).collect();
            let _ = writeln!(out, "  L{l}W{w}: {{\"Fn::Or\": [{}]}}", tens.join(","));
        }
    }
    let top = format!("L{}W0", levels - 1);
    out.push_str("Resources:\n");
    out.push_str(&function(&format!("      Timeout: !If [{top}, 3, 4]\n")));
    out.push_str(&service("S", &format!("!If [{top}, FARGATE, EC2]")));
    out
}

/// `Fn::Join` of a list as long as fits with a delimiter of most of the file.
fn join() -> String {
    let parts = 400_000;
    let delimiter = "d".repeat(LIMIT - parts * 4 - 1024);
    let list = vec!["x"; parts].join(",");
    let mut out = String::from(SAM);
    out.push_str("Resources:\n");
    out.push_str(&function(&format!("      MemorySize: !Join [\"{delimiter}\", [{list}]]\n")));
    out.push_str(&service("S", &format!("!Join [\"{delimiter}\", [{list}]]").replace(&delimiter, "dd")));
    out
}

/// `Fn::Sub` of one variable, as many times as fit, its value a MiB.
fn sub() -> String {
    let value = "v".repeat(1 << 20);
    let pattern = "${A}".repeat((LIMIT - value.len() - 1024) / 4);
    let mut out = String::from(SAM);
    out.push_str("Resources:\n");
    out.push_str(&function(&format!("      MemorySize: !Sub [\"{pattern}\", {{ A: \"{value}\" }}]\n")));
    out
}

/// A parameter of most of a million integers, copied into every service's launch type.
fn many_ints() -> String {
    let ints = vec!["1"; 990_000].join(",");
    let mut out = String::from(SAM);
    let _ = writeln!(out, "Parameters:\n  P: {{ Type: List<Number>, Default: [{ints}] }}");
    out.push_str("Resources:\n");
    let selects = vec!["!Select [0, !Ref P]"; 40];
    out.push_str(&function(&format!(
        "      Tags: {{ {} }}\n",
        (0..40).map(|i| format!("T{i}: {}", selects[i])).collect::<Vec<_>>().join(", ")
    )));
    for i in 0..40 {
        out.push_str(&service(&format!("S{i}"), "{ \"Fn::Join\": [\",\", { Ref: P }] }"));
    }
    out
}

/// `Fn::FindInMap` into a mapping of as many keys as fit, one lookup a service.
fn lookups() -> String {
    let n = LIMIT / 160;
    let mut out = String::from("Mappings:\n  M:\n");
    for i in 0..n {
        let _ = writeln!(out, "    K{i}: {{ V: FARGATE }}");
    }
    out.push_str("Resources:\n");
    for i in 0..n {
        out.push_str(&service(&format!("S{i}"), &format!("!FindInMap [M, K{i}, V]")));
    }
    out
}

/// As many REST APIs as fit, each with a method integrating a function.
fn apis() -> String {
    let n = LIMIT / 200;
    let mut out =
        String::from("Resources:\n  Fn: { Type: AWS::Lambda::Function, Properties: { Runtime: python3.13 } }\n");
    for i in 0..n {
        let _ = writeln!(out, "  A{i}: {{ Type: AWS::ApiGateway::RestApi }}");
        let _ = writeln!(
            out,
            "  M{i}: {{ Type: AWS::ApiGateway::Method, Properties: {{ RestApiId: !Ref A{i}, Integration: {{ Uri: !GetAtt Fn.Arn }} }} }}"
        );
    }
    out
}

/// One resource referring to every API and every function: each pair is a service.
fn api_function_pairs() -> String {
    let n = LIMIT / 220;
    let mut out = String::from("Resources:\n");
    let mut refs = Vec::new();
    for i in 0..n {
        let _ = writeln!(out, "  A{i}: {{ Type: AWS::ApiGateway::RestApi }}");
        let _ = writeln!(out, "  F{i}: {{ Type: AWS::Lambda::Function }}");
        refs.push(format!("!Ref A{i}"));
        refs.push(format!("!Ref F{i}"));
    }
    let _ =
        writeln!(out, "  Glue: {{ Type: AWS::ApiGateway::Deployment, Properties: {{ All: [{}] }} }}", refs.join(", "));
    out
}

/// A Terraform plan: `count` functions and as many log groups, each log
/// group referring to all the functions.
fn terraform() -> String {
    let n = LIMIT / 2 / 190;
    let mut planned = Vec::new();
    for i in 0..n {
        planned.push(format!(
            "{{\"address\":\"aws_lambda_function.f[{i}]\",\"mode\":\"managed\",\"type\":\"aws_lambda_function\",\"name\":\"f\",\"index\":{i},\"values\":{{}}}}"
        ));
        planned.push(format!(
            "{{\"address\":\"aws_cloudwatch_log_group.g[{i}]\",\"mode\":\"managed\",\"type\":\"aws_cloudwatch_log_group\",\"name\":\"g\",\"index\":{i},\"values\":{{}}}}"
        ));
    }
    format!(
        "{{\"format_version\":\"1.2\",\"planned_values\":{{\"root_module\":{{\"resources\":[{}]}}}},\
         \"configuration\":{{\"root_module\":{{\"resources\":[{{\"address\":\"aws_cloudwatch_log_group.g\",\"mode\":\"managed\",\
         \"type\":\"aws_cloudwatch_log_group\",\"name\":\"g\",\"expressions\":{{\"name\":{{\"references\":[\"aws_lambda_function.f\"]}}}}}}]}}}}}}",
        planned.join(",\n")
    )
}

/// A class: its name, its generator, the file's extension and the proposal's `select`.
type Class = (&'static str, fn() -> String, &'static str, &'static str);

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "target/hostile-templates".into());
    let dir = Path::new(&dir);
    std::fs::create_dir_all(dir).expect("the output directory");
    let classes: [Class; 8] = [
        ("conditions", conditions, "yaml", "F"),
        ("join", join, "yaml", "F"),
        ("sub", sub, "yaml", "F"),
        ("many-ints", many_ints, "yaml", "F"),
        ("lookups", lookups, "yaml", "S0"),
        ("apis", apis, "yaml", "Fn"),
        ("api-function-pairs", api_function_pairs, "yaml", "F0"),
        ("terraform", terraform, "json", "aws_lambda_function.f[0]"),
    ];
    for (name, make, ext, select) in classes {
        let text = make();
        assert!(text.len() as u64 <= 8 * 1024 * 1024, "{name} is {} bytes", text.len());
        let file = format!("{name}.{ext}");
        std::fs::write(dir.join(&file), &text).expect("a template");
        let proposal = format!(
            "name: {name}\nenvironment: test\nimport: {{ from: {file}, select: \"{select}\", parameter_defaults: true }}\n\
             workload: {{ requests_per_month: 1, avg_duration: 1ms, max_request_duration: 1s, peak_rps: 1 }}\n"
        );
        std::fs::write(dir.join(format!("p-{name}.arch.yaml")), proposal).expect("a proposal");
        println!("{}\t{} bytes", dir.join(&file).display(), text.len());
    }
}
