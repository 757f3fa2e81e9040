//! The subcommands of `policy`, one file each.

mod check;
mod cost;
mod explain;
mod facts;
mod fmt;
mod import;
mod list;
mod lsp;
mod output;
mod parallel;
mod recommend;
mod schema;
mod test;

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

pub use output::Exit;

/// Check AWS architecture proposals against your organization's policies.
#[derive(Debug, Parser)]
#[command(name = "policy", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check proposals against policies (the embedded standard pack by default).
    Check {
        /// Proposal files, or directories to search for `*.arch.yaml`, `*.arch.yml` and `*.arch.json` (default: `.`). A search skips hidden files and directories (names starting with `.`) and `target` directories, follows no symlink out of the directory searched and reads each file once; a file named is always read.
        paths: Vec<PathBuf>,
        #[command(flatten)]
        policies: PolicyArgs,
        #[command(flatten)]
        pricing: PricingArgs,
        /// The least severity that fails the run (exit code 1).
        #[arg(long, value_enum, default_value_t = FailOn::Deny)]
        fail_on: FailOn,
        /// Output format.
        #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
        format: CheckFormat,
        /// Run as of this day (YYYY-MM-DD): waivers and runtime dates, for reproducible runs; default: today.
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        today: Option<crate::units::Date>,
        /// The directory SARIF URIs and GitHub annotation paths are relative to (default: the repository root, else `.`).
        #[arg(long, value_name = "DIR")]
        base_dir: Option<PathBuf>,
        /// Analyze the policies instead of checking proposals: a `when` that can never hold, a `require` that always or never holds, two policies that cannot both pass (exit 1 if any).
        #[arg(long)]
        analyze: bool,
    },
    /// Price proposals: line items, idle cost, and the other patterns side by side.
    Cost {
        /// Proposal files, or directories to search. A search skips hidden files and directories (names starting with `.`) and `target` directories, follows no symlink out of the directory searched and reads each file once; a file named is always read.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        pricing: PricingArgs,
        /// The policies whose deny rules the alternatives are configured to satisfy and the cheapest mark respects (default: the standard pack).
        #[command(flatten)]
        policies: PolicyArgs,
        /// Draw monthly cost against requests per month for every pattern, as SVG.
        #[arg(long, value_name = "FILE.svg")]
        chart: Option<PathBuf>,
        /// Replace the `--chart` file if it exists (it is never replaced without).
        #[arg(long)]
        force: bool,
        /// Output format.
        #[arg(long, value_enum, default_value_t = FactsFormat::Table)]
        format: FactsFormat,
    },
    /// Format policy files in one canonical layout, keeping comments.
    Fmt {
        /// Policy files, or directories of `*.policy` files (default: `.`). A search skips hidden files and directories (names starting with `.`) and `target` directories, follows no symlink out of the directory searched and reads each file once; a file named is always read.
        paths: Vec<PathBuf>,
        /// Change nothing; exit 1 if a file is not formatted.
        #[arg(long)]
        check: bool,
    },
    /// Run the `test` blocks of policy files (default: `policies`).
    Test {
        /// Policy files, or directories of `*.policy` files. A search skips hidden files and directories (names starting with `.`) and `target` directories, follows no symlink out of the directory searched and reads each file once; a file named is always read.
        paths: Vec<PathBuf>,
        /// Run as of this day (YYYY-MM-DD): waivers and runtime dates; default: today.
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        today: Option<crate::units::Date>,
    },
    /// List the policies of a set, and its params.
    List {
        #[command(flatten)]
        policies: PolicyArgs,
    },
    /// Print one policy: title, severity, docs, help and source.
    Explain {
        /// The policy id, e.g. `gateway-sync-limit`.
        id: String,
        #[command(flatten)]
        policies: PolicyArgs,
    },
    /// Print the facts derived from proposals, with where each value came from.
    Facts {
        /// Proposal files, or directories to search for `*.arch.yaml`, `*.arch.yml` and `*.arch.json`. A search skips hidden files and directories (names starting with `.`) and `target` directories, follows no symlink out of the directory searched and reads each file once; a file named is always read.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = FactsFormat::Table)]
        format: FactsFormat,
        /// Count the runtime's days to its dates from this day (YYYY-MM-DD); default: today.
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        today: Option<crate::units::Date>,
    },
    /// List the services in CloudFormation, SAM, `cdk synth` templates and Terraform plans, or why a template holds no whole pattern.
    Import {
        /// Templates: CloudFormation or SAM (YAML or JSON), `cdk synth` output, Terraform plan JSON (`terraform show -json`).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = FactsFormat::Table)]
        format: FactsFormat,
        /// Write one skeleton proposal per service into DIR, standing on its template.
        #[arg(long, value_name = "DIR")]
        write: Option<PathBuf>,
        /// Replace a skeleton that exists in DIR (it is never replaced without).
        #[arg(long)]
        force: bool,
    },
    /// Recommend a pattern for a needs file: each pattern's candidate sized, checked against the policies and priced.
    Recommend(recommend::RecommendArgs),
    /// Serve the Language Server Protocol over stdio, for editors (docs/editors.md).
    Lsp {
        /// Speak over stdin and stdout: the default and only transport. Accepted because
        /// clients such as vscode-languageclient add it.
        #[arg(long)]
        stdio: bool,
    },
    /// Print the JSON Schema of the proposal format (for editors).
    Schema {
        /// Print the fact reference (docs/facts.md) instead.
        #[arg(long)]
        facts_markdown: bool,
    },
}

