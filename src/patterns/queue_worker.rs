//! `queue_worker`: Route 53 → API Gateway (REST or HTTP API) with an SQS
//! integration: the API enqueues each request and answers 202 Accepted →
//! SQS holds it → a Lambda function reads it through an event source
//! mapping and does the work. The caller does not wait for the job: the
//! synchronous path ends at the queue, so API Gateway's 29 s bounds only
//! the enqueueing, and `workload.max_request_duration` is the job's longest
//! run, bounded by the function's timeout. A Fargate worker scaled on the
//! queue's depth is not modelled (docs/model.md).

use super::{PathRules, PatternDef, sizing};
use crate::model::limits::queue as q;
use crate::model::validate::{Validator, cite};
use crate::model::{
    ApiType, Component, Components, Gateway, Model, NamedEnum, Pattern, Portability, Queue, QueueType, ResponseMode,
    TransferMode,
};
use crate::units::Duration;

pub const DEF: PatternDef = PatternDef {
    pattern: Pattern::QueueWorker,
    title: "API Gateway to SQS to a Lambda worker",
    internal_title: Some("A private API to SQS to a Lambda worker"),
    short_name: "Queue",
    colour: (0xa6, 0x76, 0x1d),
    components: &[Component::Gateway, Component::Queue, Component::Function],
    portability: (Portability::AwsNative, "SQS messages, API Gateway's SQS integration and Lambda are AWS-specific"),
    validate,
    alternative,
    added: true,
    policies: "(a gateway, a queue and a function) gets the gateway rules (the API enqueues, so its WAF, throttle and authorizer apply), the function rules (the worker) and the queue's own (`queue-visibility-covers-retries`, `queue-visibility-covers-job`, `queue-dead-letter-in-production`, `queue-worker-keeps-up`, `queue-worker-concurrency-capped`, `job-fits-worker-timeout`, `job-batch-fits-worker-timeout`, `job-completion-deadline`); the rules that hold the job's length or the peak against a synchronous path (`gateway-sync-limit`, `max-request-time`, `long-requests-need-alb`, `lambda-concurrency-quota`, `lambda-concurrency-headroom`) say `when queue is not set`, since its caller is answered 202 and does not wait for the job, and the queue holds the peak.",
    path: ENQUEUES,
};

/// The path of an API that enqueues into SQS, whatever worker reads the
/// queue: a body of one message, no WebSocket, no stream.
pub(super) const ENQUEUES: PathRules = PathRules {
    body_max: Some((q::MESSAGE_MAX, "SQS's message limit")),
    no_websockets: Some((q::API_ENQUEUES, "an API that enqueues into SQS answers each request once: no WebSocket")),
    no_streaming: Some((q::NO_STREAM_TO_SQS, "an API that enqueues into SQS answers 202 and streams nothing")),
    lcu_gb_per_hour_tenths: None,
};

/// What AWS refuses between the API, the queue and the Lambda worker.
fn validate(m: &Model, v: &mut Validator<'_>) {
    enqueueing(m, v);
    if let (Some(f), Some(queue)) = (m.function(), m.queue())
        && f.timeout > queue.visibility_timeout
    {
        let six = Duration::from_secs(f.timeout.as_millis() / 1000 * u64::from(q::SIX_TIMEOUTS.value));
        v.conflict(
            "function.timeout",
            "queue.visibility_timeout",
            format!(
                "the worker's timeout of {} is longer than the queue's visibility timeout of {}",
                f.timeout, queue.visibility_timeout
            ),
            ("function timeout".into(), "visibility timeout".into()),
            format!(
                "write `visibility_timeout: {}` (six times the timeout, AWS's advice) or at least `{}`; {}",
                six.min(q::VISIBILITY_MAX.value),
                f.timeout,
                cite(&q::TIMEOUT_WITHIN_VISIBILITY)
            ),
        );
    }
}

