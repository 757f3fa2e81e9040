//! Deprecated forms rewritten to the canonical ones, for `policy fmt`: a
//! quoted enum value (`environment == "production"`, the first release's
//! style) becomes the bare name (`environment == production`). What is
//! deprecated is what the checker warns about, so the rewrite follows the
//! checker, never a guess from the text: it never changes what a file means.

use super::ast::*;
use super::err::{CheckError, Located};
use super::params;
use super::typecheck::TypeChecker;
use crate::source::SourceFile;

/// The spans of the string literals in `file` that the checker reads as an
/// enum value. The file is checked alone: a value compared with a param of
/// another file is left as written.
pub(crate) fn quoted_enum_values(file: &PolicyFile) -> Vec<Span> {
    let parsed = [(0, std::sync::Arc::new(file.clone()))];
    let files = [SourceFile::new("", "")];
    let (mut errors, mut warnings) = (Vec::new(), Vec::new());
    let (params, _) = params::declare(&parsed, &files, &mut errors, &mut warnings);
    let mut checker = TypeChecker::new(&params);
    for item in &file.items {
        if let Item::Policy(p) = item {
            checker.policy(0, p);
        }
    }
    let from_checker = checker.warnings.into_iter().map(|(_, w)| w);
    warnings
        .into_iter()
        .map(|l: Located| l.error)
        .filter_map(|e| match e {
            super::err::PolicyError::Check(c) => Some(c),
            _ => None,
        })
        .chain(from_checker)
        .filter_map(|w| match w {
            CheckError::QuotedEnumValue { span, .. } => Some(span),
            _ => None,
        })
        .collect()
}

/// `file` with the deprecated forms rewritten.
pub(crate) fn canonical(mut file: PolicyFile) -> PolicyFile {
    let spans = quoted_enum_values(&file);
    if spans.is_empty() {
        return file;
    }
    for item in &mut file.items {
        match item {
            Item::Param(p) => unquote(&mut p.default, &spans),
            Item::Policy(p) => {
                for clause in &mut p.clauses {
                    match clause {
                        Clause::When(e) => unquote(e, &spans),
                        Clause::Require(r) => unquote(&mut r.expr, &spans),
                        _ => {}
                    }
                }
            }
            Item::Test(_) => {}
        }
    }
    file
}

fn unquote(e: &mut Expr, spans: &[Span]) {
    match &mut e.kind {
        ExprKind::Str(text) if spans.contains(&e.span) => {
            let name = Ident { name: std::mem::take(text), span: e.span };
            e.kind = ExprKind::Path(Path { segments: vec![name], span: e.span });
        }
        ExprKind::Not(inner) | ExprKind::Neg(inner) => unquote(inner, spans),
        ExprKind::Binary(_, a, b) => {
            unquote(a, spans);
            unquote(b, spans);
        }
        ExprKind::In { expr, list, .. } => {
            unquote(expr, spans);
            list.iter_mut().for_each(|x| unquote(x, spans));
        }
        ExprKind::IsSet { expr, .. } => unquote(expr, spans),
        ExprKind::Quantified { list, body, .. } => {
            unquote(list, spans);
            unquote(body, spans);
        }
        ExprKind::Count { list, filter } => {
            unquote(list, spans);
            if let Some((_, body)) = filter {
                unquote(body, spans);
            }
        }
        _ => {}
    }
}
