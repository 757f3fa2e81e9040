//! A queue in front of a worker: an API whose integration sends each
//! request to an SQS queue (a REST method's `AWS` integration whose `Uri`
//! is `arn:aws:apigateway:REGION:sqs:path/ACCOUNT/QUEUE` or
//! `...:sqs:action/SendMessage`, an HTTP API integration of subtype
//! `SQS-SendMessage` whose `RequestParameters.QueueUrl` names the queue, or
//! either in an inline OpenAPI definition), and an event source mapping
//! whose `EventSourceArn` is that queue and whose `FunctionName` is the
//! worker (SAM's `SQS` event is one, made by `sam::transform`; a plan's
//! `aws_lambda_event_source_mapping` another). The path is
//! `gateway → queue → function` (`queue_worker`), joined only where the
//! integration's references name the very queue the mapping reads: an API
//! that sends to queue A and a mapping that reads queue B are two parts
//! of the template, each said, never one service.

use std::collections::BTreeSet;

use super::{ImportedService, STEP, Work, links, say, serving};
use crate::import::reach::apis;
use crate::import::template::{Flavor, Resource, Template};
use crate::model::Component;
use crate::untrusted::Untrusted;
use crate::yaml::{Node, Value};

pub(in crate::import) const QUEUE: &str = "AWS::SQS::Queue";
pub(in crate::import) const MAPPING: &str = "AWS::Lambda::EventSourceMapping";

/// One API integration that talks to SQS.
pub(super) struct SqsIntegration {
    pub(super) api: String,
    pub(super) kind: &'static str,
    /// The method, integration or API (inline OpenAPI) that states it.
    pub(super) holder: String,
    /// The queues of the template its references name.
    queues: BTreeSet<String>,
    /// `None` when it sends messages; else the action it takes instead.
    other_action: Option<String>,
}

/// One event source mapping: the queues it reads and the functions it invokes.
struct Mapping<'a> {
    mapping: &'a Resource,
    queues: Vec<&'a Resource>,
    functions: Vec<(String, Option<String>)>,
}

/// Every text of a node, intrinsics' arguments included.
fn texts<'n>(node: &'n Node, out: &mut Vec<&'n str>) {
    match &node.value {
        Value::Str(s) => out.push(s),
        Value::Map(entries) => entries.iter().for_each(|(_, v)| texts(v, out)),
        Value::Seq(items) => items.iter().for_each(|i| texts(i, out)),
        _ => {}
    }
}

fn mentions(node: Option<&Node>, needle: &str) -> bool {
    let mut all = Vec::new();
    if let Some(node) = node {
        texts(node, &mut all);
    }
    all.iter().any(|t| t.contains(needle))
}

/// The SQS action an integration's texts name other than sending, for
/// the reason (`ReceiveMessage`, `DeleteMessage`, `PurgeQueue`), or `None`
/// when it sends (`SendMessage`, `SendMessageBatch`).
fn action(node: Option<&Node>, subtype: Option<&str>) -> Option<String> {
    if let Some(subtype) = subtype {
        let action = subtype.strip_prefix("SQS-").unwrap_or(subtype);
        return (!action.eq_ignore_ascii_case("SendMessage")).then(|| action.to_string());
    }
    if mentions(node, "SendMessage") {
        return None;
    }
    for known in ["ReceiveMessage", "DeleteMessage", "PurgeQueue", "ChangeMessageVisibility"] {
        if mentions(node, known) {
            return Some(known.into());
        }
    }
    Some("no `SendMessage` action".into())
}

fn queues_in(t: &Template, ids: &BTreeSet<String>) -> BTreeSet<String> {
    links::of_kinds(t, ids, &[QUEUE]).into_iter().map(|q| q.id.clone()).collect()
}

fn text_of(node: Option<&Node>) -> Option<&str> {
    match &node?.value {
        Value::Str(s) => Some(s),
        _ => None,
    }
}

