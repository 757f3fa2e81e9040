//! SQS's charges for a queue between the API and the worker (`queue_worker`):
//! every request is billed per 64 KB chunk of its payload, at the queue
//! type's price per million (data/prices-us-east-1.yaml, third-party copies
//! of aws.amazon.com/sqs/pricing). Each message is sent once by the API;
//! the worker (Lambda's pollers, or a Fargate task) receives and deletes
//! the messages in calls of at most 10 (SQS's batch limit), so a batch of
//! `batch_size` takes `⌈batch_size / 10⌉` receives and deletes. A message's
//! size is the workload's `avg_payload` (the request body the API
//! enqueues; docs/cost.md).

use crate::cost::prices::price_id;
use crate::units::Amount;
use super::{Bill, DEFAULT_PAYLOAD};
use crate::model::{Model, Queue, QueueType};

/// Bytes one billed SQS request carries.
pub const CHUNK_BYTES: u64 = 64 * 1024;
/// The most messages one ReceiveMessage or DeleteMessageBatch call handles
/// (AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-batch-api.html, read 2026-12-07).
pub const MESSAGES_PER_CALL: u64 = 10;

/// The queue's requests for `r` messages a month.
pub(super) fn sqs<N: Amount>(bill: &mut Bill<'_, N>, model: &Model, queue: &Queue, r: N, free_tier: bool) {
    let payload = model.common.workload.avg_payload.unwrap_or(DEFAULT_PAYLOAD).as_bytes();
    let per_call = u64::from(queue.batch_size).clamp(1, MESSAGES_PER_CALL);
    let calls = (r / N::of(per_call)).ceil();
    let send = r * N::of(payload.div_ceil(CHUNK_BYTES).max(1));
    let receive = calls * N::of(per_call.saturating_mul(payload).div_ceil(CHUNK_BYTES).max(1));
    let delete = calls;
    let (id, kind) = match queue.kind {
        QueueType::Standard => (price_id!("sqs.standard.requests"), "standard"),
        QueueType::Fifo => (price_id!("sqs.fifo.requests"), "FIFO"),
    };
    let free = if free_tier { N::of(bill.prices.quantity_of(price_id!("sqs.free_tier.requests"))) } else { N::ZERO };
    let mut left = free;
    for (what, count) in [("SendMessage", send), ("ReceiveMessage", receive), ("DeleteMessageBatch", delete)] {
        let billed = (count - left).max(N::ZERO);
        left = (left - count).max(N::ZERO);
        bill.add(|| format!("SQS {kind} requests: {what} (64 KB chunks)"), id, billed, "requests", 1_000_000);
    }
    bill.note(format_args!(
        "SQS bills each request per 64 KB chunk: the API sends each message, the worker receives and deletes them in calls of {per_call} (the batch size, at most SQS's 10)"
    ));
    bill.note(
        "the worker also receives from an empty queue (Lambda's pollers, or a task's long polls); AWS documents no count of Lambda's, so those receives are not priced",
    );
}
