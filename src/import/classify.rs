//! Which services a template holds: a pattern, the resources that make it
//! up and why, or what keeps the template from holding a whole pattern.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use super::fuel::{STEP, Work};
use super::sam::{IMPLICIT_HTTP, IMPLICIT_REST};
use super::template::{Resource, Template};
use crate::model::{NamedEnum, Pattern};
use crate::yaml::Value;

const REST_APIS: &[&str] = &["AWS::ApiGateway::RestApi", "AWS::Serverless::Api"];
const V2_APIS: &[&str] = &["AWS::ApiGatewayV2::Api", "AWS::Serverless::HttpApi"];
const FUNCTIONS: &[&str] = &["AWS::Lambda::Function", "AWS::Serverless::Function"];
const AUTHORIZERS: &[&str] = &["AWS::ApiGateway::Authorizer", "AWS::ApiGatewayV2::Authorizer"];
const VPC_LINKS: &[&str] = &["AWS::ApiGateway::VpcLink", "AWS::ApiGatewayV2::VpcLink"];
const NESTED: &[&str] = &["AWS::CloudFormation::Stack", "AWS::Serverless::Application"];

/// A service found in a template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Service {
    pub pattern: Pattern,
    /// The resource a proposal selects: the function or the ECS service.
    pub select: String,
    /// The resources that make up the service, front door first.
    pub resources: Vec<String>,
    /// Why it is this pattern, in words.
    pub why: String,
}

/// What the template holds, service by service, and what is not a whole pattern.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Findings {
    pub services: Vec<Service>,
    /// Why parts of the template (or all of it) make no whole pattern.
    pub not_a_pattern: Vec<String>,
}

/// Classifies every service of a template.
pub fn classify(t: &Template) -> Findings {
    let mut findings = Findings::default();
    lambda_services(t, &mut findings);
    ecs_services(t, &mut findings);
    for nested in t.of_kind(NESTED) {
        findings.not_a_pattern.push(format!(
            "`{}` is a nested stack: the services in its child template are not read (import the child itself)",
            nested.name()
        ));
    }
    if findings.services.is_empty() && findings.not_a_pattern.is_empty() {
        findings.not_a_pattern.push("no API Gateway API in front of a Lambda function, and no ECS service".into());
    }
    findings
}

