//! The patterns, one file each, behind one table.
//!
//! Everything that differs by pattern is here: its components (in request
//! path order, from the front door in), the rules between them, how far it is
//! from AWS-specific runtimes, how the same workload is built on it from a
//! proposal of another pattern, and its name and colour in tables and
//! charts. The layers above ask this table and never match on a pattern:
//! facts are derived and costs priced from the components a model has.
//!
//! Adding a pattern is a new file here, a line in [`REGISTRY`], and its
//! variant in [`Pattern`] (docs/architecture.md has the checklist).

mod fargate_alb;
mod fargate_api_gateway;
mod fargate_queue_worker;
mod lambda_alb;
mod lambda_api_gateway;
mod lambda_function_url;
pub mod payload;
mod queue_worker;
pub mod settings;
pub mod sizing;

use crate::model::limits::{Limit, Source};
use crate::model::validate::Validator;
use crate::model::{Component, Components, EndpointType, Exposure, Model, NamedEnum, Pattern, Portability, Scheme};
use crate::units::Size;

/// What a pattern is, and what it does differently from the others.
pub struct PatternDef {
    pub pattern: Pattern,
    /// The name people use, e.g. "Lambda behind API Gateway".
    pub title: &'static str,
    /// Its title when its front door is internal (callers inside the VPC),
    /// where `title` says "public"; `None` when `title` says nothing of it.
    pub internal_title: Option<&'static str>,
    /// A short label for charts and narrow tables, e.g. "Lambda".
    pub short_name: &'static str,
    /// The pattern's colour in every chart (RGB), so a reader can compare charts.
    pub colour: (u8, u8, u8),
    /// Its components, in request-path order from the front door.
    pub components: &'static [Component],
    /// How far it is from AWS-specific runtimes, and why.
    pub portability: (Portability, &'static str),
    /// The rules between its components, beyond each component's own limits.
    pub validate: fn(&Model, &mut Validator<'_>),
    /// Its components for the workload of `from`, a model of another pattern,
    /// sized like `from`'s compute. `None` when `from` has no compute to size by.
    pub alternative: fn(from: &Model) -> Option<Components>,
    /// Added after the language's first version (the guide's three patterns
    /// are not): a policy written before it existed that reads a fact it
    /// lacks does not apply to it, with a warning, rather than failing to
    /// type-check (docs/language.md, "Versions and compatibility").
    pub added: bool,
    /// Which standard policies reach it and why, a sentence after its name
    /// in docs/policies.md ("Where each policy applies"); empty for the
    /// guide's three patterns, which the pack was written for.
    pub policies: &'static str,
    /// What its request path carries beyond each component's own limits:
    /// the rules of a *pair* of its components, read by the facts, cost's
    /// carry limits and the ALB's capacity units alike.
    pub path: PathRules,
}

/// The rules a pattern's request path adds to its components' own: an ALB
/// in front of a Lambda target carries 1 MB bodies, no WebSocket and no
/// stream, and counts 0.4 GB an hour per capacity unit.
pub struct PathRules {
    /// A body limit of the path itself, and its name in a cost limitation.
    pub body_max: Option<(Limit<Size>, &'static str)>,
    /// Why the path carries no WebSocket where its front door would, and
    /// the reason a cost limitation gives.
    pub no_websockets: Option<(Source, &'static str)>,
    /// Why the path streams nothing where its front door would pass a stream.
    pub no_streaming: Option<(Source, &'static str)>,
    /// The processed GB an hour one ALB capacity unit covers, in tenths of
    /// a GB, where it is not the 1 GB of instance, container and IP targets.
    pub lcu_gb_per_hour_tenths: Option<Limit<u32>>,
}

impl PathRules {
    /// A path that carries what its components carry.
    pub const COMPONENTS: PathRules =
        PathRules { body_max: None, no_websockets: None, no_streaming: None, lcu_gb_per_hour_tenths: None };
}

/// What `m`'s request path adds to its components' limits.
pub fn path_rules(m: &Model) -> &'static PathRules {
    &def(m.pattern()).path
}

/// Every pattern, in the order of [`Pattern::ALL`].
pub const REGISTRY: [&PatternDef; Pattern::ALL.len()] =
    [&lambda_api_gateway::DEF, &fargate_alb::DEF, &fargate_api_gateway::DEF, &lambda_function_url::DEF, &lambda_alb::DEF, &queue_worker::DEF, &fargate_queue_worker::DEF];

/// The definition of `pattern`.
pub const fn def(pattern: Pattern) -> &'static PatternDef {
    REGISTRY[pattern as usize]
}

/// Whether `pattern` is built with `component`.
pub const fn has(pattern: Pattern, component: Component) -> bool {
    let components = def(pattern).components;
    let mut i = 0;
    while i < components.len() {
        if components[i] as usize == component as usize {
            return true;
        }
        i += 1;
    }
    false
}

/// The pattern built of exactly `path`, components in request-path order
/// from the front door: how import names what a template's references
/// connect, so that it names no pattern itself.
pub fn built_of(path: &[Component]) -> Option<Pattern> {
    REGISTRY.iter().find(|d| d.components == path).map(|d| d.pattern)
}

/// The patterns built with `component`, by name, for messages.
pub fn owners(component: Component) -> Vec<&'static str> {
    Pattern::ALL.into_iter().filter(|p| has(*p, component)).map(|p| p.name()).collect()
}

/// The component keys of `pattern`, for messages.
pub fn component_keys(pattern: Pattern) -> Vec<&'static str> {
    def(pattern).components.iter().map(|c| c.name()).collect()
}

/// Who can reach `m`'s service: the front door's, the first component of
/// its path. An internal ALB or a private REST API is reached only inside
/// the VPC (or through its interface endpoint); a function URL always from
/// the internet. The same enum as a needs file's `requirements.exposure`,
/// so a proposal and a needs file say it with one word.
pub fn exposure(m: &Model) -> Exposure {
    let internal = match def(m.pattern()).components.first() {
        Some(Component::LoadBalancer) => m.load_balancer().is_some_and(|lb| lb.scheme == Scheme::Internal),
        Some(Component::Gateway) => m.gateway().is_some_and(|g| g.endpoint == EndpointType::Private),
        _ => false,
    };
    if internal { Exposure::Internal } else { Exposure::Public }
}

/// What makes `m` reachable from the internet, in words for a message, or
/// `None` when it is internal: what an internal service cannot have.
pub fn public_front_door(m: &Model) -> Option<String> {
    if exposure(m) == Exposure::Internal {
        return None;
    }
    Some(match def(m.pattern()).components.first() {
        Some(Component::LoadBalancer) => "an internet-facing ALB".into(),
        Some(Component::FunctionUrl) => {
            let source = crate::model::limits::function_url::PUBLIC_ONLY;
            format!("a function URL, reached from the public internet only ({}, read {})", source.url, source.read)
        }
        _ => "a public API endpoint".into(),
    })
}

/// `m`'s pattern as people name it, for this model: an internal service's
/// title does not say "public".
pub fn title_of(m: &Model) -> &'static str {
    let d = def(m.pattern());
    match d.internal_title {
        Some(title) if exposure(m) == Exposure::Internal => title,
        _ => d.title,
    }
}

