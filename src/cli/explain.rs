//! `policy explain ID`: one policy's title, severity, help, docs, the
//! patterns and components it applies to, and its source.

use crate::suggest;
use crate::untrusted::Untrusted;

use super::PolicyArgs;
use super::output::{Exit, print_error, print_stdout};

pub fn run(id: &str, args: &PolicyArgs) -> Exit {
    let Some(set) = args.load() else {
        return Exit::Error;
    };
    let Some(policy) = set.checked_policy(id) else {
        let ids: Vec<&str> = set.checked_policies().iter().map(|p| p.ast.id.name.as_str()).collect();
        let help = match suggest::did_you_mean(id, ids.iter().copied()) {
            Some(s) => format!("did you mean `{s}`? `policy list` shows every policy"),
            None => "`policy list` shows every policy".to_string(),
        };
        print_error(crate::policy::PolicyError::UnknownPolicy { id: id.to_string(), help });
        return Exit::Error;
    };
    let ast = &policy.ast;
    let plain = |m: Option<&crate::policy::ast::Message>| Untrusted::new(m.map(|m| m.template()).unwrap_or_default());
    let mut out = format!("{} ({})\n", Untrusted::new(ast.id.name.as_str()).terminal(), ast.severity);
    let title = plain(ast.title());
    if !title.raw().is_empty() {
        out.push_str(&format!("{}\n", title.terminal()));
    }
    let docs = plain(ast.docs());
    if !docs.raw().is_empty() {
        out.push_str(&format!("\n{}\n", docs.block()));
    }
    let help = plain(ast.help());
    if !help.raw().is_empty() {
        out.push_str(&format!("\nhelp: {}\n", help.block()));
    }
    out.push_str(&applies_to(policy));
    let tags: Vec<String> = ast.tags().map(|t| Untrusted::new(t.name.as_str()).terminal().to_string()).collect();
    if !tags.is_empty() {
        out.push_str(&format!("tags: {}\n", tags.join(", ")));
    }
    if let Some(file) = set.file(policy.file) {
        let (line, _) = file.line_col(ast.span.offset());
        let source = Untrusted::new(file.slice(ast.span).unwrap_or_default());
        let name = Untrusted::new(file.name());
        out.push_str(&format!("\nsource: {}:{line}\n\n{}\n", name.terminal(), source.block()));
    }
    print_stdout(&out)
}

/// `applies to: ...` and `reads: ...`: the patterns (with the components
/// all of them have) and the components whose facts the policy reads.
fn applies_to(policy: &crate::policy::CheckedPolicy) -> String {
    use crate::model::NamedEnum;
    let reach = crate::policy::reach(policy);
    let names = |v: Vec<&str>| if v.is_empty() { "none".to_string() } else { v.join(", ") };
    let patterns = names(reach.patterns.iter().map(|p| p.name()).collect());
    let components = names(reach.components.iter().map(|c| c.name()).collect());
    let reads = names(reach.reads.iter().map(|c| c.name()).collect());
    format!("applies to: {patterns}\ncomponents present: {components}\nreads components: {reads}\n")
}
