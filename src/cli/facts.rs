//! `policy facts`: a proposal's snapshot card, every fact with its value and origin.

use std::path::PathBuf;

use crate::cost::CostOptions;
use crate::facts::{Fact, FactType, FactValue, Facts, SCHEMA};
use crate::load;
use crate::model::Proposal;
use crate::units::Date;
use crate::untrusted::Untrusted;

use super::output::{Exit, cell, column_width, print_error};
use super::parallel::{self, Layout};

pub fn run(paths: &[PathBuf], json: bool, today: Option<Date>) -> Exit {
    let today = today.unwrap_or_else(Date::today);
    let files = match load::discover(paths) {
        Ok(files) => files,
        Err(errors) => {
            errors.into_iter().for_each(print_error);
            return Exit::Error;
        }
    };
    let layout = match (json, files.len(), paths.len()) {
        (false, _, _) => Layout::Tables,
        (true, 1, 1) => Layout::JsonSingle,
        (true, _, _) => Layout::JsonArray,
    };
    // Streamed as `check` streams: every core, file order, bounded memory.
    parallel::render_files(&files, &layout, |file| {
        let proposal = load::load_found(file)?;
        let facts = proposal.facts_on(CostOptions::embedded_ref(), today);
        Ok(if json {
            serde_json::to_string_pretty(&facts.to_json(&proposal.source)).unwrap_or_default()
        } else {
            table(&proposal, &facts)
        })
    })
}

/// Rows in schema order: identity, workload, request path, ..., components.
fn rows(facts: &Facts, proposal: &Proposal) -> Vec<[String; 3]> {
    let mut rows = Vec::new();
    let mut push = |path: String, fact: &Fact| {
        rows.push([path, fact.value.to_string(), fact.describe_provenance(&proposal.source)]);
    };
    for def in SCHEMA {
        if def.path == "tags.*" {
            for (path, fact) in facts.iter().filter(|(p, _)| p.starts_with("tags.")) {
                push(path.to_string(), fact);
            }
        } else if def.path.contains("[]") {
            // Shown with their list.
        } else if let Some(fact) = facts.get(def.path) {
            match (&fact.value, def.ty) {
                (FactValue::List(records), FactType::List) => {
                    if records.is_empty() {
                        push(def.path.to_string(), fact);
                    }
                    for (i, record) in records.iter().enumerate() {
                        for (field, f) in record {
                            push(format!("{}[{i}].{field}", def.path), f);
                        }
                    }
                }
                _ => push(def.path.to_string(), fact),
            }
        }
    }
    rows
}

fn table(proposal: &Proposal, facts: &Facts) -> String {
    let rows = rows(facts, proposal);
    let header = ["fact".to_string(), "value".to_string(), "from".to_string()];
    let width = |i: usize| column_width(rows.iter().chain(std::iter::once(&header)).map(|r| r[i].as_str()));
    let (w0, w1) = (width(0), width(1));
    let mut out = format!(
        "{} ({}) {}\n\n",
        cell(&Untrusted::new(proposal.model.common.name.as_str()), 0),
        facts.pattern(),
        cell(&Untrusted::new(proposal.source.name()), 0)
    );
    for row in std::iter::once(&header).chain(rows.iter()) {
        let [path, value, from] = row.clone().map(Untrusted::from);
        out.push_str(format!("{}  {}  {}\n", cell(&path, w0), cell(&value, w1), cell(&from, 0)).trim_end());
        out.push('\n');
    }
    out
}
