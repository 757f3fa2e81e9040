//! Terraform plan JSON (`terraform show -json`), lowered to the
//! CloudFormation resources each planned resource stands for, so the
//! classifier and the translator read a plan as they read a template.
//!
//! A lowered resource is named by its Terraform address, has the
//! CloudFormation type and property names of what it stands for, and keeps
//! the plan's own value nodes (their spans point into the plan). Planned
//! values hold no references, so they come from the `configuration`'s
//! expressions, followed through module variables and outputs. A value the
//! plan marks unknown (`after_unknown`) that the configuration sets becomes
//! `{ Terraform::Unknown: ADDRESS.ATTRIBUTE }`, which no stage can read a
//! value from; one the configuration leaves to the provider is AWS's default,
//! as if absent. docs/import.md has the table.

use std::collections::{BTreeMap, BTreeSet};

use miette::SourceSpan;

use super::err::ImportError;
use super::fuel::{Fuel, STEP, Work};
use super::template::{Flavor, Resource, Template, entries};
use crate::yaml::{Key, Node, Value};

mod links;
mod types;

use types::{How, Rule, lowering};

/// Module variables and outputs a reference may pass through before it names a resource.
const MAX_HOPS: usize = 32;

/// The marker of a value known only once the plan is applied.
const UNKNOWN: &str = "Terraform::Unknown";

/// A managed resource of `planned_values`.
struct Planned<'a> {
    address: String,
    /// The span of the `address` value.
    span: SourceSpan,
    kind: String,
    /// The module instance it is in (`module.api["eu"]`), empty at the root.
    module: String,
    values: Option<&'a Node>,
    /// Its resource in the module's `configuration` (`aws_lb.this`), when there is one.
    config: Option<&'a Node>,
}

/// The parts of a plan that lowering reads.
struct Plan<'a> {
    planned: Vec<Planned<'a>>,
    addresses: BTreeSet<String>,
    /// Module instance addresses.
    modules: BTreeSet<String>,
    /// `change.after_unknown` by address.
    unknown: BTreeMap<String, &'a Node>,
    /// `configuration.root_module`.
    config: Option<&'a Node>,
    /// The template's work budget: every reference followed spends from it.
    fuel: Fuel,
    /// The resource being lowered, where a spent budget points.
    at: std::cell::Cell<SourceSpan>,
}

pub(super) fn lower(root: &Node) -> Result<Template, ImportError> {
    let mut template = Template::empty(Flavor::TerraformPlan);
    let plan = Plan::read(root, template.fuel.clone())?;
    let mut memo = BTreeMap::new();
    let mut attachments = Vec::new();
    for p in &plan.planned {
        // Out of fuel: what is lowered is refused as a whole (`Template::within_budget`).
        if plan.fuel.exhausted().is_some() {
            return Ok(template);
        }
        plan.at.set(p.span);
        let expressions = p.config.and_then(|c| c.get("expressions"));
        let mut refs = plan.resolve_all(&p.module, expressions, &mut memo, 0);
        refs.remove(&p.address);
        if links::is_attachment(&p.kind) {
            // Its two ends, each from its own attribute: which group, and what it registers there.
            let mut end = |name: &str| plan.resolve_all(&p.module, expressions.and_then(|e| e.get(name)), &mut memo, 0);
            attachments.push(links::Attachment { groups: end("target_group_arn"), targets: end("target_id") });
        }
        let (kind, properties) = match lowering(&p.kind) {
            Some((kind, rules)) => (kind.to_string(), Some(plan.properties(p, rules))),
            None => (p.kind.clone(), p.values.cloned()),
        };
        let resource = Resource {
            id: p.address.clone(),
            kind,
            properties,
            span: p.span,
            cdk_path: None,
            refs,
            imports: false,
            condition: None,
        };
        template.resources.insert(p.address.clone(), resource);
    }
    let kinds: BTreeMap<String, String> = plan.planned.iter().map(|p| (p.address.clone(), p.kind.clone())).collect();
    links::through_aliases(&mut template, &kinds);
    links::method_authorization(&mut template, &kinds);
    links::registered_targets(&mut template, &attachments);
    Ok(template)
}