/// Every API integration of the template that talks to SQS.
fn sqs_integrations(t: &Template) -> Vec<SqsIntegration> {
    let kinds: Vec<(String, &'static str)> = apis(t);
    let kind_of = |id: &str| kinds.iter().find(|(a, _)| a == id).map_or("API", |(_, k)| *k);
    let mut out = Vec::new();
    for r in t.resources.values() {
        match r.kind.as_str() {
            "AWS::ApiGateway::Method" => {
                let integration = r.property("Integration");
                let aws = text_of(integration.and_then(|i| i.get("Type"))).is_some_and(|k| k.eq_ignore_ascii_case("AWS"));
                let queues = queues_in(t, &links::refs_at(t, r, &["Integration"]));
                let uri = integration.and_then(|i| i.get("Uri"));
                // A plan's `uri` may be known only once applied: its reference to a queue tells.
                if !aws || !(mentions(uri, ":sqs:") || t.flavor == Flavor::TerraformPlan && !queues.is_empty()) {
                    continue;
                }
                for api in links::of_kinds(t, &links::refs_at(t, r, &["RestApiId"]), links::REST_APIS) {
                    out.push(SqsIntegration {
                        api: api.id.clone(),
                        kind: kind_of(&api.id),
                        holder: r.id.clone(),
                        queues: queues.clone(),
                        other_action: action(integration, None),
                    });
                }
            }
            "AWS::ApiGatewayV2::Integration" => {
                let subtype = r.text("IntegrationSubtype").filter(|s| s.to_ascii_uppercase().starts_with("SQS-"));
                let aws = r.text("IntegrationType").is_some_and(|k| k.eq_ignore_ascii_case("AWS"));
                let websocket_sqs = aws && mentions(r.property("IntegrationUri"), ":sqs:");
                if subtype.is_none() && !websocket_sqs {
                    continue;
                }
                let mut refs = links::refs_at(t, r, &["RequestParameters"]);
                refs.extend(links::refs_at(t, r, &["IntegrationUri"]));
                refs.extend(links::refs_at(t, r, &["RequestTemplates"]));
                for api in links::of_kinds(t, &links::refs_at(t, r, &["ApiId"]), links::V2_APIS) {
                    out.push(SqsIntegration {
                        api: api.id.clone(),
                        kind: kind_of(&api.id),
                        holder: r.id.clone(),
                        queues: queues_in(t, &refs),
                        other_action: action(r.properties.as_ref(), subtype),
                    });
                }
            }
            kind if links::REST_APIS.contains(&kind) || links::V2_APIS.contains(&kind) => {
                for body in ["Body", "DefinitionBody"].iter().filter_map(|k| r.property(k)) {
                    openapi(t, r, kind_of(&r.id), body, &mut out);
                }
            }
            _ => {}
        }
    }
    out
}

/// The `x-amazon-apigateway-integration` objects of an inline OpenAPI
/// definition that talk to SQS: `integrationSubtype: SQS-...`, or an
/// `aws` integration whose `uri` is SQS's.
fn openapi(t: &Template, api: &Resource, kind: &'static str, node: &Node, out: &mut Vec<SqsIntegration>) {
    match &node.value {
        Value::Map(entries) => {
            for (key, value) in entries {
                if key.name != "x-amazon-apigateway-integration" {
                    openapi(t, api, kind, value, out);
                    continue;
                }
                let subtype = text_of(value.get("integrationSubtype")).filter(|s| s.to_ascii_uppercase().starts_with("SQS-"));
                let aws = text_of(value.get("type")).is_some_and(|k| k.eq_ignore_ascii_case("aws"));
                if subtype.is_none() && !(aws && mentions(value.get("uri"), ":sqs:")) {
                    continue;
                }
                out.push(SqsIntegration {
                    api: api.id.clone(),
                    kind,
                    holder: api.id.clone(),
                    queues: queues_in(t, &links::node_refs(value)),
                    other_action: action(Some(value), subtype),
                });
            }
        }
        Value::Seq(items) => items.iter().for_each(|i| openapi(t, api, kind, i, out)),
        _ => {}
    }
}

/// The APIs whose integrations talk to SQS: they are said here, not as APIs
/// that reach no function.
pub(super) fn sqs_fronts(t: &Template) -> BTreeSet<String> {
    sqs_integrations(t).into_iter().map(|i| i.api).collect()
}

pub(super) fn name(t: &Template, id: &str) -> String {
    t.resources.get(id).map_or(id, |r| r.name()).to_string()
}

/// Every `queue_worker` service of the template, and why each part of a
/// queue's path that the references do not close is no pattern; then the
/// `fargate_queue_worker` services of the Fargate services that scale on
/// a queue (`readers`, found by `classify::queue_scaling`). A queue that both a
/// mapping and a Fargate service read is said, and neither is guessed.
pub(super) fn queue_services(t: &Template, classification: &mut super::Classification, readers: &[Reader<'_>]) {
    let integrations = sqs_integrations(t);
    // The integrations that send to each queue, found by lookup rather than a scan per queue.
    let mut senders_of: std::collections::HashMap<&str, Vec<&SqsIntegration>> = std::collections::HashMap::new();
    for i in integrations.iter().filter(|i| i.other_action.is_none()) {
        for q in &i.queues {
            senders_of.entry(q.as_str()).or_default().push(i);
        }
    }
    let Some(mappings) = read_mappings(t, classification) else { return };
    let mut read: BTreeSet<String> = readers.iter().map(|r| r.queue.id.clone()).collect();
    let mut seen: BTreeSet<(String, String, String)> = BTreeSet::new();
    let mut both: BTreeSet<String> = BTreeSet::new();
    for Mapping { mapping, queues, functions } in &mappings {
        if queues.is_empty() {
            say(
                &mut classification.not_a_pattern,
                format!(
                    "`{}` invokes a function from an event source that is no SQS queue of this template (a stream, or a queue of another stack: its `EventSourceArn`), which no pattern models",
                    mapping.name()
                ),
            );
            continue;
        }
        read.extend(queues.iter().map(|q| q.id.clone()));
        if functions.is_empty() {
            say(
                &mut classification.not_a_pattern,
                format!("`{}` reads a queue, but its `FunctionName` names no Lambda function of this template", mapping.name()),
            );
            continue;
        }
        for queue in queues {
            if let Some(r) = readers.iter().find(|r| r.queue.id == queue.id) {
                if both.insert(queue.id.clone()) {
                    read_twice(t, classification, r, mapping, functions);
                }
                continue;
            }
            let senders: &[&SqsIntegration] = senders_of.get(queue.id.as_str()).map_or(&[], Vec::as_slice);
            for (function, alias) in functions {
                if t.fuel.spend(Work::Classification, STEP.saturating_mul(senders.len() as u64 + 1), mapping.span).is_err() {
                    return;
                }
                let fname = name(t, function);
                if senders.is_empty() {
                    say(
                        &mut classification.not_a_pattern,
                        format!(
                            "`{fname}` reads the queue `{}` through the event source mapping `{}`: a queue consumer with no HTTP front door (no API of this template sends messages to `{}`), which no pattern models",
                            queue.name(),
                            mapping.name(),
                            queue.name()
                        ),
                    );
                    continue;
                }
                for sender in senders.iter().filter(|s| seen.insert((s.api.clone(), queue.id.clone(), function.clone()))) {
                    if sender.kind == "WebSocket API" {
                        say(
                            &mut classification.not_a_pattern,
                            format!(
                                "the WebSocket API `{}` sends messages to the queue `{}`, which `{fname}` reads: `queue_worker`'s API is a REST or HTTP API (it answers each request at once), so no pattern is built of a WebSocket API in front of a queue",
                                name(t, &sender.api),
                                queue.name()
                            ),
                        );
                        continue;
                    }
                    worker(t, classification, sender, queue, mapping, function, alias.as_deref());
                }
            }
        }
    }
    for r in readers.iter().filter(|r| !both.contains(&r.queue.id)) {
        let senders: &[&SqsIntegration] = senders_of.get(r.queue.id.as_str()).map_or(&[], Vec::as_slice);
        if t.fuel.spend(Work::Classification, STEP.saturating_mul(senders.len() as u64 + 1), r.service.span).is_err() {
            return;
        }
        fargate_workers(t, classification, r, senders);
    }
    unread(t, classification, &integrations, &read);
}

/// Every event source mapping: the queues it reads and the functions it
/// invokes; `None` once the budget runs out. A mapping that names itself
/// is said, never followed.
fn read_mappings<'a>(t: &'a Template, classification: &mut super::Classification) -> Option<Vec<Mapping<'a>>> {
    let mut mappings = Vec::new();
    for m in t.of_kind(&[MAPPING]) {
        if t.fuel.spend(Work::Classification, STEP.saturating_mul(m.refs.len() as u64 + 2), m.span).is_err() {
            return None;
        }
        let source = links::refs_at(t, m, &["EventSourceArn"]);
        let invoked = links::refs_at(t, m, &["FunctionName"]);
        // A mapping can name itself only by mistake (CloudFormation refuses the cycle): said, never followed.
        if source.contains(&m.id) || (t.flavor != Flavor::TerraformPlan && invoked.contains(&m.id)) {
            say(
                &mut classification.not_a_pattern,
                format!(
                    "`{}` refers to itself in its `EventSourceArn` or `FunctionName`: a circular reference, which CloudFormation refuses to deploy (name the queue and the function instead)",
                    m.name()
                ),
            );
            continue;
        }
        let queues = links::of_kinds(t, &source, &[QUEUE]);
        let functions = links::functions_named(t, &invoked);
        mappings.push(Mapping { mapping: m, queues, functions });
    }
    Some(mappings)
}

