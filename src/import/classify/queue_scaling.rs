//! A Fargate worker behind a queue (`fargate_queue_worker`): the edge from
//! an SQS queue to the ECS service that reads it is stated, by reference,
//! where AWS documents scaling a worker on its queue's depth: an
//! `AWS::ApplicationAutoScaling::ScalingPolicy` of the service (its
//! `ScalingTargetId` or `ResourceId`, [`links::scaling`]) whose target
//! tracking `CustomizedMetricSpecification` has a `QueueName` dimension
//! naming the queue (one metric, or a metric math `Metrics` list such as
//! the backlog per task), or a step scaling policy that an
//! `AWS::CloudWatch::Alarm` on such a metric triggers (`AlarmActions`).
//! A plan's `aws_appautoscaling_policy` and `aws_cloudwatch_metric_alarm`
//! carry their references whole: a queue among them is the metric's.
//!
//! The task role's `sqs:ReceiveMessage` on the queue says the tasks *may*
//! read it, as a `Lambda::Permission` says who may invoke a function: it
//! makes no edge, and is named in the reason when it is all there is.

use std::collections::BTreeSet;

use super::queues::{QUEUE, Reader, name};
use super::{Classification, STEP, Work, links, say};
use crate::import::deciding::{on_fargate, undecided};
use crate::import::resolve::{Parameters, Resolver, scalar_text};
use crate::import::template::{Flavor, Resource, Template};
use crate::yaml::{Node, Value};

const ALARMS: &[&str] = &["AWS::CloudWatch::Alarm", "aws_cloudwatch_metric_alarm"];

/// The queues a `QueueName` dimension in `node` names by reference, at
/// any depth (one metric's `Dimensions`, or each `Metrics[].MetricStat.Metric`).
fn dimensioned(t: &Template, node: &Node, out: &mut BTreeSet<String>) {
    match &node.value {
        Value::Map(entries) => {
            let named = node.get("Name").and_then(scalar_text).is_some_and(|n| n == "QueueName");
            if named && let Some(value) = node.get("Value") {
                out.extend(links::of_kinds(t, &links::node_refs(value), &[QUEUE]).into_iter().map(|q| q.id.clone()));
            }
            entries.iter().for_each(|(_, v)| dimensioned(t, v, out));
        }
        Value::Seq(items) => items.iter().for_each(|i| dimensioned(t, i, out)),
        _ => {}
    }
}

/// The queues whose metric `holder` (a policy's customized metric, an
/// alarm's metric) names; a plan's resource: the queues among its references.
fn metric_queues(t: &Template, holder: &Resource, at: Option<&Node>) -> BTreeSet<String> {
    if t.flavor == Flavor::TerraformPlan {
        return links::of_kinds(t, &holder.refs, &[QUEUE]).into_iter().map(|q| q.id.clone()).collect();
    }
    let mut out = BTreeSet::new();
    if let Some(node) = at {
        dimensioned(t, node, &mut out);
    }
    out
}

/// Whether `r` refers to itself: a circular reference CloudFormation refuses, said and never followed.
fn circular(t: &Template, r: &Resource, classification: &mut Classification) -> bool {
    if t.flavor == Flavor::TerraformPlan || !r.refs.contains(&r.id) {
        return false;
    }
    say(
        &mut classification.not_a_pattern,
        format!(
            "`{}` refers to itself: a circular reference, which CloudFormation refuses to deploy (name the queue in its metric's `QueueName` dimension and the service's scalable target instead)",
            r.name()
        ),
    );
    true
}