/// What AWS refuses of an API that enqueues into SQS, and a workload such
/// a path cannot answer, whatever worker reads the queue.
pub(super) fn enqueueing(m: &Model, v: &mut Validator<'_>) {
    let name = m.pattern().name();
    if let Some(g) = m.gateway() {
        if g.api == ApiType::Websocket {
            v.conflict(
                "gateway.api",
                "pattern",
                format!("a `{name}` API is a REST or HTTP API, not a WebSocket API"),
                ("WebSocket".into(), "pattern".into()),
                format!(
                    "write `api: rest` or `api: http` (the API enqueues each request and answers at once); WebSocket clients need `lambda_api_gateway` with `api: websocket` or an ALB; {}",
                    cite(&q::API_ENQUEUES)
                ),
            );
        }
        if g.transfer == TransferMode::Stream {
            v.conflict(
                "gateway.transfer",
                "pattern",
                "an API that enqueues into SQS does not stream its response".into(),
                ("stream".into(), "pattern".into()),
                format!("remove `transfer` (the API answers 202 at once); {}", cite(&q::NO_STREAM_TO_SQS)),
            );
        }
    }
    let w = &m.common.workload;
    // The largest body as every other check reads it: `max_payload`, or
    // `avg_payload` when larger or alone (patterns::payload::largest).
    if let Some(largest) = super::payload::largest(w).filter(|l| l.size > q::MESSAGE_MAX.value) {
        let (payload, average) = (largest.size, if largest.from == "workload.avg_payload" { " average" } else { "" });
        v.conflict(
            largest.from,
            "pattern",
            format!("a `{payload}`{average} body does not fit one SQS message of at most {}", q::MESSAGE_MAX.value),
            (format!("above {}", q::MESSAGE_MAX.value), "pattern".into()),
            format!(
                "upload large bodies to S3 with a presigned URL and enqueue the key; {}",
                cite(&q::MESSAGE_MAX.source)
            ),
        );
    }
    if w.response != ResponseMode::Async {
        v.conflict(
            "workload.response",
            "pattern",
            format!("a `{name}` API answers 202 before the job runs, but the callers wait for the result"),
            (format!("`{}`", w.response.name()), "pattern".into()),
            "write `response: async` when callers accept 202 and fetch the result later; callers that need the result in the response need a synchronous pattern (`lambda_function_url`, `lambda_alb`, `fargate_alb`)".into(),
        );
    }
}

/// For an async workload only (without WebSockets, bodies of one SQS
/// message at most): the API it had (or a REST API), a queue in
/// front of the function it had (or one sized like its compute). The
/// visibility timeout is six times the function's timeout (AWS's advice);
/// a dead-letter queue after 5 receives (AWS's advice for Lambda: at least
/// 5, services-sqs-configure.html); as many messages a batch as the
/// function's timeout runs jobs one after another, 1 to 10.
fn alternative(from: &Model) -> Option<Components> {
    let gateway = enqueueing_gateway(from)?;
    let (memory, architecture) = sizing::compute_of(from)?;
    let function = from.function().cloned().unwrap_or_else(|| sizing::function_for(from, memory, architecture));
    let timeout = function.timeout.as_millis() / 1000;
    let longest = from.common.workload.max_request_duration.as_millis().max(1);
    let batch = (function.timeout.as_millis() / longest).clamp(1, 10);
    let visibility = Duration::from_secs(timeout * u64::from(q::SIX_TIMEOUTS.value)).min(q::VISIBILITY_MAX.value);
    Some(Components {
        gateway: Some(gateway),
        queue: Some(Queue {
            kind: QueueType::Standard,
            visibility_timeout: visibility.max(q::VISIBILITY_DEFAULT.value),
            retention: q::RETENTION_DEFAULT.value,
            max_receives: Some(5),
            batch_size: u32::try_from(batch).unwrap_or(1),
            batching_window: Duration::ZERO,
            max_concurrency: None,
        }),
        function: Some(function),
        ..Components::default()
    })
}

/// For an async workload only (without WebSockets, bodies of one SQS
/// message at most): the API `from` had, buffered (it answers 202 at
/// once), or a REST API.
pub(super) fn enqueueing_gateway(from: &Model) -> Option<Gateway> {
    let w = &from.common.workload;
    let too_large = super::payload::largest(w).is_some_and(|l| l.size > q::MESSAGE_MAX.value);
    if w.response != ResponseMode::Async || w.websockets || too_large {
        return None;
    }
    let mut gateway =
        from.gateway().filter(|g| g.api != ApiType::Websocket).cloned().unwrap_or_else(|| sizing::gateway_for(from));
    if gateway.transfer == TransferMode::Stream {
        gateway.transfer = TransferMode::Buffered;
        gateway.integration_timeout = gateway.integration_timeout.min(crate::model::limits::REST_TIMEOUT_DEFAULT.value);
    }
    Some(gateway)
}
