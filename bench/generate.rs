//! Writes N realistic proposals (all three patterns, varied sizes and
//! settings) to DIR/proposals, and for each the JSON document of its facts
//! to DIR/facts, which bench/rules.guard checks with cfn-guard.
//!
//! cargo run --release --example bench-generate -- 10000 bench/data

use std::fmt::Write as _;
use std::path::Path;

use archpolicy::facts::FactValue;

/// A small deterministic generator (xorshift), so every run writes the same files.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

fn workload(r: &mut Rng, sync_budget_s: u64) -> String {
    let avg = r.range(20, 900);
    let max = r.range(avg / 1000 + 1, sync_budget_s);
    format!(
        "workload:\n  requests_per_month: {}\n  avg_duration: {avg}ms\n  max_request_duration: {max}s\n  peak_rps: {}\n  websockets: {}\n  streaming: {}\n  latency_sensitive: {}\n",
        r.range(10_000, 500_000_000),
        r.range(1, 5_000),
        r.chance(5),
        r.chance(5),
        r.chance(40),
    )
}

fn common(r: &mut Rng, i: usize, pattern: &str) -> String {
    let env = r.pick(&["production", "production", "staging", "development"]);
    let tier = r.pick(&["core", "standard", "experimental"]);
    let audience = if r.chance(15) { ", audience: partner" } else { "" };
    format!(
        "name: service-{i:05}\npattern: {pattern}\nenvironment: {env}\ntags: {{ team: team-{}, tier: {tier}{audience} }}\n",
        r.range(1, 40)
    )
}

fn tail(r: &mut Rng) -> String {
    let azs = r.range(1, 3);
    let nat = r.range(0, azs);
    let data = r.pick(&[
        "{ kind: dynamodb }",
        "{ kind: rds, proxy: true }",
        "{ kind: aurora }",
        "{ kind: s3 }",
        "{ kind: elasticache }",
    ]);
    let tracing = r.pick(&["xray", "otel", "none"]);
    format!(
        "network: {{ az_count: {azs}, nat_gateways: {nat} }}\ndata:\n  - {data}\nobservability: {{ logs: cloudwatch, tracing: {tracing} }}\n"
    )
}

fn service(r: &mut Rng, gateway_auth: bool) -> String {
    let (cpu, memory) = *r.pick(&[("0.25", "512MiB"), ("0.5", "1GiB"), ("1", "2GiB"), ("2", "4GiB"), ("4", "8GiB")]);
    let min = r.range(0, 3);
    let desired = min + r.range(0, 3);
    let max = desired.max(1) + r.range(0, 20);
    let auth = if gateway_auth { "gateway" } else { r.pick(&["library", "sidecar", "mesh"]) };
    let arch = r.pick(&["x86_64", "arm64"]);
    let subnets = if r.chance(85) { "private" } else { "public" };
    format!(
        "service:\n  cpu: {cpu}\n  memory: {memory}\n  tasks: {{ min: {min}, desired: {desired}, max: {max} }}\n  architecture: {arch}\n  subnets: {subnets}\n  public_ip: {}\n  auth: {auth}\n",
        subnets == "public" && r.chance(50)
    )
}

