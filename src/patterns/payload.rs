//! The largest body each hop of a model's request path carries: the one
//! place the `request.payload_limit` fact and cost's carry limits read, so
//! a stream's limit is stated once.
//!
//! `workload.max_payload` is the largest request or response body. A
//! streamed response is not held whole by any hop: API Gateway's REST
//! `STREAM` transfer mode exists to "exceed API Gateway's 10 MB response
//! payload limit" (apigateway/latest/developerguide/response-transfer-mode.html,
//! read 2026-12-07), and a Lambda function whose response streams (a
//! function URL's `RESPONSE_STREAM`, or a REST API's `STREAM` to a Lambda
//! proxy, which calls InvokeWithResponseStream) answers up to 200 MB, not
//! the 6 MB of a buffered invocation.

use crate::model::limits::{self, Limit};
use crate::model::{ApiType, InvokeMode, Model, TransferMode, Workload};
use crate::units::Size;

/// One hop's body limit.
#[derive(Debug, Clone, Copy)]
pub struct Hop {
    /// The limit, with AWS's source.
    pub limit: Limit<Size>,
    /// The key of the proposal that decides it (a fact's provenance).
    pub from: &'static str,
    /// The limit in words, for a sentence: "Lambda's synchronous payload limit".
    pub name: &'static str,
}

/// The largest body the workload is known to send, and the key that says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Largest {
    /// The size.
    pub size: Size,
    /// `workload.max_payload` or `workload.avg_payload`.
    pub from: &'static str,
    /// "largest" or "average", for a sentence.
    pub what: &'static str,
}

/// The largest body of `w`: `max_payload`, or `avg_payload` when it is
/// larger or no largest is declared. An average above a hop's limit means
/// some bodies are above it, so the average is a lower bound of the largest;
/// the `request.payload_limit` check (the fact `workload.largest_payload`)
/// and cost's carry limits both read this one value.
pub fn largest(w: &Workload) -> Option<Largest> {
    let max = w.max_payload.map(|size| Largest { size, from: "workload.max_payload", what: "largest" });
    let avg = w.avg_payload.map(|size| Largest { size, from: "workload.avg_payload", what: "average" });
    match (max, avg) {
        (Some(max), Some(avg)) if avg.size > max.size => Some(avg),
        (max, avg) => max.or(avg),
    }
}

/// Whether `m`'s function answers in a stream (InvokeWithResponseStream).
pub fn function_streams(m: &Model) -> Option<&'static str> {
    if m.function_url().is_some_and(|u| u.invoke_mode == InvokeMode::ResponseStream) {
        return Some("function_url.invoke_mode");
    }
    m.gateway()
        .is_some_and(|g| g.api == ApiType::Rest && g.transfer == TransferMode::Stream)
        .then_some("gateway.transfer")
}

/// Every hop of `m`'s path that limits a body, front door first.
pub fn body_limits(m: &Model) -> Vec<Hop> {
    let mut hops = Vec::new();
    if let Some(g) = m.gateway() {
        if g.api == ApiType::Websocket {
            hops.push(Hop { limit: limits::WEBSOCKET_MESSAGE, from: "gateway.api", name: "a WebSocket API's message limit" });
        } else if !(g.api == ApiType::Rest && g.transfer == TransferMode::Stream) {
            hops.push(Hop { limit: limits::APIGW_PAYLOAD, from: "gateway.api", name: "API Gateway's payload limit" });
        }
    }
    if m.function().is_some() {
        hops.push(match function_streams(m) {
            Some(from) => Hop {
                limit: limits::function_url::STREAM_RESPONSE_MAX,
                from,
                name: "Lambda's streamed response limit",
            },
            None => Hop { limit: limits::LAMBDA_SYNC_PAYLOAD, from: "pattern", name: "Lambda's synchronous payload limit" },
        });
    }
    // A limit of the path itself (an ALB to a Lambda target: 1 MB), from the pattern's rules.
    if let Some((limit, name)) = super::path_rules(m).body_max {
        hops.push(Hop { limit, from: "pattern", name });
    }
    hops
}
