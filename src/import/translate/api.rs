//! `gateway` from the API and the resources that connect it to the selected
//! function or service (methods, integrations, routes, stages, authorizers,
//! SAM events, an inline OpenAPI definition), and `vpc_link`.

use super::{Writer, lower};
use crate::import::resolve::scalar_text;
use crate::import::sam::{IMPLICIT_HTTP, IMPLICIT_REST};
use crate::import::template::Resource;
use crate::model::limits;
use crate::yaml::{Node, Value};

pub(super) const APIS: &[&str] =
    &["AWS::ApiGateway::RestApi", "AWS::Serverless::Api", "AWS::ApiGatewayV2::Api", "AWS::Serverless::HttpApi"];
pub(super) const VPC_LINKS: &[&str] = &["AWS::ApiGateway::VpcLink", "AWS::ApiGatewayV2::VpcLink"];
const REST: &[&str] = &["AWS::ApiGateway::RestApi", "AWS::Serverless::Api"];

/// The integration settings that reach the selected resource: from a
/// method or integration resource, a SAM event, or an OpenAPI extension.
#[derive(Default)]
struct Integration {
    timeout: Option<Node>,
    transfer: Option<Node>,
    /// Each method, route or SAM event that reaches the target: its own
    /// authorization, or `None` for "the API's default" (SAM's `Auth`).
    authorizations: Vec<Option<Node>>,
}

/// `targets`: what the API's integrations reach (the function; for a
/// Fargate service, its load balancer and the listeners in front of it).
pub(super) fn gateway(w: &mut Writer<'_>, api: &Resource, targets: &[&Resource]) {
    w.section("gateway", api.span);
    let rest = REST.contains(&api.kind.as_str());
    w.set("gateway.api", Value::Str(if rest { "rest" } else { "http" }.into()), api.span);
    if rest {
        endpoint(w, api);
    } else {
        w.default("gateway.endpoint", Value::Str("regional".into()), api, limits::HTTP_API_REGIONAL_ONLY);
    }
    let integration = integration(w, api, targets);
    // Left out: AWS's default for the API type and transfer mode, the loader's own.
    w.number_or_left_out(integration.timeout, "TimeoutInMillis", "gateway.integration_timeout", "ms", api);
    match integration.transfer {
        Some(node) => {
            if let Some(mode) =
                w.choice(&node, "ResponseTransferMode", &[("STREAM", "stream"), ("BUFFERED", "buffered")])
            {
                w.set("gateway.transfer", Value::Str(mode.into()), node.span);
            }
        }
        None => w.default("gateway.transfer", Value::Str("buffered".into()), api, limits::TRANSFER_MODE_DEFAULT),
    }
    authorizer(w, api, integration.authorizations);
    let waf = w.referring(&["AWS::WAFv2::WebACLAssociation"], &api.id).first().map(|r| r.span);
    let stages = w.referring(&["AWS::ApiGateway::Stage", "AWS::ApiGatewayV2::Stage"], &api.id);
    let waf = waf.or_else(|| {
        stages.iter().find_map(|s| w.referring(&["AWS::WAFv2::WebACLAssociation"], &s.id).first().map(|r| r.span))
    });
    match waf {
        Some(span) => w.set("gateway.waf", Value::Bool(true), span),
        None => w.default("gateway.waf", Value::Bool(false), api, limits::WAF_DEFAULT),
    }
    throttle(w, api, &stages);
}

/// REST: `EndpointConfiguration` (`{ Types: [REGIONAL] }`, or SAM's
/// `REGIONAL` / `{ Type: REGIONAL }`); none is edge-optimized.
fn endpoint(w: &mut Writer<'_>, api: &Resource) {
    let Some(config) = w.property(api, "EndpointConfiguration") else {
        if !w.has_property(api, "EndpointConfiguration") {
            w.default("gateway.endpoint", Value::Str("edge".into()), api, limits::REST_ENDPOINT_DEFAULT);
        }
        return;
    };
    let node = match &config.value {
        Value::Str(_) => Some(config.clone()),
        _ => {
            let types = w.field(&config, "Types").map(|t| w.items(&t)).unwrap_or_default();
            types.into_iter().next().or_else(|| w.field(&config, "Type"))
        }
    };
    match node.as_ref().and_then(lower) {
        Some(kind) if ["edge", "regional", "private"].contains(&kind.as_str()) => {
            let span = node.map_or(config.span, |n| n.span);
            w.set("gateway.endpoint", Value::Str(kind), span);
        }
        _ => w.unreadable(
            &config,
            "`EndpointConfiguration` names no endpoint type".into(),
            "write `Types: [REGIONAL]` (or EDGE, PRIVATE)",
        ),
    }
}