/// The SQS integrations that make no service: one that does not send, one
/// that names no queue, one whose queue no mapping reads.
fn unread(t: &Template, classification: &mut super::Classification, integrations: &[SqsIntegration], read: &BTreeSet<String>) {
    for i in integrations {
        let api = name(t, &i.api);
        let holder = if i.holder == i.api { String::new() } else { format!(" (`{}`)", name(t, &i.holder)) };
        if let Some(action) = &i.other_action {
            say(
                &mut classification.not_a_pattern,
                format!(
                    "the {} `{api}`{holder} integrates SQS with {action}, not `SendMessage`: it does not enqueue requests for a worker, which no pattern models",
                    i.kind
                ),
            );
        } else if i.queues.is_empty() {
            say(
                &mut classification.not_a_pattern,
                format!(
                    "the {} `{api}`{holder} sends messages to SQS, but its integration names no queue of this template by reference (a literal name or URL, or a queue of another stack): import the stack that has the queue, or name it with `Ref` / `Fn::GetAtt`",
                    i.kind
                ),
            );
        } else {
            for q in i.queues.iter().filter(|q| !read.contains(*q)) {
                say(
                    &mut classification.not_a_pattern,
                    format!(
                        "the {} `{api}`{holder} sends messages to the queue `{}`, but no event source mapping of this template reads it, and no Fargate service scales on its metric: no worker, which no pattern models",
                        i.kind,
                        name(t, q)
                    ),
                );
            }
        }
    }
}

