//! The part of the SAM transform (`AWS::Serverless-2016-10-31`) that decides
//! what is deployed here: `Globals` merged into functions and APIs, and the
//! implicit `ServerlessRestApi` / `ServerlessHttpApi` that `Api` and
//! `HttpApi` events create. The merge follows the SAM translator's
//! (samtranslator/plugins/globals/globals.py): the resource's value wins,
//! mappings merge key by key, lists are the global's then the resource's,
//! and an intrinsic function counts as one value. tests/it/sam_translator.rs
//! checks the result against the translator itself.

use std::collections::BTreeSet;

use miette::SourceSpan;

use super::template::{Resource, Template, entries, refs_of};
use crate::yaml::{Key, Node, Value};

/// The implicit APIs SAM creates for functions' `Api` and `HttpApi` events.
pub const IMPLICIT_REST: &str = "ServerlessRestApi";
pub const IMPLICIT_HTTP: &str = "ServerlessHttpApi";

/// Which `Globals` section applies to which resource type.
const SECTIONS: &[(&str, &str)] = &[
    ("Function", "AWS::Serverless::Function"),
    ("Api", "AWS::Serverless::Api"),
    ("HttpApi", "AWS::Serverless::HttpApi"),
];

/// Creates the implicit APIs, then merges `Globals` into every resource it applies to.
pub(super) fn transform(template: &mut Template, globals: Option<&Node>) {
    implicit_apis(template);
    function_urls(template);
    queue_mappings(template);
    let Some(globals) = globals.and_then(entries) else { return };
    for (section, kind) in SECTIONS {
        let Some((_, global)) = globals.iter().find(|(k, _)| k.name == *section) else { continue };
        for resource in template.resources.values_mut().filter(|r| r.kind == *kind) {
            let merged = match &resource.properties {
                Some(local) => merge(global, local),
                None => global.clone(),
            };
            resource.properties = Some(merged);
            let mut refs = BTreeSet::new();
            let mut imports = false;
            if let Some(p) = &resource.properties {
                refs_of(p, &mut refs, &mut imports);
            }
            resource.refs = refs;
            resource.imports = imports;
        }
    }
}

/// SAM's merge of a global value with a resource's own.
fn merge(global: &Node, local: &Node) -> Node {
    match (&global.value, &local.value) {
        (Value::Map(g), Value::Map(l)) if !is_intrinsic(global) && !is_intrinsic(local) => {
            let mut out = g.clone();
            for (key, value) in l {
                match out.iter_mut().find(|(k, _)| k.name == key.name) {
                    Some((_, existing)) => *existing = merge(existing, value),
                    None => out.push((key.clone(), value.clone())),
                }
            }
            Node { value: Value::Map(out), span: local.span }
        }
        (Value::Seq(g), Value::Seq(l)) => {
            Node { value: Value::Seq(g.iter().chain(l).cloned().collect()), span: local.span }
        }
        _ => local.clone(),
    }
}

/// An intrinsic, or `{ Condition: X }`: one value to SAM, not a mapping to merge.
fn is_intrinsic(node: &Node) -> bool {
    super::resolve::is_intrinsic(node)
        || matches!(&node.value, Value::Map(entries) if entries.len() == 1 && entries[0].0.name == "Condition")
}

/// A function's events of `kind` (`Api`, `HttpApi`) that name no API of
/// their own: SAM puts them on its implicit API.
fn implicit_events<'a>(function: &'a Resource, kind: &'a str) -> impl Iterator<Item = &'a Key> + 'a {
    let events = function.property("Events").and_then(entries).map(Vec::as_slice).unwrap_or_default();
    events.iter().filter_map(move |(key, event)| {
        let is_kind = matches!(event.get("Type").map(|n| &n.value), Some(Value::Str(t)) if t == kind);
        let own_api = event
            .get("Properties")
            .and_then(entries)
            .is_some_and(|p| p.iter().any(|(k, _)| k.name == "RestApiId" || k.name == "ApiId"));
        (is_kind && !own_api).then_some(key)
    })
}

