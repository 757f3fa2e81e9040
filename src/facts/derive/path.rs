//! The request path: its synchronous limit, what it carries, and its front
//! door, from the pattern's components in path order.

use super::Builder;
use crate::facts::schema::{Entry, Limiter, TlsTermination};
use crate::facts::value::FactValue;
use crate::model::limits;
use crate::model::{ApiType, Component, EndpointType, InvokeMode, Model, TransferMode};
use crate::patterns;
use crate::units::Duration;

/// `request.sync_limit`: the smallest timeout on the request path, who sets
/// it, and every timeout on the path.
pub fn sync_limit(m: &Model) -> (Duration, Limiter, Vec<&'static str>) {
    // A queue ends the synchronous path: the caller is answered once the
    // request is enqueued, and what reads the queue runs after.
    let candidates: Vec<(Duration, Limiter, &'static str)> = patterns::def(m.pattern())
        .components
        .iter()
        .take_while(|c| **c != Component::Queue)
        .filter_map(|component| match component {
            Component::Gateway => {
                m.gateway().map(|g| (g.integration_timeout, Limiter::Gateway, "gateway.integration_timeout"))
            }
            Component::Function => m.function().map(|f| (f.timeout, Limiter::Function, "function.timeout")),
            Component::LoadBalancer => {
                m.load_balancer().map(|lb| (lb.idle_timeout, Limiter::LoadBalancer, "load_balancer.idle_timeout"))
            }
            // A function URL waits as long as its function runs: no timeout of its own.
            Component::Service | Component::VpcLink | Component::FunctionUrl | Component::Queue => None,
        })
        .collect();
    let paths = candidates.iter().map(|c| c.2).collect();
    // The first of equal candidates wins: the front door is named when it ties.
    let (limit, limiter, _) = candidates
        .iter()
        .copied()
        .reduce(|best, c| if c.0 < best.0 { c } else { best })
        .unwrap_or((Duration::ZERO, Limiter::Gateway, "gateway.integration_timeout"));
    (limit, limiter, paths)
}

pub(super) fn derive(b: &mut Builder<'_>, m: &Model) {
    sync(b, m);
    carries(b, m);
    front_door(b, m);
    payload(b, m);
    connection(b, m);
}

/// The smallest body limit of the hops on the path ([`patterns::payload`]).
fn payload(b: &mut Builder<'_>, m: &Model) {
    let hops = patterns::payload::body_limits(m);
    let mut from: Vec<&'static str> = hops.iter().map(|h| h.from).collect();
    from.dedup();
    if let Some(hop) = hops.into_iter().min_by_key(|h| h.limit.value) {
        b.derived("request.payload_limit", FactValue::Size(hop.limit.value), &from, hop.limit.source.what, None);
    }
}

/// How long the front door keeps a connection, and how long it may idle.
fn connection(b: &mut Builder<'_>, m: &Model) {
    let gateway = m.gateway();
    if gateway.is_some_and(|g| g.api == ApiType::Websocket) {
        let (lifetime, idle) = (limits::WEBSOCKET_CONNECTION_MAX, limits::WEBSOCKET_IDLE_MAX);
        b.derived(
            "request.connection_limit",
            FactValue::Duration(lifetime.value),
            &["gateway.api"],
            lifetime.source.what,
            None,
        );
        b.derived("request.idle_limit", FactValue::Duration(idle.value), &["gateway.api"], idle.source.what, None);
    } else if let Some(g) = gateway.filter(|g| g.transfer == TransferMode::Stream) {
        let idle = if g.endpoint == EndpointType::Edge {
            limits::REST_STREAM_IDLE_EDGE
        } else {
            limits::REST_STREAM_IDLE_REGIONAL
        };
        let from: &[&str] = &["gateway.transfer", "gateway.endpoint"];
        b.derived(
            "request.idle_limit",
            FactValue::Duration(idle.value),
            from,
            idle.source.what,
            Some("gateway.endpoint"),
        );
    } else if let (None, Some(lb)) = (gateway, m.load_balancer()) {
        let rule = "the ALB closes a connection with no data sent or received for its idle timeout";
        b.derived(
            "request.idle_limit",
            FactValue::Duration(lb.idle_timeout),
            &["load_balancer.idle_timeout"],
            rule,
            Some("load_balancer.idle_timeout"),
        );
    }
}

fn sync(b: &mut Builder<'_>, m: &Model) {
    let (limit, limiter, from) = sync_limit(m);
    let decided_by = match limiter {
        Limiter::Gateway => "gateway.integration_timeout",
        Limiter::Function => "function.timeout",
        Limiter::LoadBalancer => "load_balancer.idle_timeout",
    };
    b.derived(
        "request.sync_limit",
        FactValue::Duration(limit),
        &from,
        "the smallest timeout on the request path",
        Some(decided_by),
    );
    b.derived(
        "request.limited_by",
        FactValue::of_enum(limiter),
        &from,
        "the component with the smallest timeout on the request path",
        Some(decided_by),
    );
    b.derived(
        "supports.long_requests",
        FactValue::Bool(limit > limits::REST_TIMEOUT_DEFAULT.value),
        &["request.sync_limit"],
        "true when the limit is above API Gateway's default 29 s",
        None,
    );
}

/// What the path carries: a gateway carries what its API type and transfer
/// mode allow; an ALB carries WebSockets and passes a streamed response through.
fn carries(b: &mut Builder<'_>, m: &Model) {
    let rules = patterns::path_rules(m);
    match m.gateway() {
        Some(g) => {
            let websockets = g.api == ApiType::Websocket;
            let streaming = g.transfer == TransferMode::Stream;
            // What the path behind the gateway refuses, it does not carry
            // (an API that enqueues answers once, at once).
            let (websockets, from, rule) = match rules.no_websockets {
                Some((source, _)) => (false, "pattern", source.what),
                None => (websockets, "gateway.api", "true for a WebSocket API"),
            };
            b.derived("supports.websockets", FactValue::Bool(websockets), &[from], rule, None);
            let (streaming, from, rule) = match rules.no_streaming {
                Some((source, _)) => (false, "pattern", source.what),
                None => (streaming, "gateway.transfer", "true when the gateway streams responses (`transfer: stream`)"),
            };
            b.derived("supports.streaming", FactValue::Bool(streaming), &[from], rule, None);
        }
        None if m.function_url().is_some() => {
            let streams = m.function_url().is_some_and(|u| u.invoke_mode == InvokeMode::ResponseStream);
            let rule = "a function URL carries no WebSocket connections";
            b.derived("supports.websockets", FactValue::Bool(false), &["pattern"], rule, None);
            let rule = "true when the URL streams responses (`invoke_mode: response_stream`)";
            b.derived("supports.streaming", FactValue::Bool(streams), &["function_url.invoke_mode"], rule, None);
        }
        None => {
            let (websockets, rule) = match rules.no_websockets {
                Some((source, _)) => (false, source.what),
                None => (true, "an ALB carries WebSocket connections"),
            };
            b.derived("supports.websockets", FactValue::Bool(websockets), &["pattern"], rule, None);
            let (streaming, rule) = match rules.no_streaming {
                Some((source, _)) => (false, source.what),
                None => (true, "an ALB passes streamed responses through"),
            };
            b.derived("supports.streaming", FactValue::Bool(streaming), &["pattern"], rule, None);
        }
    }
}

/// The first component of the path is what callers reach, and terminates TLS.
fn front_door(b: &mut Builder<'_>, m: &Model) {
    let (entry, tls) = match patterns::def(m.pattern()).components.first() {
        Some(Component::LoadBalancer) => (Entry::Alb, TlsTermination::Alb),
        Some(Component::FunctionUrl) if m.function_url().is_some_and(|u| u.cloudfront) => {
            (Entry::Cloudfront, TlsTermination::Cloudfront)
        }
        Some(Component::FunctionUrl) => (Entry::FunctionUrl, TlsTermination::FunctionUrl),
        _ => (Entry::ApiGateway, TlsTermination::ApiGateway),
    };
    b.derived("network.entry", FactValue::of_enum(entry), &["pattern"], "the front door of the pattern", None);
    let (from, rule): (&[&'static str], _) = match patterns::def(m.pattern()).components.first() {
        Some(Component::LoadBalancer) => (&["load_balancer.scheme"], "the front door's scheme: an internal ALB is reached only inside the VPC"),
        Some(Component::Gateway) => (&["gateway.endpoint"], "the API's endpoint type: a private REST API is reached only through its VPC endpoint"),
        _ => (&["pattern"], limits::function_url::PUBLIC_ONLY.what),
    };
    b.derived("network.exposure", FactValue::of_enum(patterns::exposure(m)), from, rule, None);
    let rule = match tls {
        TlsTermination::FunctionUrl => "a function URL terminates TLS with AWS's certificate for its `lambda-url` domain",
        TlsTermination::Cloudfront => "the CloudFront distribution in front terminates TLS",
        _ => "the front door terminates TLS with its ACM certificate",
    };
    b.derived("tls.terminates_at", FactValue::of_enum(tls), &["pattern"], rule, None);
}
