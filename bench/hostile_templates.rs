//! Writes the worst templates of each costly class the attacker review of
//! issue 22 found, each as large as one template may be (the 8 MiB limit
//! and the parser's node budget, `yaml::Budget::TEMPLATE`), and beside
//! each a proposal standing on it (`p-CLASS.arch.yaml`), so both `policy
//! import` and `policy check` can be timed on them
//! (bench/hostile-templates.sh; figures in docs/performance.md). The
//! generators are tests/it/import_budget.rs's (tests/it/hostile_templates.rs).
//!
//! cargo run --release --example bench-hostile-templates -- DIR

#[path = "../tests/it/hostile_templates.rs"]
mod templates;

use std::path::Path;

use archpolicy::yaml;
use templates::{sam, service};

/// Just under `import::MAX_TEMPLATE_BYTES`.
const LIMIT: usize = 8 * 1024 * 1024 - 4096;

/// Whether a template is within one template's limits: its size, and the
/// parser's budget (nodes, text, nesting).
fn fits(text: &str) -> bool {
    text.len() <= LIMIT && yaml::parse_with(text, yaml::Options::TEMPLATE).is_ok()
}

/// The template `make(n)` for the largest `n` (from `start`, down by 2%
/// steps) that fits.
fn largest(start: usize, make: impl Fn(usize) -> String) -> (String, usize) {
    let mut n = start;
    loop {
        let text = make(n);
        if fits(&text) || n <= 1 {
            return (text, n);
        }
        n -= (n / 50).max(1);
    }
}

/// Levels of conditions, each `Fn::Or` of ten of the level below, as many
/// per level as fit: worked out by tree, 10^15 evaluations.
fn conditions(width: usize) -> String {
    let (section, top) = templates::conditions("Fn::Or", "!Equals [a, b]", 15, width);
    let mut out = sam(&section, &format!("      Timeout: !If [{top}, 3, 4]\n"));
    out.push_str(&service("S", &format!("!If [{top}, FARGATE, EC2]")));
    out
}

/// Two `Fn::Join`s of `parts` parts each: the function's with a delimiter
/// of most of the file (terabytes if built), the service's with a short one.
fn join(parts: usize) -> String {
    let delimiter = LIMIT.saturating_sub(parts * 4 + 2048);
    let mut out = sam("", &format!("      MemorySize: {}\n", templates::join(delimiter, parts)));
    out.push_str(&service("S", &templates::join(2, parts)));
    out
}

/// `Fn::Sub` of one 1 MiB variable, as many times as fit.
fn sub(times: usize) -> String {
    sam("", &format!("      MemorySize: {}\n", templates::sub(times, 1 << 20)))
}

/// A parameter of as many integers as fit, copied 40 times into the
/// function's tags and into 40 services' launch types.
fn many_ints(count: usize) -> String {
    let tags: Vec<String> = (0..40).map(|i| format!("T{i}: !Select [0, !Ref P]")).collect();
    let mut out = sam(&templates::many_ints(count), &format!("      Tags: {{ {} }}\n", tags.join(", ")));
    for i in 0..40 {
        out.push_str(&service(&format!("S{i}"), "{ \"Fn::Join\": [\",\", { Ref: P }] }"));
    }
    out
}

/// `Fn::FindInMap` into a mapping of `n` keys, one lookup a service.
fn lookups(n: usize) -> String {
    let mut out = templates::mapping(n, |_| "FARGATE".into());
    out.push_str("Resources:\n");
    for i in 0..n {
        out.push_str(&service(&format!("S{i}"), &format!("!FindInMap [M, K{i}, V]")));
    }
    out
}

/// `n` REST APIs, each with a method integrating one function.
fn apis(n: usize) -> String {
    templates::apis(n, 0..n)
}

/// A class: its name, its generator, a first `n` to try, the file's extension and the proposal's `select`.
type Class = (&'static str, fn(usize) -> String, usize, &'static str, &'static str);

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "target/hostile-templates".into());
    let dir = Path::new(&dir);
    std::fs::create_dir_all(dir).expect("the output directory");
    let classes: [Class; 8] = [
        ("conditions", conditions, 2_000, "yaml", "F"),
        ("join", join, 400_000, "yaml", "F"),
        ("sub", sub, 2_000_000, "yaml", "F"),
        ("many-ints", many_ints, 1_000_000, "yaml", "F"),
        ("lookups", lookups, 60_000, "yaml", "S0"),
        ("apis", apis, 40_000, "yaml", "Fn"),
        ("api-function-pairs", templates::api_function_pairs, 40_000, "yaml", "F0"),
        ("terraform", templates::terraform, 25_000, "json", "aws_lambda_function.f[0]"),
    ];
    for (name, make, start, ext, select) in classes {
        let (text, n) = largest(start, make);
        assert!(fits(&text), "{name} does not fit even at n = {n}");
        let file = format!("{name}.{ext}");
        std::fs::write(dir.join(&file), &text).expect("a template");
        let proposal = format!(
            "name: {name}\nenvironment: test\nimport: {{ from: {file}, select: \"{select}\", parameter_defaults: true }}\n\
             workload: {{ requests_per_month: 1, avg_duration: 1ms, max_request_duration: 1s, peak_rps: 1 }}\n"
        );
        std::fs::write(dir.join(format!("p-{name}.arch.yaml")), proposal).expect("a proposal");
        println!("{}\tn = {n}\t{} bytes", dir.join(&file).display(), text.len());
    }
}
