//! What a template states of a classified service that no proposal key
//! holds (per-method caching, Application Auto Scaling policies and
//! schedules), said as notes rather than dropped.

use super::links;
use super::reach::REST_APIS;
use super::template::Template;
use crate::yaml::Value;

/// Per-method caching (`MethodSettings[].CachingEnabled`) on the service's
/// API or its stages: no proposal key holds which methods cache (the stage
/// cache's size is `gateway.cache_gb`), so it is said here, not dropped.
pub(super) fn method_caching(t: &Template, front: Option<&str>) -> Vec<String> {
    let Some(api) = front.and_then(|id| t.resources.get(id)) else { return Vec::new() };
    if !REST_APIS.contains(&api.kind.as_str()) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let holders = std::iter::once(api).chain(t.referring_to(&api.id).filter(|r| r.kind == "AWS::ApiGateway::Stage"));
    for holder in holders {
        let Some(Value::Seq(entries)) = holder.property("MethodSettings").map(|n| &n.value) else { continue };
        for entry in entries {
            let on = entry.get("CachingEnabled").and_then(super::resolve::scalar_text);
            if !on.is_some_and(|o| o.eq_ignore_ascii_case("true")) {
                continue;
            }
            let text = |k: &str| entry.get(k).and_then(super::resolve::scalar_text).unwrap_or_else(|| "*".into());
            out.push(format!(
                "`{}` caches `{} {}` (`CachingEnabled`): which methods cache is not a proposal key; the stage cache's size is `gateway.cache_gb`",
                holder.name(),
                text("HttpMethod"),
                text("ResourcePath").replace("~1", "/")
            ));
        }
    }
    out
}

/// What the Application Auto Scaling of a Fargate service states that no
/// proposal key holds (the policies' metrics, targets and steps, scheduled
/// actions), and a scalable target that nothing moves, which leaves the
/// service at its `DesiredCount` (the translator reads it so).
pub(super) fn scaling_notes(t: &Template, select: &str, resolver: &super::resolve::Resolver<'_>) -> Vec<String> {
    let Some(ecs) = t.resources.get(select).filter(|r| r.kind == "AWS::ECS::Service") else {
        return Vec::new();
    };
    let resolved =
        |n: &crate::yaml::Node| resolver.value(n).ok().flatten().and_then(|v| super::resolve::scalar_text(&v));
    let scaling = links::scaling(t, ecs, &resolved);
    let Some(target) = scaling.target else { return Vec::new() };
    let text = |node: Option<&crate::yaml::Node>| node.and_then(&resolved).unwrap_or_else(|| "?".into());
    let mut out = Vec::new();
    let scheduled = match target.property("ScheduledActions").map(|n| &n.value) {
        Some(Value::Seq(items)) => items.len(),
        _ => 0,
    };
    if scaling.policies.is_empty() && scheduled == 0 {
        out.push(format!(
            "`{}` bounds `{}` between {} and {} tasks, but no scaling policy or scheduled action of this template moves it: the service runs its `DesiredCount` (`service.tasks` min, desired and max)",
            target.name(),
            ecs.name(),
            text(target.property("MinCapacity")),
            text(target.property("MaxCapacity"))
        ));
    }
    if scheduled > 0 {
        out.push(format!(
            "`{}` has {scheduled} scheduled action(s) (`ScheduledActions`): schedules are not proposal keys; `service.tasks.min` and `max` are its `MinCapacity` and `MaxCapacity`",
            target.name()
        ));
    }
    for policy in &scaling.policies {
        let kind = text(policy.property("PolicyType"));
        let what = if let Some(config) = policy.property("TargetTrackingScalingPolicyConfiguration") {
            let metric = config
                .get("PredefinedMetricSpecification")
                .and_then(|m| m.get("PredefinedMetricType"))
                .map_or_else(|| "a custom metric".to_string(), |m| format!("`{}`", text(Some(m))));
            let no_scale_in =
                config.get("DisableScaleIn").and_then(&resolved).is_some_and(|d| d.eq_ignore_ascii_case("true"));
            format!(
                "keeps {metric} at {} (target tracking{})",
                text(config.get("TargetValue")),
                if no_scale_in { ", never scaling in: `DisableScaleIn`" } else { "" }
            )
        } else if let Some(config) = policy.property("StepScalingPolicyConfiguration") {
            let steps: Vec<f64> = match config.get("StepAdjustments").map(|n| &n.value) {
                Some(Value::Seq(items)) => items
                    .iter()
                    .filter_map(|i| i.get("ScalingAdjustment").and_then(&resolved))
                    .filter_map(|a| a.parse().ok())
                    .collect(),
                _ => Vec::new(),
            };
            let way = if !steps.is_empty() && steps.iter().all(|a| *a > 0.0) {
                "out"
            } else if !steps.is_empty() && steps.iter().all(|a| *a < 0.0) {
                "in"
            } else {
                "out and in"
            };
            format!("scales {way} in {} step(s) when its alarm fires (step scaling)", steps.len())
        } else {
            format!("is a `{kind}` policy")
        };
        out.push(format!(
            "`{}` {what}: scaling metrics, targets, steps and cooldowns are not proposal keys; `service.tasks.min` and `max` are `{}`'s `MinCapacity` and `MaxCapacity`",
            policy.name(),
            target.name()
        ));
    }
    out
}
