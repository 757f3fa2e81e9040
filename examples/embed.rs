//! Embedding the archpolicy engine in another tool: load a proposal and an
//! organization's policies from strings (as a PR bot or an IDE plugin would),
//! check, and use the findings as data.
//!
//! Run with `cargo run --example embed`.

use archpolicy::{PolicySet, Severity, SourceFile};

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
  when    pattern == lambda_api_gateway
  require function.memory <= max_memory
          else "the function asks for {function.memory}; the budget is {max_memory}"
  help    "Profile the function, or ask the platform team to raise `max_memory`."
}
"#;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let proposal = archpolicy::load_str("thumbnails.arch.yaml", PROPOSAL)?;

    // The organization's policy beside the standard pack, with one param set.
    let mut sources = archpolicy::standard_pack();
    sources.push(SourceFile::new("org.policy", ORGANIZATION));
    let mut policies = PolicySet::from_sources(sources)?;
    if let Err(error) = policies.set_param("max_memory", "1536MiB") {
        return Err(error.error.into());
    }

    let report = policies.check_all([&proposal]);
    let findings: Vec<&archpolicy::Finding> = report.proposals.iter().flat_map(|p| &p.findings).collect();
    for finding in &findings {
        // Findings are data: route them, count them, or render them.
        println!("{:<5} {:<24} {}", finding.severity.name(), finding.policy, finding.message);
    }
    println!("\n{}", archpolicy::render_human(&report, false));
    let blocking = findings.iter().filter(|f| f.severity == Severity::Deny).count();
    println!("{blocking} blocking finding(s); as JSON the report is {} bytes", archpolicy::render_json(&report).len());
    Ok(())
}
