//! `policy recommend`: a needs file to the pattern that fits it, with every
//! candidate's cost or the reasons it is ruled out.

use std::path::{Path, PathBuf};

use crate::policy::RunOptions;
use crate::recommend::{self, Recommendation, render};
use crate::untrusted::Untrusted;

use super::output::{Exit, print_reports, print_stdout, write_failed, write_output};
use super::{PolicyArgs, PricingArgs};

/// Output formats of `policy recommend`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RecommendFormat {
    /// Plain text for a terminal.
    Human,
    /// The whole answer as JSON.
    Json,
    /// A comparison table for a design document or a pull request comment.
    Markdown,
}

/// The arguments of `policy recommend`.
#[derive(Debug, Clone, clap::Args)]
pub struct RecommendArgs {
    /// The needs file (`*.needs.yaml`, `*.needs.yml` or `*.needs.json`).
    pub file: PathBuf,
    #[command(flatten)]
    pub policies: PolicyArgs,
    #[command(flatten)]
    pub pricing: PricingArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = RecommendFormat::Human)]
    pub format: RecommendFormat,
    /// Draw the candidates' monthly cost against requests per month, as SVG (linked from `--format markdown`).
    #[arg(long, value_name = "FILE.svg")]
    pub chart: Option<PathBuf>,
    /// Write the recommended candidate into this directory as `*.arch.yaml`.
    #[arg(long, value_name = "DIR")]
    pub write: Option<PathBuf>,
    /// Replace a file `--write` or `--chart` would write that exists already (it is never replaced without).
    #[arg(long)]
    pub force: bool,
    /// Judge as of this day (YYYY-MM-DD): runtime dates, for reproducible runs; default: today.
    #[arg(long, value_name = "DATE", value_parser = super::parse_date)]
    pub today: Option<crate::units::Date>,
}

pub fn run(args: &RecommendArgs) -> Exit {
    let needs = match recommend::load_needs_file(&args.file) {
        Ok(needs) => needs,
        Err(failure) => {
            print_reports(&failure.reports());
            return Exit::Error;
        }
    };
    let Some(set) = args.policies.load() else {
        return Exit::Error;
    };
    let Some(cost) = super::cost::options(args.pricing.pricing.as_deref(), args.pricing.free_tier) else {
        return Exit::Error;
    };
    let run = RunOptions { cost: &cost, today: args.today.unwrap_or_else(crate::units::Date::today) };
    let answer = recommend::recommend(&needs, &set, &run);
    if let Some(path) = &args.chart
        && let Err(exit) = write_output(path, answer.chart_svg(&cost).as_bytes(), args.force)
    {
        return exit;
    }
    if let Some(dir) = &args.write
        && let Some(exit) = write(dir, &answer, args.force)
    {
        return exit;
    }
    let chart = args.chart.as_ref().map(|p| p.display().to_string());
    let written = print_stdout(&match args.format {
        RecommendFormat::Human => render::human(&answer),
        RecommendFormat::Json => format!("{}\n", serde_json::to_string_pretty(&answer).unwrap_or_default()),
        RecommendFormat::Markdown => render::markdown(&answer, chart.as_deref()),
    });
    let found = if answer.recommended.is_some() { Exit::Ok } else { Exit::Findings };
    found.max(written)
}

/// Writes the recommended candidate; `Some` exit when it could not be.
fn write(dir: &Path, answer: &Recommendation, force: bool) -> Option<Exit> {
    let chosen = answer.chosen()?;
    if let Err(error) = crate::walk::create_dirs(dir) {
        return Some(write_failed(&error));
    }
    let path = dir.join(&chosen.file);
    match write_output(&path, chosen.text.as_bytes(), force) {
        Ok(()) => {
            super::output::write_stderr(&format!("wrote {}\n", Untrusted::new(path.display().to_string()).terminal()));
            None
        }
        Err(exit) => Some(exit),
    }
}
