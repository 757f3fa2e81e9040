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
    /// Each method or route that reaches the target: its resource path (or
    /// route key) and HTTP method, `None` where the template leaves it
    /// unknown (then every stage setting may apply to it).
    methods: Vec<(Option<String>, Option<String>)>,
}

/// `targets`: what the API's integrations reach (the function; for a
/// Fargate service, its load balancer and the listeners in front of it).
pub(super) fn gateway(w: &mut Writer<'_>, api: &Resource, targets: &[&Resource]) {
    w.section("gateway", api.span);
    let rest = REST.contains(&api.kind.as_str());
    let websocket = !rest && api.text("ProtocolType").is_some_and(|p| p.eq_ignore_ascii_case("WEBSOCKET"));
    let kind = if rest {
        "rest"
    } else if websocket {
        "websocket"
    } else {
        "http"
    };
    w.set("gateway.api", Value::Str(kind.into()), api.span);
    if rest {
        endpoint(w, api);
    } else if websocket {
        w.default("gateway.endpoint", Value::Str("regional".into()), api, limits::WEBSOCKET_REGIONAL_ONLY);
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
    throttle(w, api, &stages, &integration.methods);
    cache(w, api, &stages);
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
            out.methods.push(match r.kind.as_str() {
                "AWS::ApiGatewayV2::Route" => route_key(r),
                _ => (rest_path(w, r, 0), r.text("HttpMethod").map(str::to_ascii_uppercase)),
            });
        }
    }
    for target in targets {
        sam_event(w, api, target, &mut out);
        if let Some(body) = api.property("DefinitionBody").or_else(|| api.property("Body")) {
            let mut walk = OpenApi { body, target, trail: Vec::new() };
            openapi(w, body, &mut walk, &mut out);
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
        let path = props.get("Path").and_then(scalar_text);
        let verb = props.get("Method").and_then(scalar_text).map(|m| m.to_ascii_uppercase());
        out.methods.push((path, verb.filter(|v| v != "ANY")));
    }
}

fn refers(node: &Node, id: &str) -> bool {
    let mut refs = std::collections::BTreeSet::new();
    let mut imports = false;
    crate::import::template::refs_of(node, &mut refs, &mut imports);
    refs.contains(id)
}

/// `x-amazon-apigateway-integration` objects whose `uri` names the target.
/// A walk through an OpenAPI definition: the whole document (for its
/// `security` and `securitySchemes`), the target, and the keys above.
struct OpenApi<'b> {
    body: &'b Node,
    target: &'b Resource,
    trail: Vec<String>,
}

fn openapi(w: &mut Writer<'_>, node: &Node, walk: &mut OpenApi<'_>, out: &mut Integration) {
    let target = walk.target;
    match &node.value {
        Value::Map(entries) => {
            for (key, value) in entries {
                if key.name == "x-amazon-apigateway-integration" {
                    let names = |k: &str| value.get(k).is_some_and(|n| refers(n, &target.id));
                    if names("uri") || names("integrationTarget") || names("connectionId") || names("requestParameters") {
                        out.timeout = out.timeout.take().or_else(|| w.field(value, "timeoutInMillis"));
                        out.transfer = out.transfer.take().or_else(|| w.field(value, "responseTransferMode"));
                        // `paths: { /orders: { post: { x-amazon-apigateway-integration } } }`
                        out.authorizations.push(openapi_auth(walk.body, node));
                        let trail = &walk.trail;
                        let n = trail.len();
                        let (path, verb) =
                            match (n >= 3 && trail[n - 3] == "paths").then(|| (&trail[n - 2], &trail[n - 1])) {
                                Some((p, v)) if v != "x-amazon-apigateway-any-method" => {
                                    (Some(p.clone()), Some(v.to_ascii_uppercase()))
                                }
                                Some((p, _)) => (Some(p.clone()), None),
                                None => (None, None),
                            };
                        out.methods.push((path, verb));
                    }
                } else {
                    walk.trail.push(key.name.clone());
                    openapi(w, value, walk, out);
                    walk.trail.pop();
                }
            }
        }
        Value::Seq(items) => items.iter().for_each(|i| openapi(w, i, walk, out)),
        _ => {}
    }
}

