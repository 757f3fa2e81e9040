//! Which services a template holds: a pattern, the resources that make it
//! up and why, or what keeps the template from holding a whole pattern.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use super::deciding::{internet_facing, on_fargate, undecided};
use super::fuel::{STEP, Work};
use super::{links, notes};
use super::reach::{apis, authorizer_functions, integrated_functions, reached_by_events, stated};
use super::template::{Resource, Template};
use crate::model::{Component, NamedEnum, Pattern};
use crate::untrusted::Untrusted;

mod lambda_targets;
mod queue_scaling;
pub(super) mod queues;

const NESTED: &[&str] = &["AWS::CloudFormation::Stack", "AWS::Serverless::Application"];

/// A service found in a template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportedService {
    pub pattern: Pattern,
    /// The resource a proposal selects: the function or the ECS service.
    pub select: Untrusted,
    /// The resources that make up the service, front door first.
    pub resources: Vec<Untrusted>,
    /// Why it is this pattern, in words.
    pub why: Untrusted,
    /// What the template states of the service that no proposal key holds
    /// (per-method caching), said rather than dropped.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Untrusted>,
}

/// What the template holds, service by service, and what is not a whole pattern.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Classification {
    pub services: Vec<ImportedService>,
    /// Why parts of the template (or all of it) make no whole pattern.
    pub not_a_pattern: Vec<Untrusted>,
}

/// A reason the template (or part of it) is no whole pattern: text made of
/// the template's own names, so it stays [`Untrusted`] up to the renderer.
fn say(to: &mut Vec<Untrusted>, why: String) {
    to.push(Untrusted::from(why));
}

/// Classifies every service of a template: a pattern only where the
/// template's references connect it end to end ([`links`]).
pub fn classify(t: &Template) -> Classification {
    let mut classification = Classification::default();
    let edges = links::integrations(t);
    let mut ecs = Classification::default();
    let mut fronted = BTreeSet::new();
    let readers = queue_scaling::readers(t, &mut classification).unwrap_or_default();
    let scaled: BTreeSet<&str> = readers.iter().map(|r| r.service.id.as_str()).collect();
    ecs_services(t, &edges, &mut ecs, &mut fronted, &scaled);
    // An API that talks to SQS is said by the queue's reader, not as one that reaches no function.
    fronted.extend(queues::sqs_fronts(t));
    lambda_services(t, &edges, &mut classification, &fronted);
    url_services(t, &mut classification);
    lambda_targets::alb_lambda_services(t, &mut classification);
    queues::queue_services(t, &mut classification, &readers);
    classification.services.extend(ecs.services);
    let parameters = super::resolve::Parameters { values: Default::default(), use_defaults: true };
    let resolver = super::resolve::Resolver::new(t, &parameters);
    for service in &mut classification.services {
        let front = service.resources.first().map(Untrusted::raw);
        let notes = notes::method_caching(t, front).into_iter().chain(notes::scaling_notes(t, service.select.raw(), &resolver));
        service.notes.extend(notes.map(Untrusted::from));
    }
    classification.not_a_pattern.extend(ecs.not_a_pattern);
    unmodelled(t, &mut classification);
    for nested in t.of_kind(NESTED) {
        say(
            &mut classification.not_a_pattern,
            format!(
                "`{}` is a nested stack: the services in its child template are not read (import the child itself)",
                nested.name()
            ),
        );
    }
    if classification.services.is_empty() && classification.not_a_pattern.is_empty() {
        say(&mut classification.not_a_pattern, "no API Gateway API in front of a Lambda function, and no ECS service".into());
    }
    classification
}

/// A service whose resources connect the components of `path`, front door
/// first: the pattern built of them ([`crate::patterns::built_of`]), or,
/// when none is, a part of the template that no pattern models.
fn serving(
    classification: &mut Classification,
    path: &[Component],
    select: &str,
    service: impl FnOnce(Pattern) -> ImportedService,
) {
    match crate::patterns::built_of(path) {
        Some(pattern) => classification.services.push(service(pattern)),
        None => {
            let names: Vec<&str> = path.iter().map(|c| c.name()).collect();
            let why = format!("`{select}` is reached through {}, which no pattern is built of", names.join(" → "));
            say(&mut classification.not_a_pattern, why);
        }
    }
}

