//! A CloudFormation or SAM template (YAML or JSON, `cdk synth` output
//! included) as resources with their properties and the logical IDs each
//! refers to.

use std::collections::{BTreeMap, BTreeSet};

use miette::SourceSpan;

use super::err::ImportError;
use crate::yaml::{self, Node, Value};

/// What produced the template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Flavor {
    CloudFormation,
    /// `Transform: AWS::Serverless-2016-10-31`.
    Sam,
    /// `cdk synth` output: resources carry `aws:cdk:path` metadata.
    Cdk,
    /// `terraform show -json` output: each planned resource lowered to the
    /// CloudFormation resource it stands for ([`super::terraform`]).
    TerraformPlan,
}

impl std::fmt::Display for Flavor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Flavor::CloudFormation => "CloudFormation",
            Flavor::Sam => "SAM",
            Flavor::Cdk => "cdk synth output",
            Flavor::TerraformPlan => "Terraform plan",
        })
    }
}

/// A template parameter: where it is declared, and its `Default`.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    /// The span of its name under `Parameters`.
    pub span: SourceSpan,
    /// `String`, `Number`, `List<Number>`, ...
    pub kind: String,
    pub default: Option<Node>,
}

/// One resource of the template.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    /// The logical ID.
    pub id: String,
    /// `AWS::Lambda::Function`, ...
    pub kind: String,
    pub properties: Option<Node>,
    /// The span of the logical ID.
    pub span: SourceSpan,
    /// The CDK construct path, when the template is `cdk synth` output.
    pub cdk_path: Option<String>,
    /// Logical IDs (resources or parameters) this resource refers to.
    pub refs: BTreeSet<String>,
    /// It takes values from another stack (`Fn::ImportValue`).
    pub imports: bool,
    /// The resource's `Condition`: it exists only when that condition holds.
    pub condition: Option<Node>,
}

impl Resource {
    /// A property by name.
    pub fn property(&self, name: &str) -> Option<&Node> {
        match &self.properties.as_ref()?.value {
            Value::Map(entries) => entries.iter().find(|(k, _)| k.name == name).map(|(_, v)| v),
            _ => None,
        }
    }

    /// A property's text, when it is written as plain text.
    pub fn text(&self, name: &str) -> Option<&str> {
        match &self.property(name)?.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The name people know the resource by: its CDK path, or its logical ID.
    pub fn name(&self) -> &str {
        self.cdk_path.as_deref().unwrap_or(&self.id)
    }
}

/// A template read into resources.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    pub flavor: Flavor,
    pub resources: BTreeMap<String, Resource>,
    pub parameters: BTreeMap<String, Parameter>,
    /// `Conditions`: each name's expression (`Fn::Equals`, `Fn::Not`, ...).
    pub conditions: BTreeMap<String, Node>,
    /// `Mappings`, for `Fn::FindInMap`.
    pub mappings: Option<Node>,
    /// `Outputs`: each output's `Value`, which another stack (a nested
    /// stack's parent, an `Fn::ImportValue`) may wire to its own resources.
    pub outputs: BTreeMap<String, Node>,
    /// The work budget of this template's import, shared by every stage
    /// that reads it (and by the template's clones).
    pub fuel: super::fuel::Fuel,
    /// Who refers to each logical ID, built on first use.
    pub referrers: Referrers,
}

/// The resources that refer to each logical ID, in logical-ID order: built
/// once, on first use, after the template is read (no stage changes a
/// resource's `refs` after that), so that finding a resource's users is a
/// lookup, not a scan of every resource.
#[derive(Clone, Default)]
pub struct Referrers(std::sync::OnceLock<std::collections::HashMap<String, Vec<String>>>);

impl std::fmt::Debug for Referrers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Referrers")
    }
}

/// An index of what the template says, not part of it.
impl PartialEq for Referrers {
    fn eq(&self, _: &Referrers) -> bool {
        true
    }
}

impl Template {
    /// A CloudFormation template from its tree; SAM's transform is
    /// [`super::sam`]'s, a Terraform plan [`super::terraform`]'s.
    pub fn from_cloudformation(root: &Node) -> Result<Template, ImportError> {
        if entries(root).is_none() {
            return Err(ImportError::NotATemplate {
                why: "the document is not a mapping".into(),
                span: Some(root.span),
            });
        }
        let get = |key: &str| root.get(key);
        let Some(resources) = get("Resources").and_then(entries) else {
            return Err(ImportError::NotATemplate {
                why: "it has no `Resources` mapping".into(),
                span: Some(root.span),
            });
        };
        let sam = get("Transform").is_some_and(|t| mentions(t, "AWS::Serverless"));
        let parameters =
            get("Parameters").and_then(entries).map(|p| p.iter().map(parameter).collect()).unwrap_or_default();
        let conditions = get("Conditions")
            .and_then(entries)
            .map(|c| c.iter().map(|(k, v)| (k.name.clone(), v.clone())).collect())
            .unwrap_or_default();
        let mut out = BTreeMap::new();
        let mut cdk = false;
        for (key, node) in resources {
            let resource = resource(&key.name, key.span, node);
            cdk |= resource.cdk_path.is_some();
            out.insert(key.name.clone(), resource);
        }
        let flavor = if sam {
            Flavor::Sam
        } else if cdk {
            Flavor::Cdk
        } else {
            Flavor::CloudFormation
        };
        let mappings = get("Mappings").cloned();
        let outputs = get("Outputs")
            .and_then(entries)
            .map(|o| o.iter().filter_map(|(k, v)| Some((k.name.clone(), v.get("Value")?.clone()))).collect())
            .unwrap_or_default();
        Ok(Template {
            flavor,
            resources: out,
            parameters,
            conditions,
            mappings,
            outputs,
            fuel: super::fuel::Fuel::new(),
            referrers: Referrers::default(),
        })
    }

