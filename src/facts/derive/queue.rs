//! The queue's facts (`queue_worker`): its settings, whether its visibility
//! timeout covers six of the worker's timeouts (AWS's advice), and how long
//! a job may take from its request to its end.

use super::Builder;
use crate::facts::value::FactValue;
use crate::model::limits::queue as q;
use crate::model::{Model, Queue};
use crate::units::Duration;

use FactValue::{Bool, Duration as Dur, Int};

pub(super) fn derive(b: &mut Builder<'_>, m: &Model) {
    let Some(queue) = m.queue() else { return };
    declared(b, queue);
    if let Some(f) = m.function() {
        let six = f.timeout.as_millis().saturating_mul(u64::from(q::SIX_TIMEOUTS.value));
        b.derived(
            "queue.visibility_covers_six_timeouts",
            Bool(queue.visibility_timeout.as_millis() >= six),
            &["queue.visibility_timeout", "function.timeout"],
            "true when the visibility timeout is at least six times the function timeout, AWS's advice so that a batch retried after throttling is not processed twice (lambda/latest/dg/services-sqs-configure.html, read 2026-12-07)",
            None,
        );
    }
    let (time, rule): (Duration, &'static str) = match queue.max_receives {
        Some(receives) => (
            completion(queue, receives, m.common.workload.max_request_duration),
            "the worst case of a job that succeeds on its last allowed receive: the batching window, then each failed receive hidden for the visibility timeout (`max_receives` − 1 of them), then the longest job",
        ),
        None => (
            completion(queue, 1, m.common.workload.max_request_duration),
            "a job that succeeds on its first receive: the batching window, then the longest job (without a dead-letter queue a failing message is received again until the queue's retention ends, so no bound holds for retries)",
        ),
    };
    b.derived(
        "job.completion_time",
        Dur(time),
        &["queue.batching_window", "queue.max_receives", "queue.visibility_timeout", "workload.max_request_duration"],
        rule,
        None,
    );
}

/// The batching window, `receives − 1` visibility timeouts and the longest job.
pub fn completion(queue: &Queue, receives: u32, longest: Duration) -> Duration {
    let retries = queue.visibility_timeout.as_millis().saturating_mul(u64::from(receives.saturating_sub(1)));
    Duration::from_millis(
        queue.batching_window.as_millis().saturating_add(retries).saturating_add(longest.as_millis()),
    )
}

fn declared(b: &mut Builder<'_>, queue: &Queue) {
    let int = |n: u32| Int(i64::from(n));
    b.declared("queue.type", FactValue::of_enum(queue.kind));
    b.declared("queue.visibility_timeout", Dur(queue.visibility_timeout));
    b.declared("queue.retention", Dur(queue.retention));
    b.declared("queue.batch_size", int(queue.batch_size));
    b.declared("queue.batching_window", Dur(queue.batching_window));
    if let Some(n) = queue.max_concurrency {
        b.declared("queue.max_concurrency", int(n));
    }
    match queue.max_receives {
        Some(n) => {
            b.declared("queue.max_receives", int(n));
            b.derived("queue.dead_letter", Bool(true), &["queue.max_receives"], "a redrive policy moves a message to the dead-letter queue after `max_receives` receives", None);
        }
        None => b.derived("queue.dead_letter", Bool(false), &["queue.max_receives"], "no `max_receives`: the queue has no redrive policy, so no dead-letter queue", None),
    }
}