/// The settings on the way from `api` to `target`.
fn integration(w: &mut Writer<'_>, api: &Resource, targets: &[&Resource]) -> Integration {
    let mut out = Integration::default();
    let kinds = ["AWS::ApiGateway::Method", "AWS::ApiGatewayV2::Integration", "AWS::ApiGatewayV2::Route"];
    let mut linked: Vec<&Resource> = targets.iter().flat_map(|t| w.referring(&kinds, &t.id)).collect();
    // A route names its integration, which names the target.
    let integrations: Vec<String> = linked.iter().map(|r| r.id.clone()).collect();
    for id in &integrations {
        linked.extend(w.referring(&["AWS::ApiGatewayV2::Route"], id));
    }
    for r in linked.into_iter().filter(|r| r.refs.contains(&api.id) || r.kind == "AWS::ApiGatewayV2::Route") {
        let integration = w.property(r, "Integration");
        let holder =
            integration.unwrap_or_else(|| r.properties.clone().unwrap_or(Node { value: Value::Null, span: r.span }));
        out.timeout = out.timeout.or_else(|| w.field(&holder, "TimeoutInMillis"));
        out.transfer = out.transfer.or_else(|| w.field(&holder, "ResponseTransferMode"));
        if r.kind != "AWS::ApiGatewayV2::Integration" {
            // A method or route with no `AuthorizationType` is open (NONE), as AWS reads it.
            let open = Node { value: Value::Str("NONE".into()), span: r.span };
            out.authorizations.push(Some(w.property(r, "AuthorizationType").unwrap_or(open)));
        }
    }
    for target in targets {
        sam_event(w, api, target, &mut out);
        if let Some(body) = api.property("DefinitionBody").or_else(|| api.property("Body")) {
            openapi(w, body, target, &mut out);
        }
    }
    out
}

/// A SAM function's `Api` / `HttpApi` event on this API: one that names it,
/// or one that names none, on SAM's implicit API.
fn sam_event(w: &mut Writer<'_>, api: &Resource, function: &Resource, out: &mut Integration) {
    let Some(Value::Map(events)) = function.property("Events").map(|e| &e.value) else { return };
    for (_, event) in events {
        let kind = event.get("Type").and_then(scalar_text).unwrap_or_default();
        let implicit = match kind.as_str() {
            "Api" => IMPLICIT_REST,
            "HttpApi" => IMPLICIT_HTTP,
            _ => continue,
        };
        let props = event.get("Properties");
        let named = props.and_then(|p| p.get("RestApiId").or_else(|| p.get("ApiId")));
        let on_api = match named {
            Some(named) => refers(named, &api.id),
            None => api.id == implicit,
        };
        let Some(props) = props.filter(|_| on_api) else { continue };
        out.timeout = out.timeout.take().or_else(|| w.field(props, "TimeoutInMillis"));
        let auth = w.field(props, "Auth").and_then(|a| w.field(&a, "Authorizer"));
        out.authorizations.push(auth);
    }
}

fn refers(node: &Node, id: &str) -> bool {
    let mut refs = std::collections::BTreeSet::new();
    let mut imports = false;
    crate::import::template::refs_of(node, &mut refs, &mut imports);
    refs.contains(id)
}

/// `x-amazon-apigateway-integration` objects whose `uri` names the target.
fn openapi(w: &mut Writer<'_>, node: &Node, target: &Resource, out: &mut Integration) {
    match &node.value {
        Value::Map(entries) => {
            for (key, value) in entries {
                if key.name == "x-amazon-apigateway-integration" {
                    if value.get("uri").is_some_and(|uri| refers(uri, &target.id)) {
                        out.timeout = out.timeout.take().or_else(|| w.field(value, "timeoutInMillis"));
                        out.transfer = out.transfer.take().or_else(|| w.field(value, "responseTransferMode"));
                    }
                } else {
                    openapi(w, value, target, out);
                }
            }
        }
        Value::Seq(items) => items.iter().for_each(|i| openapi(w, i, target, out)),
        _ => {}
    }
}

