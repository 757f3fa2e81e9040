//! An embedder of the archpolicy engine: a program of its own (a platform
//! team's PR bot, say) that depends on the library with
//! `default-features = false` and uses only its API (docs/embedding.md).
//!
//! It checks proposals against the standard pack plus an organization's own
//! policy (from a string, with one param set), prints each finding as a data
//! line, then the findings as `policy check` draws them, and exits 1 when a
//! finding denies. With no argument it checks a proposal of its own.
//!
//! `cargo run -p archpolicy-embedder -- examples/fargate_alb.arch.yaml`

use std::process::ExitCode;

use archpolicy::{Finding, PolicySet, Proposal, Severity, SourceFile};

const PROPOSAL: &str = r#"
name: thumbnails
pattern: lambda_api_gateway
environment: production
workload: { requests_per_month: 3000000, avg_duration: 2s, max_request_duration: 40s, peak_rps: 20 }
gateway: { api: http }
function: { runtime: python3.13, memory: 2GiB, timeout: 60s }
"#;

const ORGANIZATION: &str = r#"
param max_memory: size = 1GiB  "the largest function we run without review"

policy function-memory: warn {
  title   "Functions stay under the memory budget"
  when    function is set
  require function.memory <= max_memory
          else "the function asks for {function.memory}; the budget is {max_memory}"
  help    "Profile the function, or ask the platform team to raise `max_memory`."
}
"#;

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(denied) if denied => ExitCode::from(1),
        Ok(_) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::from(2)
        }
    }
}

/// Checks the proposals at `paths` (or the built-in one); true when a finding denies.
fn run(paths: Vec<String>) -> Result<bool, String> {
    let proposals: Vec<Proposal> = if paths.is_empty() {
        vec![archpolicy::load_str("thumbnails.arch.yaml", PROPOSAL).map_err(|f| f.to_string())?]
    } else {
        paths.iter().map(|p| archpolicy::load_file(p).map_err(|f| f.to_string())).collect::<Result<_, _>>()?
    };

    // The organization's policy beside the standard pack, with one param set.
    let mut sources = archpolicy::standard_pack();
    sources.push(SourceFile::new("org.policy", ORGANIZATION));
    let mut policies = PolicySet::from_sources(sources).map_err(|f| f.to_string())?;
    policies.set_param("max_memory", "1536MiB").map_err(|e| e.error.to_string())?;

    let report = policies.check_all(&proposals);
    let findings: Vec<&Finding> = report.proposals.iter().flat_map(|p| &p.findings).collect();
    for finding in &findings {
        // Findings are data: route them, count them, or render them.
        println!("{:<5} {:<24} {}", finding.severity.name(), finding.policy, finding.message);
    }
    println!("\n{}", archpolicy::render_human(&report, false));
    let denied = findings.iter().any(|f| f.severity == Severity::Deny);
    println!("as JSON the report is {} bytes", archpolicy::render_json(&report).len());
    Ok(denied)
}