/// Resources that serve requests in ways no pattern models: named, so
/// that a template of them is never reported as having no service. An ECS
/// Express Mode service is a Fargate service behind an ALB that ECS builds
/// from a handful of properties; the template states none of the ALB's or
/// the service's settings a proposal needs (docs/import.md has the
/// assessment and AWS's pages).
fn unmodelled(t: &Template, classification: &mut Classification) {
    for r in t.of_kind(&["AWS::ECS::ExpressGatewayService"]) {
        say(
            &mut classification.not_a_pattern,
            format!(
                "`{}` is an ECS Express Mode service (`AWS::ECS::ExpressGatewayService`), which no pattern models: ECS itself creates its Application Load Balancer (internet-facing by default), Fargate service and scaling, so the template states none of their settings; its nearest pattern is `fargate_alb` (write that proposal by hand, docs/import.md)",
                r.name()
            ),
        );
    }
}

fn lambda_services(t: &Template, edges: &[links::Integration], classification: &mut Classification, fronted: &BTreeSet<String>) {
    let authorizers = authorizer_functions(t);
    let events = reached_by_events(t);
    // Each API's integrations, found by lookup rather than a scan of all of them per API.
    let mut by_api: HashMap<&str, Vec<&links::Integration>> = HashMap::new();
    for edge in edges {
        by_api.entry(edge.api.as_str()).or_default().push(edge);
    }
    let mut behind_an_api = BTreeSet::new();
    for (api, kind) in apis(t) {
        let Some(api_resource) = t.resources.get(&api) else { continue };
        let own: &[&links::Integration] = by_api.get(api.as_str()).map_or(&[], Vec::as_slice);
        let functions = integrated_functions(t, api_resource, own, &events);
        if functions.is_empty() && !fronted.contains(&api) {
            let included = ["Body", "DefinitionBody"]
                .iter()
                .filter_map(|k| api_resource.property(k))
                .find(|b| super::template::mentions_include(b));
            let why = if included.is_some() && own.is_empty() {
                "its OpenAPI definition is in another file (`AWS::Include`), which is not read: its integrations are unknown (inline the definition to import it)".to_string()
            } else if !own.is_empty() && own.iter().all(|e| e.mock) {
                "its integrations are all `MOCK`: they reach no function or service".to_string()
            } else if own.is_empty() {
                let named_by = if kind == "REST API" { "no method's `RestApiId`" } else { "no integration's `ApiId`" };
                format!("it has no integration in this template ({named_by} names it)")
            } else {
                format!(
                    "none of its integrations ({}) names a Lambda function of this template or reaches a Fargate service through a VPC link",
                    stated(t, own)
                )
            };
            say(&mut classification.not_a_pattern, format!("the {kind} `{}` is no front door: {why}", api_resource.name()));
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
            serving(classification, &[Component::Gateway, Component::Function], &name, |pattern| ImportedService {
                pattern,
                select: function.clone().into(),
                why: format!("the {kind} `{}` integrates with the Lambda function `{name}`", api_resource.name())
                    .into(),
                resources: resources.into_iter().map(Untrusted::from).collect(),
                notes: Vec::new(),
            });
        }
    }
    for f in &authorizers {
        if !behind_an_api.contains(f) {
            say(&mut classification.not_a_pattern, format!("`{f}` is a Lambda function used only as an authorizer"));
        }
    }
}

