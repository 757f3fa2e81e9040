//! A queue's own limits and its event source mapping's (../shared/aws-facts.md,
//! addendum §3 and §4): each range AWS takes, and the settings a FIFO queue
//! refuses. The rules between the queue and the function or the API are
//! `queue_worker`'s (src/patterns/queue_worker.rs).

use super::{Validator, cite};
use crate::model::QueueType;
use crate::model::components::Queue;
use crate::model::limits::Limit;
use crate::model::limits::queue as q;
use crate::units::Duration;

/// The queue's settings against AWS's ranges.
pub fn queue(v: &mut Validator<'_>, queue: &Queue) {
    let zero = |max: Limit<Duration>| Limit { value: Duration::ZERO, source: max.source };
    let seconds = [
        ("visibility_timeout", "an SQS visibility timeout", queue.visibility_timeout, zero(q::VISIBILITY_MAX), q::VISIBILITY_MAX),
        ("retention", "an SQS queue's retention", queue.retention, q::RETENTION_MIN, q::RETENTION_MAX),
        ("batching_window", "a batching window", queue.batching_window, zero(q::WINDOW_MAX), q::WINDOW_MAX),
    ];
    for (key, what, value, min, max) in seconds {
        let path = format!("queue.{key}");
        if v.whole_seconds(&path, what, value, &max.source) {
            v.within(&path, what, value, min, max);
        }
    }
    if let Some(receives) = queue.max_receives {
        v.within("queue.max_receives", "the dead-letter `max_receives`", receives, q::MAX_RECEIVES_MIN, q::MAX_RECEIVES_MAX);
    }
    if let Some(n) = queue.max_concurrency {
        v.within("queue.max_concurrency", "the mapping's `max_concurrency`", n, q::MAX_CONCURRENCY_MIN, q::MAX_CONCURRENCY_MAX);
    }
    let fifo = queue.kind == QueueType::Fifo;
    let most = if fifo { q::BATCH_SIZE_FIFO_MAX } else { q::BATCH_SIZE_STANDARD_MAX };
    if fifo && queue.batch_size > most.value {
        v.conflict(
            "queue.batch_size",
            "queue.type",
            format!("a FIFO queue's event source mapping takes at most {} messages a batch, not {}", most.value, queue.batch_size),
            (format!("at most {}", most.value), "FIFO".into()),
            format!("write `batch_size: {}` or less, or use a standard queue; {}", most.value, cite(&most.source)),
        );
    } else {
        v.within("queue.batch_size", "the mapping's `batch_size`", queue.batch_size, q::BATCH_SIZE_MIN, most);
    }
    if fifo && queue.batching_window > Duration::ZERO {
        v.conflict(
            "queue.batching_window",
            "queue.type",
            "a FIFO queue's event source mapping has no batching window".into(),
            ("batching window".into(), "FIFO".into()),
            format!("remove `batching_window`, or use a standard queue; {}", cite(&q::WINDOW_MAX.source)),
        );
    }
    if !fifo && queue.batch_size > 10 && queue.batching_window < Duration::from_secs(1) {
        v.conflict(
            "queue.batch_size",
            "queue.batching_window",
            format!("a batch of {} messages needs a batching window of at least 1s", queue.batch_size),
            ("above 10".into(), "window below 1s".into()),
            format!("write `batching_window: 1s` or more, or `batch_size: 10` or less; {}", cite(&q::WINDOW_MAX.source)),
        );
    }
}
