//! The AST back to text, in one canonical layout. Parsing the output gives
//! the same AST (a property test checks it), with the fewest parentheses
//! that keep the meaning.

use rust_decimal::Decimal;

use super::ast::*;
use super::comments::{Anchor, Placement};

/// How tightly an expression binds; higher binds tighter.
fn precedence(e: &Expr) -> u8 {
    match &e.kind {
        ExprKind::Quantified { .. } => 0,
        ExprKind::Binary(BinOp::Implies, ..) => 1,
        ExprKind::Binary(BinOp::Or, ..) => 2,
        ExprKind::Binary(BinOp::And, ..) => 3,
        ExprKind::Not(_) => 4,
        ExprKind::Binary(op, ..) if op.is_comparison() => 5,
        ExprKind::In { .. } | ExprKind::IsSet { .. } => 5,
        ExprKind::Binary(BinOp::Add | BinOp::Sub, ..) => 6,
        ExprKind::Binary(..) => 7,
        ExprKind::Neg(_) => 8,
        _ => 9,
    }
}

/// Writes `e`, in parentheses unless it binds at least as tightly as `min`.
fn operand(out: &mut String, e: &Expr, min: u8) {
    if precedence(e) < min {
        out.push('(');
        write_expr(out, e);
        out.push(')');
    } else {
        write_expr(out, e);
    }
}

pub fn expr_to_string(e: &Expr) -> String {
    let mut out = String::new();
    write_expr(&mut out, e);
    out
}

fn write_decimal(out: &mut String, d: Decimal) {
    let text = d.normalize().to_string();
    out.push_str(&text);
    if !text.contains('.') {
        out.push_str(".0");
    }
}

fn write_quantity(out: &mut String, q: &Quantity) {
    match q {
        Quantity::Duration(d) => out.push_str(&d.to_string()),
        Quantity::Size(s) => out.push_str(&s.to_string()),
        // Whole dollars as written (`$50`), cents otherwise (`$0.50`).
        Quantity::Money(m) if m.as_decimal().fract().is_zero() => {
            out.push_str(&format!("${}", m.as_decimal().normalize()))
        }
        Quantity::Money(m) => out.push_str(&m.to_string()),
        Quantity::Percent(p) => {
            out.push_str(&(*p * Decimal::from(100)).normalize().to_string());
            out.push('%');
        }
        Quantity::Vcpu(v) => {
            out.push_str(&v.as_decimal().to_string());
            out.push_str("vCPU");
        }
    }
}

pub(crate) fn write_expr(out: &mut String, e: &Expr) {
    match &e.kind {
        ExprKind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        ExprKind::Int(i) => out.push_str(&i.to_string()),
        ExprKind::Decimal(d) => write_decimal(out, *d),
        ExprKind::Str(s) => write_string(out, &[MessagePart::Text(s.clone())]),
        ExprKind::Quantity(q) => write_quantity(out, q),
        ExprKind::Path(p) => out.push_str(&p.dotted()),
        ExprKind::Not(inner) => {
            out.push_str("not ");
            operand(out, inner, 4);
        }
        ExprKind::Neg(inner) => {
            out.push('-');
            operand(out, inner, 8);
        }
        ExprKind::Binary(op, a, b) => {
            let p = precedence(e);
            let (left_min, right_min) = match op {
                // Right-associative.
                BinOp::Implies => (p + 1, p),
                // Not associative: a < b < c does not parse.
                op if op.is_comparison() => (6, 6),
                _ => (p, p + 1),
            };
            operand(out, a, left_min.max(1));
            out.push(' ');
            out.push_str(op.symbol());
            out.push(' ');
            operand(out, b, right_min.max(1));
        }
        ExprKind::In { expr, list, negated } => {
            operand(out, expr, 6);
            out.push_str(if *negated { " not in [" } else { " in [" });
            for (i, item) in list.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                operand(out, item, 1);
            }
            out.push(']');
        }
        ExprKind::IsSet { expr, negated } => {
            operand(out, expr, 6);
            out.push_str(if *negated { " is not set" } else { " is set" });
        }
        ExprKind::Quantified { quantifier, var, list, body } => {
            out.push_str(match quantifier {
                Quantifier::All => "all ",
                Quantifier::Any => "any ",
            });
            out.push_str(&var.name);
            out.push_str(" in ");
            operand(out, list, 6);
            out.push_str(": ");
            write_expr(out, body);
        }
        ExprKind::Count { list, filter } => {
            out.push_str("count(");
            if let Some((var, body)) = filter {
                out.push_str(&var.name);
                out.push_str(" in ");
                operand(out, list, 6);
                out.push_str(": ");
                write_expr(out, body);
            } else {
                operand(out, list, 6);
            }
            out.push(')');
        }
    }
}