fn malformed(why: impl Into<String>, span: SourceSpan) -> ImportError {
    ImportError::NotATemplate { why: why.into(), span: Some(span) }
}

fn text(node: Option<&Node>) -> Option<&str> {
    match &node?.value {
        Value::Str(s) => Some(s),
        _ => None,
    }
}

/// `field` of `node` as a list, when present; a value of another kind is malformed.
fn list<'n>(node: &'n Node, name: &str) -> Result<&'n [Node], ImportError> {
    match node.get(name).map(|n| (&n.value, n.span)) {
        None | Some((Value::Null, _)) => Ok(&[]),
        Some((Value::Seq(items), _)) => Ok(items),
        Some((_, span)) => Err(malformed(format!("`{name}` is not a list"), span)),
    }
}

impl<'a> Plan<'a> {
    fn read(root: &'a Node, fuel: Fuel) -> Result<Plan<'a>, ImportError> {
        // A new major version is not compatible (Terraform's JSON format promise); 0.x is 1.0's past.
        let version = root.get("format_version");
        if !text(version).is_some_and(|v| v.starts_with("1.") || v.starts_with("0.")) {
            let span = version.map_or(root.span, |v| v.span);
            return Err(malformed("the plan's format version is not 1.x, the one read", span));
        }
        let Some(planned_values) = root.get("planned_values") else {
            return Err(malformed("it has no `planned_values`", root.span));
        };
        if entries(planned_values).is_none() {
            return Err(malformed("`planned_values` is not a mapping", planned_values.span));
        }
        let Some(module) = planned_values.get("root_module").filter(|m| entries(m).is_some()) else {
            return Err(malformed("`planned_values` has no `root_module` mapping", planned_values.span));
        };
        let config = match root.get("configuration") {
            None => None,
            Some(c) if entries(c).is_some() => c.get("root_module").filter(|m| entries(m).is_some()),
            Some(c) => return Err(malformed("`configuration` is not a mapping", c.span)),
        };
        let mut plan = Plan {
            planned: Vec::new(),
            addresses: BTreeSet::new(),
            modules: BTreeSet::new(),
            unknown: BTreeMap::new(),
            config,
            fuel,
            at: std::cell::Cell::new(root.span),
        };
        plan.read_module(module, "")?;
        for change in list(root, "resource_changes")? {
            let after_unknown = change.get("change").and_then(|c| c.get("after_unknown"));
            if let (Some(address), Some(unknown)) = (text(change.get("address")), after_unknown) {
                plan.unknown.insert(address.to_string(), unknown);
            }
        }
        Ok(plan)
    }

    /// The resources of a module of `planned_values` and of its child modules.
    fn read_module(&mut self, module: &'a Node, address: &str) -> Result<(), ImportError> {
        if entries(module).is_none() {
            return Err(malformed("a module of `planned_values` is not a mapping", module.span));
        }
        let configs: BTreeMap<&str, &Node> = match self.config_module(address).map(|m| list(m, "resources")) {
            Some(Ok(resources)) => resources
                .iter()
                .filter(|r| text(r.get("mode")) != Some("data"))
                .filter_map(|r| Some((text(r.get("address"))?, r)))
                .collect(),
            _ => BTreeMap::new(),
        };
        for resource in list(module, "resources")? {
            if let Some(p) = planned(resource, address, &configs)? {
                self.addresses.insert(p.address.clone());
                self.planned.push(p);
            }
        }
        for child in list(module, "child_modules")? {
            let Some(child_address) = text(child.get("address")) else {
                return Err(malformed("a child module has no `address`", child.span));
            };
            self.modules.insert(child_address.to_string());
            self.read_module(child, child_address)?;
        }
        Ok(())
    }

    /// The configuration of a module instance (`module.a[0].module.b`: `a`'s call of `b`).
    fn config_module(&self, instance: &str) -> Option<&'a Node> {
        let mut node = self.config?;
        for segment in segments(instance).iter().skip(1).step_by(2) {
            node = node.get("module_calls")?.get(strip_key(segment))?.get("module")?;
        }
        Some(node)
    }
}

