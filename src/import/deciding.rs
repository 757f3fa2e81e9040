//! The settings that decide a service's pattern (launch type, capacity
//! providers, a load balancer's scheme): worked out with the stack's
//! parameters before classification (`settle`), and read by it.

use std::collections::BTreeSet;

use super::resolve;
use super::template::{Resource, Template};
use crate::yaml::Value;

/// How an ECS service runs: Fargate, or EC2 (no launch type means the cluster's EC2 capacity).
pub(super) fn on_fargate(service: &Resource) -> bool {
    let launch = service.text("LaunchType").unwrap_or("");
    if launch.eq_ignore_ascii_case("FARGATE") {
        return true;
    }
    let mut providers = BTreeSet::new();
    if let Some(strategy) = service.property("CapacityProviderStrategy") {
        texts(strategy, &mut providers);
    }
    launch.is_empty() && providers.iter().any(|p| p.starts_with("FARGATE"))
}

fn texts(node: &crate::yaml::Node, out: &mut BTreeSet<String>) {
    match &node.value {
        Value::Str(s) => {
            out.insert(s.clone());
        }
        Value::Map(entries) => entries.iter().for_each(|(_, v)| texts(v, out)),
        Value::Seq(items) => items.iter().for_each(|v| texts(v, out)),
        _ => {}
    }
}

/// An internet-facing load balancer: `Scheme` left out or `internet-facing`
/// (anything else is `internal`, or a value the translator refuses).
pub(super) fn internet_facing(lb: &Resource) -> bool {
    lb.text("Scheme").is_none_or(|s| s.eq_ignore_ascii_case("internet-facing"))
}

/// Why a setting that decides the pattern cannot be told: a property still
/// written as an intrinsic after [`settle`] (a parameter with no value,
/// another stack's export).
pub(super) fn undecided(resource: &Resource, properties: &[&str]) -> Option<String> {
    properties.iter().find_map(|name| {
        let node = resource.property(name)?;
        resolve::is_intrinsic(node)
            .then(|| format!("its `{name}` is worked out only when deployed (give the stack's parameters)"))
    })
}

/// The settings that decide a pattern, worked out with the parameters where
/// they are written as intrinsics (`LaunchType: !Ref Launch`), so that
/// classification reads what will be deployed; those that cannot be worked
/// out stay as written, and [`undecided`] says so.
pub fn settle(t: &mut Template, parameters: &resolve::Parameters) {
    const DECIDING: &[&str] = &["LaunchType", "CapacityProviderStrategy", "Scheme", "ProtocolType"];
    let mut settled: Vec<(String, &str, crate::yaml::Node)> = Vec::new();
    let resolver = resolve::Resolver::new(t, parameters);
    for r in t.resources.values() {
        for name in DECIDING {
            if let Some(node) = r.property(name).filter(|n| resolve::is_intrinsic(n))
                && let Ok(Some(value)) = resolver.value(node)
            {
                settled.push((r.id.clone(), name, value));
            }
        }
    }
    for (id, name, value) in settled {
        let Some(Value::Map(entries)) =
            t.resources.get_mut(&id).and_then(|r| r.properties.as_mut()).map(|p| &mut p.value)
        else {
            continue;
        };
        if let Some(entry) = entries.iter_mut().find(|(k, _)| k.name == name) {
            entry.1 = value;
        }
    }
}
