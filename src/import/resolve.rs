//! Intrinsic functions worked out where they are decidable from the files
//! named, and nothing else: a `Ref` to a parameter takes its value from the
//! parameters file, or its `Default` when the user opts in; `Fn::If` on a
//! condition that can be evaluated; `Fn::Select`, `Fn::Join`, `Fn::Sub` and
//! `Fn::FindInMap` over such values. Everything else (`Fn::ImportValue`,
//! `Fn::GetAtt`, pseudo parameters, a value unknown until a plan is applied)
//! is an [`Unresolved`] that names the use and the declaration: never a
//! guess, and no lookup beyond the files.

use std::collections::BTreeMap;

use miette::SourceSpan;

use super::template::Template;
use crate::yaml::{Key, Node, Value};

/// Conditions nest; the bound also stops a condition that names itself.
const MAX_DEPTH: usize = 32;

/// Bytes of values one resolver may produce: a parameter's value copied to
/// every `Ref` and joined a thousand times could otherwise fill memory.
pub const MAX_RESOLVED_BYTES: usize = 32 * 1024 * 1024;

/// Values for a template's parameters.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Parameters {
    /// From the parameters file, by name.
    pub values: BTreeMap<String, Node>,
    /// Take a parameter's `Default` when the file gives it no value.
    pub use_defaults: bool,
}

/// A value that cannot be known from the files: why, where it is used and
/// where what it names is declared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unresolved {
    pub message: String,
    pub help: String,
    pub used: SourceSpan,
    pub declared: Option<SourceSpan>,
}

/// Works out a template's values with its parameters.
pub struct Resolver<'a> {
    pub template: &'a Template,
    pub parameters: &'a Parameters,
    /// Bytes produced so far (copies of parameter values, joined text), against [`MAX_RESOLVED_BYTES`].
    spent: std::cell::Cell<usize>,
}

impl<'a> Resolver<'a> {
    pub fn new(template: &'a Template, parameters: &'a Parameters) -> Self {
        Resolver { template, parameters, spent: std::cell::Cell::new(0) }
    }

    /// Whether the budget is spent: every later value would be refused too.
    pub fn exhausted(&self) -> bool {
        self.spent.get() > MAX_RESOLVED_BYTES
    }

    /// Counts what a value costs; past the budget, the value is refused.
    fn charge(&self, node: &Node, used: SourceSpan) -> Result<(), Unresolved> {
        let left = MAX_RESOLVED_BYTES.saturating_sub(self.spent.get());
        let cost = weight(node, left.saturating_add(1));
        self.spent.set(self.spent.get().saturating_add(cost));
        if cost > left {
            return Err(unresolved(used, "the template's values, worked out, would pass 32 MiB", None));
        }
        Ok(())
    }

    /// The value with every intrinsic in it worked out; `None` for
    /// `AWS::NoValue` (the property is as good as absent).
    pub fn value(&self, node: &Node) -> Result<Option<Node>, Unresolved> {
        self.value_at(node, 0)
    }