/// How an OpenAPI operation is authorized, as an authorization type
/// (`NONE`, `AWS_IAM`, `COGNITO_USER_POOLS`, `JWT`, `CUSTOM`) placed at the
/// `security` that says so: the operation's own `security`, else the
/// document's; each scheme read from `securitySchemes` (OpenAPI 3) or
/// `securityDefinitions` (Swagger 2) by its `x-amazon-apigateway-authorizer`
/// `type` or `x-amazon-apigateway-authtype`. An empty list is open; no
/// `security` at all is the API's default (SAM's `Auth`, which SAM writes
/// into the definition), `None`.
fn openapi_auth(body: &Node, operation: &Node) -> Option<Node> {
    let security = operation.get("security").or_else(|| body.get("security"))?;
    let Value::Seq(requirements) = &security.value else {
        return Some(Node { value: Value::Str("NONE".into()), span: security.span });
    };
    let schemes =
        body.get("components").and_then(|c| c.get("securitySchemes")).or_else(|| body.get("securityDefinitions"));
    // Any one requirement lets a request through: the weakest is what protects it.
    let mut kinds: Vec<&'static str> = Vec::new();
    for requirement in requirements {
        let Value::Map(names) = &requirement.value else { continue };
        if names.is_empty() {
            kinds.push("NONE");
        }
        for (name, _) in names {
            let scheme = schemes.and_then(|s| s.get(&name.name));
            let authorizer = scheme.and_then(|s| s.get("x-amazon-apigateway-authorizer"));
            let kind = authorizer.and_then(|a| a.get("type")).and_then(scalar_text).map(|k| k.to_ascii_lowercase());
            let authtype = scheme.and_then(|s| s.get("x-amazon-apigateway-authtype")).and_then(scalar_text);
            kinds.push(match (kind.as_deref(), authtype.map(|a| a.to_ascii_lowercase()).as_deref()) {
                (Some("cognito_user_pools"), _) | (_, Some("cognito_user_pools")) => "COGNITO_USER_POOLS",
                (Some("jwt"), _) => "JWT",
                (Some("token" | "request"), _) => "CUSTOM",
                (_, Some("awssigv4")) => "AWS_IAM",
                // A scheme API Gateway does not enforce (an API key is no authorizer).
                _ => "NONE",
            });
        }
    }
    let weakest = ["NONE", "CUSTOM", "JWT", "COGNITO_USER_POOLS", "AWS_IAM"]
        .into_iter()
        .find(|k| kinds.contains(k))
        .unwrap_or("NONE");
    Some(Node { value: Value::Str(weakest.into()), span: security.span })
}

/// A REST method's resource path: its `ResourceId`'s `PathPart`s up to the
/// API's root (`Fn::GetAtt: [Api, RootResourceId]` is `/`).
fn rest_path(w: &Writer<'_>, r: &Resource, depth: usize) -> Option<String> {
    let node = if r.kind == "AWS::ApiGateway::Method" { r.property("ResourceId")? } else { r.property("ParentId")? };
    if depth > 64 {
        return None;
    }
    let mut refs = std::collections::BTreeSet::new();
    let mut imports = false;
    crate::import::template::refs_of(node, &mut refs, &mut imports);
    let parent = refs.iter().filter_map(|id| w.resource(id)).find(|p| p.kind == "AWS::ApiGateway::Resource");
    match parent {
        Some(parent) => {
            let above = rest_path(w, parent, depth + 1)?;
            let part = parent.text("PathPart")?;
            Some(if above == "/" { format!("/{part}") } else { format!("{above}/{part}") })
        }
        None if refs.iter().filter_map(|id| w.resource(id)).any(|p| REST.contains(&p.kind.as_str())) => {
            Some("/".into())
        }
        None => None,
    }
}

