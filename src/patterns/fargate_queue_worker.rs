//! `fargate_queue_worker`: Route 53 → API Gateway (REST or HTTP API) with
//! an SQS integration: the API enqueues each request and answers 202
//! Accepted → SQS holds it → an ECS service on Fargate receives the
//! messages and does the work, scaled by Application Auto Scaling on the
//! queue's backlog per task, to none when the queue is empty if
//! `tasks.min` is 0. The same front as `queue_worker` (its rules are
//! shared: `queue_worker::enqueueing`), with a worker that has no timeout:
//! a job longer than Lambda's 15 minutes is the reason to choose it, and
//! the queue's visibility timeout is then the job's only bound (the
//! standard policy `queue-visibility-covers-job`).
//!
//! AWS's words, read 2026-12-07: an ECS service scales on a queue with a
//! target tracking policy on the backlog per task, the messages available
//! for retrieval over the tasks running
//! (autoscaling/application/userguide/application-auto-scaling-target-tracking-metric-math.html);
//! the visibility timeout starts when SQS returns a message, and is set to
//! the time the consumer needs to process and delete it, or extended with
//! ChangeMessageVisibility
//! (AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-visibility-timeout.html).

use super::queue_worker::{ENQUEUES, enqueueing, enqueueing_gateway};
use super::{PatternDef, sizing};
use crate::model::limits::queue as q;
use crate::model::limits::{Confidence, Limit, ReadOn};
use crate::model::validate::{Validator, cite};
use crate::model::{Authorizer, Component, Components, Model, Pattern, Portability, Queue, QueueType, ServiceAuth};
use crate::units::Duration;

pub const DEF: PatternDef = PatternDef {
    pattern: Pattern::FargateQueueWorker,
    title: "API Gateway to SQS to a Fargate worker",
    internal_title: Some("A private API to SQS to a Fargate worker"),
    short_name: "Queue+Fargate",
    colour: (0x66, 0x66, 0x66),
    components: &[Component::Gateway, Component::Queue, Component::Service],
    portability: (
        Portability::PortableCompute,
        "the worker is a container; SQS and API Gateway's SQS integration in front of it are AWS-specific",
    ),
    validate,
    alternative,
    added: true,
    policies: "(a gateway, a queue and a Fargate service) gets the gateway rules (the API enqueues), the Fargate rules (`tasks-pull-images`, `private-compute`) and the queue rules that read no function (`queue-dead-letter-in-production`, `queue-visibility-covers-job`, `queue-worker-keeps-up`, `job-completion-deadline`); the Lambda worker's (`job-fits-worker-timeout`, `job-batch-fits-worker-timeout`, `queue-visibility-covers-retries`, `queue-worker-concurrency-capped`, the Lambda concurrency and runtime rules) say `when function is set`, since a task has no timeout and no event source mapping: the visibility timeout is its job's only bound.",
    path: ENQUEUES,
};

const READ: ReadOn = ReadOn("2026-12-07");

/// A worker of its own receives at most 10 messages a call.
pub const RECEIVE_MAX: Limit<u32> = READ.limit(
    10,
    "ReceiveMessage's MaxNumberOfMessages is 1 to 10",
    "AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html",
    Confidence::Verified,
);

