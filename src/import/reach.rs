//! Which Lambda functions the template's APIs reach, and how: the APIs
//! (explicit and SAM's implicit ones), their integrations and event
//! sources, and the functions used only as authorizers. Classification
//! (`classify`) reads it; it reads nothing of classification.

use std::collections::{BTreeSet, HashMap};

use super::fuel::{STEP, Work};
use super::links;
use super::sam::{IMPLICIT_HTTP, IMPLICIT_REST};
use super::template::{Resource, Template};
use crate::yaml::Value;

pub(super) const REST_APIS: &[&str] = &["AWS::ApiGateway::RestApi", "AWS::Serverless::Api"];
const V2_APIS: &[&str] = &["AWS::ApiGatewayV2::Api", "AWS::Serverless::HttpApi"];
const FUNCTIONS: &[&str] = &["AWS::Lambda::Function", "AWS::Serverless::Function"];
const AUTHORIZERS: &[&str] = &["AWS::ApiGateway::Authorizer", "AWS::ApiGatewayV2::Authorizer"];

/// The APIs of the template (explicit and SAM's implicit ones), with their kind.
pub(super) fn apis(t: &Template) -> Vec<(String, &'static str)> {
    let mut out: Vec<(String, &'static str)> = Vec::new();
    for r in t.of_kind(REST_APIS) {
        out.push((r.id.clone(), "REST API"));
    }
    for r in t.of_kind(V2_APIS) {
        let websocket = r.text("ProtocolType").is_some_and(|p| p.eq_ignore_ascii_case("WEBSOCKET"));
        out.push((r.id.clone(), if websocket { "WebSocket API" } else { "HTTP API" }));
    }
    // SAM's implicit APIs are resources already (`sam::transform`).
    out
}

/// Where integrations are stated (`Method`'s `Integration`, `Api`'s `Body`),
/// a few of them, and each alias or version they invoke whose
/// `FunctionName` names no function of the template.
pub(super) fn stated(t: &Template, own: &[&links::Integration]) -> String {
    const SHOWN: usize = 3;
    let name = |id: &str| t.resources.get(id).map_or(id, |r| r.name()).to_string();
    let mut places: Vec<String> = Vec::new();
    for edge in own {
        let place = format!("`{}`'s `{}`", name(&edge.holder), edge.property);
        let place = match links::handles_without_function(t, &edge.target).first() {
            Some(handle) => {
                format!("{place} invokes `{}`, whose `FunctionName` names no function of this template", handle.name())
            }
            None => place,
        };
        if !places.contains(&place) {
            places.push(place);
        }
    }
    let more = places.len().saturating_sub(SHOWN);
    places.truncate(SHOWN);
    let mut out = places.join("; ");
    if more > 0 {
        out.push_str(&format!(" and {more} more"));
    }
    out
}

/// A SAM function's events: their `Type`, and the API they name, if any.
pub(super) fn events(f: &Resource) -> Vec<(String, Option<String>)> {
    let Some(Value::Map(events)) = f.property("Events").map(|n| &n.value) else { return Vec::new() };
    events
        .iter()
        .filter_map(|(_, event)| {
            let Some(Value::Str(kind)) = event.get("Type").map(|n| &n.value) else { return None };
            let mut refs = BTreeSet::new();
            if let Some(props) = event.get("Properties") {
                collect(props, &mut refs);
            }
            Some((kind.clone(), refs.into_iter().next()))
        })
        .collect()
}

/// The `Ref`s in a node (for a SAM event's `RestApiId` / `ApiId`).
pub(super) fn collect(node: &crate::yaml::Node, out: &mut BTreeSet<String>) {
    match &node.value {
        Value::Map(entries) => {
            for (key, value) in entries {
                if let ("Ref", Value::Str(id)) = (key.name.as_str(), &value.value) {
                    out.insert(id.clone());
                }
                collect(value, out);
            }
        }
        Value::Seq(items) => items.iter().for_each(|n| collect(n, out)),
        _ => {}
    }
}

/// Functions that authorize: named by an authorizer resource, or inside an API's `Auth`.
pub(super) fn authorizer_functions(t: &Template) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = t.of_kind(AUTHORIZERS).flat_map(|a| a.refs.iter().cloned()).collect();
    for api in t.of_kind(&["AWS::Serverless::Api", "AWS::Serverless::HttpApi"]) {
        if let Some(auth) = api.property("Auth") {
            let mut refs = BTreeSet::new();
            let mut imports = false;
            super::template::refs_of(auth, &mut refs, &mut imports);
            out.extend(refs);
        }
    }
    out.retain(|id| t.resources.get(id).is_some_and(|r| FUNCTIONS.contains(&r.kind.as_str())));
    out
}

/// The SAM functions each API's events reach, by API logical ID (SAM's
/// implicit APIs included), read once for every API.
pub(super) fn reached_by_events(t: &Template) -> HashMap<String, Vec<&Resource>> {
    let mut out: HashMap<String, Vec<&Resource>> = HashMap::new();
    for f in t.of_kind(&["AWS::Serverless::Function"]) {
        let mut apis = BTreeSet::new();
        for (kind, named) in events(f) {
            match (named, kind.as_str()) {
                (Some(named), _) => apis.insert(named),
                (None, "Api") => apis.insert(IMPLICIT_REST.to_string()),
                (None, "HttpApi") => apis.insert(IMPLICIT_HTTP.to_string()),
                _ => false,
            };
        }
        for api in apis {
            out.entry(api).or_default().push(f);
        }
    }
    out
}

/// The functions an API's integrations invoke (their `Uri`, `IntegrationUri`,
/// quick-create `Target` or OpenAPI `uri` names the function, an alias or a
/// version of it; a SAM event on the API), each with the resources on the way.
pub(super) fn integrated_functions(
    t: &Template,
    api: &Resource,
    edges: &[&links::Integration],
    events: &HashMap<String, Vec<&Resource>>,
) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    let mut add = |function: &str, vias: &[&str]| {
        let at = match out.iter().position(|(f, _)| f == function) {
            Some(i) => i,
            None => {
                out.push((function.to_string(), Vec::new()));
                out.len() - 1
            }
        };
        for via in vias {
            if *via != api.id && *via != function && !out[at].1.iter().any(|v| v == via) {
                out[at].1.push(via.to_string());
            }
        }
    };
    for edge in edges.iter().filter(|e| !e.mock) {
        if t.fuel.spend(Work::Classification, STEP.saturating_mul(edge.target.len() as u64 + 1), api.span).is_err() {
            return out;
        }
        for (function, handle) in links::functions_named(t, &edge.target) {
            let mut vias = vec![edge.holder.as_str()];
            vias.extend(handle.as_deref());
            add(&function, &vias);
        }
    }
    for f in events.get(&api.id).into_iter().flatten() {
        add(&f.id, &[]);
    }
    out
}
