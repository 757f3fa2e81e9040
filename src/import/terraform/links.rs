//! Links a plan states apart from the resource they belong to, carried to
//! it once every resource is lowered: what refers to a Lambda alias refers
//! to its function, a REST integration carries its method's
//! `AuthorizationType`, and a target group refers to what its attachments
//! register in it (CloudFormation's `Targets`).

use std::collections::{BTreeMap, BTreeSet};

use crate::import::links::{TARGET_ATTACHMENTS, TARGET_GROUP};
use crate::import::template::{Resource, Template, entries};
use crate::yaml::{Node, Value};

/// A reference to a Lambda alias is one to its function too: what invokes the alias invokes the function.
pub(super) fn through_aliases(template: &mut Template, kinds: &BTreeMap<String, String>) {
    let is_function = |id: &String| template.resources.get(id).is_some_and(|r| r.kind == "AWS::Lambda::Function");
    let functions: BTreeMap<String, Vec<String>> = template
        .resources
        .values()
        .filter(|r| kinds.get(&r.id).is_some_and(|k| k == "aws_lambda_alias"))
        .map(|alias| (alias.id.clone(), alias.refs.iter().filter(|id| is_function(id)).cloned().collect()))
        .collect();
    for resource in template.resources.values_mut() {
        let extra: Vec<String> = resource.refs.iter().filter_map(|id| functions.get(id)).flatten().cloned().collect();
        resource.refs.extend(extra);
    }
}

/// A REST integration carries the `AuthorizationType` of its method: the one
/// it refers to, or the one with its HTTP method on the same API resource.
pub(super) fn method_authorization(template: &mut Template, kinds: &BTreeMap<String, String>) {
    let is = |id: &str, kind: &str| kinds.get(id).is_some_and(|k| k == kind);
    let paths = |r: &Resource| -> BTreeSet<String> {
        r.refs.iter().filter(|id| is(id, "aws_api_gateway_resource")).cloned().collect()
    };
    // The first method (in address order) of each HTTP method and API resource, indexed once.
    let mut by_shape: BTreeMap<(&str, BTreeSet<String>), &Resource> = BTreeMap::new();
    for m in template.resources.values().filter(|m| is(&m.id, "aws_api_gateway_method")) {
        if let Some(verb) = m.text("HttpMethod") {
            by_shape.entry((verb, paths(m))).or_insert(m);
        }
    }
    let mut found = Vec::new();
    for integration in template.resources.values().filter(|r| is(&r.id, "aws_api_gateway_integration")) {
        let named = integration
            .refs
            .iter()
            .find(|id| is(id, "aws_api_gateway_method"))
            .and_then(|id| template.resources.get(id));
        let shaped = integration.text("HttpMethod").and_then(|verb| by_shape.get(&(verb, paths(integration))).copied());
        let method = match (named, shaped) {
            (Some(a), Some(b)) => Some(if a.id <= b.id { a } else { b }),
            (a, b) => a.or(b),
        };
        let authorization = method
            .and_then(|m| m.properties.as_ref())
            .and_then(entries)
            .and_then(|props| props.iter().find(|(k, _)| k.name == "AuthorizationType").cloned());
        if let Some(entry) = authorization {
            found.push((integration.id.clone(), entry));
        }
    }
    for (id, entry) in found {
        let props = template.resources.get_mut(&id).and_then(|r| r.properties.as_mut());
        if let Some(Node { value: Value::Map(props), .. }) = props
            && !props.iter().any(|(k, _)| k.name == entry.0.name)
        {
            props.push(entry);
        }
    }
}

/// An `aws_lb_target_group_attachment`: the planned resources its
/// `target_group_arn` and its `target_id` name.
pub(super) struct Attachment {
    pub groups: BTreeSet<String>,
    pub targets: BTreeSet<String>,
}

/// A Terraform type that registers one target in a target group.
pub(super) fn is_attachment(kind: &str) -> bool {
    TARGET_ATTACHMENTS.contains(&kind)
}

/// A plan registers a target in a group with a resource of its own; a
/// template states it in the group's `Targets`. The group refers to what
/// each attachment's `target_id` names, as a template's group refers to
/// its `Targets[].Id`, so the classifier follows one edge for both (a
/// `lambda` group to its function, an `alb` group to its ALB). Only
/// `target_id` counts: the attachment's reference to its group registers
/// nothing. Run after `through_aliases`, so an alias target stays an alias
/// (the classifier finds its function, once).
pub(super) fn registered_targets(template: &mut Template, attachments: &[Attachment]) {
    for attachment in attachments {
        for group in &attachment.groups {
            if let Some(r) = template.resources.get_mut(group).filter(|r| r.kind == TARGET_GROUP) {
                r.refs.extend(attachment.targets.iter().filter(|t| *t != group).cloned());
            }
        }
    }
}