/// A planned resource, or `None` for a data source.
fn planned<'a>(
    node: &'a Node,
    module: &str,
    configs: &BTreeMap<&str, &'a Node>,
) -> Result<Option<Planned<'a>>, ImportError> {
    if entries(node).is_none() {
        return Err(malformed("a planned resource is not a mapping", node.span));
    }
    let address_node = node.get("address");
    let Some(address) = text(address_node).map(str::to_string) else {
        return Err(malformed("a planned resource has no `address`", node.span));
    };
    let span = address_node.map_or(node.span, |a| a.span);
    if text(node.get("mode")) == Some("data") {
        return Ok(None);
    }
    let Some(kind) = text(node.get("type")) else {
        return Err(malformed(format!("the planned resource `{address}` has no `type`"), span));
    };
    let values = match node.get("values") {
        None => None,
        Some(Node { value: Value::Null, .. }) => None,
        Some(v) if entries(v).is_some() => Some(v),
        Some(v) => return Err(malformed(format!("the `values` of `{address}` are not a mapping"), v.span)),
    };
    let local = address.strip_prefix(module).and_then(|a| a.strip_prefix('.')).unwrap_or(&address);
    let config = configs.get(strip_key(local)).copied();
    Ok(Some(Planned { address, span, kind: kind.to_string(), module: module.to_string(), values, config }))
}