/// The `queue_worker` service of `sender → queue → mapping → function`.
fn worker(
    t: &Template,
    classification: &mut super::Classification,
    sender: &SqsIntegration,
    queue: &Resource,
    mapping: &Resource,
    function: &str,
    alias: Option<&str>,
) {
    let fname = name(t, function);
    let mut resources = vec![sender.api.clone()];
    if sender.holder != sender.api {
        resources.push(sender.holder.clone());
    }
    resources.extend([queue.id.clone(), mapping.id.clone()]);
    resources.extend(alias.map(str::to_string));
    resources.push(function.to_string());
    let path = [Component::Gateway, Component::Queue, Component::Function];
    serving(classification, &path, &fname, |pattern| ImportedService {
        pattern,
        select: function.to_string().into(),
        why: format!(
            "the {} `{}` sends each request to the queue `{}`, and the Lambda function `{fname}` reads it through the event source mapping `{}`",
            sender.kind,
            name(t, &sender.api),
            queue.name(),
            mapping.name()
        )
        .into(),
        resources: resources.into_iter().map(Untrusted::from).collect(),
        notes: notes(queue, mapping),
    });
}

/// What the queue and the mapping state that no proposal key holds, or
/// that a plan knows only once applied, said rather than dropped.
fn notes(queue: &Resource, m: &Resource) -> Vec<Untrusted> {
    let mut out = Vec::new();
    let unknown = |n: &Node| matches!(&n.value, Value::Map(e) if e.len() == 1 && e[0].0.name == "Terraform::Unknown");
    if queue.property("RedrivePolicy").is_some_and(unknown) {
        out.push(format!(
            "the redrive policy of `{}` is known only once the plan is applied (its dead-letter queue's ARN): write `queue.max_receives` in the proposal",
            queue.name()
        ));
    }
    if m.text("Enabled").is_some_and(|e| e.eq_ignore_ascii_case("false"))
        || matches!(m.property("Enabled").map(|n| &n.value), Some(Value::Bool(false)))
    {
        out.push(format!(
            "`{}` is disabled (`Enabled: false`): the worker reads nothing until the mapping is enabled",
            m.name()
        ));
    }
    if m.property("FilterCriteria").is_some() {
        out.push(format!(
            "`{}` filters messages (`FilterCriteria`): Lambda deletes a message no filter matches without invoking the worker; no proposal key holds the filter",
            m.name()
        ));
    }
    if m.property("ProvisionedPollerConfig").is_some() {
        out.push(format!(
            "`{}` runs in provisioned mode (`ProvisionedPollerConfig`): its pollers are no proposal key, and their charge is not in `policy cost`",
            m.name()
        ));
    }
    out.into_iter().map(Untrusted::from).collect()
}

