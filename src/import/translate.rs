//! A service of a template as the part of a proposal it decides: the
//! pattern and the components' keys, read the way AWS reads the template.
//!
//! Each value is a node in the proposal's own spelling (`10s`, `1024MiB`,
//! `regional`) that keeps the span of the template text it comes from, so
//! every later stage (limits, facts, classification) points into the template.
//! A property the template leaves out is AWS's default, recorded with its
//! source. Keys no template can decide (`function.vpc.subnets`,
//! `service.auth`) are left for the proposal. docs/import.md has the table.

use miette::SourceSpan;

use super::classify::ImportedService;
use super::resolve::{Resolver, Unresolved, is_intrinsic, scalar_text};
use super::template::{Resource, Template};
use crate::model::limits::Source;
use crate::model::{Component, NamedEnum};
use crate::yaml::{Key, Node, Value};

mod api;
mod ecs;
mod lambda;
mod queue;

/// What a template decides of a proposal.
#[derive(Debug, Clone, PartialEq)]
pub struct Translated {
    /// A mapping of proposal keys: `pattern`, and each component's section.
    pub root: Node,
    /// Paths whose value is AWS's default (the template leaves it out), with the source.
    pub defaults: Vec<(String, Source)>,
    /// Paths the template decides are absent (no `VpcConfig`: no `function.vpc`), with the resource's span.
    pub absent: Vec<(String, SourceSpan)>,
}

/// A value the template holds that no proposal value can be read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TranslateError {
    Unresolved(Unresolved),
    /// A value AWS would refuse or that is not the kind the property takes.
    Unreadable {
        message: String,
        help: String,
        span: SourceSpan,
    },
}

/// The proposal keys a service of `template` decides.
pub fn translate(
    template: &Template,
    service: &ImportedService,
    resolver: &Resolver<'_>,
) -> Result<Translated, Vec<TranslateError>> {
    let mut w = Writer {
        resolver,
        template,
        sections: Vec::new(),
        defaults: Vec::new(),
        absent: Vec::new(),
        errors: Vec::new(),
        spent_reported: false,
    };
    let selected = template.resources.get(service.select.raw());
    let span = selected.map_or(SourceSpan::from((0, 0)), |r| r.span);
    w.top("pattern", span, Value::Str(service.pattern.name().to_string()));
    for id in &service.resources {
        if let Some(resource) = template.resources.get(id.raw()) {
            w.exists(resource);
        }
    }
    components(&mut w, service);
    if !w.errors.is_empty() {
        return Err(w.errors);
    }
    let root = Node { value: Value::Map(w.sections), span };
    Ok(Translated { root, defaults: w.defaults, absent: w.absent })
}

/// Builds the proposal keys, collecting every error.
pub(super) struct Writer<'a> {
    pub resolver: &'a Resolver<'a>,
    pub template: &'a Template,
    sections: Vec<(Key, Node)>,
    defaults: Vec<(String, Source)>,
    absent: Vec<(String, SourceSpan)>,
    errors: Vec<TranslateError>,
    /// The resolver's budget ran out and an error said so.
    spent_reported: bool,
}

impl<'a> Writer<'a> {
    fn top(&mut self, key: &str, span: SourceSpan, value: Value) {
        self.sections.push((Key { name: key.into(), span }, Node { value, span }));
    }

    /// The section `name` (`gateway`), placed at the resource it comes from.
    pub fn section(&mut self, name: &str, span: SourceSpan) {
        if !self.sections.iter().any(|(k, _)| k.name == name) {
            self.sections.push((Key { name: name.into(), span }, Node { value: Value::Map(Vec::new()), span }));
        }
    }

    /// `path` is `section.key` or `section.sub.key`; the sections exist.
    pub fn set(&mut self, path: &str, value: Value, span: SourceSpan) {
        let mut parts = path.split('.');
        let Some(first) = parts.next() else { return };
        let keys: Vec<&str> = parts.collect();
        let Some(entry) = self.sections.iter_mut().find(|(k, _)| k.name == first) else { return };
        let mut node = &mut entry.1;
        for (i, key) in keys.iter().enumerate() {
            let Value::Map(entries) = &mut node.value else { return };
            let last = i + 1 == keys.len();
            if !entries.iter().any(|(k, _)| k.name == *key) {
                let inner = if last { value.clone() } else { Value::Map(Vec::new()) };
                entries.push((Key { name: (*key).into(), span }, Node { value: inner, span }));
            } else if last && let Some((_, existing)) = entries.iter_mut().find(|(k, _)| k.name == *key) {
                *existing = Node { value: value.clone(), span };
            }
            let Some((_, next)) = entries.iter_mut().find(|(k, _)| k.name == *key) else { return };
            node = next;
        }
    }