/// `ServerlessRestApi` and `ServerlessHttpApi`, where events call for them
/// and the template does not declare them itself. Each is placed at the
/// first event that creates it.
fn implicit_apis(template: &mut Template) {
    for (event, id, kind) in
        [("Api", IMPLICIT_REST, "AWS::Serverless::Api"), ("HttpApi", IMPLICIT_HTTP, "AWS::Serverless::HttpApi")]
    {
        if template.resources.contains_key(id) {
            continue;
        }
        let first: Option<SourceSpan> = template
            .resources
            .values()
            .filter(|r| r.kind == "AWS::Serverless::Function")
            .find_map(|f| implicit_events(f, event).next().map(|k| k.span));
        let Some(span) = first else { continue };
        let empty = Node { value: Value::Map(Vec::new()), span };
        let mut resource = super::template::resource(id, span, &empty);
        resource.kind = kind.to_string();
        resource.properties = Some(empty);
        template.resources.insert(id.to_string(), resource);
    }
}

/// `<Function>Url`, the `AWS::Lambda::Url` SAM makes of a function's
/// `FunctionUrlConfig`: its properties, and a `TargetFunctionArn` that
/// refers to the function. Placed at the `FunctionUrlConfig`.
fn function_urls(template: &mut Template) {
    let mut made = Vec::new();
    for f in template.resources.values().filter(|r| r.kind == "AWS::Serverless::Function") {
        let Some(config) = f.property("FunctionUrlConfig") else { continue };
        let id = format!("{}Url", f.id);
        if template.resources.contains_key(&id) {
            continue;
        }
        let span = config.span;
        let key = |name: &str| Key { name: name.into(), span };
        let target = Node { value: Value::Map(vec![(key("Ref"), Node { value: Value::Str(f.id.clone()), span })]), span };
        let mut properties = match &config.value {
            Value::Map(entries) => entries.clone(),
            _ => Vec::new(),
        };
        properties.push((key("TargetFunctionArn"), target));
        let node = Node {
            value: Value::Map(vec![
                (key("Type"), Node { value: Value::Str("AWS::Lambda::Url".into()), span }),
                (key("Properties"), Node { value: Value::Map(properties), span }),
            ]),
            span,
        };
        let mut url = super::template::resource(&id, span, &node);
        // The transform's, not the template's: the template's own graph
        // (cfn-lint's) has no such edge. The classifier reads `TargetFunctionArn`.
        url.refs.clear();
        made.push((id.clone(), url));
    }
    for (id, resource) in made {
        template.resources.insert(id, resource);
    }
}

/// `<Function><Event>`, the `AWS::Lambda::EventSourceMapping` SAM makes of
/// a function's `SQS` event (samtranslator's `SQS` event source): the
/// event's `Properties` with `Queue` as `EventSourceArn`, and a
/// `FunctionName` that refers to the function. Placed at the event.
fn queue_mappings(template: &mut Template) {
    let mut made = Vec::new();
    for f in template.resources.values().filter(|r| r.kind == "AWS::Serverless::Function") {
        let events = f.property("Events").and_then(entries).map(Vec::as_slice).unwrap_or_default();
        for (name, event) in events {
            if !matches!(event.get("Type").map(|n| &n.value), Some(Value::Str(t)) if t == "SQS") {
                continue;
            }
            let id = format!("{}{}", f.id, name.name);
            if template.resources.contains_key(&id) {
                continue;
            }
            let span = name.span;
            let key = |name: &str| Key { name: name.into(), span };
            let function = Node { value: Value::Map(vec![(key("Ref"), Node { value: Value::Str(f.id.clone()), span })]), span };
            let mut properties: Vec<(Key, Node)> = Vec::new();
            if let Some(Value::Map(given)) = event.get("Properties").map(|p| &p.value) {
                for (k, v) in given {
                    let name = if k.name == "Queue" { "EventSourceArn" } else { k.name.as_str() };
                    properties.push((Key { name: name.into(), span: k.span }, v.clone()));
                }
            }
            properties.push((key("FunctionName"), function));
            let node = Node {
                value: Value::Map(vec![
                    (key("Type"), Node { value: Value::Str("AWS::Lambda::EventSourceMapping".into()), span }),
                    (key("Properties"), Node { value: Value::Map(properties), span }),
                ]),
                span,
            };
            let mut mapping = super::template::resource(&id, span, &node);
            // The transform's, as a function URL's: the classifier reads its properties.
            mapping.refs.clear();
            made.push((id, mapping));
        }
    }
    for (id, resource) in made {
        template.resources.insert(id, resource);
    }
}