fn proposal(r: &mut Rng, i: usize) -> String {
    match r.range(0, 2) {
        0 => {
            let api = r.pick(&["rest", "http"]);
            let runtime = r.pick(&["python3.13", "nodejs22.x", "java21", "dotnet8", "provided.al2023"]);
            let timeout = r.range(3, 60);
            let mut text = common(r, i, "lambda_api_gateway");
            text.push_str(&workload(r, 40));
            let authorizer = r.pick(&["none", "lambda", "jwt", "iam"]);
            let authorizer = if *api == "rest" && *authorizer == "jwt" { "cognito" } else { authorizer };
            let throttle = if r.chance(50) { "  throttle: { rate: 500, burst: 1000 }\n" } else { "" };
            let _ =
                write!(text, "gateway:\n  api: {api}\n  authorizer: {authorizer}\n  waf: {}\n{throttle}", r.chance(50));
            let vpc = if r.chance(60) { "  vpc: { subnets: private }\n" } else { "" };
            let _ = write!(
                text,
                "function:\n  runtime: {runtime}\n  memory: {}MiB\n  timeout: {timeout}s\n  architecture: {}\n  provisioned_concurrency: {}\n  snapstart: {}\n{vpc}",
                r.pick(&[128, 256, 512, 1024, 2048, 3008]),
                r.pick(&["x86_64", "arm64"]),
                if r.chance(20) { r.range(1, 10) } else { 0 },
                runtime.starts_with("java") && r.chance(50),
            );
            text.push_str(&tail(r));
            text
        }
        1 => {
            let mut text = common(r, i, "fargate_alb");
            text.push_str(&workload(r, 120));
            let _ = write!(text, "load_balancer:\n  idle_timeout: {}s\n  waf: {}\n", r.range(30, 300), r.chance(70));
            text.push_str(&service(r, false));
            text.push_str(&tail(r));
            text
        }
        _ => {
            let mut text = common(r, i, "fargate_api_gateway");
            text.push_str(&workload(r, 40));
            let authorizer = r.pick(&["none", "lambda", "iam"]);
            let throttle = if r.chance(60) { "  throttle: { rate: 300, burst: 600 }\n" } else { "" };
            let _ =
                write!(text, "gateway:\n  api: rest\n  authorizer: {authorizer}\n  waf: {}\n{throttle}", r.chance(50));
            let _ = write!(
                text,
                "vpc_link: {{ version: {} }}\nload_balancer:\n  idle_timeout: {}s\n",
                r.pick(&["v1", "v2"]),
                r.range(30, 120)
            );
            text.push_str(&service(r, *authorizer != "none"));
            text.push_str(&tail(r));
            text
        }
    }
}

/// The facts as a nested JSON document: durations in milliseconds, money in
/// cents, sizes in MiB, enums as strings, so guard rules compare numbers.
fn facts_json(proposal: &archpolicy::Proposal) -> serde_json::Value {
    let mut root = serde_json::Map::new();
    for (path, fact) in proposal.facts().iter() {
        let (path, value) = match &fact.value {
            FactValue::Duration(d) => (format!("{path}_ms"), serde_json::json!(d.as_millis())),
            FactValue::Money(m) => (
                format!("{path}_cents"),
                serde_json::json!(
                    (m.as_decimal() * rust_decimal::Decimal::from(100)).round().to_string().parse::<i64>().unwrap_or(0)
                ),
            ),
            FactValue::Size(s) => (format!("{path}_mib"), serde_json::json!(s.as_mib())),
            FactValue::Vcpu(v) => (format!("{path}_millis"), serde_json::json!(v.as_millis())),
            other => (path.to_string(), other.to_json()),
        };
        let mut node = &mut root;
        let segments: Vec<&str> = path.split('.').collect();
        for segment in &segments[..segments.len() - 1] {
            node = node
                .entry(segment.to_string())
                .or_insert_with(|| serde_json::json!({}))
                .as_object_mut()
                .expect("fact paths do not collide with values");
        }
        node.insert(segments[segments.len() - 1].to_string(), value);
    }
    serde_json::Value::Object(root)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let dir = Path::new(args.get(2).map_or("bench/data", String::as_str));
    std::fs::create_dir_all(dir.join("proposals")).unwrap();
    std::fs::create_dir_all(dir.join("facts")).unwrap();
    let mut r = Rng(0x9e37_79b9_7f4a_7c15);
    let mut written = 0;
    let mut i = 0;
    while written < n {
        i += 1;
        let text = proposal(&mut r, i);
        // Keep only what AWS would accept, as a real repository would.
        let Ok(p) = archpolicy::load_str("generated.arch.yaml", &text) else { continue };
        std::fs::write(dir.join("proposals").join(format!("{written:05}.arch.yaml")), &text).unwrap();
        let json = serde_json::to_string(&facts_json(&p)).unwrap();
        std::fs::write(dir.join("facts").join(format!("{written:05}.json")), json).unwrap();
        written += 1;
    }
    println!("wrote {written} proposals ({} generated) to {}", i, dir.display());
}