    /// AWS's default for a value the template leaves out, at the resource.
    pub fn default(&mut self, path: &str, value: Value, at: &Resource, source: Source) {
        self.set(path, value, at.span);
        self.defaults.push((path.to_string(), source));
    }

    /// `path`'s value (set on its own) is AWS's default.
    pub fn defaults_note(&mut self, path: &str, source: Source) {
        self.defaults.push((path.to_string(), source));
    }

    /// A resource with a `Condition` exists only when it holds: when it
    /// does not, or cannot be told, the service is not what will be deployed.
    fn exists(&mut self, resource: &Resource) {
        let Some(condition) = &resource.condition else { return };
        let Some(name) = scalar_text(condition) else { return };
        match self.resolver.condition(&name, condition.span, 0) {
            Ok(true) => {}
            Ok(false) => self.errors.push(TranslateError::Unreadable {
                message: format!(
                    "`{}` is created only when `{name}` holds, and it does not with these parameters",
                    resource.id
                ),
                help: "select a service the stack creates, or give the parameters it is deployed with".into(),
                span: condition.span,
            }),
            Err(unresolved) => self.errors.push(TranslateError::Unresolved(unresolved)),
        }
    }

    /// The template leaves `path` out, and so decides it: there is none (no
    /// `VpcConfig`, no stage throttling), or AWS's default applies where the
    /// loader's default is AWS's, with its source (the integration timeout
    /// for the API type and transfer mode, storage, the idle timeout). The
    /// proposal may not set it.
    pub fn absent(&mut self, path: &str, at: &Resource) {
        self.absent.push((path.to_string(), at.span));
    }

    /// A property, its own intrinsic worked out (those inside it are worked
    /// out as they are read, so a value nobody reads never fails); `None`
    /// when it is absent (or `AWS::NoValue`), and when it cannot be worked
    /// out (the error is kept).
    pub fn property(&mut self, resource: &Resource, name: &str) -> Option<Node> {
        self.shallow(resource.property(name)?)
    }

    /// A field of a mapping read from the template, worked out as a property is.
    pub fn field(&mut self, node: &Node, name: &str) -> Option<Node> {
        let found = node.get(name)?.clone();
        self.shallow(&found)
    }

    /// The items of a list read from the template, each worked out.
    pub fn items(&mut self, node: &Node) -> Vec<Node> {
        match &node.value {
            Value::Seq(items) => items.iter().filter_map(|i| self.shallow(i)).collect(),
            _ => Vec::new(),
        }
    }

    /// The node itself when it is no intrinsic, else its value.
    pub fn shallow(&mut self, node: &Node) -> Option<Node> {
        match &node.value {
            _ if is_intrinsic(node) => self.resolve(node),
            _ => Some(node.clone()),
        }
    }

    pub fn resolve(&mut self, node: &Node) -> Option<Node> {
        match self.resolver.value(node) {
            Ok(value) => value,
            // Once the budget is spent, one error says so, not one per value after it.
            Err(_) if self.resolver.exhausted() && self.spent_reported => None,
            Err(unresolved) => {
                self.spent_reported |= self.resolver.exhausted();
                self.errors.push(TranslateError::Unresolved(unresolved));
                None
            }
        }
    }

    pub fn unreadable(&mut self, node: &Node, message: String, help: &str) {
        self.errors.push(TranslateError::Unreadable { message, help: help.to_string(), span: node.span });
    }

