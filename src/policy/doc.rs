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
    for policy in set.policies() {
        let title = policy.ast.title().map(|t| t.template()).unwrap_or_default();
        let id = &policy.ast.id.name;
        let _ = writeln!(out, "| [`{id}`](#{id}) | {} | {title} |", policy.ast.severity);
    }
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
    for policy in set.policies() {
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
