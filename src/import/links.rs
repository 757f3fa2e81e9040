//! The references that make a service, property by property: which API an
//! integration belongs to, what its `Uri` and `ConnectionId` name, what a
//! VPC link, listener and target group point at. Classification follows
//! these edges end to end ([`super::classify`]); resources that merely sit
//! in the same template are never joined.
//!
//! A Terraform plan's resources carry their references whole (a plan holds
//! no per-attribute references once lowered): for them an edge is any
//! reference of the resource, still only between the kinds a path allows.

use std::collections::BTreeSet;

use super::template::{Flavor, Resource, Template, refs_of};
use crate::yaml::{Node, Value};

pub(super) const REST_APIS: &[&str] = &["AWS::ApiGateway::RestApi", "AWS::Serverless::Api"];
pub(super) const V2_APIS: &[&str] = &["AWS::ApiGatewayV2::Api", "AWS::Serverless::HttpApi"];
pub(super) const FUNCTIONS: &[&str] = &["AWS::Lambda::Function", "AWS::Serverless::Function"];
pub(super) const FUNCTION_HANDLES: &[&str] = &["AWS::Lambda::Alias", "AWS::Lambda::Version"];
pub(super) const V1_LINK: &str = "AWS::ApiGateway::VpcLink";
pub(super) const V2_LINK: &str = "AWS::ApiGatewayV2::VpcLink";
pub(super) const LOAD_BALANCER: &str = "AWS::ElasticLoadBalancingV2::LoadBalancer";
pub(super) const LISTENER: &str = "AWS::ElasticLoadBalancingV2::Listener";
pub(super) const LISTENER_RULE: &str = "AWS::ElasticLoadBalancingV2::ListenerRule";
pub(super) const TARGET_GROUP: &str = "AWS::ElasticLoadBalancingV2::TargetGroup";
/// A Terraform plan's resource that registers a target in a group (no
/// CloudFormation type stands for it: a template's group lists `Targets`).
pub(super) const TARGET_ATTACHMENTS: &[&str] = &["aws_lb_target_group_attachment", "aws_alb_target_group_attachment"];

/// The logical IDs the property at `path` of `r` refers to.
pub(super) fn refs_at(t: &Template, r: &Resource, path: &[&str]) -> BTreeSet<String> {
    if t.flavor == Flavor::TerraformPlan {
        return r.refs.clone();
    }
    let Some(mut node) = r.properties.as_ref() else { return BTreeSet::new() };
    for key in path {
        match node.get(key) {
            Some(next) => node = next,
            None => return BTreeSet::new(),
        }
    }
    node_refs(node)
}

pub(super) fn node_refs(node: &Node) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut imports = false;
    refs_of(node, &mut out, &mut imports);
    out
}

/// The resources of `kinds` among `ids`.
pub(super) fn of_kinds<'a>(t: &'a Template, ids: &BTreeSet<String>, kinds: &[&str]) -> Vec<&'a Resource> {
    ids.iter().filter_map(|id| t.resources.get(id)).filter(|r| kinds.contains(&r.kind.as_str())).collect()
}

/// The functions `ids` name: a function itself, or the function of an
/// alias or version of it (an integration that invokes `fn:live` invokes `fn`).
/// A function named both ways is named through its alias only: a plan's
/// resource refers to both (a URL's `function_name` and `qualifier`), and
/// one function is one service.
pub(super) fn functions_named(t: &Template, ids: &BTreeSet<String>) -> Vec<(String, Option<String>)> {
    let mut out: Vec<(String, Option<String>)> = Vec::new();
    for r in ids.iter().filter_map(|id| t.resources.get(id)) {
        if FUNCTIONS.contains(&r.kind.as_str()) {
            out.push((r.id.clone(), None));
        } else if FUNCTION_HANDLES.contains(&r.kind.as_str()) {
            let named = refs_at(t, r, &["FunctionName"]);
            for f in of_kinds(t, &named, FUNCTIONS) {
                out.push((f.id.clone(), Some(r.id.clone())));
            }
        }
    }
    out.sort();
    out.dedup();
    let handled: BTreeSet<String> = out.iter().filter(|(_, h)| h.is_some()).map(|(f, _)| f.clone()).collect();
    out.retain(|(f, h)| h.is_some() || !handled.contains(f));
    out
}

