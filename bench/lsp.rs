//! What `policy lsp` does after one keystroke: re-check a 300-line policy
//! file (parse and type-check the workspace's set with the edited text, its
//! diagnostics) and the open proposal against it (load, derive, evaluate,
//! diagnostics), and re-check the proposal alone after an edit of its own.
//!
//! `cargo run --release --example bench-lsp [RUNS]`; docs/performance.md
//! records the figures.

use std::time::{Duration, Instant};

use archpolicy::lsp::{Encoding, Workspace, uri};

/// A policy file of about 300 lines: params, policies with every clause.
fn policy_file(policies: usize) -> String {
    let mut text = String::from("# Generated for bench/lsp.rs.\n\n");
    for i in 0..policies {
        text.push_str(&format!(
            "param limit_{i}: duration = {}s \"the longest request for rule {i}\"\n\n\
             policy generated-{i}: warn {{\n  title   \"Requests finish in time ({i})\"\n  \
             when    pattern in [lambda_api_gateway, fargate_api_gateway]\n  \
             require workload.max_request_duration <= limit_{i}\n          \
             else \"requests run up to {{workload.max_request_duration}}\"\n  \
             require observability.tracing in [xray, otel] or environment != production\n  \
             help    \"Move long work behind a queue.\"\n  tags    [generated, bench]\n}}\n\n",
            10 + i
        ));
    }
    text
}

/// The best, the median and the 95th percentile of `runs` runs of `f`, in milliseconds.
fn timed(runs: usize, f: impl FnMut(usize)) -> [f64; 3] {
    let times = times(runs, f);
    [percentile(&times, 0.0), percentile(&times, 0.5), percentile(&times, 0.95)]
}

/// The `q` quantile of sorted times, in milliseconds.
fn percentile(times: &[Duration], q: f64) -> f64 {
    times[((times.len() - 1) as f64 * q).round() as usize].as_secs_f64() * 1e3
}

/// Every run's time, sorted.
fn times(runs: usize, mut f: impl FnMut(usize)) -> Vec<Duration> {
    let mut times: Vec<Duration> = (0..runs)
        .map(|i| {
            let start = Instant::now();
            f(i);
            start.elapsed()
        })
        .collect();
    times.sort();
    times
}

/// Issue 23's case: seven documents open (a policy file of the workspace's
/// set and six proposals); an edit of the policy file re-checks all seven,
/// as `policy lsp` publishes them. The median and the 95th percentile.
fn seven_documents(runs: usize) {
    let dir = tempfile::tempdir().unwrap();
    let policy = policy_file(25);
    std::fs::write(dir.path().join(".archpolicy.yaml"), "policies: [org.policy]\nwith_standard: true\n").unwrap();
    std::fs::write(dir.path().join("org.policy"), &policy).unwrap();
    let mut ws = Workspace::new(Some(dir.path().to_path_buf()), Encoding::Utf16);
    let policy_uri = uri::from_path(&dir.path().join("org.policy")).unwrap();
    ws.update(policy_uri.clone(), policy.clone());
    let mut open = vec![policy_uri.clone()];
    let examples = [
        "lambda_api_gateway",
        "fargate_alb",
        "fargate_api_gateway",
        "scenario_a_saas_api",
        "scenario_b_image_processing",
        "scenario_d_partner_api",
    ];
    for name in examples {
        let text = std::fs::read_to_string(format!("examples/{name}.arch.yaml")).unwrap();
        let doc = uri::from_path(&dir.path().join(format!("{name}.arch.yaml"))).unwrap();
        ws.update(doc.clone(), text);
        open.push(doc);
    }
    for doc in &open {
        std::hint::black_box(ws.diagnostics(doc));
    }
    let times = times(runs, |i| {
        let edited = policy.replacen("= 10s", &format!("= {}s", 10 + i), 1);
        ws.update(policy_uri.clone(), edited);
        for doc in &open {
            std::hint::black_box(ws.diagnostics(doc));
        }
    });
    println!(
        "seven documents open (the standard pack and a 25-policy file, six proposals), the policy file edited: median {:.2} ms, p95 {:.2} ms",
        percentile(&times, 0.5),
        percentile(&times, 0.95)
    );
}

fn main() {
    let runs: usize = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(200);
    for config in ["policies: [org.policy]\n", "policies: [org.policy]\nwith_standard: true\n"] {
        println!("{}:", config.trim_end().replace('\n', ", "));
        bench(runs, config);
    }
    seven_documents(runs);
}

fn bench(runs: usize, config: &str) {
    let dir = tempfile::tempdir().unwrap();
    let policy = policy_file(25);
    std::fs::write(dir.path().join(".archpolicy.yaml"), config).unwrap();
    std::fs::write(dir.path().join("org.policy"), &policy).unwrap();
    let proposal = std::fs::read_to_string("examples/fargate_api_gateway.arch.yaml").unwrap();
    let policy_uri = uri::from_path(&dir.path().join("org.policy")).unwrap();
    let proposal_uri = uri::from_path(&dir.path().join("service.arch.yaml")).unwrap();
    let mut ws = Workspace::new(Some(dir.path().to_path_buf()), Encoding::Utf16);
    ws.update(policy_uri.clone(), policy.clone());
    ws.update(proposal_uri.clone(), proposal.clone());
    assert!(ws.diagnostics(&policy_uri).is_empty(), "{:?}", ws.diagnostics(&policy_uri));
    let findings = ws.diagnostics(&proposal_uri).len();

    // One edit of the policy file: a param's default, as a user types it.
    let [best, median, p95] = timed(runs, |i| {
        let edited = policy.replacen("= 10s", &format!("= {}s", 10 + i), 1);
        ws.update(policy_uri.clone(), edited);
        std::hint::black_box(ws.diagnostics(&policy_uri));
        std::hint::black_box(ws.diagnostics(&proposal_uri));
    });
    println!(
        "  policy file ({} lines) and proposal re-checked after one edit: best {best:.2} ms, median {median:.2} ms, p95 {p95:.2} ms",
        policy.lines().count(),
    );
    let [best, median, p95] = timed(runs, |i| {
        let edited = proposal.replacen("peak_rps: ", &format!("peak_rps: {}", i % 9 + 1), 1);
        ws.update(proposal_uri.clone(), edited);
        std::hint::black_box(ws.diagnostics(&proposal_uri));
    });
    println!(
        "  proposal ({} lines, {findings} diagnostics) re-checked after one edit: best {best:.2} ms, median {median:.2} ms, p95 {p95:.2} ms",
        proposal.lines().count(),
    );
}
