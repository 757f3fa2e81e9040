//! Params: their declarations across a set's files (one name each, a known
//! type, a literal default), and a value given on the command line.

use std::collections::BTreeSet;

use super::ast::{Item, Param, PolicyFile};
use super::err::{CheckError, Located, ParseError, PolicyError};
use super::ir::{Type, Value};
use super::typecheck::{CheckedParam, TypeChecker, schema_enums, top_level_facts};
use crate::model::named_enum::EnumType;
use crate::source::SourceFile;
use crate::suggest;

/// The params of every file, each with its default; errors go to `errors`,
/// warnings (a quoted enum default) to `warnings`. A param whose type is
/// unknown is kept, untyped, so its uses do not repeat the error.
pub(super) fn declare(
    parsed: &[(usize, std::sync::Arc<PolicyFile>)],
    files: &[SourceFile],
    errors: &mut Vec<Located>,
    warnings: &mut Vec<Located>,
) -> (Vec<CheckedParam>, Vec<Value>) {
    let enums = schema_enums();
    let top = top_level_facts();
    let mut params: Vec<CheckedParam> = Vec::new();
    let mut defaults: Vec<(usize, &Param, Type)> = Vec::new();
    for (file, ast) in parsed {
        for item in &ast.items {
            let Item::Param(p) = item else { continue };
            if let Some(error) = conflict(p, *file, &params, &enums, &top) {
                errors.push(Located::at(&files[*file], error));
                continue;
            }
            let (ty, doc) = match param_type(p, &enums) {
                Ok(ty) => (ty, p.doc.as_ref().and_then(|d| d.plain())),
                Err(error) => {
                    errors.push(Located::at(&files[*file], error));
                    (Type::Error, None)
                }
            };
            params.push(CheckedParam {
                name: p.name.name.clone(),
                ty,
                default: Value::Absent,
                doc,
                file: *file,
                span: p.name.span,
            });
            defaults.push((*file, p, ty));
        }
    }
    let mut checker = TypeChecker::new(&[]);
    let mut values = Vec::new();
    for (file, p, ty) in &defaults {
        let value = match ty {
            Type::Error => None,
            ty => checker.param_default(*file, *ty, &p.default),
        };
        values.push(value.unwrap_or(Value::Absent));
    }
    errors.extend(checker.errors.drain(..).map(|(f, e)| Located::at(&files[f], e)));
    warnings.extend(checker.warnings.drain(..).map(|(f, e)| Located::at(&files[f], e)));
    for (param, value) in params.iter_mut().zip(&values) {
        param.default = value.clone();
    }
    (params, values)
}

/// Why a param may not be declared: a second declaration, or a name that
/// already means a fact or an enum value.
fn conflict(
    p: &Param,
    file: usize,
    params: &[CheckedParam],
    enums: &[&'static EnumType],
    top: &BTreeSet<&'static str>,
) -> Option<CheckError> {
    if let Some(first) = params.iter().find(|q| q.name == p.name.name) {
        let first = (first.file == file).then_some(first.span);
        return Some(CheckError::DuplicateParam { name: p.name.name.clone(), span: p.name.span, first });
    }
    let shadows = if top.contains(p.name.name.as_str()) {
        Some(format!("the fact `{}`", p.name.name))
    } else {
        enums.iter().find(|e| e.values.contains(&p.name.name.as_str())).map(|e| format!("a `{}` value", e.name))
    };
    shadows.map(|what| CheckError::ParamShadows { name: p.name.name.clone(), what, span: p.name.span })
}

fn param_type(p: &Param, enums: &[&'static EnumType]) -> Result<Type, CheckError> {
    if let Some(ty) =
        Type::from_name(&p.ty.name).or_else(|| enums.iter().find(|e| e.name == p.ty.name).map(|e| Type::Enum(e)))
    {
        return Ok(ty);
    }
    let mut names: Vec<&str> = Type::BUILTIN_NAMES.to_vec();
    names.extend(enums.iter().map(|e| e.name));
    let help = match suggest::did_you_mean(&p.ty.name, names.iter().copied()) {
        Some(s) => format!("did you mean `{s}`? types: {}", suggest::one_of(&names)),
        None => format!("types: {}", suggest::one_of(&names)),
    };
    Err(CheckError::UnknownType { name: p.ty.name.clone(), span: p.ty.span, help })
}

/// The error for `--param NAME=...` when no param has that name.
pub(super) fn unknown(name: &str, params: &[CheckedParam]) -> Located {
    let names: Vec<&str> = params.iter().map(|p| p.name.as_str()).collect();
    let help = match suggest::did_you_mean(name, names.iter().copied()) {
        Some(s) => format!("did you mean `{s}`? params: {}", suggest::one_of(&names)),
        None if names.is_empty() => "these policies declare no params".into(),
        None => format!("params: {}", suggest::one_of(&names)),
    };
    Located { file: None, error: PolicyError::UnknownParam { name: name.to_string(), help } }
}

/// A param set twice on the command line: which value was meant is unknowable.
pub(super) fn repeated(name: &str) -> Located {
    Located {
        file: None,
        error: PolicyError::Param {
            message: format!("`--param {name}` is given more than once"),
            help: format!("give `--param {name}=VALUE` once"),
        },
    }
}

/// A param's value from text, as `--param NAME=VALUE` gives it: a literal of its type.
pub(super) fn value_from_text(name: &str, ty: Type, text: &str) -> Result<Value, Located> {
    let source = SourceFile::new(format!("--param {name}"), text);
    let not_a_value = || ParseError::Literal {
        message: format!("`{text}` is not a value"),
        span: miette::SourceSpan::from((0, text.len())),
        label: format!("expected {}", ty.name()),
        help: format!("write a {} literal, e.g. {}", ty.name(), example_of(ty)),
    };
    let expr = match super::parse::parse_value(text) {
        Ok(Some(expr)) => expr,
        Ok(None) => return Err(Located::at(&source, not_a_value())),
        Err(error) => return Err(Located::at(&source, error)),
    };
    let mut checker = TypeChecker::new(&[]);
    match checker.param_value(0, ty, &expr, "the value") {
        Some(value) => Ok(value),
        None => Err(match checker.errors.into_iter().next() {
            Some((_, error)) => Located::at(&source, error),
            // The checker says why whenever it refuses; this is only a fallback.
            None => Located::at(&source, not_a_value()),
        }),
    }
}

fn example_of(ty: Type) -> String {
    match ty {
        Type::Bool => "`true`".into(),
        Type::Int => "`10`".into(),
        Type::Decimal => "`0.5`".into(),
        Type::Text => "`\"core\"`".into(),
        Type::Duration => "`30s`".into(),
        Type::Size => "`512MiB`".into(),
        Type::Money => "`$50`".into(),
        Type::Percent => "`20%`".into(),
        Type::Vcpu => "`1`".into(),
        Type::Enum(e) => format!("`{}`", e.values.first().copied().unwrap_or_default()),
        Type::List(_) | Type::Error => "a value".into(),
    }
}
