//! `policy list`: the policies of a set, one per line.

use super::PolicyArgs;
use super::output::{Exit, cell, column_width, print_stdout};

pub fn run(args: &PolicyArgs) -> Exit {
    let Some(set) = args.load() else {
        return Exit::Error;
    };
    let width = column_width(set.policies().iter().map(|p| p.ast.id.name.as_str()));
    let mut out = String::new();
    for policy in set.policies() {
        let title = policy.ast.title().and_then(|t| t.plain()).unwrap_or_default();
        out.push_str(&format!(
            "{}  {:<4}  {}\n",
            cell(&policy.ast.id.name, width),
            policy.ast.severity.name(),
            cell(&title, 0)
        ));
    }
    if !set.params().is_empty() {
        out.push_str("\nparams:\n");
        for (i, param) in set.params().iter().enumerate() {
            let value = set.param_value(i).map(|v| v.to_string()).unwrap_or_default();
            let doc = param.doc.clone().unwrap_or_default();
            out.push_str(format!("  {} = {}  {}\n", param.name, cell(&value, 0), cell(&doc, 0)).trim_end());
            out.push('\n');
        }
    }
    print_stdout(&out)
}