/// An address's parts, split at the dots outside instance keys (`["a.b"]`).
fn segments(address: &str) -> Vec<&str> {
    let (mut out, mut start, mut depth, mut quoted, mut escaped) = (Vec::new(), 0, 0usize, false, false);
    for (i, c) in address.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            '[' if !quoted => depth += 1,
            ']' if !quoted => depth = depth.saturating_sub(1),
            '.' if !quoted && depth == 0 => {
                out.push(&address[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&address[start..]);
    out
}

fn strip_key(segment: &str) -> &str {
    segment.split('[').next().unwrap_or(segment)
}

fn join(module: &str, local: &str) -> String {
    if module.is_empty() { local.to_string() } else { format!("{module}.{local}") }
}

/// Every `references` string of an expression (or of every expression under `node`).
fn references<'n>(node: &'n Node, out: &mut Vec<&'n str>) {
    match &node.value {
        Value::Map(entries) => {
            for (key, value) in entries {
                match (key.name.as_str(), &value.value) {
                    ("references", Value::Seq(items)) => out.extend(items.iter().filter_map(|i| text(Some(i)))),
                    ("constant_value", _) => {}
                    _ => references(value, out),
                }
            }
        }
        Value::Seq(items) => items.iter().for_each(|i| references(i, out)),
        _ => {}
    }
}

type Memo = BTreeMap<(String, String), BTreeSet<String>>;

impl Plan<'_> {
    /// The planned resources the expressions under `node` refer to, from `module`.
    fn resolve_all(&self, module: &str, node: Option<&Node>, memo: &mut Memo, hops: usize) -> BTreeSet<String> {
        let mut names = Vec::new();
        if let Some(node) = node {
            references(node, &mut names);
        }
        let mut out = BTreeSet::new();
        for name in names {
            out.extend(self.resolve(module, name, memo, hops));
        }
        out
    }

    /// Charges a set of addresses about to be copied; `false` when the budget is out.
    /// An address held in a set costs about twice its text and a step: its
    /// `String` (24 bytes and a heap block) and its slot in the B-tree; so
    /// the copies a plan makes before the budget refuses it stay within
    /// half of [`super::fuel::MAX_FUEL`] in bytes (issue 22: the worst plan
    /// at the size limit is imported or refused within 100 MiB).
    fn charge(&self, set: &BTreeSet<String>, at: SourceSpan) -> bool {
        let bytes = set.iter().map(|a| 2 * (a.len() as u64 + STEP)).fold(STEP, u64::saturating_add);
        self.fuel.spend(Work::TerraformReferences, bytes, at).is_ok()
    }

    /// The planned resources one reference stands for: a resource (any
    /// attribute), a module variable (what the call passes), a module output
    /// (what it is in each instance).
    fn resolve(&self, module: &str, reference: &str, memo: &mut Memo, hops: usize) -> BTreeSet<String> {
        let key = (module.to_string(), reference.to_string());
        if hops > MAX_HOPS {
            return BTreeSet::new();
        }
        if let Some(done) = memo.get(&key) {
            // Every copy of a reference's resources is paid for: a plan that
            // names a thousand instances from a thousand resources is refused.
            return if self.charge(done, self.at.get()) { done.clone() } else { BTreeSet::new() };
        }
        // In progress: a cycle (no valid plan has one) resolves to nothing.
        memo.insert(key.clone(), BTreeSet::new());
        let parts = segments(reference);
        let out = match parts.as_slice() {
            ["var", name, ..] => {
                let Some((parent, call)) = parent_of(module) else { return BTreeSet::new() };
                let passed = self
                    .config_module(&parent)
                    .and_then(|m| m.get("module_calls"))
                    .and_then(|calls| calls.get(call))
                    .and_then(|c| c.get("expressions"))
                    .and_then(|e| e.get(strip_key(name)));
                self.resolve_all(&parent, passed, memo, hops + 1)
            }
            ["module", call, output, ..] => {
                let called = join(module, &format!("module.{}", strip_key(call)));
                let keyed = join(module, &format!("module.{call}"));
                let expression = self.config_module(&called).and_then(|m| m.get("outputs")).and_then(|o| o.get(output));
                let instances: Vec<&String> = self
                    .modules
                    .range(called.clone()..)
                    .take_while(|m| m.starts_with(&called))
                    .filter(|m| **m == keyed || (!call.contains('[') && is_instance(m, &called)))
                    .collect();
                instances.into_iter().flat_map(|i| self.resolve_all(i, expression, memo, hops + 1)).collect()
            }
            [kind, name, ..] if !["data", "local", "each", "count", "path", "self", "terraform"].contains(kind) => self
                .instances(
                    &join(module, &format!("{kind}.{name}")),
                    &join(module, &format!("{kind}.{}", strip_key(name))),
                ),
            _ => BTreeSet::new(),
        };
        if !self.charge(&out, self.at.get()) {
            return BTreeSet::new();
        }
        memo.insert(key, out.clone());
        out
    }

    /// The planned instance `keyed` when the reference names one, else every instance of `base`.
    fn instances(&self, keyed: &str, base: &str) -> BTreeSet<String> {
        if keyed != base && self.addresses.contains(keyed) {
            return BTreeSet::from([keyed.to_string()]);
        }
        let from = base.to_string();
        self.addresses
            .range(from..)
            .take_while(|a| a.starts_with(base))
            .filter(|a| is_instance(a, base))
            .cloned()
            .collect()
    }
}

/// `address` is `base` or one of its instances (`base[0]`, `base["a"]`).
fn is_instance(address: &str, base: &str) -> bool {
    address.strip_prefix(base).is_some_and(|rest| rest.is_empty() || rest.starts_with('['))
}

/// The module instance that calls `module`, and the call's name.
fn parent_of(module: &str) -> Option<(String, &str)> {
    let parts = segments(module);
    let split = parts.len().checked_sub(2)?;
    let (parent, call) = parts.split_at(split);
    Some((parent.join("."), strip_key(call.get(1)?)))
}