/// Functions reached through a function URL: the URL's `TargetFunctionArn`
/// names the function (or an alias of it). A URL that names none is said.
fn url_services(t: &Template, classification: &mut Classification) {
    for url in t.of_kind(&["AWS::Lambda::Url"]) {
        let targets = links::functions_named(t, &links::refs_at(t, url, &["TargetFunctionArn"]));
        if targets.is_empty() {
            say(
                &mut classification.not_a_pattern,
                format!(
                    "`{}` is a Lambda function URL whose `TargetFunctionArn` names no function of this template",
                    url.name()
                ),
            );
        }
        for (function, alias) in targets {
            let name = t.resources.get(&function).map_or(function.as_str(), |r| r.name()).to_string();
            let mut resources = vec![url.id.clone()];
            resources.extend(alias);
            resources.push(function.clone());
            let path = [Component::FunctionUrl, Component::Function];
            serving(classification, &path, &name, |pattern| ImportedService {
                pattern,
                select: function.clone().into(),
                why: format!("the function URL `{}` targets the Lambda function `{name}`", url.name()).into(),
                resources: resources.into_iter().map(Untrusted::from).collect(),
                notes: Vec::new(),
            });
        }
    }
}

/// One way from a load balancer's listener to an ECS service's target group.
struct Hop<'a> {
    lb: &'a Resource,
    listener: &'a Resource,
}

/// The listeners and load balancers that forward to an ECS service, or the
/// link that is missing.
fn hops<'a>(t: &'a Template, service: &Resource) -> Result<Vec<Hop<'a>>, String> {
    let groups = links::target_groups_of(t, service);
    if groups.is_empty() {
        return Err(if service.imports {
            "its load balancer is in another stack (`Fn::ImportValue`): import the two together, or the stack that has both"
                .into()
        } else if service.property("LoadBalancers").is_some() {
            "its `LoadBalancers` names no target group of this template: no load balancer in this template routes to it"
                .into()
        } else {
            "it has no `LoadBalancers`: no load balancer in this template routes to it".into()
        });
    }
    let mut out = Vec::new();
    let mut broken = Vec::new();
    for group in groups {
        let listeners = links::listeners_of(t, group);
        if listeners.is_empty() {
            let elsewhere = t.referring_to(&group.id).any(|r| r.kind == links::LISTENER_RULE && r.imports);
            broken.push(if elsewhere {
                format!(
                    "its target group `{}` is on a listener in another stack (`Fn::ImportValue`): import the two together, or the stack that has both",
                    group.name()
                )
            } else {
                format!(
                    "its target group `{}` is on no listener of this template (no listener's `DefaultActions` or listener rule's `Actions` forwards to it)",
                    group.name()
                )
            });
        }
        for listener in listeners {
            if t.fuel
                .spend(Work::Classification, STEP.saturating_mul(listener.refs.len() as u64 + 1), listener.span)
                .is_err()
            {
                return Ok(out);
            }
            match links::load_balancer_of(t, listener) {
                Some(lb) => out.push(Hop { lb, listener }),
                None => {
                    broken.push(format!(
                        "the listener `{}` forwards to it, but its `LoadBalancerArn` names no load balancer of this template",
                        listener.name()
                    ))
                }
            }
        }
    }
    if out.is_empty() {
        return Err(broken.join("; "));
    }
    Ok(out)
}

/// How API Gateway reaches a load balancer: an integration through a VPC
/// link, the API, and the network load balancer in front when there is one.
struct Front {
    api: String,
    holder: String,
    link: String,
    nlb: Option<String>,
}

/// The entries in front of an internal load balancer: the load balancer
/// itself, and each network load balancer whose `alb`-type target group
/// registers it (through that target group's listener).
fn entries<'a>(t: &'a Template, hop: &Hop<'a>) -> Vec<(&'a Resource, Option<&'a Resource>)> {
    let mut out = vec![(hop.lb, Some(hop.listener))];
    if links::lb_type(hop.lb) != "application" {
        return out;
    }
    for group in t.referring_to(&hop.lb.id).filter(|g| g.kind == links::TARGET_GROUP) {
        if links::target_type(group) != "alb" || !links::alb_targets(t, group).iter().any(|l| l.id == hop.lb.id) {
            continue;
        }
        for listener in links::listeners_of(t, group) {
            if let Some(nlb) = links::load_balancer_of(t, listener) {
                out.push((nlb, Some(listener)));
            }
        }
    }
    out
}