/// The aliases and versions among `ids` whose `FunctionName` names no
/// function of the template (an integration through them reaches nothing here).
pub(super) fn handles_without_function<'a>(t: &'a Template, ids: &BTreeSet<String>) -> Vec<&'a Resource> {
    of_kinds(t, ids, FUNCTION_HANDLES)
        .into_iter()
        .filter(|h| of_kinds(t, &refs_at(t, h, &["FunctionName"]), FUNCTIONS).is_empty())
        .collect()
}

/// One integration of an API: a REST method's `Integration`, an HTTP or
/// WebSocket API's integration, an HTTP API's quick-create `Target`, or an
/// `x-amazon-apigateway-integration` of an inline OpenAPI definition.
#[derive(Debug, Clone)]
pub(super) struct Integration {
    /// The API it belongs to.
    pub api: String,
    /// The resource that states it (the method, the integration, the API).
    pub holder: String,
    /// The holder's property that states it (`Integration`, `IntegrationUri`, `Target`, `Body`).
    pub property: &'static str,
    /// Its `Type` / `IntegrationType` is `MOCK`: it reaches nothing.
    pub mock: bool,
    /// What `ConnectionId` names (a VPC link), when `ConnectionType` is `VPC_LINK`.
    pub connection: BTreeSet<String>,
    /// What `Uri`, `IntegrationUri` or `IntegrationTarget` names.
    pub target: BTreeSet<String>,
}

fn text_of(node: Option<&Node>) -> Option<&str> {
    match &node?.value {
        Value::Str(s) => Some(s.as_str()),
        _ => None,
    }
}

fn is_mock(kind: Option<&str>) -> bool {
    kind.is_some_and(|k| k.eq_ignore_ascii_case("MOCK"))
}

/// Every integration of the template, in logical-ID order.
pub(super) fn integrations(t: &Template) -> Vec<Integration> {
    let mut out = Vec::new();
    let apis: Vec<&str> = REST_APIS.iter().chain(V2_APIS).copied().collect();
    for r in t.resources.values() {
        let props = r.properties.as_ref();
        match r.kind.as_str() {
            "AWS::ApiGateway::Method" => {
                let integration = props.and_then(|p| p.get("Integration"));
                for api in of_kinds(t, &refs_at(t, r, &["RestApiId"]), REST_APIS) {
                    let mut target = refs_at(t, r, &["Integration", "Uri"]);
                    target.extend(refs_at(t, r, &["Integration", "IntegrationTarget"]));
                    out.push(Integration {
                        api: api.id.clone(),
                        holder: r.id.clone(),
                        property: "Integration",
                        mock: is_mock(text_of(integration.and_then(|i| i.get("Type")))),
                        connection: refs_at(t, r, &["Integration", "ConnectionId"]),
                        target,
                    });
                }
            }
            "AWS::ApiGatewayV2::Integration" => {
                for api in of_kinds(t, &refs_at(t, r, &["ApiId"]), V2_APIS) {
                    out.push(Integration {
                        api: api.id.clone(),
                        holder: r.id.clone(),
                        property: "IntegrationUri",
                        mock: is_mock(text_of(props.and_then(|p| p.get("IntegrationType")))),
                        connection: refs_at(t, r, &["ConnectionId"]),
                        target: refs_at(t, r, &["IntegrationUri"]),
                    });
                }
            }
            kind if apis.contains(&kind) => {
                if kind == "AWS::ApiGatewayV2::Api" {
                    let target = refs_at(t, r, &["Target"]);
                    if !target.is_empty() {
                        out.push(Integration {
                            api: r.id.clone(),
                            holder: r.id.clone(),
                            property: "Target",
                            mock: false,
                            connection: BTreeSet::new(),
                            target,
                        });
                    }
                }
                for (key, body) in ["Body", "DefinitionBody"].iter().filter_map(|k| Some((*k, props?.get(k)?))) {
                    openapi(&r.id, key, body, &mut out);
                }
            }
            _ => {}
        }
    }
    out
}

/// The `x-amazon-apigateway-integration` objects of an OpenAPI definition.
fn openapi(api: &str, property: &'static str, node: &Node, out: &mut Vec<Integration>) {
    match &node.value {
        Value::Map(entries) => {
            for (key, value) in entries {
                if key.name == "x-amazon-apigateway-integration" {
                    let refs = |k: &str| value.get(k).map(node_refs).unwrap_or_default();
                    let mut target = refs("uri");
                    target.extend(refs("integrationTarget"));
                    out.push(Integration {
                        api: api.to_string(),
                        holder: api.to_string(),
                        property,
                        mock: is_mock(text_of(value.get("type"))),
                        connection: refs("connectionId"),
                        target,
                    });
                } else {
                    openapi(api, property, value, out);
                }
            }
        }
        Value::Seq(items) => items.iter().for_each(|i| openapi(api, property, i, out)),
        _ => {}
    }
}

