//! Resolving names: an element bound by a quantifier, a param, a fact
//! (present in every pattern the policy can apply to), or an enum value.

use super::{Scope, TypeChecker, Typed, fact_type, pattern_names, top_level_facts};
use crate::facts::schema::{self, FactDef};
use crate::model::NamedEnum;
use crate::model::named_enum::EnumType;
use crate::policy::ast::*;
use crate::policy::err::CheckError;
use crate::policy::ir::{Ir, Type, Value};
use crate::suggest;

impl TypeChecker<'_> {
    pub(super) fn param_index(&self, name: &str) -> Option<usize> {
        self.params.iter().position(|p| p.name == name)
    }

    pub(super) fn path(&mut self, path: &Path, scope: &Scope, expected: Option<Type>) -> Typed {
        let first = &path.segments[0];
        // A name bound by a quantifier: `store.kind`.
        if let Some(depth) = scope.vars.iter().rposition(|(name, _)| *name == first.name) {
            return self.element_field(path, depth, scope.vars[depth].1);
        }
        if let Some(one) = path.single()
            && let Some(i) = self.param_index(&one.name)
        {
            self.used_params[i] = true;
            return Typed { ir: Ir::Param(i), ty: self.params[i].ty, optional: false };
        }
        let dotted = path.dotted();
        if let Some(def) = schema::lookup(&dotted) {
            return self.fact(path, def, scope);
        }
        if let Some(one) = path.single() {
            return self.bare_name(one, expected);
        }
        let help = match suggest::did_you_mean(&dotted, schema::paths().filter(|p| !p.contains('*'))) {
            Some(s) => format!("did you mean `{s}`? docs/facts.md lists every fact"),
            None => "docs/facts.md lists every fact; `policy facts FILE` shows a proposal's".into(),
        };
        self.error(CheckError::UnknownFact { path: dotted, span: path.span, help });
        Typed::error()
    }

    /// A field of the element a quantifier bound (`store.kind`), `depth` quantifiers in.
    fn element_field(&mut self, path: &Path, depth: usize, list: &'static str) -> Typed {
        let first = &path.segments[0];
        let [_, field] = path.segments.as_slice() else {
            let fields: Vec<String> =
                schema::list_fields(list).map(|d| format!("`{}.{}`", first.name, &d.path[list.len() + 3..])).collect();
            self.error(CheckError::ElementNotValue {
                name: first.name.clone(),
                list: list.to_string(),
                span: path.span,
                fields: fields.join(", "),
            });
            return Typed::error();
        };
        let full = format!("{list}[].{}", field.name);
        if let Some(def) = schema::lookup(&full) {
            return Typed {
                ir: Ir::Field { depth, field: field.name.clone() },
                ty: fact_type(def.ty, def.path),
                optional: def.optional,
            };
        }
        let fields: Vec<&str> = schema::list_fields(list).map(|d| &d.path[list.len() + 3..]).collect();
        let help = match suggest::did_you_mean(&field.name, fields.iter().copied()) {
            Some(s) => format!("did you mean `{}.{s}`?", first.name),
            None => format!("an element of `{list}` has {}", suggest::all_of(&fields)),
        };
        self.error(CheckError::UnknownFact { path: path.dotted(), span: field.span, help });
        Typed::error()
    }

    /// A fact of the schema, which every pattern the scope allows must have.
    fn fact(&mut self, path: &Path, def: &'static FactDef, scope: &Scope) -> Typed {
        let dotted = path.dotted();
        let added = scope.patterns.minus(def.patterns).intersect(schema::PatternSet::added());
        if !added.is_empty() && def.patterns.is_superset_of(scope.patterns.minus(added)) {
            // A pattern added since the language's first version, which a
            // policy may predate: it does not apply there (docs/language.md).
            let has: Vec<String> = def.patterns.patterns().map(|p| format!("`{}`", p.name())).collect();
            if !self.beyond.is_superset_of(added) {
                self.warning(CheckError::NotOnAddedPattern {
                    path: dotted.clone(),
                    missing: pattern_names(added),
                    span: path.span,
                    present: has.join(", "),
                    help: format!(
                        "say where the policy applies with `when {} is set` (or a `pattern` test), so that it covers each pattern on purpose",
                        path.segments[0].name
                    ),
                });
            }
            self.beyond = self.beyond.union(added);
        } else if !def.patterns.is_superset_of(scope.patterns) {
            let missing = scope.patterns.minus(def.patterns);
            let has: Vec<String> = def.patterns.patterns().map(|p| format!("`{}`", p.name())).collect();
            let component = crate::model::Component::from_name(&path.segments[0].name)
                .filter(|c| schema::PatternSet::with(*c) == def.patterns);
            let when = match (component, def.patterns.patterns().collect::<Vec<_>>().as_slice()) {
                (Some(c), _) => format!("`when {} is set`", c.name()),
                (None, [one]) => format!("`when pattern == {}`", one.name()),
                (None, many) => {
                    format!("`when pattern in [{}]`", many.iter().map(|p| p.name()).collect::<Vec<_>>().join(", "))
                }
            };
            self.error(CheckError::FactNotInPattern {
                path: dotted,
                missing: pattern_names(missing),
                span: path.span,
                present: has.join(", "),
                help: format!("add {when} to the policy, or guard the condition with it"),
            });
            return Typed::error();
        }
        let optional = def.optional && !scope.set.contains(&dotted);
        Typed { ir: Ir::Fact { path: dotted, optional: def.optional }, ty: fact_type(def.ty, def.path), optional }
    }

    /// A bare name that is neither a param nor a fact: a value of the enum the context expects.
    fn bare_name(&mut self, one: &Ident, expected: Option<Type>) -> Typed {
        if let Some(Type::Enum(e)) = expected {
            return self.enum_value(e, &one.name, one.span);
        }
        let mut candidates: Vec<&str> = self.params.iter().map(|p| p.name.as_str()).collect();
        candidates.extend(top_level_facts());
        let help = match suggest::did_you_mean(&one.name, candidates.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => {
                "a bare name is a param, a fact such as `pattern` or `portability`, or an enum value compared with a fact (`service.subnets == private`)".into()
            }
        };
        self.error(CheckError::UnknownName { name: one.name.clone(), span: one.span, help });
        Typed::error()
    }

    /// A value of `e` by name, or an error listing its values.
    fn enum_value(&mut self, e: &'static EnumType, name: &str, span: Span) -> Typed {
        if let Some(i) = e.position(name) {
            return Typed { ir: Ir::Const(Value::Enum(e, e.values[i])), ty: Type::Enum(e), optional: false };
        }
        let help = match suggest::did_you_mean(name, e.values.iter().copied()) {
            Some(s) => format!("did you mean `{s}`? `{}` is one of {}", e.name, suggest::one_of(e.values)),
            None => format!("`{}` is one of {}", e.name, suggest::one_of(e.values)),
        };
        self.error(CheckError::UnknownEnumValue { kind: e.name.into(), value: name.to_string(), span, help });
        Typed::error()
    }

    /// A string literal where a value of `e` is expected, as the first
    /// release wrote them (`environment == "production"`): the member it
    /// names, with a deprecation warning; a string that names no member is
    /// an error.
    pub(super) fn quoted_enum_value(&mut self, e: &'static EnumType, text: &str, span: Span) -> Typed {
        let typed = self.enum_value(e, text, span);
        if typed.ty != Type::Error && is_bare_name(text) {
            self.warning(CheckError::QuotedEnumValue {
                kind: e.name.into(),
                value: text.to_string(),
                span,
                help: format!(
                    "did you mean `{text}`? `{}` values are names: write them without quotes (`policy fmt` does)",
                    e.name
                ),
            });
        }
        typed
    }

    pub(super) fn is_unresolved_name(&self, e: &Expr, scope: &Scope) -> bool {
        match &e.kind {
            ExprKind::Path(p) => match p.single() {
                Some(one) => {
                    self.param_index(&one.name).is_none()
                        && schema::lookup(&one.name).is_none()
                        && !scope.vars.iter().any(|(n, _)| *n == one.name)
                }
                None => false,
            },
            _ => false,
        }
    }
}

/// Whether `text` can be written as a bare name: an identifier, not a keyword.
pub(crate) fn is_bare_name(text: &str) -> bool {
    const KEYWORDS: &[&str] = &[
        "and", "or", "not", "implies", "in", "is", "set", "all", "any", "count", "true", "false", "else", "policy",
        "param",
    ];
    let mut chars = text.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !KEYWORDS.contains(&text)
}