/// A step of a rule's path.
#[derive(Clone, Copy)]
enum Seg<'r> {
    Key(&'r str),
    Index(usize),
}

/// A rule's path, its `*` standing for element `star`.
fn path(spec: &str, star: usize) -> Vec<Seg<'_>> {
    spec.split('.')
        .map(|s| if s == "*" { Seg::Index(star) } else { s.parse().map_or(Seg::Key(s), Seg::Index) })
        .collect()
}

/// The nodes down `path` as far as it goes, each with the span that names it (its key, or itself).
fn trail<'n>(node: &'n Node, path: &[Seg<'_>]) -> Vec<(SourceSpan, &'n Node)> {
    let mut out = Vec::new();
    let mut at = node;
    for seg in path {
        let next = match (seg, &at.value) {
            (Seg::Key(k), Value::Map(entries)) => {
                entries.iter().find(|(key, _)| key.name == *k).map(|(key, v)| (key.span, v))
            }
            (Seg::Index(i), Value::Seq(items)) => items.get(*i).map(|v| (v.span, v)),
            _ => None,
        };
        let Some((span, child)) = next else { break };
        out.push((span, child));
        at = child;
    }
    out
}

/// Where a lowered property goes: its key, and the plan attribute that
/// places the mappings and lists made on the way.
struct Spans {
    key: SourceSpan,
    top_key: SourceSpan,
    top: SourceSpan,
}

impl Spans {
    fn of(trail: &[(SourceSpan, &Node)], depth: usize) -> Option<Spans> {
        let (top_key, top) = trail.first()?;
        let (key, _) = trail.get(depth.checked_sub(1)?)?;
        Some(Spans { key: *key, top_key: *top_key, top: top.span })
    }
}

impl Plan<'_> {
    /// The CloudFormation properties of a planned resource, by its type's rules.
    fn properties(&self, p: &Planned<'_>, rules: &[Rule]) -> Node {
        let mut props = Node { value: Value::Map(Vec::new()), span: p.values.map_or(p.span, |v| v.span) };
        let unknown = self.unknown.get(&p.address).copied();
        let expressions = p.config.and_then(|c| c.get("expressions"));
        for rule in rules {
            // `*`: each element of the list before it (the first, when it is not in the values).
            let elements = rule.from.split_once(".*").map_or(1, |(list, _)| {
                let list = path(list, 0);
                match p
                    .values
                    .map(|v| trail(v, &list))
                    .filter(|t| t.len() == list.len())
                    .and_then(|t| t.last().map(|e| e.1))
                {
                    Some(Node { value: Value::Seq(items), .. }) => items.len().max(1),
                    _ => 1,
                }
            });
            for star in 0..elements {
                let (from, to) = (path(rule.from, star), path(rule.to, star));
                let known = p.values.map(|v| trail(v, &from)).filter(|t| t.len() == from.len());
                if let Some(known) = known.filter(|t| t.last().is_some_and(|(_, n)| n.value != Value::Null)) {
                    let (Some(spans), Some((_, node))) = (Spans::of(&known, from.len()), known.last()) else {
                        continue;
                    };
                    if let Some(leaf) = convert(rule.how, node, spans.key) {
                        insert(&mut props, &to, Some(leaf), &spans);
                    }
                    continue;
                }
                let Some(unknown) = unknown else { continue };
                let trail = trail(unknown, &from);
                let Some(depth) = trail.iter().position(|(_, n)| n.value == Value::Bool(true)).map(|i| i + 1) else {
                    continue;
                };
                let configured = match from.first() {
                    Some(Seg::Key(attribute)) => expressions.is_none_or(|e| e.get(attribute).is_some()),
                    _ => true,
                };
                let Some(spans) = Spans::of(&trail, depth).filter(|_| configured) else { continue };
                if rule.how == How::IfKnown && depth == from.len() {
                    // The block is there; only its identifiers wait for the apply.
                    insert(&mut props, to.split_last().map_or(&[], |(_, way)| way), None, &spans);
                    continue;
                }
                let marker = marker(render(&p.address, from.get(..depth).unwrap_or(&[])), spans.key);
                let leaf = if rule.how == How::Idle { idle(marker, spans.key) } else { marker };
                insert(&mut props, &to, Some(leaf), &spans);
            }
        }
        props
    }
}