    /// A template of `flavor` with nothing in it yet.
    pub fn empty(flavor: Flavor) -> Template {
        Template {
            flavor,
            resources: BTreeMap::new(),
            parameters: BTreeMap::new(),
            conditions: BTreeMap::new(),
            mappings: None,
            outputs: BTreeMap::new(),
            fuel: super::fuel::Fuel::new(),
            referrers: Referrers::default(),
        }
    }

    /// The resources of a kind, in logical-ID order.
    pub fn of_kind<'a>(&'a self, kinds: &'a [&str]) -> impl Iterator<Item = &'a Resource> + 'a {
        self.resources.values().filter(move |r| kinds.contains(&r.kind.as_str()))
    }

    /// The resources that refer to `id`, in logical-ID order.
    pub fn referring_to<'a>(&'a self, id: &str) -> impl Iterator<Item = &'a Resource> + use<'a> {
        let index = self.referrers.0.get_or_init(|| {
            let mut index: std::collections::HashMap<String, Vec<String>> = std::collections::HashMap::new();
            for r in self.resources.values() {
                // Paid for as it is built; a spent budget is reported once the import ends.
                let cost = super::fuel::STEP.saturating_mul(r.refs.len() as u64 + 1);
                let _ = self.fuel.spend(super::fuel::Work::Classification, cost, r.span);
                for target in &r.refs {
                    index.entry(target.clone()).or_default().push(r.id.clone());
                }
            }
            index
        });
        let users: &'a [String] = index.get(id).map_or(&[], Vec::as_slice);
        users.iter().filter_map(move |user| self.resources.get(user))
    }
}

impl Template {
    /// This template with every reference of `from` to `to` (a `Ref`, a
    /// `Fn::GetAtt`, a `${to}` in `Fn::Sub`) written as plain text instead:
    /// for tests that cut one link of a service's path.
    #[doc(hidden)]
    pub fn without_reference(&self, from: &str, to: &str) -> Template {
        let mut out = self.clone();
        out.referrers = Referrers::default();
        if let Some(r) = out.resources.get_mut(from) {
            if let Some(p) = r.properties.as_mut() {
                cut(p, to);
            }
            r.refs.clear();
            r.imports = false;
            if let Some(p) = &r.properties {
                refs_of(p, &mut r.refs, &mut r.imports);
            }
            if out.flavor == Flavor::TerraformPlan {
                r.refs = self.resources[from].refs.iter().filter(|id| *id != to).cloned().collect();
            }
        }
        out
    }
}

impl Template {
    /// The properties of `from` (top-level names) that refer to `to`: for
    /// tests that check a cut reference is named where it was cut.
    #[doc(hidden)]
    pub fn referring_properties(&self, from: &str, to: &str) -> Vec<String> {
        let Some(Value::Map(entries)) = self.resources.get(from).and_then(|r| r.properties.as_ref()).map(|p| &p.value)
        else {
            return Vec::new();
        };
        entries
            .iter()
            .filter(|(_, value)| {
                let mut refs = BTreeSet::new();
                let mut imports = false;
                refs_of(value, &mut refs, &mut imports);
                refs.contains(to)
            })
            .map(|(key, _)| key.name.clone())
            .collect()
    }
}

fn cut(node: &mut Node, to: &str) {
    let span = node.span;
    let refers = match &node.value {
        Value::Map(entries) if entries.len() == 1 => match (entries[0].0.name.as_str(), &entries[0].1.value) {
            ("Ref", Value::Str(id)) => id == to,
            ("Fn::GetAtt", Value::Seq(parts)) => {
                parts.first().is_some_and(|p| matches!(&p.value, Value::Str(s) if s == to))
            }
            ("Fn::GetAtt", Value::Str(dotted)) => dotted.split('.').next() == Some(to),
            _ => false,
        },
        _ => false,
    };
    if refers {
        *node = Node { value: Value::Str(format!("cut-{to}")), span };
        return;
    }
    match &mut node.value {
        Value::Map(entries) => {
            for (key, value) in entries.iter_mut() {
                if key.name == "Fn::Sub" {
                    sub_cut(value, to);
                }
                cut(value, to);
            }
        }
        Value::Seq(items) => items.iter_mut().for_each(|n| cut(n, to)),
        _ => {}
    }
}

