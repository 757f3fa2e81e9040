//! Intrinsic functions worked out where they are decidable from the files
//! named, and nothing else: a `Ref` to a parameter takes its value from the
//! parameters file, or its `Default` when the user opts in; `Fn::If` on a
//! condition that can be evaluated; `Fn::Select`, `Fn::Join`, `Fn::Sub` and
//! `Fn::FindInMap` over such values. Everything else (`Fn::ImportValue`,
//! `Fn::GetAtt`, pseudo parameters, a value unknown until a plan is applied)
//! is an [`Unresolved`] that names the use and the declaration: never a
//! guess, and no lookup beyond the files.

use std::cell::{OnceCell, RefCell};
use std::collections::{BTreeMap, HashMap};

use miette::SourceSpan;

use super::fuel::{self, Exhausted, Fuel, STEP, Work};
use super::template::Template;
use crate::yaml::{Key, Node, Value};

/// Conditions nest; the bound also stops a condition that names itself.
const MAX_DEPTH: usize = 32;

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

/// `Mappings` by map, key and key, for `Fn::FindInMap`: where each value is
/// (owned keys and positions, so a resolver stays covariant in its template).
type MappingIndex = HashMap<String, HashMap<String, HashMap<String, (usize, usize, usize)>>>;

/// Works out a template's values with its parameters, spending the
/// template's [`Fuel`] on every step and on every value before it is built.
pub struct Resolver<'a> {
    pub template: &'a Template,
    pub parameters: &'a Parameters,
    fuel: Fuel,
    /// Each condition's value, worked out once; `None` while it is being worked out.
    conditions: RefCell<HashMap<String, Option<Result<bool, Unresolved>>>>,
    mappings: OnceCell<MappingIndex>,
}

impl<'a> Resolver<'a> {
    pub fn new(template: &'a Template, parameters: &'a Parameters) -> Self {
        Resolver {
            template,
            parameters,
            fuel: template.fuel.clone(),
            conditions: RefCell::new(HashMap::new()),
            mappings: OnceCell::new(),
        }
    }

    /// Whether the template's budget is spent: every later value would be refused too.
    pub fn exhausted(&self) -> bool {
        self.fuel.exhausted().is_some()
    }

    /// Spends fuel on `work`; past the budget, the work is refused.
    fn spend(&self, work: Work, units: u64, used: SourceSpan) -> Result<(), Unresolved> {
        self.fuel.spend(work, units, used).map_err(|e| spent(e, used))
    }