/// What AWS refuses of the API that enqueues (`queue_worker`'s rules), and
/// the settings of Lambda's event source mapping, which a Fargate worker
/// does not have: it calls ReceiveMessage itself.
fn validate(m: &Model, v: &mut Validator<'_>) {
    enqueueing(m, v);
    if let Some(s) = m.service() {
        let authorizer = m.gateway().map_or(Authorizer::None, |g| g.authorizer);
        if s.auth == ServiceAuth::Gateway && authorizer == Authorizer::None {
            v.conflict(
                "service.auth",
                "gateway.authorizer",
                "`auth: gateway` needs an authorizer on the API in front, and it has none".into(),
                ("gateway auth".into(), "no authorizer".into()),
                "give the API an authorizer (`gateway.authorizer`), or write the worker's own `auth`".into(),
            );
        }
        if matches!(s.auth, ServiceAuth::AlbOidc | ServiceAuth::AlbCognito) {
            v.conflict(
                "service.auth",
                "pattern",
                format!("`auth: {}` is an ALB's, and a `fargate_queue_worker` has no ALB", s.auth),
                ("ALB auth".into(), "no ALB".into()),
                "authorize at the API (`gateway.authorizer` and `auth: gateway`), or write `library`, `sidecar`, `mesh` or `none`".into(),
            );
        }
    }
    let Some(queue) = m.queue() else { return };
    if queue.batch_size > RECEIVE_MAX.value {
        v.conflict(
            "queue.batch_size",
            "pattern",
            format!("a Fargate worker receives at most {} messages a call, not {}", RECEIVE_MAX.value, queue.batch_size),
            (format!("at most {}", RECEIVE_MAX.value), "Fargate worker".into()),
            format!(
                "write `batch_size: {}` or less (the messages one ReceiveMessage call returns); {}",
                RECEIVE_MAX.value,
                cite(&RECEIVE_MAX.source)
            ),
        );
    }
    if queue.batching_window > Duration::ZERO {
        v.conflict(
            "queue.batching_window",
            "pattern",
            "a Fargate worker has no event source mapping, so no batching window".into(),
            ("batching window".into(), "Fargate worker".into()),
            "remove `batching_window`: the worker receives the messages itself (a long poll waits up to 20s for them)"
                .into(),
        );
    }
    if queue.max_concurrency.is_some() {
        v.conflict(
            "queue.max_concurrency",
            "pattern",
            "`max_concurrency` caps a Lambda event source mapping, and a Fargate worker has none".into(),
            ("mapping setting".into(), "Fargate worker".into()),
            "remove `max_concurrency`; the worker runs at most `service.tasks.max` tasks".into(),
        );
    }
}

/// For an async workload only (as `queue_worker`'s): the API `from` had,
/// a queue that hides a message for the longest job (AWS's advice for a
/// consumer of its own; at least SQS's 30 s default), with a dead-letter
/// queue after 5 receives, and the service `from` had or one sized like its
/// compute, free to scale in to no task when the queue is empty (a job then
/// waits for a task to start, which a caller answered 202 does not see).
/// Tasks take one message a receive, so that the visibility timeout covers
/// the job each holds. `None` for a job longer than SQS's 12-hour
/// visibility timeout, which no worker can hold a message for.
fn alternative(from: &Model) -> Option<Components> {
    let gateway = enqueueing_gateway(from)?;
    let longest = from.common.workload.max_request_duration;
    if longest > q::VISIBILITY_MAX.value {
        return None;
    }
    let (memory, architecture) = sizing::compute_of(from)?;
    let authorized = gateway.authorizer != Authorizer::None;
    let mut service =
        from.service().cloned().unwrap_or_else(|| sizing::service_for(from, memory, architecture, authorized));
    // The API authorizes when it can; an ALB's auth has no ALB here.
    service.auth = match service.auth {
        _ if authorized => ServiceAuth::Gateway,
        ServiceAuth::Gateway | ServiceAuth::AlbOidc | ServiceAuth::AlbCognito => ServiceAuth::Library,
        other => other,
    };
    service.tasks.min = 0;
    let visibility = Duration::from_secs(longest.as_millis().div_ceil(1000)).max(q::VISIBILITY_DEFAULT.value);
    let queue = match from.queue() {
        Some(had) => Queue { batch_size: 1, batching_window: Duration::ZERO, max_concurrency: None, ..had.clone() },
        None => Queue {
            kind: QueueType::Standard,
            visibility_timeout: visibility,
            retention: q::RETENTION_DEFAULT.value,
            max_receives: Some(5),
            batch_size: 1,
            batching_window: Duration::ZERO,
            max_concurrency: None,
        },
    };
    let queue = Queue { visibility_timeout: queue.visibility_timeout.max(visibility), ..queue };
    Some(Components { gateway: Some(gateway), queue: Some(queue), service: Some(service), ..Components::default() })
}
