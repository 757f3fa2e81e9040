//! The queue's facts (`queue_worker`): its settings, whether its visibility
//! timeout covers six of the worker's timeouts (AWS's advice), and how long
//! a job may take from its request to its end, and whether the worker keeps
//! up with the jobs.

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
    workers(b, m, queue);
    b.derived(
        "job.completion_time",
        Dur(time),
        &["queue.batching_window", "queue.max_receives", "queue.visibility_timeout", "workload.max_request_duration"],
        rule,
        None,
    );
}

/// How many jobs run at once on average to keep up (the queue holds the
/// peaks, so the worker drains the month's average rate), and the most the
/// worker runs at once, from whichever compute reads the queue.
fn workers(b: &mut Builder<'_>, m: &Model, queue: &Queue) {
    let w = &m.common.workload;
    let ms_per_month = u128::from(crate::model::limits::workload::SECONDS_PER_MONTH) * 1000;
    let jobs = (u128::from(w.requests_per_month) * u128::from(w.avg_duration.as_millis())).div_ceil(ms_per_month);
    b.derived(
        "job.concurrency",
        Int(i64::try_from(jobs).unwrap_or(i64::MAX)),
        &["workload.requests_per_month", "workload.avg_duration"],
        "jobs in flight on average: the month's requests times `avg_duration` over the month, rounded up (the queue holds the peaks, so this is what the worker must run at once to keep up)",
        None,
    );
    if m.function().is_some() {
        let mapping = queue.max_concurrency.unwrap_or(q::ESM_BATCHES_MAX.value);
        let most = mapping.min(m.common.account.lambda_concurrency);
        b.derived(
            "job.worker_concurrency",
            Int(i64::from(most)),
            &["queue.max_concurrency", "account.lambda_concurrency"],
            "the event source mapping's `max_concurrency` (without it, the 1,000 batches a mapping processes at once, lambda/latest/dg/services-sqs-scaling.html, read 2026-12-07), at most the account's concurrency",
            None,
        );
    }
    if let Some(s) = m.service() {
        use rust_decimal::prelude::ToPrimitive;
        let per_task = crate::patterns::sizing::concurrency_per_task(s);
        let most = (rust_decimal::Decimal::from(s.tasks.max) * per_task).floor().to_i64().unwrap_or(i64::MAX);
        b.derived(
            "job.worker_concurrency",
            Int(most),
            &["service.tasks.max", "service.cpu"],
            "`tasks.max` times the jobs one task runs at once (`concurrency_per_task`, or 10 per vCPU)",
            None,
        );
    }
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