fn sub_cut(node: &mut Node, to: &str) {
    let text = match &mut node.value {
        Value::Str(s) => s,
        Value::Seq(items) => match items.first_mut().map(|n| &mut n.value) {
            Some(Value::Str(s)) => s,
            _ => return,
        },
        _ => return,
    };
    *text = text.replace(&format!("${{{to}}}"), &format!("cut-{to}")).replace(&format!("${{{to}."), "cut-attr{");
}

pub(super) fn entries(node: &Node) -> Option<&Vec<(yaml::Key, Node)>> {
    match &node.value {
        Value::Map(entries) => Some(entries),
        _ => None,
    }
}

/// Whether `node` holds `needle` as text anywhere (a transform may be a list).
pub(super) fn mentions(node: &Node, needle: &str) -> bool {
    match &node.value {
        Value::Str(s) => s.contains(needle),
        Value::Seq(items) => items.iter().any(|n| mentions(n, needle)),
        _ => false,
    }
}

/// Whether a node is (or holds) `Fn::Transform: { Name: AWS::Include }`:
/// text from another file, which is not read.
pub(super) fn mentions_include(node: &Node) -> bool {
    match &node.value {
        Value::Map(entries) => entries.iter().any(|(k, v)| {
            (k.name == "Fn::Transform" && v.get("Name").is_some_and(|n| mentions(n, "AWS::Include")))
                || mentions_include(v)
        }),
        Value::Seq(items) => items.iter().any(mentions_include),
        _ => false,
    }
}

/// HCL's `resource "aws_..." "name" {` at the start of a line.
pub(super) fn looks_like_hcl(text: &str) -> bool {
    text.lines().any(|l| {
        let l = l.trim_start();
        (l.starts_with("resource \"") || l.starts_with("provider \"") || l.starts_with("module \"")) && l.ends_with('{')
    })
}

fn parameter((key, node): &(yaml::Key, Node)) -> (String, Parameter) {
    let kind = match node.get("Type").map(|n| &n.value) {
        Some(Value::Str(s)) => s.clone(),
        _ => String::new(),
    };
    (key.name.clone(), Parameter { span: key.span, kind, default: node.get("Default").cloned() })
}

pub(super) fn resource(id: &str, span: SourceSpan, node: &Node) -> Resource {
    let get = |key: &str| node.get(key);
    let kind = match get("Type").map(|n| &n.value) {
        Some(Value::Str(s)) => s.clone(),
        _ => String::new(),
    };
    let cdk_path = get("Metadata").and_then(entries).and_then(|m| {
        m.iter().find(|(k, _)| k.name == "aws:cdk:path").and_then(|(_, v)| match &v.value {
            Value::Str(s) => Some(s.clone()),
            _ => None,
        })
    });
    let properties = get("Properties").cloned();
    let mut refs = BTreeSet::new();
    let mut imports = false;
    if let Some(p) = &properties {
        refs_of(p, &mut refs, &mut imports);
    }
    let condition = get("Condition").cloned();
    Resource { id: id.to_string(), kind, properties, span, cdk_path, refs, imports, condition }
}

/// Every logical ID a node refers to: `Ref`, `Fn::GetAtt`, `${Name}` in
/// `Fn::Sub`; `Fn::ImportValue` marks a value from another stack.
pub(super) fn refs_of(node: &Node, refs: &mut BTreeSet<String>, imports: &mut bool) {
    match &node.value {
        Value::Map(entries) => {
            for (key, value) in entries {
                match (key.name.as_str(), &value.value) {
                    ("Ref", Value::Str(id)) => {
                        refs.insert(id.clone());
                    }
                    ("Fn::GetAtt", Value::Seq(parts)) => {
                        if let Some(Value::Str(id)) = parts.first().map(|p| &p.value) {
                            refs.insert(id.clone());
                        }
                    }
                    ("Fn::GetAtt", Value::Str(dotted)) => {
                        refs.insert(dotted.split('.').next().unwrap_or_default().to_string());
                    }
                    ("Fn::ImportValue", _) => *imports = true,
                    ("Fn::Sub", _) => sub_refs(value, refs),
                    _ => {}
                }
                refs_of(value, refs, imports);
            }
        }
        Value::Seq(items) => items.iter().for_each(|n| refs_of(n, refs, imports)),
        _ => {}
    }
}

/// `${Name}` and `${Name.Attribute}` in a `Fn::Sub` string (or its first element).
fn sub_refs(node: &Node, refs: &mut BTreeSet<String>) {
    let text = match &node.value {
        Value::Str(s) => s.as_str(),
        Value::Seq(items) => match items.first().map(|n| &n.value) {
            Some(Value::Str(s)) => s.as_str(),
            _ => return,
        },
        _ => return,
    };
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else { break };
        let name = &after[..end];
        if !name.starts_with('!') && !name.starts_with("AWS::") {
            refs.insert(name.split('.').next().unwrap_or_default().to_string());
        }
        rest = &after[end..];
    }
}