/// An HTTP or WebSocket route's `RouteKey` (`POST /orders`, `$default`),
/// which its stage's `RouteSettings` are keyed by.
fn route_key(r: &Resource) -> (Option<String>, Option<String>) {
    (r.text("RouteKey").map(str::to_string), None)
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

/// Whether a REST `MethodSettings` entry applies to a method: its
/// `ResourcePath` (`/` encoded `~1`; `/*` or `/*/*` for every path) and
/// `HttpMethod` (`*` for every method) match; an unknown path or method
/// may be any.
fn applies(entry: &Node, path: Option<&str>, verb: Option<&str>) -> bool {
    let wanted_path = entry.get("ResourcePath").and_then(scalar_text);
    let wanted_verb = entry.get("HttpMethod").and_then(scalar_text);
    let path_ok = match (wanted_path.as_deref(), path) {
        (None | Some("/*" | "/*/*" | "*" | "*/*"), _) | (_, None) => true,
        (Some(p), Some(path)) => decoded_path(p) == path,
    };
    let verb_ok = match (wanted_verb.as_deref(), verb) {
        (None | Some("*"), _) | (_, None) => true,
        (Some(m), Some(verb)) => m.eq_ignore_ascii_case(verb),
    };
    path_ok && verb_ok
}

/// A `MethodSettings` `ResourcePath` as the path it names: `/~1orders~1{id}`
/// is `/orders/{id}` (AWS encodes each `/` after the first as `~1`); `/` is the root.
fn decoded_path(p: &str) -> String {
    let rest = p.strip_prefix('/').unwrap_or(p);
    if rest.contains("~1") || rest.is_empty() {
        format!("/{}", rest.replace("~1", "/").trim_start_matches('/'))
    } else {
        // Written unencoded (`/orders`), as some templates do: read as the path.
        format!("/{rest}")
    }
}

/// Whether a `MethodSettings` entry is for every method of the stage.
fn stage_wide(entry: &Node) -> bool {
    let path = entry.get("ResourcePath").and_then(scalar_text);
    let method = entry.get("HttpMethod").and_then(scalar_text);
    path.is_none_or(|p| ["/*", "/*/*", "*", "*/*"].contains(&p.as_str())) && method.is_none_or(|m| m == "*")
}

/// Stage throttling that applies to the service's methods: REST
/// `MethodSettings` (a method's own entry overrides the stage-wide `/*`
/// one, as API Gateway applies them), HTTP `RouteSettings` over
/// `DefaultRouteSettings`. Of the methods that reach the service, the
/// tightest rate and the tightest burst: the service is throttled there.
/// None at all decides there is none; settings that throttle other
/// methods only, or a rate without a burst, leave `gateway.throttle` to the proposal.
fn throttle(w: &mut Writer<'_>, api: &Resource, stages: &[&Resource], methods: &[(Option<String>, Option<String>)]) {
    let unknown = [(None, None)];
    let methods: &[(Option<String>, Option<String>)] = if methods.is_empty() { &unknown } else { methods };
    let mut entries: Vec<Node> = Vec::new();
    let mut routes: Vec<(String, Node)> = Vec::new();
    let mut defaults: Vec<Node> = Vec::new();
    for holder in std::iter::once(api).chain(stages.iter().copied()) {
        if let Some(settings) = w.property(holder, "MethodSettings") {
            entries.extend(w.items(&settings));
        }
        defaults.extend(w.property(holder, "DefaultRouteSettings"));
        if let Some(Value::Map(keyed)) = w.property(holder, "RouteSettings").map(|n| n.value) {
            routes.extend(keyed.into_iter().map(|(k, v)| (k.name, v)));
        }
    }
    let mut any_setting = false;
    // Per method: the settings that apply, most specific first.
    let mut applying: Vec<Vec<Node>> = Vec::new();
    for (path, verb) in methods {
        let mut here: Vec<Node> = Vec::new();
        here.extend(entries.iter().filter(|e| !stage_wide(e) && applies(e, path.as_deref(), verb.as_deref())).cloned());
        here.extend(entries.iter().filter(|e| stage_wide(e)).cloned());
        here.extend(routes.iter().filter(|(k, _)| path.as_deref().is_none_or(|p| p == k)).map(|(_, v)| v.clone()));
        here.extend(defaults.iter().cloned());
        applying.push(here);
    }
    any_setting |= !entries.is_empty() || !routes.is_empty() || !defaults.is_empty();
    let tightest = |name: &str, w: &mut Writer<'_>| -> Option<(u64, Node)> {
        let mut best: Option<(u64, Node)> = None;
        for here in &applying {
            // The most specific setting that states this limit.
            let Some(node) = here.iter().find_map(|s| s.get(name).cloned()) else { continue };
            let Some(node) = w.shallow(&node) else { continue };
            let Some(n) = w.number(&node, name) else { continue };
            if best.as_ref().is_none_or(|(b, _)| n < *b) {
                best = Some((n, node));
            }
        }
        best
    };
    let rate = tightest("ThrottlingRateLimit", w);
    let burst = tightest("ThrottlingBurstLimit", w);
    match (rate, burst) {
        (Some((r, rate)), Some((b, burst))) => {
            w.set("gateway.throttle.rate", Value::Int(i128::from(r)), rate.span);
            w.set("gateway.throttle.burst", Value::Int(i128::from(b)), burst.span);
        }
        (None, None) if !any_setting || !entries.iter().any(|e| !stage_wide(e)) && routes.is_empty() => {
            let states = entries
                .iter()
                .chain(&defaults)
                .any(|e| e.get("ThrottlingRateLimit").is_some() || e.get("ThrottlingBurstLimit").is_some());
            if !states {
                w.absent("gateway.throttle", api);
            }
        }
        _ => {}
    }
}