/// What protects the way to the target: each method, route or SAM event
/// that reaches it (SAM's `Auth.DefaultAuthorizer` where an event names
/// none), and the weakest of them: one open way makes the service open.
/// With no method, route or event (an OpenAPI body, a permission), the
/// API's SAM default, else none.
fn authorizer(w: &mut Writer<'_>, api: &Resource, ways: Vec<Option<Node>>) {
    let auth = w.property(api, "Auth");
    let sam_default = auth.as_ref().and_then(|a| w.field(a, "DefaultAuthorizer"));
    let mut ways: Vec<Node> = ways.into_iter().filter_map(|way| way.or_else(|| sam_default.clone())).collect();
    if ways.is_empty() {
        ways.extend(sam_default);
    }
    let weakest = ways.iter().find(|n| authorizer_kind(n, auth.as_ref()) == "none").or(ways.first());
    match weakest {
        Some(node) => {
            let kind = authorizer_kind(node, auth.as_ref());
            w.set("gateway.authorizer", Value::Str(kind.into()), node.span);
        }
        None => w.default("gateway.authorizer", Value::Str("none".into()), api, limits::AUTHORIZER_DEFAULT),
    }
}

/// An authorization type (`AWS_IAM`, `COGNITO_USER_POOLS`, `JWT`, `CUSTOM`,
/// `NONE`), or the name of one of SAM's `Auth.Authorizers`, told by what it holds.
fn authorizer_kind(node: &Node, auth: Option<&Node>) -> &'static str {
    let name = scalar_text(node).unwrap_or_default();
    match name.to_ascii_lowercase().as_str() {
        "aws_iam" => "iam",
        "cognito_user_pools" | "cognito" => "cognito",
        "jwt" => "jwt",
        "none" => "none",
        "custom" | "token" | "request" => "lambda",
        _ => match auth.and_then(|a| a.get("Authorizers")).and_then(|a| a.get(&name)) {
            Some(entry) if entry.get("UserPoolArn").is_some() => "cognito",
            Some(entry) if entry.get("JwtConfiguration").is_some() => "jwt",
            _ => "lambda",
        },
    }
}

/// Stage throttling: REST `MethodSettings` for every method of the stage
/// (`ResourcePath: "/*"`, `HttpMethod: "*"`; SAM's too), HTTP
/// `DefaultRouteSettings`. None at all decides there is none; a setting for
/// one method, or a rate without a burst, leaves `gateway.throttle` to the
/// proposal.
fn throttle(w: &mut Writer<'_>, api: &Resource, stages: &[&Resource]) {
    let mut settings: Vec<Node> = Vec::new();
    let mut partial = false;
    for holder in std::iter::once(api).chain(stages.iter().copied()) {
        if let Some(methods) = w.property(holder, "MethodSettings") {
            for entry in w.items(&methods) {
                let path = entry.get("ResourcePath").and_then(scalar_text);
                let method = entry.get("HttpMethod").and_then(scalar_text);
                let stage_wide = path.is_none_or(|p| p == "/*") && method.is_none_or(|m| m == "*");
                partial |= !stage_wide;
                if stage_wide {
                    settings.push(entry);
                }
            }
        }
        settings.extend(w.property(holder, "DefaultRouteSettings"));
    }
    let mut pick = |name: &str| settings.iter().find_map(|s| w.field(s, name));
    match (pick("ThrottlingRateLimit"), pick("ThrottlingBurstLimit")) {
        (Some(rate), Some(burst)) => {
            let (Some(r), Some(b)) = (w.number(&rate, "ThrottlingRateLimit"), w.number(&burst, "ThrottlingBurstLimit"))
            else {
                return;
            };
            w.set("gateway.throttle.rate", Value::Int(i128::from(r)), rate.span);
            w.set("gateway.throttle.burst", Value::Int(i128::from(b)), burst.span);
        }
        (None, None) if !partial => w.absent("gateway.throttle", api),
        _ => {}
    }
}

pub(super) fn vpc_link(w: &mut Writer<'_>, link: &Resource) {
    w.section("vpc_link", link.span);
    let version = if link.kind == "AWS::ApiGateway::VpcLink" { "v1" } else { "v2" };
    w.set("vpc_link.version", Value::Str(version.into()), link.span);
}