    fn value_at(&self, node: &Node, depth: usize) -> Result<Option<Node>, Unresolved> {
        if depth > MAX_DEPTH {
            return Err(unresolved(node.span, "intrinsic functions nested too deep to work out", None));
        }
        match &node.value {
            Value::Map(entries) if entries.len() == 1 && names_function(&entries[0].0.name) => {
                let (key, arg) = &entries[0];
                self.intrinsic(node, key, arg, depth + 1)
            }
            Value::Map(entries) => {
                let mut out = Vec::with_capacity(entries.len());
                for (key, value) in entries {
                    if let Some(value) = self.value_at(value, depth + 1)? {
                        out.push((key.clone(), value));
                    }
                }
                Ok(Some(Node { value: Value::Map(out), span: node.span }))
            }
            Value::Seq(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    if let Some(item) = self.value_at(item, depth + 1)? {
                        out.push(item);
                    }
                }
                Ok(Some(Node { value: Value::Seq(out), span: node.span }))
            }
            _ => Ok(Some(node.clone())),
        }
    }

    fn intrinsic(&self, node: &Node, key: &Key, arg: &Node, depth: usize) -> Result<Option<Node>, Unresolved> {
        match key.name.as_str() {
            "Ref" => self.reference(node, arg),
            "Fn::If" => {
                let [condition, then, otherwise] =
                    items::<3>(arg, "Fn::If", "[condition, value if true, value if false]")?;
                let name = text(condition, "Fn::If")?;
                let chosen = if self.condition(name, condition.span, depth)? { then } else { otherwise };
                self.value_at(chosen, depth)
            }
            "Fn::Select" => {
                let [index, list] = items::<2>(arg, "Fn::Select", "[index, list]")?;
                let index = self.scalar(index, depth)?;
                let list = self.value_at(list, depth)?;
                match (index.trim().parse::<usize>(), list.as_ref().map(|l| &l.value)) {
                    (Ok(i), Some(Value::Seq(items))) => items.get(i).cloned().map(Some).ok_or_else(|| {
                        let message = format!("`Fn::Select` picks element {i} of a list of {}", items.len());
                        unresolved(node.span, &message, None)
                    }),
                    (Err(_), _) => {
                        Err(unresolved(node.span, &format!("`Fn::Select`'s index `{index}` is not a number"), None))
                    }
                    _ => Err(unresolved(node.span, "`Fn::Select` picks from a list", None)),
                }
            }
            "Fn::Join" => {
                let [delimiter, parts] = items::<2>(arg, "Fn::Join", "[delimiter, [values]]")?;
                let delimiter = self.scalar(delimiter, depth)?;
                let Some(Node { value: Value::Seq(parts), .. }) = self.value_at(parts, depth)? else {
                    return Err(unresolved(node.span, "`Fn::Join` joins a list", None));
                };
                let parts: Result<Vec<String>, Unresolved> = parts.iter().map(|p| self.scalar(p, depth)).collect();
                let joined = Node { value: Value::Str(parts?.join(&delimiter)), span: node.span };
                self.charge(&joined, node.span)?;
                Ok(Some(joined))
            }
            "Fn::Sub" => {
                let text = Node { value: Value::Str(self.substitute(node, arg, depth)?), span: node.span };
                self.charge(&text, node.span)?;
                Ok(Some(text))
            }
            "Fn::FindInMap" => self.find_in_map(node, arg, depth),
            "Fn::ImportValue" => Err(Unresolved {
                message: "the value is another stack's export (`Fn::ImportValue`), which only CloudFormation knows"
                    .into(),
                help: "import the stack that declares it, or a template that holds the value itself".into(),
                used: node.span,
                declared: None,
            }),
            "Fn::GetAtt" => {
                let id = match &arg.value {
                    Value::Str(dotted) => dotted.split('.').next().unwrap_or_default().to_string(),
                    Value::Seq(parts) => parts.first().and_then(scalar_text).unwrap_or_default(),
                    _ => String::new(),
                };
                Err(Unresolved {
                    message: format!("the value is an attribute of `{id}`, known only once it is deployed"),
                    help: "write the value itself in the template, or take it from a parameter".into(),
                    used: node.span,
                    declared: self.template.resources.get(&id).map(|r| r.span),
                })
            }
            "Terraform::Unknown" => Err(Unresolved {
                message: format!("`{}` is unknown until the plan is applied", scalar_text(arg).unwrap_or_default()),
                help: "set the value in the configuration, or import a plan made after it is known".into(),
                used: node.span,
                declared: Some(arg.span),
            }),
            other => Err(unresolved(node.span, &format!("`{other}` cannot be worked out from the template"), None)),
        }
    }

    /// `Ref`: a parameter's value, or `AWS::NoValue`; a resource or pseudo parameter is unknown.
    fn reference(&self, node: &Node, arg: &Node) -> Result<Option<Node>, Unresolved> {
        let name = text(arg, "Ref")?;
        if name == "AWS::NoValue" {
            return Ok(None);
        }
        if let Some(parameter) = self.template.parameters.get(name) {
            if let Some(value) = self.parameters.values.get(name) {
                self.charge(value, node.span)?;
                return Ok(Some(value.clone()));
            }
            return match &parameter.default {
                Some(default) if self.parameters.use_defaults => {
                    self.charge(default, node.span)?;
                    Ok(Some(default.clone()))
                }
                Some(default) => Err(Unresolved {
                    message: format!(
                        "the parameter `{name}` has no value: its `Default` is not taken unless asked for"
                    ),
                    help: format!(
                        "give `{name}` in the file `import.parameters` names, or set `import.parameter_defaults: true` to deploy with its default ({})",
                        default.value.describe()
                    ),
                    used: node.span,
                    declared: Some(parameter.span),
                }),
                None => Err(Unresolved {
                    message: format!("the parameter `{name}` has no value"),
                    help: format!("give `{name}` in the file `import.parameters` names"),
                    used: node.span,
                    declared: Some(parameter.span),
                }),
            };
        }
        let declared = self.template.resources.get(name).map(|r| r.span);
        let message = if name.starts_with("AWS::") {
            format!("`{name}` is a pseudo parameter, known only when the stack is deployed")
        } else if declared.is_some() {
            format!("`Ref` to the resource `{name}` is known only once it is deployed")
        } else {
            format!("`{name}` is neither a parameter nor a resource of the template")
        };
        Err(Unresolved {
            message,
            help: "write the value itself in the template, or take it from a parameter".into(),
            used: node.span,
            declared,
        })
    }

    /// Whether the condition `name` holds.
    pub fn condition(&self, name: &str, used: SourceSpan, depth: usize) -> Result<bool, Unresolved> {
        let Some(expression) = self.template.conditions.get(name) else {
            return Err(unresolved(used, &format!("the template declares no condition `{name}`"), None));
        };
        self.truth(expression, depth + 1)
    }

    fn truth(&self, node: &Node, depth: usize) -> Result<bool, Unresolved> {
        if depth > MAX_DEPTH {
            return Err(unresolved(node.span, "conditions nested too deep (or naming themselves)", None));
        }
        let Value::Map(entries) = &node.value else {
            return match &node.value {
                Value::Bool(b) => Ok(*b),
                _ => Err(unresolved(
                    node.span,
                    "a condition is `Fn::Equals`, `Fn::Not`, `Fn::And`, `Fn::Or` or `Condition`",
                    None,
                )),
            };
        };
        let [(key, arg)] = entries.as_slice() else {
            return Err(unresolved(node.span, "a condition has exactly one function", None));
        };
        match key.name.as_str() {
            "Fn::Equals" => {
                let [a, b] = items::<2>(arg, "Fn::Equals", "[value, value]")?;
                Ok(self.scalar(a, depth)? == self.scalar(b, depth)?)
            }
            "Fn::Not" => {
                let [inner] = items::<1>(arg, "Fn::Not", "[condition]")?;
                Ok(!self.truth(inner, depth + 1)?)
            }
            "Fn::And" | "Fn::Or" => {
                let conditions = match &arg.value {
                    Value::Seq(conditions) if (2..=10).contains(&conditions.len()) => conditions,
                    _ => {
                        let message = format!("`{}` takes a list of 2 to 10 conditions", key.name);
                        return Err(unresolved(arg.span, &message, None));
                    }
                };
                let mut values = Vec::with_capacity(conditions.len());
                for c in conditions {
                    values.push(self.truth(c, depth + 1)?);
                }
                Ok(if key.name == "Fn::And" { values.iter().all(|v| *v) } else { values.iter().any(|v| *v) })
            }
            "Condition" => self.condition(text(arg, "Condition")?, arg.span, depth),
            other => Err(unresolved(node.span, &format!("`{other}` is not a condition function"), None)),
        }
    }

    /// A value as CloudFormation compares and joins it: text.
    fn scalar(&self, node: &Node, depth: usize) -> Result<String, Unresolved> {
        let value = self.value_at(node, depth + 1)?;
        value
            .as_ref()
            .and_then(scalar_text)
            .ok_or_else(|| unresolved(node.span, "expected a single value here, not a list or mapping", None))
    }

    /// `Fn::Sub`: `${Name}` from its own variables or the parameters; `${!Literal}` as written.
    fn substitute(&self, node: &Node, arg: &Node, depth: usize) -> Result<String, Unresolved> {
        let (pattern, variables) = match &arg.value {
            Value::Str(s) => (s.as_str(), None),
            Value::Seq(items) => match (items.first().map(|n| &n.value), items.get(1)) {
                (Some(Value::Str(s)), variables) => (s.as_str(), variables),
                _ => return Err(unresolved(arg.span, "`Fn::Sub` takes a text, or [text, variables]", None)),
            },
            _ => return Err(unresolved(arg.span, "`Fn::Sub` takes a text, or [text, variables]", None)),
        };
        let mut out = String::new();
        let mut rest = pattern;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else {
                out.push_str(&rest[start..]);
                return Ok(out);
            };
            let name = &after[..end];
            if let Some(literal) = name.strip_prefix('!') {
                out.push_str("${");
                out.push_str(literal);
                out.push('}');
            } else {
                let own = variables.and_then(|v| match &v.value {
                    Value::Map(entries) => entries.iter().find(|(k, _)| k.name == name).map(|(_, v)| v.clone()),
                    _ => None,
                });
                let reference = own.unwrap_or_else(|| Node {
                    value: Value::Map(vec![(
                        Key { name: "Ref".into(), span: node.span },
                        Node { value: Value::Str(name.to_string()), span: node.span },
                    )]),
                    span: node.span,
                });
                out.push_str(&self.scalar(&reference, depth)?);
            }
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }

    fn find_in_map(&self, node: &Node, arg: &Node, depth: usize) -> Result<Option<Node>, Unresolved> {
        let [map, first, second] = items::<3>(arg, "Fn::FindInMap", "[map, key, key]")?;
        let keys = [self.scalar(map, depth)?, self.scalar(first, depth)?, self.scalar(second, depth)?];
        let mut current = self.template.mappings.as_ref();
        for key in &keys {
            current = current.and_then(|n| match &n.value {
                Value::Map(entries) => entries.iter().find(|(k, _)| &k.name == key).map(|(_, v)| v),
                _ => None,
            });
        }
        match current {
            Some(found) => {
                self.charge(found, node.span)?;
                self.value_at(found, depth)
            }
            None => Err(unresolved(node.span, &format!("`Mappings` has no `{}`", keys.join(".")), None)),
        }
    }
}

