//! What a model cannot carry: the workload's needs that a pattern's limits
//! refuse, at every volume (a timeout, a missing WebSocket or streaming path,
//! a payload limit) or from some volume on (a concurrency quota, a throttle,
//! a service's `tasks.max`). A model that cannot carry the workload is
//! listed with the reason and never marked cheapest.

use serde::Serialize;

use super::capacity;
use crate::model::limits;
use crate::patterns;
use crate::model::{ApiType, InvokeMode, Model, ResponseMode, TransferMode};
use crate::units::Duration;

/// Why a model cannot carry the workload, and from which volume.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Limitation {
    /// In words, e.g. "API Gateway's 29s integration timeout is below the 90s longest request".
    pub reason: String,
    /// The first volume (requests a month) it applies at; 0 for every volume.
    pub from_requests: u64,
    /// The service's `tasks.max` is too low (a sizing to raise), rather than
    /// a limit of the pattern. The model is priced at `tasks.max`.
    pub capacity: bool,
}

impl Limitation {
    fn always(reason: String) -> Limitation {
        Limitation { reason, from_requests: 0, capacity: false }
    }

    /// It applies at `requests` a month.
    pub fn applies_at(&self, requests: u64) -> bool {
        requests >= self.from_requests
    }
}

/// Everything `model` cannot carry, at any volume.
pub fn limitations(model: &Model) -> Vec<Limitation> {
    let mut out = Vec::new();
    sync_limits(model, &mut out);
    paths(model, &mut out);
    response(model, &mut out);
    let w = &model.common.workload;
    quotas(model, &mut out);
    if let Some(s) = model.service()
        && let Some(from) = capacity::capacity_requests(model, s)
    {
        out.push(Limitation {
            reason: format!("beyond the service's capacity: its peaks need more than `tasks.max` ({})", s.tasks.max),
            from_requests: from.saturating_add(1),
            capacity: true,
        });
    }
    if let Some(largest) = patterns::payload::largest(w) {
        let (payload, what_payload) = (largest.size, largest.what);
        for hop in patterns::payload::body_limits(model) {
            let (limit, what) = (hop.limit.value, hop.name);
            if payload > limit {
                out.push(Limitation::always(format!("the {payload} {what_payload} payload is over {what} ({limit})")));
            }
        }
    }
    out
}

/// The account's and the front door's rates: Lambda's concurrency quota, a
/// function URL's reserved concurrency, API Gateway's account throttle.
fn quotas(model: &Model, out: &mut Vec<Limitation>) {
    if model.function().is_some() {
        // A function's reserved concurrency (a function URL's throttle) is
        // also the most it runs at once, below the account's quota.
        let reserved = model.function_url().and_then(|u| u.reserved_concurrency);
        let (quota, whose) = match reserved {
            Some(r) if r < model.common.account.lambda_concurrency => (r, "its reserved"),
            _ => (model.common.account.lambda_concurrency, "the account's"),
        };
        if let Some(from) = capacity::requests_at_concurrency(model, quota.into()) {
            out.push(Limitation {
                reason: format!("its peaks need more than {whose} {quota} concurrent Lambda executions"),
                from_requests: from.saturating_add(1),
                capacity: false,
            });
        }
    }
    if let Some(reserved) = model.function_url().and_then(|u| u.reserved_concurrency) {
        let rate = reserved.saturating_mul(limits::function_url::RPS_PER_RESERVED.value);
        if let Some(from) = capacity::requests_at_rate(model, rate) {
            out.push(Limitation {
                reason: format!(
                    "its peaks pass the function URL's {rate} requests a second (10 times its reserved concurrency of {reserved})"
                ),
                from_requests: from.saturating_add(1),
                capacity: false,
            });
        }
    }
    if model.gateway().is_some() {
        let rate = model.common.account.api_throttle.rate;
        if let Some(from) = capacity::requests_at_rate(model, rate) {
            out.push(Limitation {
                reason: format!("its peaks pass API Gateway's account throttle of {rate} requests per second"),
                from_requests: from.saturating_add(1),
                capacity: false,
            });
        }
    }
}

/// Each hop that gives up on a request before the longest one ends.
fn sync_limits(model: &Model, out: &mut Vec<Limitation>) {
    let longest = model.common.workload.max_request_duration;
    let mut hops: Vec<(Duration, String)> = Vec::new();
    // A gateway that enqueues answers before the job runs: its timeout
    // bounds the enqueueing, not the job.
    if let Some(g) = model.gateway().filter(|_| model.queue().is_none()) {
        let (limit, what) = match g.transfer {
            TransferMode::Stream => (limits::REST_STREAM_TIMEOUT_MAX.value, "streaming limit"),
            TransferMode::Buffered => (g.integration_timeout, "integration timeout"),
        };
        hops.push((limit, format!("API Gateway's {limit} {what}")));
    }
    if let Some(f) = model.function() {
        hops.push((f.timeout, format!("the function's {} timeout", f.timeout)));
    }
    if let Some(lb) = model.load_balancer() {
        hops.push((lb.idle_timeout, format!("the ALB's {} idle timeout", lb.idle_timeout)));
    }
    for (limit, what) in hops {
        if limit < longest {
            out.push(Limitation::always(format!("{what} is below the {longest} longest request")));
        }
    }
}

/// How callers get the result (`workload.response`) is the API's contract:
/// a queue answers 202 before the job runs, a synchronous path answers
/// with the result when the work is done.
fn response(model: &Model, out: &mut Vec<Limitation>) {
    match (model.common.workload.response, model.queue().is_some()) {
        (ResponseMode::Sync, true) => out.push(Limitation::always(
            "callers wait for the result in the response (`workload.response: sync`), and an API that enqueues answers 202 before the job runs".into(),
        )),
        (ResponseMode::Async, false) => out.push(Limitation::always(format!(
            "callers are answered 202 and fetch the result later (`workload.response: async`), and this path holds each connection until the work is done (up to {})",
            model.common.workload.max_request_duration
        ))),
        _ => {}
    }
}

/// A WebSocket or streaming workload needs a front door that carries it.
fn paths(model: &Model, out: &mut Vec<Limitation>) {
    let w = &model.common.workload;
    if let Some(url) = model.function_url() {
        if w.websockets {
            out.push(Limitation::always("a function URL has no WebSocket path".into()));
        }
        if w.streaming && url.invoke_mode != InvokeMode::ResponseStream {
            out.push(Limitation::always("a buffered function URL does not stream responses".into()));
        }
    }
    let rules = patterns::path_rules(model);
    if let Some((_, why)) = rules.no_websockets.filter(|_| w.websockets) {
        out.push(Limitation::always(why.into()));
    }
    if let Some((_, why)) = rules.no_streaming.filter(|_| w.streaming) {
        out.push(Limitation::always(why.into()));
    }
    let Some(g) = model.gateway() else { return };
    // The path's own reason, when it has one, is said above.
    if w.websockets && g.api != ApiType::Websocket && rules.no_websockets.is_none() {
        out.push(Limitation::always(format!("a `{}` API has no WebSocket path", g.api)));
    }
    if w.streaming && !(g.api == ApiType::Rest && g.transfer == TransferMode::Stream) && rules.no_streaming.is_none() {
        let what =
            if g.api == ApiType::Rest { "a buffered REST API".to_string() } else { format!("a `{}` API", g.api) };
        out.push(Limitation::always(format!("{what} does not stream responses")));
    }
}

/// The limitations that apply at `requests` a month.
pub fn at(limitations: &[Limitation], requests: u64) -> impl Iterator<Item = &Limitation> {
    limitations.iter().filter(move |l| l.applies_at(requests))
}