/// The ALB's scheme follows from where it sits: the front door faces the
/// internet, an ALB behind a VPC link does not.
pub fn default_scheme(pattern: Pattern) -> Scheme {
    match def(pattern).components.first() {
        Some(Component::LoadBalancer) => Scheme::InternetFacing,
        _ => Scheme::Internal,
    }
}

/// Reports a load balancer whose scheme is not the one its place in the pattern needs.
fn expect_scheme(m: &Model, v: &mut Validator<'_>, why: &str) {
    let expected = default_scheme(m.pattern());
    if let Some(lb) = m.load_balancer().filter(|lb| lb.scheme != expected) {
        v.conflict(
            "load_balancer.scheme",
            "pattern",
            format!("a `{}` load balancer has scheme `{expected}`, not `{}`", m.pattern().name(), lb.scheme),
            (format!("expected `{expected}`"), "pattern".into()),
            format!("{why}; remove `scheme` or write `scheme: {expected}`"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_registry_is_in_the_order_of_the_enum() {
        for (i, pattern) in Pattern::ALL.into_iter().enumerate() {
            assert_eq!(REGISTRY[i].pattern, pattern);
        }
    }

    #[test]
    fn every_pattern_has_its_own_colour_and_name() {
        for a in REGISTRY {
            for b in REGISTRY.iter().filter(|b| b.pattern != a.pattern) {
                assert_ne!(a.colour, b.colour);
                assert_ne!(a.short_name, b.short_name);
                assert_ne!(a.title, b.title);
            }
        }
    }

    #[test]
    fn each_pattern_is_the_one_built_of_its_components() {
        for d in REGISTRY {
            assert_eq!(built_of(d.components), Some(d.pattern), "{}", d.title);
        }
        assert_eq!(built_of(&[Component::Function]), None);
    }

    #[test]
    fn every_pattern_has_one_compute_and_a_front_door() {
        for d in REGISTRY {
            let compute = d.components.iter().filter(|c| matches!(c, Component::Function | Component::Service));
            assert_eq!(compute.count(), 1, "{}", d.title);
            let front = d.components.first();
            let doors = [Component::Gateway, Component::LoadBalancer, Component::FunctionUrl];
            assert!(front.is_some_and(|f| doors.contains(f)), "{}", d.title);
        }
    }
}