/// The target groups an ECS service registers in (`LoadBalancers[].TargetGroupArn`).
pub(super) fn target_groups_of<'a>(t: &'a Template, service: &Resource) -> Vec<&'a Resource> {
    of_kinds(t, &refs_at(t, service, &["LoadBalancers"]), &[TARGET_GROUP])
}

/// The listeners that forward to a target group: a listener's
/// `DefaultActions`, or a listener rule's `Actions` and its `ListenerArn`.
pub(super) fn listeners_of<'a>(t: &'a Template, group: &Resource) -> Vec<&'a Resource> {
    let mut out: Vec<&Resource> = Vec::new();
    for user in t.referring_to(&group.id) {
        match user.kind.as_str() {
            LISTENER if refs_at(t, user, &["DefaultActions"]).contains(&group.id) => out.push(user),
            LISTENER_RULE if refs_at(t, user, &["Actions"]).contains(&group.id) => {
                out.extend(of_kinds(t, &refs_at(t, user, &["ListenerArn"]), &[LISTENER]));
            }
            _ => {}
        }
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out.dedup_by(|a, b| a.id == b.id);
    out
}

/// The load balancer of a listener (`LoadBalancerArn`).
pub(super) fn load_balancer_of<'a>(t: &'a Template, listener: &Resource) -> Option<&'a Resource> {
    of_kinds(t, &refs_at(t, listener, &["LoadBalancerArn"]), &[LOAD_BALANCER]).into_iter().next()
}

/// What a v1 VPC link targets (`TargetArns`: network load balancers).
pub(super) fn link_targets<'a>(t: &'a Template, link: &Resource) -> Vec<&'a Resource> {
    of_kinds(t, &refs_at(t, link, &["TargetArns"]), &[LOAD_BALANCER])
}

/// A target group's type (`TargetType`: `instance` when left out).
pub(super) fn target_type(group: &Resource) -> String {
    group.text("TargetType").unwrap_or("instance").to_ascii_lowercase()
}

/// The load balancers a target group of type `alb` registers (`Targets[].Id`).
pub(super) fn alb_targets<'a>(t: &'a Template, group: &Resource) -> Vec<&'a Resource> {
    of_kinds(t, &refs_at(t, group, &["Targets"]), &[LOAD_BALANCER])
}

/// A load balancer's type: `application` when left out.
pub(super) fn lb_type(lb: &Resource) -> String {
    lb.text("Type").unwrap_or("application").to_ascii_lowercase()
}

pub(super) const SCALABLE_TARGET: &str = "AWS::ApplicationAutoScaling::ScalableTarget";
pub(super) const SCALING_POLICY: &str = "AWS::ApplicationAutoScaling::ScalingPolicy";

/// How an Application Auto Scaling resource ties to ECS services.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tie {
    /// It scales the service asked about.
    Ours,
    /// Another service of the template.
    Other,
    /// Not an ECS service's desired count (another namespace or dimension).
    NotEcs,
    /// It may be the service's, but nothing ties it to any service.
    Undecided,
}

/// The Application Auto Scaling of an ECS service: its scalable target,
/// the scaling policies on it, and those resources that may be the
/// service's but that nothing ties to a service of the template (each with
/// the node that should have, for the error's label).
pub(crate) struct Scaling<'a> {
    pub target: Option<&'a Resource>,
    pub policies: Vec<&'a Resource>,
    pub undecided: Vec<(&'a Resource, Option<&'a Node>)>,
}