/// The integration that reaches the load balancer of `hop` through a VPC
/// link: a v2 link whose integration's `Uri` / `IntegrationUri` /
/// `IntegrationTarget` names the load balancer or its listener, or a v1
/// link whose `TargetArns` holds the network load balancer in front; else why none does.
fn front_of(t: &Template, hop: &Hop<'_>, edges: &[links::Integration]) -> Result<Front, String> {
    let entries = entries(t, hop);
    let via_links: Vec<&links::Integration> = edges.iter().filter(|e| !e.mock && !e.connection.is_empty()).collect();
    for edge in &via_links {
        for link in links::of_kinds(t, &edge.connection, &[links::V1_LINK, links::V2_LINK]) {
            for (lb, listener) in &entries {
                let named = edge.target.contains(&lb.id) || listener.is_some_and(|l| edge.target.contains(&l.id));
                let reached = if link.kind == links::V1_LINK {
                    links::link_targets(t, link).iter().any(|n| n.id == lb.id)
                } else {
                    named
                };
                if reached {
                    let nlb = (lb.id != hop.lb.id).then(|| lb.id.clone());
                    return Ok(Front {
                        api: edge.api.clone(),
                        holder: edge.holder.clone(),
                        link: link.id.clone(),
                        nlb,
                    });
                }
            }
        }
    }
    // Why not: the furthest link that holds.
    let links_here: Vec<&Resource> = t.of_kind(&[links::V1_LINK, links::V2_LINK]).collect();
    if links_here.is_empty() {
        return Err("no API Gateway VPC link in this template reaches it".into());
    }
    let names = |ids: &[&Resource]| ids.iter().map(|r| format!("`{}`", r.name())).collect::<Vec<_>>().join(", ");
    for link in links_here.iter().filter(|l| l.kind == links::V1_LINK) {
        let targets = links::link_targets(t, link);
        let through = via_links.iter().any(|e| e.connection.contains(&link.id));
        if targets.is_empty() && through {
            return Err(format!(
                "the VPC link `{}` is used, but its `TargetArns` names no load balancer of this template",
                link.name()
            ));
        }
        if !targets.is_empty() && !targets.iter().any(|n| entries.iter().any(|(lb, _)| lb.id == n.id)) {
            let public = targets.iter().filter(|n| internet_facing(n)).count();
            let what = if public > 0 { "an internet-facing load balancer" } else { "a load balancer" };
            // The `alb` target groups in front, whose `Targets` would name the service's load balancer.
            let groups: Vec<&Resource> = targets
                .iter()
                .flat_map(|n| t.referring_to(&n.id).filter(|l| l.kind == links::LISTENER))
                .flat_map(|l| links::of_kinds(t, &links::refs_at(t, l, &["DefaultActions"]), &[links::TARGET_GROUP]))
                .filter(|g| links::target_type(g) == "alb")
                .collect();
            let why = if groups.is_empty() {
                format!("{what} with no listener and `alb` target group that route to `{}`", hop.lb.name())
            } else {
                format!(
                    "{what} whose `alb` target group {} has no `Targets` entry naming `{}`",
                    names(&groups),
                    hop.lb.name()
                )
            };
            return Err(format!("the VPC link `{}` targets {} ({why})", link.name(), names(&targets)));
        }
    }
    let used: Vec<&&links::Integration> =
        via_links.iter().filter(|e| links_here.iter().any(|l| e.connection.contains(&l.id))).collect();
    if used.is_empty() {
        let mocks = edges.iter().any(|e| e.mock);
        let and_mock = if mocks { " (the API's integrations that exist are `MOCK`)" } else { "" };
        return Err(format!(
            "no API method, route or integration goes through the VPC link {}{and_mock}",
            names(&links_here)
        ));
    }
    let edge = used[0];
    Err(format!(
        "the integration of `{}` goes through a VPC link to something other than `{}` or its listener `{}`",
        edge.holder,
        hop.lb.name(),
        hop.listener.name()
    ))
}

