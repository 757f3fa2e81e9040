//! Lambda functions behind a load balancer: a target group of type `lambda`
//! whose `Targets[].Id` names a function (or an alias of it), on a listener
//! of an ALB. The path is `load_balancer → function` (`lambda_alb`); the
//! Lambda permission that lets the ALB invoke the function is one of its
//! resources when the template has it. A Terraform plan registers the
//! function with an `aws_lb_target_group_attachment`, which lowering turns
//! into the group's reference to it (`terraform/links.rs`); the attachment
//! is one of the service's resources.

use super::{ImportedService, STEP, Work, links, say, serving};
use crate::import::template::{Flavor, Resource, Template};
use crate::model::Component;
use crate::untrusted::Untrusted;

/// What reaches a listener from API Gateway: an HTTP API's integration
/// through a VPC link names the listener (`IntegrationUri`).
const GATEWAY_INTEGRATIONS: &[&str] = &["AWS::ApiGatewayV2::Integration", "AWS::ApiGateway::Method"];

/// The principal an ALB invokes a Lambda target as.
const ELB_PRINCIPAL: &str = "elasticloadbalancing.amazonaws.com";

pub(super) fn alb_lambda_services(t: &Template, classification: &mut super::Classification) {
    for group in t.of_kind(&[links::TARGET_GROUP]).filter(|g| links::target_type(g) == "lambda") {
        if t.fuel.spend(Work::Classification, STEP.saturating_mul(group.refs.len() as u64 + 1), group.span).is_err() {
            return;
        }
        let targets = links::functions_named(t, &links::refs_at(t, group, &["Targets"]));
        let listeners = links::listeners_of(t, group);
        let fronts: Vec<(&Resource, &Resource)> =
            listeners.iter().filter_map(|l| links::load_balancer_of(t, l).map(|lb| (lb, *l))).collect();
        let why_not = if targets.is_empty() && t.flavor == Flavor::TerraformPlan {
            Some(match attachments(t, group).as_slice() {
                [] => "no `aws_lb_target_group_attachment` of this plan registers a target in it".to_string(),
                found => {
                    let names: Vec<String> = found.iter().map(|a| format!("`{}`", a.name())).collect();
                    // An attachment that refers to nothing but groups: its target is not a resource here.
                    let only_groups = |a: &&Resource| {
                        a.refs.iter().all(|id| t.resources.get(id).is_none_or(|r| r.kind == links::TARGET_GROUP))
                    };
                    let what = if found.iter().all(only_groups) {
                        "names no resource of this plan (a literal ARN, a root module variable, or a `for_each` value, `each.value`, which import does not follow)"
                    } else {
                        "names no Lambda function of this plan"
                    };
                    format!("the `target_id` of its attachment {} {what}", names.join(", "))
                }
            })
        } else if targets.is_empty() {
            Some("its `Targets` names no Lambda function of this template".to_string())
        } else if fronts.is_empty() {
            Some("it is on no listener of a load balancer of this template".to_string())
        } else {
            None
        };
        if let Some(why) = why_not {
            say(&mut classification.not_a_pattern, format!("`{}` is a target group of type `lambda`: {why}", group.name()));
            continue;
        }
        // One service per load balancer the group is on: a group on the
        // listeners of two ALBs (an internal and a public one) is two front
        // doors, each judged with its own scheme.
        let mut seen = std::collections::BTreeSet::new();
        for (lb, listener) in fronts.into_iter().filter(|(lb, _)| seen.insert(lb.id.clone())) {
            lambda_alb_service(t, classification, group, lb, listener, &targets);
        }
    }
}

/// The `lambda_alb` service of each target of `group` behind `lb`'s `listener`.
fn lambda_alb_service(
    t: &Template,
    classification: &mut super::Classification,
    group: &Resource,
    lb: &Resource,
    listener: &Resource,
    targets: &[(String, Option<String>)],
) {
    // An ALB that an NLB's `alb` target group or an API's integration
    // (through a VPC link) reaches is behind a gateway: no pattern is
    // built of that path. Other resources naming the listener (its
    // certificates, its rules) are the ALB's own.
    let fronted = t.referring_to(&lb.id).any(|r| r.kind == links::TARGET_GROUP)
        || t.referring_to(&listener.id).any(|r| GATEWAY_INTEGRATIONS.contains(&r.kind.as_str()));
    let path: &[Component] = if fronted {
        &[Component::Gateway, Component::VpcLink, Component::LoadBalancer, Component::Function]
    } else {
        &[Component::LoadBalancer, Component::Function]
    };
    for (function, alias) in targets.iter().cloned() {
        let name = t.resources.get(&function).map_or(function.as_str(), |r| r.name()).to_string();
        let mut resources = vec![lb.id.clone(), listener.id.clone(), group.id.clone()];
        let target = alias.as_deref().unwrap_or(&function);
        resources.extend(attachments(t, group).into_iter().filter(|a| a.refs.contains(target)).map(|a| a.id.clone()));
        resources.extend(permission(t, &function, alias.as_deref()));
        resources.extend(alias);
        resources.push(function.clone());
        serving(classification, path, &name, |pattern| ImportedService {
            pattern,
            select: function.clone().into(),
            why: format!(
                "the load balancer `{}` forwards to the target group `{}` of type `lambda`, whose target is the Lambda function `{name}`",
                lb.name(),
                group.name()
            )
            .into(),
            resources: resources.into_iter().map(Untrusted::from).collect(),
            notes: Vec::new(),
        });
    }
}

/// The `AWS::Lambda::Permission` that lets the load balancer invoke the
/// function (or the alias it targets), when the template has one.
fn permission(t: &Template, function: &str, alias: Option<&str>) -> Option<String> {
    t.of_kind(&["AWS::Lambda::Permission"])
        .filter(|p| p.text("Principal") == Some(ELB_PRINCIPAL))
        .find(|p| {
            let named = links::refs_at(t, p, &["FunctionName"]);
            named.contains(function) || alias.is_some_and(|a| named.contains(a))
        })
        .map(|p| p.id.clone())
}

/// A plan's attachments that register a target in `group` (none in a template).
fn attachments<'a>(t: &'a Template, group: &Resource) -> Vec<&'a Resource> {
    t.referring_to(&group.id).filter(|r| links::TARGET_ATTACHMENTS.contains(&r.kind.as_str())).collect()
}