    /// Charges a copy of `node` before it is made.
    fn charge(&self, work: Work, node: &Node, used: SourceSpan) -> Result<(), Unresolved> {
        let left = self.fuel.limit().saturating_sub(self.fuel.spent());
        self.spend(work, fuel::weight(node, left.saturating_add(1)), used)
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
                self.spend(Work::Values, STEP, node.span)?;
                self.intrinsic(node, key, arg, depth + 1)
            }
            Value::Map(entries) => {
                let keys: u64 = entries.iter().map(|(k, _)| k.name.len() as u64).sum();
                let entry = std::mem::size_of::<(Key, Node)>() as u64;
                self.spend(
                    Work::Values,
                    own_size().saturating_add(keys).saturating_add(entry * entries.len() as u64),
                    node.span,
                )?;
                let mut out = Vec::with_capacity(entries.len());
                for (key, value) in entries {
                    if let Some(value) = self.value_at(value, depth + 1)? {
                        out.push((key.clone(), value));
                    }
                }
                Ok(Some(Node { value: Value::Map(out), span: node.span }))
            }
            Value::Seq(items) => {
                self.spend(Work::Values, own_size(), node.span)?;
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    if let Some(item) = self.value_at(item, depth + 1)? {
                        out.push(item);
                    }
                }
                Ok(Some(Node { value: Value::Seq(out), span: node.span }))
            }
            _ => {
                self.charge(Work::Values, node, node.span)?;
                Ok(Some(node.clone()))
            }
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
                let parts: Vec<String> = parts.iter().map(|p| self.scalar(p, depth)).collect::<Result<_, _>>()?;
                // The joined length, charged before the text is built.
                let length = parts
                    .iter()
                    .try_fold(0u64, |n, p| n.checked_add(p.len() as u64))
                    .and_then(|n| {
                        n.checked_add((delimiter.len() as u64).checked_mul(parts.len().saturating_sub(1) as u64)?)
                    })
                    .and_then(|n| n.checked_add(own_size()))
                    .unwrap_or(u64::MAX);
                self.spend(Work::JoinedText, length, node.span)?;
                Ok(Some(Node { value: Value::Str(parts.join(&delimiter)), span: node.span }))
            }
            "Fn::Sub" => {
                let text = Node { value: Value::Str(self.substitute(node, arg, depth)?), span: node.span };
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
                self.charge(Work::References, value, node.span)?;
                return Ok(Some(value.clone()));
            }
            return match &parameter.default {
                Some(default) if self.parameters.use_defaults => {
                    self.charge(Work::References, default, node.span)?;
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

    /// Whether the condition `name` holds: worked out once per resolver,
    /// however many conditions, `Fn::If`s and resources name it.
    pub fn condition(&self, name: &str, used: SourceSpan, depth: usize) -> Result<bool, Unresolved> {
        let Some((name, expression)) = self.template.conditions.get_key_value(name) else {
            return Err(unresolved(used, &format!("the template declares no condition `{name}`"), None));
        };
        self.spend(Work::Conditions, STEP, used)?;
        match self.conditions.borrow().get(name.as_str()) {
            Some(Some(known)) => return known.clone(),
            Some(None) => {
                let message = format!("the condition `{name}` names itself");
                return Err(unresolved(used, &message, None));
            }
            None => {}
        }
        self.conditions.borrow_mut().insert(name.clone(), None);
        let value = self.truth(expression, depth + 1);
        // A spent budget is no property of the condition: it is not remembered as its value.
        if !self.exhausted() {
            self.conditions.borrow_mut().insert(name.clone(), Some(value.clone()));
        } else {
            self.conditions.borrow_mut().remove(name.as_str());
        }
        value
    }

    fn truth(&self, node: &Node, depth: usize) -> Result<bool, Unresolved> {
        if depth > MAX_DEPTH {
            return Err(unresolved(node.span, "conditions nested too deep (or naming themselves)", None));
        }
        self.spend(Work::Conditions, STEP, node.span)?;
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

    /// `Fn::Sub`: `${Name}` from its own variables or the parameters;
    /// `${!Literal}` as written. Each name is worked out once, and the
    /// text's length is charged before it is built.
    fn substitute(&self, node: &Node, arg: &Node, depth: usize) -> Result<String, Unresolved> {
        let (pattern, variables) = match &arg.value {
            Value::Str(s) => (s.as_str(), None),
            Value::Seq(items) => match (items.first().map(|n| &n.value), items.get(1)) {
                (Some(Value::Str(s)), variables) => (s.as_str(), variables),
                _ => return Err(unresolved(arg.span, "`Fn::Sub` takes a text, or [text, variables]", None)),
            },
            _ => return Err(unresolved(arg.span, "`Fn::Sub` takes a text, or [text, variables]", None)),
        };
        let own: HashMap<&str, &Node> = match variables.map(|v| &v.value) {
            Some(Value::Map(entries)) => entries.iter().rev().map(|(k, v)| (k.name.as_str(), v)).collect(),
            _ => HashMap::new(),
        };
        // Counted and paid for before they are kept: a pattern of millions of `${A}` is refused unbuilt.
        self.spend(Work::SubstitutedText, STEP.saturating_mul(pieces(pattern).count() as u64), node.span)?;
        let pieces: Vec<Piece<'_>> = pieces(pattern).collect();
        let mut values: HashMap<&str, String> = HashMap::new();
        for piece in &pieces {
            let Piece::Name(name) = piece else { continue };
            if values.contains_key(name) {
                continue;
            }
            let value = match own.get(name) {
                Some(own) => self.scalar(own, depth)?,
                None => {
                    let reference = Node {
                        value: Value::Map(vec![(
                            Key { name: "Ref".into(), span: node.span },
                            Node { value: Value::Str((*name).to_string()), span: node.span },
                        )]),
                        span: node.span,
                    };
                    self.scalar(&reference, depth)?
                }
            };
            values.insert(name, value);
        }
        let piece_len = |piece: &Piece<'_>| match piece {
            Piece::Text(t) => t.len(),
            Piece::Literal(l) => l.len() + 3,
            Piece::Name(n) => values.get(n).map_or(0, String::len),
        } as u64;
        let length = pieces.iter().try_fold(own_size(), |n, p| n.checked_add(piece_len(p))).unwrap_or(u64::MAX);
        self.spend(Work::SubstitutedText, length, node.span)?;
        let mut out = String::with_capacity(usize::try_from(length).unwrap_or(0));
        for piece in &pieces {
            match piece {
                Piece::Text(t) => out.push_str(t),
                Piece::Literal(l) => {
                    out.push_str("${");
                    out.push_str(l);
                    out.push('}');
                }
                Piece::Name(n) => out.push_str(values.get(n).map_or("", String::as_str)),
            }
        }
        Ok(out)
    }

    fn find_in_map(&self, node: &Node, arg: &Node, depth: usize) -> Result<Option<Node>, Unresolved> {
        let [map, first, second] = items::<3>(arg, "Fn::FindInMap", "[map, key, key]")?;
        let keys = [self.scalar(map, depth)?, self.scalar(first, depth)?, self.scalar(second, depth)?];
        self.spend(Work::Lookups, STEP, node.span)?;
        let found = self
            .mapping_index(node.span)?
            .get(keys[0].as_str())
            .and_then(|m| m.get(keys[1].as_str()))
            .and_then(|m| m.get(keys[2].as_str()))
            .and_then(|&(a, b, c)| {
                let map = entries(self.template.mappings.as_ref()?).get(a)?;
                let inner = entries(&map.1).get(b)?;
                entries(&inner.1).get(c).map(|(_, v)| v)
            });
        match found {
            Some(found) => self.value_at(found, depth),
            None => Err(unresolved(node.span, &format!("`Mappings` has no `{}`", keys.join(".")), None)),
        }
    }

    /// `Mappings` indexed once, its entries paid for as they are indexed.
    fn mapping_index(&self, used: SourceSpan) -> Result<&MappingIndex, Unresolved> {
        if let Some(index) = self.mappings.get() {
            return Ok(index);
        }
        let mut index: MappingIndex = HashMap::new();
        for (a, (name, map)) in self.template.mappings.as_ref().map_or(&[][..], entries).iter().enumerate() {
            let level = index.entry(name.name.clone()).or_default();
            for (b, (key, inner)) in entries(map).iter().enumerate() {
                let cost = STEP.saturating_add(key.name.len() as u64).saturating_mul(entries(inner).len() as u64 + 1);
                self.spend(Work::Lookups, cost, used)?;
                // The first of a repeated key, as a scan finds it.
                let leaf = level.entry(key.name.clone()).or_default();
                for (c, (second, _)) in entries(inner).iter().enumerate() {
                    leaf.entry(second.name.clone()).or_insert((a, b, c));
                }
            }
        }
        Ok(self.mappings.get_or_init(|| index))
    }
}

fn entries(node: &Node) -> &[(Key, Node)] {
    match &node.value {
        Value::Map(entries) => entries.as_slice(),
        _ => &[],
    }
}

/// A part of a `Fn::Sub` text.
enum Piece<'t> {
    Text(&'t str),
    /// `${!Literal}`, written as `${Literal}`.
    Literal(&'t str),
    /// `${Name}`.
    Name(&'t str),
}

fn pieces(pattern: &str) -> impl Iterator<Item = Piece<'_>> {
    let mut rest = pattern;
    // A name found after some text, given out on the next call.
    let mut pending: Option<Piece<'_>> = None;
    std::iter::from_fn(move || {
        if let Some(piece) = pending.take() {
            return Some(piece);
        }
        if rest.is_empty() {
            return None;
        }
        let found = rest.find("${").and_then(|start| {
            let after = &rest[start + 2..];
            after.find('}').map(|end| (start, &after[..end], &after[end + 1..]))
        });
        match found {
            Some((start, name, after)) => {
                let text = &rest[..start];
                rest = after;
                let named = name.strip_prefix('!').map_or(Piece::Name(name), Piece::Literal);
                if text.is_empty() {
                    Some(named)
                } else {
                    pending = Some(named);
                    Some(Piece::Text(text))
                }
            }
            None => {
                let text = rest;
                rest = "";
                Some(Piece::Text(text))
            }
        }
    })
}

/// A node's own size, before what it holds.
fn own_size() -> u64 {
    std::mem::size_of::<Node>() as u64
}

/// The error of a spent budget, where it ran out.
fn spent(exhausted: Exhausted, used: SourceSpan) -> Unresolved {
    Unresolved {
        message: format!(
            "the template needs more work to import than the budget allows: {} spent most of it",
            exhausted.work.describe()
        ),
        help: "a template is imported under a work budget (docs/security.md); simplify it".into(),
        used,
        declared: None,
    }
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
