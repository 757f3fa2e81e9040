//! docs/policies.md, generated from a policy set (the standard pack's), so
//! the reference cannot drift from the policies.

use std::fmt::Write;

use super::PolicySet;

/// The reference of a policy set in Markdown.
pub fn markdown(set: &PolicySet) -> String {
    let mut out = String::from("# The standard policies\n\n");
    out.push_str("<!-- Generated from policies/*.policy; a test keeps it current. -->\n\n");
    out.push_str(
        "The standard pack is the guide's advice written as policies, embedded in the `policy` \
         binary. `policy check` uses it unless `--policies` names others (`--with-standard` adds \
         it back); `policy explain ID` prints one policy with its source. Each policy has a \
         proposal that passes it and one that fails it in tests/policies/ID/.\n\n",
    );
    out.push_str("| policy | severity | title |\n|---|---|---|\n");
    for policy in set.checked_policies() {
        let title = policy.ast.title().map(|t| t.template()).unwrap_or_default();
        let id = &policy.ast.id.name;
        let _ = writeln!(out, "| [`{id}`](#{id}) | {} | {title} |", policy.ast.severity);
    }
    where_each_applies(set, &mut out);
    if !set.params().is_empty() {
        out.push_str("\n## Params\n\nSet them with `--param NAME=VALUE`.\n\n| param | type | default | meaning |\n|---|---|---|---|\n");
        for (i, param) in set.params().iter().enumerate() {
            let value = set.param_value(i).map(|v| v.to_string()).unwrap_or_default();
            let _ = writeln!(
                out,
                "| `{}` | {} | `{value}` | {} |",
                param.name,
                param.ty.name().replace('`', ""),
                param.doc.clone().unwrap_or_default()
            );
        }
    }
    for policy in set.checked_policies() {
        let ast = &policy.ast;
        let _ = write!(out, "\n## {}\n\n", ast.id.name);
        let title = ast.title().map(|t| t.template()).unwrap_or_default();
        let _ = writeln!(out, "**{title}** ({})\n", ast.severity);
        if let Some(docs) = ast.docs() {
            let _ = writeln!(out, "{}\n", docs.template());
        }
        if let Some(help) = ast.help() {
            let _ = writeln!(out, "Fix: {}\n", help.template());
        }
        let tags: Vec<String> = ast.tags().map(|t| format!("`{}`", t.name)).collect();
        if !tags.is_empty() {
            let _ = writeln!(out, "Tags: {}\n", tags.join(", "));
        }
        if let Some(file) = set.file(policy.file) {
            let source = file.slice(ast.span).unwrap_or_default();
            let _ = writeln!(out, "Source: `{}`\n\n```text\n{source}\n```", file.name());
        }
    }
    out
}

/// Which patterns each policy applies to, and why: a policy applies where
/// its `when` conditions allow and every component it reads is present
/// (`policy explain ID` says the same of one policy).
fn where_each_applies(set: &PolicySet, out: &mut String) {
    use crate::model::{NamedEnum, Pattern};
    out.push_str(
        "\n## Where each policy applies\n\nA policy applies to a pattern when its `when` conditions allow that \
         pattern and the pattern has every component the policy reads (its facts of `gateway`, `function`, \
         `function_url`, ...); elsewhere its outcome is `skip`. A pattern added to the registry is covered by \
         each policy whose components it has, with no change to the policy:",
    );
    // Each added pattern says which policies reach it and why, in its own file.
    for def in crate::patterns::REGISTRY.iter().filter(|d| !d.policies.is_empty()) {
        let _ = write!(out, " `{}` {}", def.pattern.name(), def.policies);
    }
    out.push_str("\n\n");
    let _ = write!(out, "| policy | reads |");
    for p in Pattern::ALL {
        let _ = write!(out, " `{}` |", p.name());
    }
    out.push_str("\n|---|---|");
    out.push_str(&"---|".repeat(Pattern::ALL.len()));
    out.push('\n');
    for policy in set.checked_policies() {
        let reach = super::reach(policy);
        let reads: Vec<&str> = reach.reads.iter().map(|c| c.name()).collect();
        let reads = if reads.is_empty() { "common facts".to_string() } else { reads.join(", ") };
        let _ = write!(out, "| `{}` | {reads} |", policy.ast.id.name);
        for p in Pattern::ALL {
            out.push_str(if reach.patterns.contains(&p) { " yes |" } else { " |" });
        }
        out.push('\n');
    }
}