fn write_string(out: &mut String, parts: &[MessagePart]) {
    out.push('"');
    for part in parts {
        match part {
            MessagePart::Text(text) => {
                for c in text.chars() {
                    match c {
                        '"' => out.push_str("\\\""),
                        '\\' => out.push_str("\\\\"),
                        '{' => out.push_str("\\{"),
                        '}' => out.push_str("\\}"),
                        '\n' => out.push_str("\\n"),
                        '\t' => out.push_str("\\t"),
                        c => out.push(c),
                    }
                }
            }
            MessagePart::Interpolation(path) => {
                out.push('{');
                out.push_str(&path.dotted());
                out.push('}');
            }
        }
    }
    out.push('"');
}

fn write_message(out: &mut String, m: &Message) {
    write_string(out, &m.parts);
}

/// A whole policy file in the canonical layout (without comments: the AST
/// holds none; [`format_source`] keeps them).
///
/// ```
/// let file = archpolicy::policy::parse("policy p:warn{require (a.b<=3s)}").unwrap();
/// assert_eq!(archpolicy::policy::format(&file), "policy p: warn {\n  require a.b <= 3s\n}\n");
/// ```
pub fn format(file: &PolicyFile) -> String {
    format_with(file, &Placement::default())
}

/// Formats policy source text, keeping its comments (and its `language N`
/// line). The syntax tree is unchanged: `parse(format_source(t)) == parse(t)`.
///
/// ```
/// let text = "# limits\npolicy p:warn{\n# why\nrequire a.b<=3s # tight\n}\n";
/// let formatted = archpolicy::policy::format_source(text).unwrap();
/// assert_eq!(formatted, "# limits\npolicy p: warn {\n  # why\n  require a.b <= 3s  # tight\n}\n");
/// ```
pub fn format_source(text: &str) -> Result<String, crate::source::NonEmpty<super::err::ParseError>> {
    format_text(text, false)
}

/// What `policy fmt` writes: [`format_source`], with the deprecated forms
/// the checker warns about rewritten to the canonical ones (a quoted enum
/// value becomes the bare name). The meaning is unchanged; the syntax tree
/// is not, where a form was deprecated.
///
/// ```
/// let text = "policy p: warn {\n  when environment == \"production\"\n  require workload.peak_rps <= 10\n}\n";
/// let formatted = archpolicy::policy::format_canonical(text).unwrap();
/// assert!(formatted.contains("when    environment == production\n"));
/// ```
pub fn format_canonical(text: &str) -> Result<String, crate::source::NonEmpty<super::err::ParseError>> {
    format_text(text, true)
}

fn format_text(text: &str, canonical: bool) -> Result<String, crate::source::NonEmpty<super::err::ParseError>> {
    let file = super::parse(text)?;
    let placement = super::comments::place(text, &file);
    let file = if canonical { super::canonical::canonical(file) } else { file };
    let body = format_with(&file, &placement);
    Ok(match super::parse::declared_language(text) {
        Some(version) => with_language(version, text, &body),
        None => body,
    })
}

/// `body` with its `language N` line first, after the comments that stood
/// above the line in `source`.
fn with_language(version: u32, source: &str, body: &str) -> String {
    let above = source.lines().take_while(|l| !l.trim_start().starts_with("language")).filter(|l| !l.trim().is_empty());
    let mut comments = above.count();
    let mut split = 0;
    for line in body.split_inclusive('\n') {
        if comments == 0 || !(line.starts_with('#') || line.trim().is_empty()) {
            break;
        }
        comments -= usize::from(line.starts_with('#'));
        split += line.len();
    }
    let (head, rest) = body.split_at(split);
    let rest = rest.trim_start_matches('\n');
    if rest.is_empty() { format!("{head}language {version}\n") } else { format!("{head}language {version}\n\n{rest}") }
}

fn lead(out: &mut String, placement: &Placement, anchor: Anchor, indent: &str) {
    for line in placement.leading.get(&anchor).into_iter().flatten() {
        out.push_str(indent);
        out.push_str(line);
        out.push('\n');
    }
}

fn trail(out: &mut String, placement: &Placement, anchor: Anchor) {
    if let Some(lines) = placement.trailing.get(&anchor) {
        out.push_str("  ");
        out.push_str(&lines.join(" "));
    }
}

fn before_close(out: &mut String, placement: &Placement, item: usize) {
    for line in placement.before_close.get(&item).into_iter().flatten() {
        out.push_str("  ");
        out.push_str(line);
        out.push('\n');
    }
}