/// A planned value as the CloudFormation property reads it; `None` when it means "not set".
fn convert(how: How, node: &Node, key: SourceSpan) -> Option<Node> {
    let flag = match &node.value {
        Value::Bool(b) => Some(*b),
        Value::Str(s) => s.parse().ok(),
        _ => None,
    };
    let named = |yes: &str, no: &str| match flag {
        Some(b) => Node { value: Value::Str(if b { yes } else { no }.into()), span: node.span },
        None => node.clone(),
    };
    match (how, &node.value) {
        (How::Scheme, _) => Some(named("internal", "internet-facing")),
        (How::PublicIp, _) => Some(named("ENABLED", "DISABLED")),
        (How::Throttle, Value::Int(i)) if *i < 0 => None,
        (How::Throttle, Value::Float(x)) if *x < 0.0 => None,
        (How::Idle, _) => Some(idle(node.clone(), key)),
        _ => Some(node.clone()),
    }
}

/// `{ Key: idle_timeout.timeout_seconds, Value: value }`, an ALB attribute.
fn idle(value: Node, key: SourceSpan) -> Node {
    let name = Node { value: Value::Str("idle_timeout.timeout_seconds".into()), span: key };
    let entries = vec![(Key { name: "Key".into(), span: key }, name), (Key { name: "Value".into(), span: key }, value)];
    Node { span: key, value: Value::Map(entries) }
}

/// `{ Terraform::Unknown: name }`: a value known only once the plan is applied.
fn marker(name: String, span: SourceSpan) -> Node {
    let entry = (Key { name: UNKNOWN.into(), span }, Node { value: Value::Str(name), span });
    Node { value: Value::Map(vec![entry]), span }
}

/// `aws_lambda_function.api` and `ephemeral_storage.0.size` as `aws_lambda_function.api.ephemeral_storage[0].size`.
fn render(address: &str, path: &[Seg<'_>]) -> String {
    path.iter().fold(address.to_string(), |out, seg| match seg {
        Seg::Key(k) => format!("{out}.{k}"),
        Seg::Index(i) => format!("{out}[{i}]"),
    })
}

/// Puts `leaf` at `path` under `node`, making the mappings and lists on the
/// way; with no leaf, it makes only the way.
fn insert(node: &mut Node, path: &[Seg<'_>], leaf: Option<Node>, spans: &Spans) {
    let Some((first, rest)) = path.split_first() else { return };
    let fresh = |span: SourceSpan| match rest.first() {
        Some(Seg::Index(_)) => Node { value: Value::Seq(Vec::new()), span },
        _ => Node { value: Value::Map(Vec::new()), span },
    };
    let slot = match (first, &mut node.value) {
        (Seg::Key(k), Value::Map(entries)) => {
            let i = match entries.iter().position(|(key, _)| key.name == *k) {
                Some(i) => i,
                None => {
                    let span = if rest.is_empty() { spans.key } else { spans.top_key };
                    entries.push((Key { name: (*k).to_string(), span }, fresh(spans.top)));
                    entries.len() - 1
                }
            };
            entries.get_mut(i).map(|(_, v)| v)
        }
        (Seg::Index(i), Value::Seq(items)) => {
            while items.len() <= *i {
                items.push(Node { value: Value::Map(Vec::new()), span: spans.top });
            }
            items.get_mut(*i)
        }
        _ => None,
    };
    let Some(slot) = slot else { return };
    match (rest.is_empty(), leaf) {
        (true, Some(leaf)) => *slot = leaf,
        (true, None) => {}
        (false, leaf) => insert(slot, rest, leaf, spans),
    }
}
