//! The subcommands of `policy`, one file each.

mod facts;
mod output;
mod schema;

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
    /// Print the facts derived from proposals, with where each value came from.
    Facts {
        /// Proposal files, or directories to search for `*.arch.yaml`, `*.arch.yml` and `*.arch.json`.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = FactsFormat::Table)]
        format: FactsFormat,
    },
    /// Print the JSON Schema of the proposal format (for editors).
    Schema {
        /// Print the fact reference (docs/facts.md) instead.
        #[arg(long)]
        facts_markdown: bool,
    },
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
            let _ = error.print();
            return if error.use_stderr() { Exit::Error } else { Exit::Ok };
        }
    };
    match cli.command {
        Command::Facts { paths, format } => facts::run(&paths, format == FactsFormat::Json),
        Command::Schema { facts_markdown } => schema::run(facts_markdown),
    }
}