fn format_with(file: &PolicyFile, placement: &Placement) -> String {
    let mut out = String::new();
    for (i, item) in file.items.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        lead(&mut out, placement, (i, None), "");
        if placement.gap.contains(&i) && placement.leading.contains_key(&(i, None)) {
            out.push('\n');
        }
        match item {
            Item::Param(p) => {
                out.push_str(&format!("param {}: {} = ", p.name.name, p.ty.name));
                write_expr(&mut out, &p.default);
                if let Some(doc) = &p.doc {
                    out.push_str("  ");
                    write_message(&mut out, doc);
                }
            }
            Item::Policy(p) => write_policy(&mut out, p, i, placement),
            Item::Test(t) => write_test(&mut out, t, i, placement),
        }
        trail(&mut out, placement, (i, None));
        out.push('\n');
    }
    if !placement.end.is_empty() {
        if !file.items.is_empty() {
            out.push('\n');
        }
        for line in &placement.end {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

fn write_test(out: &mut String, t: &TestBlock, item: usize, placement: &Placement) {
    out.push_str("test ");
    write_message(out, &t.name);
    out.push_str(" {\n");
    for (c, clause) in t.clauses.iter().enumerate() {
        lead(out, placement, (item, Some(c)), "  ");
        match clause {
            TestClause::Proposal(m) => {
                out.push_str("  proposal ");
                write_message(out, m);
            }
            TestClause::Given(path, value) => {
                out.push_str(&format!("  given    {} = ", path.dotted()));
                write_expr(out, value);
            }
            TestClause::Expect { policy, outcome } => {
                out.push_str(&format!("  expect   {}: {}", policy.name, outcome.name));
            }
        }
        trail(out, placement, (item, Some(c)));
        out.push('\n');
    }
    before_close(out, placement, item);
    out.push('}');
}

fn write_policy(out: &mut String, p: &Policy, item: usize, placement: &Placement) {
    out.push_str(&format!("policy {}: {} {{\n", p.id.name, p.severity));
    for (c, clause) in p.clauses.iter().enumerate() {
        lead(out, placement, (item, Some(c)), "  ");
        match clause {
            Clause::Title(m) => {
                out.push_str("  title   ");
                write_message(out, m);
            }
            Clause::When(e) => {
                out.push_str("  when    ");
                write_expr(out, e);
            }
            Clause::Require(r) => {
                out.push_str("  require ");
                write_expr(out, &r.expr);
                if let Some(m) = &r.message {
                    out.push_str("\n          else ");
                    write_message(out, m);
                }
            }
            Clause::Help(m) => {
                out.push_str("  help    ");
                write_message(out, m);
            }
            Clause::Docs(m) => {
                out.push_str("  docs    ");
                write_message(out, m);
            }
            Clause::Tags(tags) => {
                out.push_str("  tags    [");
                out.push_str(&tags.iter().map(|t| t.name.as_str()).collect::<Vec<_>>().join(", "));
                out.push(']');
            }
            Clause::Waivable(w) => out.push_str(if *w { "  waivable true" } else { "  waivable false" }),
        }
        trail(out, placement, (item, Some(c)));
        out.push('\n');
    }
    before_close(out, placement, item);
    out.push('}');
}

#[cfg(test)]
mod tests {
    use super::super::ast::WithoutSpans;
    use super::*;

    /// Parses `require TEXT`, prints it, and checks the printed form parses to the same tree.
    fn canonical(text: &str) -> String {
        let file = crate::policy::parse(&format!("policy p: warn {{ require {text} }}")).unwrap();
        let printed = format(&file);
        let line = printed.lines().nth(1).unwrap().trim_start().strip_prefix("require ").unwrap().to_string();
        let again = crate::policy::parse(&printed).unwrap();
        assert_eq!(again.without_spans(), file.without_spans(), "{text}");
        line
    }

    #[test]
    fn keeps_only_the_parentheses_that_matter() {
        for (input, printed) in [
            ("(a + b) * c", "(a + b) * c"),
            ("a + (b * c)", "a + b * c"),
            ("a - (b - c)", "a - (b - c)"),
            ("(a - b) - c", "a - b - c"),
            ("a / (b * c)", "a / (b * c)"),
            ("(all x in d: p) or q", "(all x in d: p) or q"),
            ("q or (all x in d: p)", "q or (all x in d: p)"),
            ("all x in d: p or q", "all x in d: p or q"),
            ("not (a and b)", "not (a and b)"),
            ("not a and b", "not a and b"),
            ("-(a + b)", "-(a + b)"),
            ("(a implies b) implies c", "(a implies b) implies c"),
            ("a implies (b implies c)", "a implies b implies c"),
            ("(a == b) == c", "(a == b) == c"),
            ("(a or b) and c", "(a or b) and c"),
            ("a or (b and c)", "a or b and c"),
            ("(a + b) in [1, 2]", "a + b in [1, 2]"),
            ("(a and b) is set", "(a and b) is set"),
            ("count(x in data: x.proxy) >= 2", "count(x in data: x.proxy) >= 2"),
            ("2.0 == 2", "2.0 == 2"),
            ("50% * 3s > 1500ms", "50% * 3s > 1500ms"),
            ("$1,000.50 >= 0.25vCPU", "$1000.50 >= 0.25vCPU"),
            ("$0.0001 < $1", "$0.0001 < $1"),
            ("x in [$693, $527]", "x in [$693, $527]"),
            ("x in [$1,000, $2.5]", "x in [$1000, $2.50]"),
            ("\"say \\\"hi\\\" \\{x\\}\" == s", "\"say \\\"hi\\\" \\{x\\}\" == s"),
        ] {
            assert_eq!(canonical(input), printed, "{input}");
        }
    }
}