/// A Fargate service that scales on a queue's metric.
pub(super) struct Reader<'a> {
    pub service: &'a Resource,
    pub queue: &'a Resource,
    pub policy: &'a Resource,
    /// The alarm on the queue's metric that triggers a step scaling policy.
    pub alarm: Option<&'a Resource>,
}

/// How `r`'s service is tied to its queue, in words.
fn how(r: &Reader<'_>) -> String {
    match r.alarm {
        Some(alarm) => format!(
            "the alarm `{}` on the queue's metric triggers its scaling policy `{}`",
            alarm.name(),
            r.policy.name()
        ),
        None => format!("its scaling policy `{}` scales it on the queue's metric", r.policy.name()),
    }
}

/// The `fargate_queue_worker` services of `senders → r.queue → r.service`,
/// or why there is none: no API sends to the queue (a queue consumer), or
/// a WebSocket API does (`fargate_queue_worker`'s API is REST or HTTP).
fn fargate_workers(t: &Template, classification: &mut super::Classification, r: &Reader<'_>, senders: &[&SqsIntegration]) {
    let (service, queue) = (r.service, r.queue);
    if senders.is_empty() {
        say(
            &mut classification.not_a_pattern,
            format!(
                "the Fargate service `{}` reads the queue `{}` ({}): a queue consumer with no HTTP front door (no API of this template sends messages to `{}`), which no pattern models",
                service.name(),
                queue.name(),
                how(r),
                queue.name()
            ),
        );
        return;
    }
    let mut seen = BTreeSet::new();
    for sender in senders.iter().filter(|s| seen.insert(s.api.clone())) {
        if sender.kind == "WebSocket API" {
            say(
                &mut classification.not_a_pattern,
                format!(
                    "the WebSocket API `{}` sends messages to the queue `{}`, which the Fargate service `{}` reads: `fargate_queue_worker`'s API is a REST or HTTP API (it answers each request at once), so no pattern is built of a WebSocket API in front of a queue",
                    name(t, &sender.api),
                    queue.name(),
                    service.name()
                ),
            );
            continue;
        }
        let mut resources = vec![sender.api.clone()];
        if sender.holder != sender.api {
            resources.push(sender.holder.clone());
        }
        resources.push(queue.id.clone());
        resources.extend(r.alarm.map(|a| a.id.clone()));
        resources.extend([r.policy.id.clone(), service.id.clone()]);
        let path = [Component::Gateway, Component::Queue, Component::Service];
        serving(classification, &path, service.name(), |pattern| ImportedService {
            pattern,
            select: service.id.clone().into(),
            why: format!(
                "the {} `{}` sends each request to the queue `{}`, and the Fargate service `{}` reads it: {}",
                sender.kind,
                name(t, &sender.api),
                queue.name(),
                service.name(),
                how(r)
            )
            .into(),
            resources: resources.into_iter().map(Untrusted::from).collect(),
            notes: Vec::new(),
        });
    }
}

/// A queue that an event source mapping has `functions` read and that the
/// Fargate service of `r` scales on: consumers that compete for its
/// messages, said, and neither chosen.
fn read_twice(
    t: &Template,
    classification: &mut super::Classification,
    r: &Reader<'_>,
    mapping: &Resource,
    functions: &[(String, Option<String>)],
) {
    let fname = functions.iter().map(|(f, _)| format!("`{}`", name(t, f))).collect::<Vec<_>>().join(", ");
    say(
        &mut classification.not_a_pattern,
        format!(
            "the queue `{}` is read both by the Lambda function {fname} (the event source mapping `{}`) and by the Fargate service `{}` (scaled on its metric by `{}`): consumers that compete for its messages, which no pattern models; neither is chosen for it (write the proposal of the one that does the API's work by hand)",
            r.queue.name(),
            mapping.name(),
            r.service.name(),
            r.policy.name()
        ),
    );
}
