//! The costly templates of issue 22's attacker review, one generator per
//! class, sized by the caller: tests/import_budget.rs builds them small
//! enough to assert on, bench/hostile_templates.rs as large as one
//! template may be (`#[path]`-included by both; nothing here is a test).

#![allow(dead_code)]

use std::fmt::Write as _;

/// A SAM template of one function `F` behind the implicit API, with
/// `extra` top-level sections before `Resources` and the function's
/// `properties` (lines indented for its `Properties` mapping). `Resources`
/// is the last section: more resources may be appended, two spaces in.
pub fn sam(extra: &str, properties: &str) -> String {
    format!(
        "Transform: AWS::Serverless-2016-10-31\n{extra}Resources:\n  F:\n    Type: AWS::Serverless::Function\n    \
         Properties:\n      Runtime: python3.13\n{properties}      Events:\n        E: {{ Type: Api, Properties: {{ Path: /, Method: get }} }}\n"
    )
}

/// An ECS service `id` whose launch type is `launch` (worked out when imported).
pub fn service(id: &str, launch: &str) -> String {
    format!("  {id}: {{ Type: AWS::ECS::Service, Properties: {{ LaunchType: {launch} }} }}\n")
}

/// A `Conditions` section of `levels` levels of `width` conditions: level
/// 0 is `base`, each condition above is `function` (`Fn::Or`, `Fn::And`)
/// of ten of the level below. Worked out by tree, the top is
/// 10^levels evaluations; once per name, 10 * levels * width. Returns the
/// section and the top condition's name.
pub fn conditions(function: &str, base: &str, levels: usize, width: usize) -> (String, String) {
    let mut out = String::from("Conditions:\n");
    for w in 0..width {
        let _ = writeln!(out, "  L0W{w}: {base}");
    }
    for l in 1..levels {
        for w in 0..width {
            let tens: Vec<String> = (0..10).map(|k| format!("{{Condition: L{}W{}}}", l - 1, (w + k) % width)).collect();
            let _ = writeln!(out, "  L{l}W{w}: {{\"{function}\": [{}]}}", tens.join(","));
        }
    }
    (out, format!("L{}W0", levels - 1))
}

/// `Fn::Join` of `parts` one-letter parts with a delimiter of `delimiter` bytes.
pub fn join(delimiter: usize, parts: usize) -> String {
    format!("!Join [\"{}\", [{}]]", "d".repeat(delimiter), vec!["x"; parts].join(","))
}

/// `Fn::Sub` of `${A}` written `times` times, `A` being `value` bytes.
pub fn sub(times: usize, value: usize) -> String {
    format!("!Sub [\"{}\", {{ A: \"{}\" }}]", "${A}".repeat(times), "v".repeat(value))
}

/// A `Parameters` section with `P`, a list of `count` integers.
pub fn many_ints(count: usize) -> String {
    format!("Parameters:\n  P: {{ Type: List<Number>, Default: [{}] }}\n", vec!["1"; count].join(","))
}

/// `copies` copies of `P` ([`many_ints`]), each through `Fn::Select`, as a flow list.
pub fn selects(copies: usize) -> String {
    format!("[{}]", vec!["{ \"Fn::Select\": [0, { Ref: P }] }"; copies].join(", "))
}

/// A `Mappings` section `M` of `n` keys `K{i}` (each `{ V: value(i) }`).
pub fn mapping(n: usize, value: impl Fn(usize) -> String) -> String {
    let mut out = String::from("Mappings:\n  M:\n");
    for i in 0..n {
        let _ = writeln!(out, "    K{i}: {{ V: {} }}", value(i));
    }
    out
}

/// `n` REST APIs `A{i}` (no method) beside a function `Fn`, and methods on
/// the APIs listed in `integrated`, each integrating `Fn`.
pub fn apis(n: usize, integrated: impl Iterator<Item = usize>) -> String {
    let mut out =
        String::from("Resources:\n  Fn: { Type: AWS::Lambda::Function, Properties: { Runtime: python3.13 } }\n");
    for i in 0..n {
        let _ = writeln!(out, "  A{i}: {{ Type: AWS::ApiGateway::RestApi }}");
    }
    for i in integrated {
        let _ = writeln!(
            out,
            "  M{i}: {{ Type: AWS::ApiGateway::Method, Properties: {{ RestApiId: !Ref A{i}, Integration: {{ Uri: !GetAtt Fn.Arn }} }} }}"
        );
    }
    out
}

/// `n` REST APIs and `n` functions, and one resource referring to all of them.
pub fn api_function_pairs(n: usize) -> String {
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

/// A Terraform plan: `n` functions (`count`) and `n` log groups, each log
/// group referring to all the functions: `n * n` addresses if copied.
pub fn terraform(n: usize) -> String {
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
