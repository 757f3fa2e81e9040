//! `policy list`: the policies of a set, one per line.

use crate::untrusted::Untrusted;

use super::PolicyArgs;
use super::output::{Exit, cell, column_width, print_stdout};

pub fn run(args: &PolicyArgs) -> Exit {
    let Some(set) = args.load() else {
        return Exit::Error;
    };
    let width = column_width(set.checked_policies().iter().map(|p| p.ast.id.name.as_str()));
    let mut out = String::new();
    for policy in set.checked_policies() {
        let title = Untrusted::new(policy.ast.title().and_then(|t| t.plain()).unwrap_or_default());
        out.push_str(&format!(
            "{}  {:<4}  {}\n",
            cell(&Untrusted::new(policy.ast.id.name.as_str()), width),
            policy.ast.severity.name(),
            cell(&title, 0)
        ));
    }
    if !set.params().is_empty() {
        out.push_str("\nparams:\n");
        for (i, param) in set.params().iter().enumerate() {
            let value = Untrusted::new(set.param_value(i).map(|v| v.to_string()).unwrap_or_default());
            let doc = Untrusted::new(param.doc.clone().unwrap_or_default());
            let name = Untrusted::new(param.name.as_str());
            out.push_str(format!("  {} = {}  {}\n", name.terminal(), cell(&value, 0), cell(&doc, 0)).trim_end());
            out.push('\n');
        }
    }
    print_stdout(&out)
}
