//! `queue` from the SQS queue (`AWS::SQS::Queue`) and the event source
//! mapping that reads it (`AWS::Lambda::EventSourceMapping`, SAM's `SQS`
//! event, a plan's `aws_lambda_event_source_mapping`): the queue's type,
//! visibility timeout, retention and dead-letter receives, the mapping's
//! batch size, batching window and maximum concurrency.

use super::Writer;
use crate::import::resolve::{is_intrinsic, scalar_text};
use crate::import::template::Resource;
use crate::model::limits::queue as q;
use crate::yaml::{Node, Value};

/// A plan's value known only once applied (`{ Terraform::Unknown: ... }`).
fn unknown_in_plan(node: &Node) -> bool {
    matches!(&node.value, Value::Map(entries) if entries.len() == 1 && entries[0].0.name == "Terraform::Unknown")
}

pub(super) fn queue(w: &mut Writer<'_>, queue: &Resource, mapping: Option<&Resource>) {
    w.section("queue", queue.span);
    match w.property(queue, "FifoQueue") {
        Some(node) => {
            let fifo = scalar_text(&node).is_some_and(|f| f.trim().eq_ignore_ascii_case("true"));
            w.set("queue.type", Value::Str(if fifo { "fifo" } else { "standard" }.into()), node.span);
        }
        None if !w.has_property(queue, "FifoQueue") => {
            w.default("queue.type", Value::Str("standard".into()), queue, q::STANDARD_WHEN_LEFT_OUT);
        }
        None => {}
    }
    w.number_or_default(
        queue,
        "VisibilityTimeout",
        "queue.visibility_timeout",
        "s",
        (30, q::VISIBILITY_DEFAULT.source),
    );
    w.number_or_default(
        queue,
        "MessageRetentionPeriod",
        "queue.retention",
        "s",
        (4 * 24 * 3600, q::RETENTION_DEFAULT.source),
    );
    receives(w, queue);
    let Some(m) = mapping else { return };
    match w.property(m, "BatchSize") {
        Some(node) => {
            if let Some(n) = w.number(&node, "BatchSize") {
                w.set("queue.batch_size", Value::Int(i128::from(n)), node.span);
            }
        }
        None if !w.has_property(m, "BatchSize") => {
            w.default("queue.batch_size", Value::Int(10), m, q::BATCH_SIZE_DEFAULT.source);
        }
        None => {}
    }
    match w.property(m, "MaximumBatchingWindowInSeconds") {
        Some(node) => {
            if let Some(n) = w.number(&node, "MaximumBatchingWindowInSeconds") {
                w.set("queue.batching_window", Value::Str(format!("{n}s")), node.span);
            }
        }
        None if !w.has_property(m, "MaximumBatchingWindowInSeconds") => {
            w.default("queue.batching_window", Value::Str("0s".into()), m, q::WINDOW_DEFAULT);
        }
        None => {}
    }
    let concurrency = w.property(m, "ScalingConfig").and_then(|c| w.field(&c, "MaximumConcurrency"));
    match concurrency {
        Some(node) => {
            if let Some(n) = w.number(&node, "ScalingConfig.MaximumConcurrency") {
                w.set("queue.max_concurrency", Value::Int(i128::from(n)), node.span);
            }
        }
        None if !w.has_property(m, "ScalingConfig") => w.absent("queue.max_concurrency", m),
        None => {}
    }
}

/// `RedrivePolicy.maxReceiveCount` (a mapping, or the JSON text a plan
/// holds): the receives before a message moves to the dead-letter queue.
/// No redrive policy decides there is no dead-letter queue; one known only
/// once a plan is applied leaves `queue.max_receives` to the proposal (the
/// classifier notes it).
fn receives(w: &mut Writer<'_>, queue: &Resource) {
    let Some(raw) = queue.property("RedrivePolicy") else {
        w.absent("queue.max_receives", queue);
        return;
    };
    if unknown_in_plan(raw) {
        return;
    }
    // A plan's `redrive_policy = ""` (or `null`) is none.
    if matches!(&raw.value, Value::Null) || matches!(&raw.value, Value::Str(s) if s.trim().is_empty()) {
        w.absent("queue.max_receives", queue);
        return;
    }
    let Some(policy) = w.shallow(raw) else { return };
    let count = match &policy.value {
        Value::Str(text) => {
            let parsed: Option<serde_json::Value> = serde_json::from_str(text).ok();
            match parsed.as_ref().and_then(|v| v.get("maxReceiveCount")) {
                Some(n) => Some(Node { value: json_scalar(n), span: policy.span }),
                None => {
                    w.unreadable(
                        &policy,
                        "`RedrivePolicy` holds no `maxReceiveCount`".into(),
                        "write `{\"deadLetterTargetArn\": ..., \"maxReceiveCount\": 5}`",
                    );
                    return;
                }
            }
        }
        _ if is_intrinsic(&policy) => None,
        _ => w.field(&policy, "maxReceiveCount"),
    };
    let Some(count) = count else {
        w.unreadable(&policy, "`RedrivePolicy` holds no `maxReceiveCount`".into(), "write `maxReceiveCount: 5`");
        return;
    };
    if let Some(n) = w.number(&count, "RedrivePolicy.maxReceiveCount") {
        w.set("queue.max_receives", Value::Int(i128::from(n)), count.span);
    }
}

fn json_scalar(v: &serde_json::Value) -> Value {
    match v {
        serde_json::Value::String(s) => Value::Str(s.clone()),
        serde_json::Value::Bool(b) => Value::Bool(*b),
        other => Value::Str(other.to_string()),
    }
}