    /// One of the values AWS takes for `property` (case aside), as the
    /// proposal spells it: `choices` pairs AWS's spelling with the proposal's.
    /// Anything else is refused with the list, never read as a default.
    pub fn choice(&mut self, node: &Node, property: &str, choices: &[(&str, &'static str)]) -> Option<&'static str> {
        let node = self.shallow(node)?;
        let text = scalar_text(&node).unwrap_or_default();
        if let Some((_, ours)) = choices.iter().find(|(aws, _)| aws.eq_ignore_ascii_case(text.trim())) {
            return Some(ours);
        }
        let names: Vec<String> = choices.iter().map(|(aws, _)| format!("`{aws}`")).collect();
        self.unreadable(
            &node,
            format!("`{property}` is {}, which AWS does not take", node.value.describe()),
            &format!("write one of {}", names.join(", ")),
        );
        None
    }

    /// A whole number, as CloudFormation reads `30`, `"30"` and `30.0`.
    pub fn number(&mut self, node: &Node, property: &str) -> Option<u64> {
        let node = self.shallow(node)?;
        let node = &node;
        let text = scalar_text(node).unwrap_or_default();
        match text.trim().parse::<f64>() {
            Ok(x) if x >= 0.0 && x.fract() == 0.0 && x < 1e15 => Some(x as u64),
            _ => {
                self.unreadable(
                    node,
                    format!("`{property}` is {}, not a whole number", node.value.describe()),
                    "CloudFormation reads this property as a whole number, e.g. `30` or \"30\"",
                );
                None
            }
        }
    }

    /// A number read from a property that is set, else AWS's default.
    pub fn number_or_default(&mut self, at: &Resource, property: &str, path: &str, unit: &str, default: (u64, Source)) {
        match self.property(at, property) {
            Some(node) => {
                if let Some(n) = self.number(&node, property) {
                    self.set(path, Value::Str(format!("{n}{unit}")), node.span);
                }
            }
            None if !self.has_property(at, property) => {
                self.default(path, Value::Str(format!("{}{unit}", default.0)), at, default.1);
            }
            None => {}
        }
    }

    /// A whole number in `unit` read from a nested property, or, when the
    /// template leaves it out, the loader's AWS default ([`Writer::absent`]).
    pub fn number_or_left_out(&mut self, node: Option<Node>, property: &str, path: &str, unit: &str, at: &Resource) {
        match node {
            Some(node) => {
                if let Some(n) = self.number(&node, property) {
                    self.set(path, Value::Str(format!("{n}{unit}")), node.span);
                }
            }
            None => self.absent(path, at),
        }
    }

    /// Whether the resource writes the property at all (even as an intrinsic that failed).
    pub fn has_property(&self, at: &Resource, property: &str) -> bool {
        at.property(property).is_some_and(|p| self.resolver.value(p).map_or(true, |v| v.is_some()))
    }

    /// The resources of one of `kinds` that refer to `id`.
    pub fn referring(&self, kinds: &[&str], id: &str) -> Vec<&'a Resource> {
        let template: &'a Template = self.template;
        template.referring_to(id).filter(|r| kinds.contains(&r.kind.as_str())).collect()
    }

    /// A resource by logical ID.
    pub fn resource(&self, id: &str) -> Option<&'a Resource> {
        let template: &'a Template = self.template;
        template.resources.get(id)
    }
}

/// Text in lower case, for AWS's enumerations (`REGIONAL`, `ARM64`).
pub(super) fn lower(node: &Node) -> Option<String> {
    scalar_text(node).map(|s| s.trim().to_ascii_lowercase())
}

/// Each component of the service's pattern, from the resources that make it up.
fn components(w: &mut Writer<'_>, service: &ImportedService) {
    let resources: Vec<&Resource> = service.resources.iter().filter_map(|id| w.resource(id.raw())).collect();
    let first = |kinds: &[&str]| resources.iter().copied().find(|r| kinds.contains(&r.kind.as_str()));
    let api = first(api::APIS);
    let selected = w.resource(service.select.raw());
    for component in crate::patterns::def(service.pattern).components {
        match component {
            Component::Gateway => {
                if let Some(api) = api {
                    // A function is reached itself (or through an alias or
                    // version on its path); a service through the VPC link,
                    // load balancers and listeners on its path.
                    let mut targets: Vec<&Resource> = selected.into_iter().collect();
                    targets.extend(resources.iter().copied().filter(|r| {
                        [
                            "AWS::Lambda::Alias",
                            "AWS::Lambda::Version",
                            "AWS::ApiGateway::VpcLink",
                            "AWS::ApiGatewayV2::VpcLink",
                            "AWS::ElasticLoadBalancingV2::LoadBalancer",
                            "AWS::ElasticLoadBalancingV2::Listener",
                            // `queue_worker`: the API's integration names the queue.
                            "AWS::SQS::Queue",
                        ]
                        .contains(&r.kind.as_str())
                    }));
                    api::gateway(w, api, &targets);
                }
            }
            Component::Function => {
                if let Some(f) = selected {
                    let handle = first(&["AWS::Lambda::Alias", "AWS::Lambda::Version"]);
                    lambda::function(w, f, handle);
                }
            }
            Component::VpcLink => {
                if let Some(link) = first(api::VPC_LINKS) {
                    api::vpc_link(w, link);
                }
            }
            Component::LoadBalancer => {
                // The load balancer nearest the service (a network load
                // balancer in front of it is on the way, not the service's).
                let lb = resources.iter().rev().find(|r| r.kind == "AWS::ElasticLoadBalancingV2::LoadBalancer");
                if let Some(lb) = lb {
                    ecs::load_balancer(w, lb);
                }
            }
            Component::Service => {
                if let Some(s) = selected {
                    ecs::service(w, s);
                }
            }
            Component::FunctionUrl => {
                if let Some(u) = first(&["AWS::Lambda::Url"]) {
                    lambda::function_url(w, u, selected);
                }
            }
            Component::Queue => {
                if let Some(q) = first(&[crate::import::classify::queues::QUEUE]) {
                    queue::queue(w, q, first(&[crate::import::classify::queues::MAPPING]));
                }
            }
        }
    }
}
