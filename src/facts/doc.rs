//! docs/facts.md, generated from the schema so that it cannot go stale
//! (a test compares the file with this output).

use std::fmt::Write;

use super::schema::{FactType, PatternSet, SCHEMA};
use crate::model::NamedEnum;

/// The fact reference in Markdown.
pub fn markdown() -> String {
    let mut out = String::new();
    out.push_str("# Fact reference\n\n");
    out.push_str("<!-- Generated from src/facts/schema.rs by `policy schema --facts-markdown`; do not edit. -->\n\n");
    out.push_str(
        "Policies read facts, never the proposal's YAML. Each fact has a type, and exists \
         for the patterns listed; a policy that names a fact must first narrow the patterns \
         it applies to (`when pattern == ...`) to those that have it. Optional facts may be \
         absent: test them with `is set` before ordering or arithmetic.\n\n\
         `policy facts FILE` shows a proposal's facts with where each value came from.\n\n",
    );
    let mut section = "";
    for def in SCHEMA {
        let head = def.path.split(['.', '[']).next().unwrap_or(def.path);
        let title = match head {
            "pattern" | "name" | "environment" | "tags" => "Identity",
            "workload" => "Workload",
            "request" | "supports" => "Request path",
            "network" | "tls" | "auth" => "Network and security",
            "portability" | "startup" | "ops" | "resilience" => "Operations",
            "cost" => "Cost",
            "data" | "observability" => "Data and observability",
            "gateway" => "API Gateway",
            "function" => "Lambda function",
            "service" => "Fargate service",
            "load_balancer" => "Load balancer",
            "vpc_link" => "VPC link",
            _ => "Other",
        };
        if title != section {
            section = title;
            let _ = write!(out, "\n## {title}\n\n| fact | type | patterns | meaning |\n|---|---|---|---|\n");
        }
        let ty = match def.ty {
            FactType::Enum(e) => {
                let values: Vec<String> = e.values.iter().map(|v| format!("`{v}`")).collect();
                let sep = if e.ordered { " < " } else { ", " };
                format!("{}: {}", def.ty.name(), values.join(sep))
            }
            other => other.name(),
        };
        let optional = if def.optional { " (optional)" } else { "" };
        let _ = writeln!(
            out,
            "| `{}` | {ty}{optional} | {} | {} |",
            def.path,
            patterns(def.patterns),
            def.doc.replace('|', "\\|")
        );
    }
    out
}

fn patterns(set: PatternSet) -> String {
    if set == PatternSet::ALL {
        return "all".into();
    }
    set.patterns().map(|p| format!("`{}`", p.name())).collect::<Vec<_>>().join(", ")
}