/// The stage cache: `CacheClusterEnabled` and `CacheClusterSize` (GB, 0.5
/// when left out) of a stage of the API, or of SAM's API, as
/// `gateway.cache_gb`. Which methods cache (`MethodSettings.CachingEnabled`)
/// is no proposal key: the classifier notes it ([`crate::import::classify`]).
fn cache(w: &mut Writer<'_>, api: &Resource, stages: &[&Resource]) {
    for holder in std::iter::once(api).chain(stages.iter().copied()) {
        let Some(enabled) = w.property(holder, "CacheClusterEnabled") else { continue };
        if !scalar_text(&enabled).is_some_and(|e| e.eq_ignore_ascii_case("true")) {
            continue;
        }
        let size = w.property(holder, "CacheClusterSize");
        let text = size.as_ref().and_then(scalar_text).unwrap_or_else(|| "0.5".into());
        let span = size.as_ref().map_or(enabled.span, |n| n.span);
        match text.trim().parse::<f64>() {
            Ok(gb) if crate::model::CacheSize::OFFERED.contains(&text.trim()) => {
                w.set("gateway.cache_gb", Value::Float(gb), span);
            }
            _ => w.unreadable(
                size.as_ref().unwrap_or(&enabled),
                format!("`CacheClusterSize` is `{text}`, which API Gateway does not offer"),
                &format!("write one of {}", crate::model::CacheSize::OFFERED.join(", ")),
            ),
        }
        return;
    }
    // No stage caches: the template decides there is no cache.
    w.absent("gateway.cache_gb", api);
}

pub(super) fn vpc_link(w: &mut Writer<'_>, link: &Resource) {
    w.section("vpc_link", link.span);
    let version = if link.kind == "AWS::ApiGateway::VpcLink" { "v1" } else { "v2" };
    w.set("vpc_link.version", Value::Str(version.into()), link.span);
}
