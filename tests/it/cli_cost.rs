//! `policy cost` as a user runs it.

use crate::common;

use common::*;

#[test]
fn cost_prints_line_items_totals_and_the_comparison() {
    let out = policy(&["cost", "examples/scenario_a_saas_api.arch.yaml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("prices: data/prices-us-east-1.yaml (read 2026-11-27); free tier: off"), "{text}");
    assert!(text.contains("Lambda requests"), "{text}");
    assert!(text.contains("HTTP API requests (first 300M)"), "{text}");
    // Scenario A: Lambda without provisioned concurrency, no NAT: nothing at rest.
    assert!(text.contains("at zero traffic (minimum tasks, hourly items):\n  item"), "{text}");
    assert!(text.contains("  total: $0.00 a month\n\none million more requests"), "{text}");
    let rows: Vec<&str> = text.lines().filter(|l| l.contains("<- ")).collect();
    assert!(rows.iter().any(|l| l.contains("proposed")), "{text}");
    assert!(rows.iter().any(|l| l.contains("cheapest")), "{text}");
}

#[test]
fn cost_json_and_free_tier() {
    let out = policy(&["cost", "--format", "json", "examples/scenario_a_saas_api.arch.yaml"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["pattern"], "lambda_api_gateway");
    assert_eq!(json["free_tier"], false);
    assert!(json["declared"]["items"].as_array().unwrap().iter().any(|i| i["price_id"] == "lambda.requests"));
    let free = policy(&["cost", "--format", "json", "--free-tier", "examples/scenario_a_saas_api.arch.yaml"]);
    let free: serde_json::Value = serde_json::from_str(&stdout(&free)).unwrap();
    // Money is a decimal string rounded to the cent, as AWS bills, with the currency beside it.
    assert_eq!(json["currency"], "USD");
    let monthly = json["declared"]["monthly"].as_str().unwrap();
    assert!(monthly.split_once('.').is_some_and(|(_, cents)| cents.len() == 2), "{monthly}");
    assert!(!monthly.starts_with('$'), "{monthly}");
    let total = |v: &serde_json::Value| v["declared"]["monthly"].as_str().unwrap().parse::<f64>().unwrap();
    assert!(total(&free) < total(&json));
}

#[test]
fn cost_draws_a_chart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cost.svg");
    let out = policy(&["cost", "examples/fargate_api_gateway.arch.yaml", "--chart", &path.display().to_string()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let svg = std::fs::read_to_string(&path).unwrap();
    assert!(svg.starts_with("<svg"));
    let proposal = archpolicy::load_file("examples/fargate_api_gateway.arch.yaml").unwrap();
    for priced in archpolicy::price(&proposal, &archpolicy::CostOptions::embedded()).comparison() {
        assert!(svg.contains(&priced.title), "legend names {}", priced.title);
    }
    assert!(svg.contains("<circle"), "break-even points are marked");
}

#[test]
fn a_chart_path_that_cannot_be_written_is_an_error() {
    let out = policy(&["cost", "examples/fargate_alb.arch.yaml", "--chart", "/no/such/dir/cost.svg"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(
            "cannot write `/no/such/dir/cost.svg`: no such file or directory help: check that the directory exists and can be written"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn bad_price_files_exit_2_with_a_span() {
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read_to_string("data/prices-us-east-1.yaml").unwrap();
    for (name, text, expected) in [
        ("negative.yaml", good.replace("price: $0.20,", "price: $-0.20,"), "a price cannot be negative"),
        ("words.yaml", good.replace("price: $0.20,", "price: cheap,"), "`lambda.requests`"),
        ("unknown.yaml", good.replace("alb.lcu:", "alb.lcus:"), "unknown item `alb.lcus`"),
        ("missing.yaml", good.replace("  xray.traces:", "  # xray.traces:"), "missing item `xray.traces`"),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        for command in ["cost", "check"] {
            let out = policy(&[command, "examples/fargate_alb.arch.yaml", "--pricing", &path.display().to_string()]);
            assert_eq!(out.status.code(), Some(2), "{command} {name}");
            let err = stderr(&out);
            assert!(err.contains(expected), "{command} {name}: {err}");
            assert!(err.contains(&format!("{name}:")), "{command} {name}: points into the file: {err}");
        }
    }
}

/// The example proposals `policy cost` reads.
fn example_proposals() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir("examples")
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .filter(|p| p.ends_with(".arch.yaml"))
        .collect();
    files.sort();
    files
}

#[test]
fn a_half_cent_rounds_up_in_the_table_the_json_and_the_facts() {
    // storefront's ALB: 730 hours × $0.0225 = $16.425, billed $16.43
    // (half up, as AWS bills; banker's rounding gave $16.42 in the table).
    // Idle: $47.2748 + $10.3952 + $16.425 + $5 + $3 + $10.95 + $98.55 + $10.95,
    // billed line by line: $47.27 + $10.40 + $16.43 + $5.00 + $3.00 + $10.95
    // + $98.55 + $10.95 = $202.55.
    let file = "examples/fargate_alb.arch.yaml";
    let text = stdout(&policy(&["cost", file]));
    let alb: Vec<&str> = text.lines().filter(|l| l.contains("ALB hours (internet-facing)")).collect();
    assert_eq!(alb.len(), 2, "{text}");
    assert!(alb.iter().all(|l| l.ends_with("$16.43")), "{text}");
    assert!(text.contains("  total: $202.55 a month\n\none million more"), "{text}");
    let json: serde_json::Value = serde_json::from_str(&stdout(&policy(&["cost", "--format", "json", file]))).unwrap();
    let line = json["idle"]["items"].as_array().unwrap().iter().find(|i| i["price_id"] == "alb.hour").unwrap().clone();
    assert_eq!(line["monthly"], "16.43");
    assert_eq!(json["idle"]["monthly"], "202.55");
    // The fact a policy judges is the figure the report shows.
    let facts = stdout(&policy(&["facts", file]));
    let idle = facts.lines().find(|l| l.contains("cost.idle_monthly")).unwrap_or_else(|| panic!("{facts}"));
    assert!(idle.contains("$202.55"), "{idle}");
}

#[test]
fn the_lines_add_up_to_the_total_on_every_example() {
    let cents = |s: &str| -> i64 { s.replace('.', "").parse().unwrap() };
    for file in example_proposals() {
        let out = policy(&["cost", "--format", "json", &file]);
        let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap_or_else(|e| panic!("{file}: {e}"));
        for at in ["declared", "idle"] {
            let lines: i64 =
                json[at]["items"].as_array().unwrap().iter().map(|i| cents(i["monthly"].as_str().unwrap())).sum();
            assert_eq!(lines, cents(json[at]["monthly"].as_str().unwrap()), "{file} {at}");
        }
        // The table shows the same lines and total.
        let text = stdout(&policy(&["cost", &file]));
        let mut sum = 0;
        for l in text.lines() {
            if let Some(total) = l.strip_prefix("  total: $") {
                assert_eq!(cents(total.trim_end_matches(" a month").replace(',', "").as_str()), sum, "{file}\n{text}");
                sum = 0;
            } else if l.starts_with("  ") && !l.starts_with("  item") && l.contains(" / ") {
                sum += cents(&l.rsplit('$').next().unwrap().replace(',', ""));
            }
        }
    }
}

/// Streaming set for the policies on an API Gateway alternative waits as
/// long as streaming does (15 minutes), as a proposal's `transfer: stream`
/// and recommend's candidate do: with the buffered 29 s it was still denied
/// by `gateway-sync-limit`, and `cost` marked a dearer pattern cheapest than
/// `recommend` chose for the same workload.
#[test]
fn a_streaming_alternative_waits_as_long_as_streaming_so_cost_and_recommend_agree() {
    let dir = tempfile::tempdir().unwrap();
    let workload = "workload: { requests_per_month: 300000, avg_duration: 2s, max_request_duration: 60s, peak_rps: 5, streaming: true }\n";
    let proposal = write(
        dir.path(),
        "exports.arch.yaml",
        format!(
            "name: exports\npattern: fargate_alb\nenvironment: production\n{workload}\
             load_balancer: {{ scheme: internal, idle_timeout: 120s }}\n\
             service: {{ cpu: 0.5, memory: 1GiB, tasks: {{ min: 2, desired: 2, max: 6 }}, subnets: private, auth: library }}\n\
             network: {{ az_count: 2, nat_gateways: 1 }}\nobservability: {{ tracing: xray }}\n"
        ),
    );
    let out = policy(&["cost", &proposal]);
    let text = stdout(&out);
    let row =
        |pattern: &str| text.lines().find(|l| l.trim_start().starts_with(pattern)).unwrap_or_default().to_string();
    assert!(row("lambda_api_gateway").ends_with("<- cheapest"), "{text}");
    assert!(!text.contains("gives up after 29s"), "{text}");
    let needs = write(
        dir.path(),
        "exports.needs.yaml",
        format!(
            "name: exports\nenvironment: production\n{workload}requirements: {{ exposure: internal }}\nobservability: {{ tracing: xray }}\n"
        ),
    );
    let out = policy(&["recommend", &needs]);
    assert!(stdout(&out).contains("recommended: lambda_api_gateway"), "{}{}", stdout(&out), stderr(&out));
}

/// A REST API that streams its Lambda proxy's response (`transfer: stream`)
/// is held to Lambda's streamed response limit (200 MB), not the buffered
/// 6 MB nor API Gateway's 10 MB (which streaming exists to exceed), in the
/// `request.payload_limit` fact, the `payload-limit` policy and cost's
/// carry limits alike (one place: `patterns::payload`); a buffered API keeps 6 MB.
#[test]
fn a_streaming_rest_api_has_the_streamed_payload_limit_in_facts_policies_and_cost() {
    let dir = tempfile::tempdir().unwrap();
    let text = |transfer: &str, payload: &str| {
        format!(
            "name: media\npattern: lambda_api_gateway\nenvironment: production\n\
             workload: {{ requests_per_month: 600000, avg_duration: 2s, max_request_duration: 20s, peak_rps: 20, streaming: true, max_payload: {payload} }}\n\
             gateway: {{ api: rest, transfer: {transfer}, authorizer: iam, waf: true, throttle: {{ rate: 100, burst: 200 }} }}\n\
             function: {{ runtime: nodejs22.x, memory: 2048MiB, timeout: 25s, architecture: arm64 }}\n\
             observability: {{ tracing: xray }}\n"
        )
    };
    let streamed = write(dir.path(), "streamed.arch.yaml", text("stream", "8MiB"));
    let facts = stdout(&policy(&["facts", &streamed]));
    let limit = facts.lines().find(|l| l.starts_with("request.payload_limit")).unwrap_or_default();
    assert!(limit.contains("200MiB") && limit.contains("`gateway.transfer`"), "{facts}");
    let check = policy(&["check", &streamed]);
    assert!(!stdout(&check).contains("payload-limit"), "{}", stdout(&check));
    // The proposal's own pattern in the comparison: what it cannot carry.
    let own = |cost: &str| {
        let rest = cost.split("\n  lambda_api_gateway:\n").nth(1).unwrap_or_default();
        rest.lines().take_while(|l| l.starts_with("    ")).collect::<Vec<_>>().join("\n")
    };
    let cost = stdout(&policy(&["cost", &streamed]));
    assert!(cost.contains("\n  lambda_api_gateway:\n") && !own(&cost).contains("payload is over"), "{cost}");
    // Past 200 MB a stream is refused by both, with the same limit.
    let huge = write(dir.path(), "huge.arch.yaml", text("stream", "300MiB"));
    assert!(stdout(&policy(&["check", &huge])).contains("deny(payload-limit)"));
    let cost = stdout(&policy(&["cost", &huge]));
    assert!(
        own(&cost).contains("the 300MiB largest payload is over Lambda's streamed response limit (200MiB)"),
        "{cost}"
    );
    // Buffered, the same body is over Lambda's 6 MB.
    let buffered = write(dir.path(), "buffered.arch.yaml", text("buffered", "8MiB"));
    assert!(stdout(&policy(&["check", &buffered])).contains("deny(payload-limit)"));
    let cost = stdout(&policy(&["cost", &buffered]));
    assert!(
        own(&cost).contains("the 8MiB largest payload is over Lambda's synchronous payload limit (6MiB)"),
        "{cost}"
    );
}