/// Why the internal load balancer of `hop` is wired to something outside
/// this template: a network load balancer here registers it as a target,
/// or the template hands on its ARN or its listener's to another stack,
/// through an output or an SSM parameter's `Value` (`Ref`, `GetAtt` of an
/// ARN, or either in `Fn::Sub` / `Fn::Join`; a `DNSName` is what callers
/// inside the VPC are given, and hands on nothing to front it).
fn handed_on(t: &Template, hop: &Hop<'_>) -> Option<String> {
    if let Some((nlb, _)) = entries(t, hop).into_iter().find(|(lb, _)| lb.id != hop.lb.id) {
        return Some(format!("the network load balancer `{}` registers it as a target", nlb.name()));
    }
    let ids = [hop.lb.id.as_str(), hop.listener.id.as_str()];
    if let Some((output, _)) = t.outputs.iter().find(|(_, value)| links::arn_of(value, &ids)) {
        return Some(format!("the template's output `{output}` hands on its ARN"));
    }
    let parameter = t
        .of_kind(&["AWS::SSM::Parameter"])
        .find(|p| p.property("Value").is_some_and(|value| links::arn_of(value, &ids)))?;
    Some(format!("the SSM parameter `{}` hands on its ARN", parameter.name()))
}

/// Why the scheme of `lb` is not known: a value AWS does not take, or one
/// worked out only when deployed.
fn unknown_scheme(lb: &Resource) -> Option<String> {
    if let Some(scheme) =
        lb.text("Scheme").filter(|s| !["internet-facing", "internal"].iter().any(|k| s.eq_ignore_ascii_case(k)))
    {
        return Some(format!(
            "`{}` has `Scheme: {scheme}`, which AWS does not take (`internet-facing` or `internal`)",
            lb.name()
        ));
    }
    undecided(lb, &["Scheme"]).map(|why| format!("`{}` may be internet-facing or internal: {why}", lb.name()))
}

/// A Fargate service behind an internal load balancer, in a template with
/// no VPC link: an internal service, served; or, when the template hands
/// the load balancer on, why it is half of a split design.
fn unfronted(t: &Template, service: &Resource, hop: &Hop<'_>, classification: &mut Classification) -> Result<(), String> {
    if let Some(why) = handed_on(t, hop) {
        return Err(format!(
            "it is behind the internal load balancer `{}`, and {why}: another stack puts its front door there (an API's VPC link, a network load balancer), so this is the Fargate half of a split design, not a service of its own (no one template holds the whole path: write its proposal by hand, or import a template that holds all of it)",
            hop.lb.name()
        ));
    }
    serving(classification, &[Component::LoadBalancer, Component::Service], service.name(), |pattern| {
        internal_service(service, hop, pattern)
    });
    Ok(())
}

/// A Fargate service behind an internal load balancer that nothing here or
/// elsewhere fronts: `fargate_alb` with `scheme: internal`.
fn internal_service(service: &Resource, hop: &Hop<'_>, pattern: Pattern) -> ImportedService {
    let lb = hop.lb;
    ImportedService {
        pattern,
        select: service.id.clone().into(),
        resources: [&lb.id, &hop.listener.id, &service.id].map(|id| Untrusted::new(id.as_str())).into(),
        why: Untrusted::from(format!(
            "the internal load balancer `{}` routes to the Fargate service `{}` through its listener `{}`, and no VPC link, output or SSM parameter hands it to another stack: an internal service, called from inside the VPC",
            lb.name(),
            service.name(),
            hop.listener.name()
        )),
        notes: Vec::new(),
    }
}

/// A Fargate service reached from an API through a VPC link: the path, front door first.
fn behind_api(t: &Template, service: &Resource, hop: &Hop<'_>, front: &Front, pattern: Pattern) -> ImportedService {
    let lb = hop.lb;
    let kind = apis(t).into_iter().find(|(id, _)| *id == front.api).map_or("API", |(_, k)| k);
    let name = |id: &str| t.resources.get(id).map_or(id.to_string(), |r| r.name().to_string());
    let mut resources = vec![front.api.clone()];
    if front.holder != front.api {
        resources.push(front.holder.clone());
    }
    resources.push(front.link.clone());
    let through = match &front.nlb {
        Some(nlb) => {
            resources.push(nlb.clone());
            format!(" and the network load balancer `{}`", name(nlb))
        }
        None => String::new(),
    };
    resources.extend([lb.id.clone(), hop.listener.id.clone(), service.id.clone()]);
    ImportedService {
        pattern,
        select: service.id.clone().into(),
        resources: resources.into_iter().map(Untrusted::from).collect(),
        why: Untrusted::from(format!(
            "the {kind} `{}` reaches the internal load balancer `{}` through the VPC link `{}`{through}, and its listener `{}` forwards to the Fargate service `{}`",
            name(&front.api),
            lb.name(),
            name(&front.link),
            hop.listener.name(),
            service.name()
        )),
        notes: Vec::new(),
    }
}