/// A node's bytes of text plus one per node, counted up to `limit`.
fn weight(node: &Node, limit: usize) -> usize {
    let mut total = 0usize;
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        total = total.saturating_add(1);
        match &n.value {
            Value::Str(s) => total = total.saturating_add(s.len()),
            Value::Seq(items) => stack.extend(items),
            Value::Map(entries) => stack.extend(entries.iter().map(|(_, v)| v)),
            _ => {}
        }
        if total > limit {
            break;
        }
    }
    total
}

/// `{ Ref: X }`, `{ Fn::...: ... }`, or a Terraform value unknown until
/// applied: a value to work out, not a mapping as written.
pub fn is_intrinsic(node: &Node) -> bool {
    match &node.value {
        Value::Map(entries) if entries.len() == 1 => names_function(&entries[0].0.name),
        _ => false,
    }
}

fn names_function(key: &str) -> bool {
    key == "Ref" || key.starts_with("Fn::") || key == "Terraform::Unknown"
}

/// A scalar as text, the way CloudFormation passes values along.
pub fn scalar_text(node: &Node) -> Option<String> {
    match &node.value {
        Value::Str(s) => Some(s.clone()),
        Value::Int(i) => Some(i.to_string()),
        Value::Float(x) => Some(x.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn unresolved(used: SourceSpan, message: &str, declared: Option<SourceSpan>) -> Unresolved {
    Unresolved {
        message: message.to_string(),
        help: "write the value itself in the template, or take it from a parameter".into(),
        used,
        declared,
    }
}

fn text<'n>(node: &'n Node, function: &str) -> Result<&'n str, Unresolved> {
    match &node.value {
        Value::Str(s) => Ok(s),
        _ => Err(unresolved(node.span, &format!("`{function}` takes a name here"), None)),
    }
}

/// The `N` arguments of a function written as a list.
fn items<'n, const N: usize>(arg: &'n Node, function: &str, shape: &str) -> Result<[&'n Node; N], Unresolved> {
    let wrong = || unresolved(arg.span, &format!("`{function}` takes {shape}"), None);
    let Value::Seq(list) = &arg.value else { return Err(wrong()) };
    let refs: Vec<&Node> = list.iter().collect();
    refs.try_into().map_err(|_| wrong())
}