/// How the `cost.*` facts and `policy cost` price.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct PricingArgs {
    /// A price table to use instead of the embedded one (the format of data/prices-us-east-1.yaml).
    #[arg(long, value_name = "FILE")]
    pub pricing: Option<PathBuf>,
    /// Subtract AWS's free tiers (off by default).
    #[arg(long)]
    pub free_tier: bool,
}

/// Where the policies come from.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct PolicyArgs {
    /// A policy file or a directory of `*.policy` files; replaces the standard pack (repeatable). A search skips hidden files and directories (names starting with `.`) and `target` directories, follows no symlink out of the directory searched and reads each file once; a file named is always read.
    #[arg(long = "policies", value_name = "PATH")]
    pub policies: Vec<PathBuf>,
    /// Add the standard pack to the `--policies` given.
    #[arg(long)]
    pub with_standard: bool,
    /// Set a param: `--param max_request_time=20s` (repeatable, once per param).
    #[arg(long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    Deny,
    Warn,
    Info,
}

impl From<FailOn> for crate::Severity {
    fn from(f: FailOn) -> Self {
        match f {
            FailOn::Deny => crate::Severity::Deny,
            FailOn::Warn => crate::Severity::Warn,
            FailOn::Info => crate::Severity::Info,
        }
    }
}

/// Output formats of `policy check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Diagnostics for people, with a summary line.
    Human,
    /// The report as JSON (docs/json.md).
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// GitHub Actions annotations (workflow commands).
    Github,
    /// JUnit XML, a testsuite per proposal and a testcase per policy.
    Junit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FactsFormat {
    /// A readable table.
    Table,
    /// JSON: one object for one proposal, an array for several.
    Json,
}

/// Parses the arguments and runs the subcommand.
pub fn run() -> Exit {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            // Usage errors quote the arguments: through the guard, like every output.
            let styled = error.render();
            if error.use_stderr() {
                let color = output::stderr_style().color;
                output::write_stderr(&if color { styled.ansi().to_string() } else { styled.to_string() });
                return Exit::Error;
            }
            let color = output::stdout_style().color;
            return output::print_stdout(&if color { styled.ansi().to_string() } else { styled.to_string() });
        }
    };
    match cli.command {
        Command::Check { policies, analyze: true, .. } => check::analyze(&policies),
        Command::Check { paths, policies, pricing, fail_on, format, today, base_dir, analyze: false } => {
            check::run(&paths, &policies, &pricing, fail_on.into(), format, today, base_dir.as_deref())
        }
        Command::Cost { paths, pricing, policies, chart, force, format } => cost::run(
            &paths,
            &policies,
            pricing.pricing.as_deref(),
            pricing.free_tier,
            format == FactsFormat::Json,
            chart.as_deref().map(|path| (path, force)),
        ),
        Command::List { policies } => list::run(&policies),
        Command::Test { paths, today } => test::run(&paths, today),
        Command::Fmt { paths, check } => fmt::run(&paths, check),
        Command::Explain { id, policies } => explain::run(&id, &policies),
        Command::Facts { paths, format, today } => facts::run(&paths, format == FactsFormat::Json, today),
        Command::Import { paths, format, write, force } => {
            import::run(&paths, format == FactsFormat::Json, write.as_deref(), force)
        }
        Command::Lsp { stdio: _ } => lsp::run(),
        Command::Schema { facts_markdown } => schema::run(facts_markdown),
        Command::Recommend(args) => recommend::run(&args),
    }
}

fn parse_date(text: &str) -> Result<crate::units::Date, String> {
    text.parse().map_err(|e: crate::units::QuantityError| format!("{e}, e.g. `2027-03-31`"))
}