/// The scaling of `service`: a target or policy is its own when its
/// references name the service (`ResourceId` as `service/${Cluster}/${Service.Name}`
/// through `Fn::Sub`, `Fn::Join`, `Ref`, `Fn::GetAtt`), when a policy's
/// references name the service's target (`ScalingTargetId`, or a
/// Terraform policy's `resource_id` taken from the target), or when its
/// `ResourceId` worked out (`resolved`) ends in the service's
/// `ServiceName`.
pub(crate) fn scaling<'a>(
    t: &'a Template,
    service: &Resource,
    resolved: &dyn Fn(&Node) -> Option<String>,
) -> Scaling<'a> {
    let services: Vec<&'a Resource> = t.of_kind(&["AWS::ECS::Service"]).collect();
    let name_of = |r: &Resource| r.property("ServiceName").and_then(resolved);
    let tie = |r: &Resource| -> Tie {
        let ecs = r.text("ServiceNamespace").is_none_or(|n| n.eq_ignore_ascii_case("ecs"))
            && r.text("ScalableDimension").is_none_or(|d| d.eq_ignore_ascii_case("ecs:service:DesiredCount"));
        if !ecs {
            return Tie::NotEcs;
        }
        if r.refs.contains(&service.id) {
            return Tie::Ours;
        }
        if services.iter().any(|other| r.refs.contains(&other.id)) {
            return Tie::Other;
        }
        let text = r.property("ResourceId").and_then(resolved);
        let named = text.as_deref().and_then(|t| t.strip_prefix("service/")).and_then(|t| t.rsplit('/').next());
        match named {
            Some(named) if name_of(service).as_deref() == Some(named) => Tie::Ours,
            Some(named) if services.iter().any(|o| name_of(o).as_deref() == Some(named)) => Tie::Other,
            _ => Tie::Undecided,
        }
    };
    let mut out = Scaling { target: None, policies: Vec::new(), undecided: Vec::new() };
    let targets: Vec<&'a Resource> = t.of_kind(&[SCALABLE_TARGET]).collect();
    for target in &targets {
        match tie(target) {
            Tie::Ours if out.target.is_none() => out.target = Some(target),
            Tie::Undecided => out.undecided.push((target, target.property("ResourceId"))),
            _ => {}
        }
    }
    for policy in t.of_kind(&[SCALING_POLICY]) {
        // A policy on a scalable target of the template is that target's.
        let on: Vec<&&'a Resource> = targets.iter().filter(|target| policy.refs.contains(&target.id)).collect();
        if !on.is_empty() {
            if out.target.is_some_and(|ours| on.iter().any(|target| target.id == ours.id)) {
                out.policies.push(policy);
            }
            continue;
        }
        match tie(policy) {
            Tie::Ours => out.policies.push(policy),
            Tie::Undecided => {
                let at = policy.property("ScalingTargetId").or_else(|| policy.property("ResourceId"));
                out.undecided.push((policy, at));
            }
            Tie::Other | Tie::NotEcs => {}
        }
    }
    out
}

/// Whether `node` is, or builds from, the ARN of one of `ids`: `Ref` (an
/// ELBv2 load balancer's or listener's `Ref` is its ARN), `Fn::GetAtt`
/// of `LoadBalancerArn` / `ListenerArn`, or either as a variable of
/// `Fn::Sub` (`${Alb}`, `${Alb.LoadBalancerArn}`).
pub(super) fn arn_of(node: &crate::yaml::Node, ids: &[&str]) -> bool {
    use crate::yaml::Value;
    match &node.value {
        Value::Map(entries) => entries.iter().any(|(key, value)| match (key.name.as_str(), &value.value) {
            ("Ref", Value::Str(id)) => ids.contains(&id.as_str()),
            ("Fn::Sub", Value::Str(text)) => sub_names_arn(text, ids),
            ("Fn::Sub", Value::Seq(parts)) => parts.iter().enumerate().any(|(i, part)| match &part.value {
                Value::Str(text) if i == 0 => sub_names_arn(text, ids),
                _ => arn_of(part, ids),
            }),
            ("Fn::GetAtt", Value::Seq(parts)) => {
                let text = |i: usize| match parts.get(i).map(|p| &p.value) {
                    Some(Value::Str(s)) => s.as_str(),
                    _ => "",
                };
                ids.contains(&text(0)) && text(1).ends_with("Arn")
            }
            ("Fn::GetAtt", Value::Str(dotted)) => {
                dotted.split_once('.').is_some_and(|(id, attr)| ids.contains(&id) && attr.ends_with("Arn"))
            }
            _ => arn_of(value, ids),
        }),
        Value::Seq(items) => items.iter().any(|n| arn_of(n, ids)),
        _ => false,
    }
}

/// Whether the `Fn::Sub` text names the ARN of one of `ids` as a variable:
/// `${Id}` (its `Ref`) or `${Id.SomethingArn}`; `${!Literal}` is text.
fn sub_names_arn(text: &str, ids: &[&str]) -> bool {
    text.split("${").skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name)).any(|name| {
        let name = name.trim();
        !name.starts_with('!')
            && match name.split_once('.') {
                Some((id, attr)) => ids.contains(&id) && attr.ends_with("Arn"),
                None => ids.contains(&name),
            }
    })
}