/// The APIs of the template (explicit and SAM's implicit ones), with their kind.
fn apis(t: &Template) -> Vec<(String, &'static str)> {
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

/// A SAM function's events: their `Type`, and the API they name, if any.
fn events(f: &Resource) -> Vec<(String, Option<String>)> {
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
fn collect(node: &crate::yaml::Node, out: &mut BTreeSet<String>) {
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
fn authorizer_functions(t: &Template) -> BTreeSet<String> {
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
fn reached_by_events(t: &Template) -> HashMap<String, Vec<&Resource>> {
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

/// The functions an API integrates with, and the resources that say so:
/// the API and its users ([`Template::referring_to`]), each edge paid for.
fn integrations(
    t: &Template,
    api: &Resource,
    authorizers: &BTreeSet<String>,
    events: &HashMap<String, Vec<&Resource>>,
) -> Vec<(String, Vec<String>)> {
    let api_id = api.id.as_str();
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    let mut add = |function: &str, via: &str| match at.get(function) {
        Some(&i) => {
            // Each user is met once per API, so a via repeats only as the function itself.
            if via != api_id && via != function {
                out[i].1.push(via.to_string());
            }
        }
        None => {
            at.insert(function.to_string(), out.len());
            out.push((function.to_string(), if via == api_id { Vec::new() } else { vec![via.to_string()] }));
        }
    };
    let is_function = |id: &str| t.resources.get(id).is_some_and(|r| FUNCTIONS.contains(&r.kind.as_str()));
    let mut users: Vec<&Resource> = t.referring_to(api_id).filter(|r| r.id != api_id).collect();
    let place = users.partition_point(|r| r.id.as_str() < api_id);
    users.insert(place, api);
    for r in users.into_iter().filter(|r| !AUTHORIZERS.contains(&r.kind.as_str())) {
        if t.fuel.spend(Work::Classification, STEP.saturating_mul(r.refs.len() as u64 + 1), r.span).is_err() {
            return out;
        }
        for f in r.refs.iter().filter(|f| is_function(f) && !authorizers.contains(*f)) {
            add(f, &r.id);
        }
    }
    for f in events.get(api_id).into_iter().flatten() {
        if !authorizers.contains(&f.id) {
            add(&f.id, &f.id);
        }
    }
    out
}

fn lambda_services(t: &Template, findings: &mut Findings) {
    let authorizers = authorizer_functions(t);
    let events = reached_by_events(t);
    let mut behind_an_api = BTreeSet::new();
    for (api, kind) in apis(t) {
        let Some(api_resource) = t.resources.get(&api) else { continue };
        let functions = integrations(t, api_resource, &authorizers, &events);
        if kind == "WebSocket API" {
            if !functions.is_empty() {
                findings.not_a_pattern.push(format!(
                    "`{api}` is a WebSocket API: its routes and connections are not imported yet (REST and HTTP APIs are)"
                ));
            }
            continue;
        }
        for (function, vias) in functions {
            let cost = STEP.saturating_mul(vias.len() as u64 + 2);
            if t.fuel.spend(Work::Classification, cost, api_resource.span).is_err() {
                return;
            }
            behind_an_api.insert(function.clone());
            let mut resources = vec![api.clone()];
            resources.extend(vias.into_iter().filter(|v| v != &function));
            resources.push(function.clone());
            let name = t.resources.get(&function).map_or(function.as_str(), |r| r.name()).to_string();
            findings.services.push(Service {
                pattern: Pattern::LambdaApiGateway,
                select: function.clone(),
                why: format!("the {kind} `{api}` integrates with the Lambda function `{name}`"),
                resources,
            });
        }
    }
    for f in &authorizers {
        if !behind_an_api.contains(f) {
            findings.not_a_pattern.push(format!("`{f}` is a Lambda function used only as an authorizer"));
        }
    }
}

/// How an ECS service runs: Fargate, or EC2 (no launch type means the cluster's EC2 capacity).
fn on_fargate(service: &Resource) -> bool {
    let launch = service.text("LaunchType").unwrap_or("");
    if launch.eq_ignore_ascii_case("FARGATE") {
        return true;
    }
    let mut providers = BTreeSet::new();
    if let Some(strategy) = service.property("CapacityProviderStrategy") {
        texts(strategy, &mut providers);
    }
    launch.is_empty() && providers.iter().any(|p| p.starts_with("FARGATE"))
}

fn texts(node: &crate::yaml::Node, out: &mut BTreeSet<String>) {
    match &node.value {
        Value::Str(s) => {
            out.insert(s.clone());
        }
        Value::Map(entries) => entries.iter().for_each(|(_, v)| texts(v, out)),
        Value::Seq(items) => items.iter().for_each(|v| texts(v, out)),
        _ => {}
    }
}

/// The load balancers in front of an ECS service: target group, listener (or rule), load balancer.
fn load_balancers_of<'a>(t: &'a Template, service: &Resource) -> Vec<&'a Resource> {
    let groups: Vec<&str> = service
        .refs
        .iter()
        .filter(|id| t.resources.get(*id).is_some_and(|r| r.kind == "AWS::ElasticLoadBalancingV2::TargetGroup"))
        .map(String::as_str)
        .collect();
    let mut out: Vec<&Resource> = Vec::new();
    let mut seen = BTreeSet::new();
    for group in groups {
        for user in t.referring_to(group) {
            if t.fuel.spend(Work::Classification, STEP.saturating_mul(user.refs.len() as u64 + 1), user.span).is_err() {
                return out;
            }
            let listeners: Vec<&str> = match user.kind.as_str() {
                "AWS::ElasticLoadBalancingV2::Listener" => vec![user.id.as_str()],
                "AWS::ElasticLoadBalancingV2::ListenerRule" => user.refs.iter().map(String::as_str).collect(),
                _ => continue,
            };
            for listener in listeners.into_iter().filter_map(|l| t.resources.get(l)) {
                for lb in listener.refs.iter().filter_map(|id| t.resources.get(id)) {
                    if lb.kind == "AWS::ElasticLoadBalancingV2::LoadBalancer" && seen.insert(lb.id.as_str()) {
                        out.push(lb);
                    }
                }
            }
        }
    }
    out
}

/// An internet-facing load balancer: `Scheme` left out or `internet-facing`
/// (anything else is `internal`, or a value the translator refuses).
fn internet_facing(lb: &Resource) -> bool {
    lb.text("Scheme").is_none_or(|s| s.eq_ignore_ascii_case("internet-facing"))
}

/// Why a setting that decides the pattern cannot be told: a property still
/// written as an intrinsic after [`settle`] (a parameter with no value,
/// another stack's export).
fn undecided(resource: &Resource, properties: &[&str]) -> Option<String> {
    properties.iter().find_map(|name| {
        let node = resource.property(name)?;
        super::resolve::is_intrinsic(node)
            .then(|| format!("its `{name}` is worked out only when deployed (give the stack's parameters)"))
    })
}

/// The settings that decide a pattern, worked out with the parameters where
/// they are written as intrinsics (`LaunchType: !Ref Launch`), so that
/// classification reads what will be deployed; those that cannot be worked
/// out stay as written, and [`undecided`] says so.
pub fn settle(t: &mut Template, parameters: &super::resolve::Parameters) {
    const DECIDING: &[&str] = &["LaunchType", "CapacityProviderStrategy", "Scheme", "ProtocolType"];
    let mut settled: Vec<(String, &str, crate::yaml::Node)> = Vec::new();
    let resolver = super::resolve::Resolver::new(t, parameters);
    for r in t.resources.values() {
        for name in DECIDING {
            if let Some(node) = r.property(name).filter(|n| super::resolve::is_intrinsic(n))
                && let Ok(Some(value)) = resolver.value(node)
            {
                settled.push((r.id.clone(), name, value));
            }
        }
    }
    for (id, name, value) in settled {
        let Some(Value::Map(entries)) =
            t.resources.get_mut(&id).and_then(|r| r.properties.as_mut()).map(|p| &mut p.value)
        else {
            continue;
        };
        if let Some(entry) = entries.iter_mut().find(|(k, _)| k.name == name) {
            entry.1 = value;
        }
    }
}

fn ecs_services(t: &Template, findings: &mut Findings) {
    let vpc_link = t.of_kind(VPC_LINKS).next();
    let api = apis(t).into_iter().find(|(_, kind)| *kind != "WebSocket API");
    for service in t.of_kind(&["AWS::ECS::Service"]) {
        if let Some(why) = undecided(service, &["LaunchType", "CapacityProviderStrategy"]) {
            findings.not_a_pattern.push(format!("`{}` may or may not run on Fargate: {why}", service.name()));
            continue;
        }
        if !on_fargate(service) {
            findings.not_a_pattern.push(format!(
                "`{}` is an ECS service on EC2 capacity, not Fargate (no `LaunchType: FARGATE` or Fargate capacity provider)",
                service.name()
            ));
            continue;
        }
        let lbs = load_balancers_of(t, service);
        let Some(lb) = lbs.first() else {
            let why = if service.imports {
                "its load balancer is in another stack (`Fn::ImportValue`): import the two together, or the stack that has both"
            } else {
                "no load balancer in this template routes to it"
            };
            findings.not_a_pattern.push(format!("`{}` is a Fargate service, but {why}", service.name()));
            continue;
        };
        if let Some(scheme) =
            lb.text("Scheme").filter(|s| !["internet-facing", "internal"].iter().any(|k| s.eq_ignore_ascii_case(k)))
        {
            findings.not_a_pattern.push(format!(
                "`{}` has `Scheme: {scheme}`, which AWS does not take (`internet-facing` or `internal`)",
                lb.name()
            ));
            continue;
        }
        if let Some(why) = undecided(lb, &["Scheme"]) {
            findings.not_a_pattern.push(format!("`{}` may be internet-facing or internal: {why}", lb.name()));
            continue;
        }
        let front_of_api = (vpc_link, &api);
        match (internet_facing(lb), front_of_api) {
            (true, _) => findings.services.push(Service {
                pattern: Pattern::FargateAlb,
                select: service.id.clone(),
                resources: vec![lb.id.clone(), service.id.clone()],
                why: format!("the internet-facing load balancer `{}` routes to the Fargate service `{}`", lb.name(), service.name()),
            }),
            (false, (Some(link), Some((api, kind)))) => findings.services.push(Service {
                pattern: Pattern::FargateApiGateway,
                select: service.id.clone(),
                resources: vec![api.clone(), link.id.clone(), lb.id.clone(), service.id.clone()],
                why: format!(
                    "the {kind} `{api}` reaches the internal load balancer `{}` through the VPC link `{}`, in front of the Fargate service `{}`",
                    lb.name(),
                    link.name(),
                    service.name()
                ),
            }),
            (false, _) => findings.not_a_pattern.push(format!(
                "`{}` is a Fargate service behind the internal load balancer `{}`, but no API Gateway and VPC link in this template reach it",
                service.name(),
                lb.name()
            )),
        }
    }
}

impl Service {
    /// One line for a terminal: the pattern and why.
    pub fn describe(&self) -> String {
        format!("{} ({}): {}", self.select, self.pattern.name(), self.why)
    }
}