/// Every Fargate service of the template that scales on an SQS queue's
/// metric, with the policy (and alarm) that says so; `None` once the
/// budget runs out.
pub(super) fn readers<'a>(t: &'a Template, classification: &mut Classification) -> Option<Vec<Reader<'a>>> {
    let parameters = Parameters { values: Default::default(), use_defaults: true };
    let resolver = Resolver::new(t, &parameters);
    let resolved = |n: &Node| resolver.value(n).ok().flatten().and_then(|v| scalar_text(&v));
    let mut out = Vec::new();
    let mut said = BTreeSet::new();
    for service in t.of_kind(&["AWS::ECS::Service"]) {
        if undecided(service, &["LaunchType", "CapacityProviderStrategy"]).is_some() || !on_fargate(service) {
            continue;
        }
        let scaling = links::scaling(t, service, &resolved);
        for policy in scaling.policies {
            let cost = STEP.saturating_mul(policy.refs.len() as u64 + 2);
            t.fuel.spend(Work::Classification, cost, policy.span).ok()?;
            if !said.insert(policy.id.clone()) || circular(t, policy, classification) {
                continue;
            }
            let metric = policy
                .property("TargetTrackingScalingPolicyConfiguration")
                .and_then(|c| c.get("CustomizedMetricSpecification"));
            let tracked = if t.flavor == Flavor::TerraformPlan { None } else { metric };
            if tracked.is_some() || t.flavor == Flavor::TerraformPlan {
                for q in metric_queues(t, policy, tracked) {
                    if let Some(queue) = t.resources.get(&q) {
                        out.push(Reader { service, queue, policy, alarm: None });
                    }
                }
            }
            for alarm in t.referring_to(&policy.id).filter(|a| ALARMS.contains(&a.kind.as_str())) {
                let cost = STEP.saturating_mul(alarm.refs.len() as u64 + 2);
                t.fuel.spend(Work::Classification, cost, alarm.span).ok()?;
                if !links::refs_at(t, alarm, &["AlarmActions"]).contains(&policy.id) || circular(t, alarm, classification) {
                    continue;
                }
                for q in metric_queues(t, alarm, alarm.properties.as_ref()) {
                    if let Some(queue) = t.resources.get(&q) {
                        out.push(Reader { service, queue, policy, alarm: Some(alarm) });
                    }
                }
            }
        }
    }
    out.sort_by(|a, b| (&a.service.id, &a.queue.id).cmp(&(&b.service.id, &b.queue.id)));
    out.dedup_by(|a, b| a.service.id == b.service.id && a.queue.id == b.queue.id);
    Some(out)
}

/// The queues the task role of `service` may receive from
/// (`sqs:ReceiveMessage` or `sqs:*` on the queue by reference): the role's
/// inline `Policies`, and each `AWS::IAM::Policy` whose `Roles` names it.
/// Evidence only: a permission says what the tasks may do, not that they do.
pub(super) fn may_receive(t: &Template, service: &Resource) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let tasks = links::of_kinds(t, &links::refs_at(t, service, &["TaskDefinition"]), &["AWS::ECS::TaskDefinition"]);
    for task in tasks {
        for role in links::of_kinds(t, &links::refs_at(t, task, &["TaskRoleArn"]), &["AWS::IAM::Role"]) {
            let mut documents: Vec<&Node> = match role.property("Policies").map(|n| &n.value) {
                Some(Value::Seq(items)) => items.iter().filter_map(|p| p.get("PolicyDocument")).collect(),
                _ => Vec::new(),
            };
            let attached = t.referring_to(&role.id).filter(|p| p.kind == "AWS::IAM::Policy");
            let attached: Vec<&Resource> = attached
                .filter(|p| links::refs_at(t, p, &["Roles"]).contains(&role.id))
                .collect();
            documents.extend(attached.iter().filter_map(|p| p.property("PolicyDocument")));
            for document in documents {
                let statements: Vec<&Node> = match document.get("Statement").map(|n| &n.value) {
                    Some(Value::Seq(items)) => items.iter().collect(),
                    Some(_) => document.get("Statement").into_iter().collect(),
                    None => Vec::new(),
                };
                for s in statements {
                    let mut actions = Vec::new();
                    if let Some(a) = s.get("Action") {
                        texts(a, &mut actions);
                    }
                    let receives = actions.iter().any(|a| {
                        a.eq_ignore_ascii_case("sqs:ReceiveMessage") || a.eq_ignore_ascii_case("sqs:*")
                    });
                    if receives && let Some(resource) = s.get("Resource") {
                        let queues = links::of_kinds(t, &links::node_refs(resource), &[QUEUE]);
                        out.extend(queues.into_iter().map(|q| q.id.clone()));
                    }
                }
            }
        }
    }
    out
}

fn texts(node: &Node, out: &mut Vec<String>) {
    match &node.value {
        Value::Seq(items) => items.iter().for_each(|i| texts(i, out)),
        _ => out.extend(scalar_text(node)),
    }
}

/// Why a Fargate service with no load balancer is no pattern, when its
/// task role may receive from a queue: the permission is named, and what
/// would make the edge.
pub(super) fn permission_only(t: &Template, service: &Resource) -> String {
    let queues = may_receive(t, service);
    if queues.is_empty() {
        return String::new();
    }
    let names: Vec<String> = queues.iter().map(|q| format!("`{}`", name(t, q))).collect();
    format!(
        "; its task role may receive from the queue {} (`sqs:ReceiveMessage`), but no scaling policy of the service scales it on the queue's metric: a permission says what the tasks may do, not that they read the queue, so it joins nothing (scale the service on the queue's `ApproximateNumberOfMessagesVisible`, or the backlog per task, to import it as `fargate_queue_worker`)",
        names.join(", ")
    )
}