/// Fargate services; one that scales on a queue's metric and has no load
/// balancer (`scaled`) is said by the queue's reader ([`queue_scaling`]).
fn ecs_services(
    t: &Template,
    edges: &[links::Integration],
    classification: &mut Classification,
    fronted: &mut BTreeSet<String>,
    scaled: &BTreeSet<&str>,
) {
    for service in t.of_kind(&["AWS::ECS::Service"]) {
        if let Some(why) = undecided(service, &["LaunchType", "CapacityProviderStrategy"]) {
            say(&mut classification.not_a_pattern, format!("`{}` may or may not run on Fargate: {why}", service.name()));
            continue;
        }
        if !on_fargate(service) {
            say(
                &mut classification.not_a_pattern,
                format!(
                    "`{}` is an ECS service on EC2 capacity, not Fargate (no `LaunchType: FARGATE` or Fargate capacity provider)",
                    service.name()
                ),
            );
            continue;
        }
        let hops = match hops(t, service) {
            Ok(hops) => hops,
            Err(_) if scaled.contains(service.id.as_str()) => continue,
            Err(why) => {
                let may = queue_scaling::permission_only(t, service);
                say(&mut classification.not_a_pattern, format!("`{}` is a Fargate service, but {why}{may}", service.name()));
                continue;
            }
        };
        let mut found = false;
        let mut reasons = Vec::new();
        for hop in &hops {
            let lb = hop.lb;
            if let Some(why) = unknown_scheme(lb) {
                reasons.push(why);
                continue;
            }
            if internet_facing(lb) {
                serving(classification, &[Component::LoadBalancer, Component::Service], service.name(), |pattern| ImportedService {
                    pattern,
                    select: service.id.clone().into(),
                    resources: [&lb.id, &hop.listener.id, &service.id].map(|id| Untrusted::new(id.as_str())).into(),
                    why: Untrusted::from(format!(
                        "the internet-facing load balancer `{}` routes to the Fargate service `{}` through its listener `{}`",
                        lb.name(),
                        service.name(),
                        hop.listener.name()
                    )),
                    notes: Vec::new(),
                });
                found = true;
                break;
            }
            // No VPC link here: an internal service (callers inside the VPC)
            // unless another stack is handed the load balancer to front it.
            if t.of_kind(&[links::V1_LINK, links::V2_LINK]).next().is_none() {
                match unfronted(t, service, hop, classification) {
                    Ok(()) => {
                        found = true;
                        break;
                    }
                    Err(why) => reasons.push(why),
                }
                continue;
            }
            match front_of(t, hop, edges) {
                Ok(front) => {
                    fronted.insert(front.api.clone());
                    let path = [Component::Gateway, Component::VpcLink, Component::LoadBalancer, Component::Service];
                    serving(classification, &path, service.name(), |pattern| behind_api(t, service, hop, &front, pattern));
                    found = true;
                    break;
                }
                Err(why) => reasons.push(format!("it is behind the internal load balancer `{}`, but {why}", lb.name())),
            }
        }
        if !found {
            say(
                &mut classification.not_a_pattern,
                format!("`{}` is a Fargate service: {}", service.name(), reasons.join("; ")),
            );
        }
    }
}

impl ImportedService {
    /// One line for a terminal: the pattern and why.
    pub fn describe(&self) -> String {
        format!("{} ({}): {}", self.select.terminal(), self.pattern.name(), self.why.terminal())
    }
}
