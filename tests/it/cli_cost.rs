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
    for def in archpolicy::patterns::REGISTRY {
        assert!(svg.contains(def.title), "legend names {}", def.title);
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
    let good = archpolicy::cost::EMBEDDED_PRICES.1;
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
