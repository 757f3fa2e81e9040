//! `fargate_alb`: Route 53 → internet-facing ALB (ACM TLS) → Fargate tasks
//! (auth library in the task) → data; FireLens/OTEL telemetry. With
//! `scheme: internal`, the same path for callers inside the VPC.

use super::{PathRules, PatternDef, exposure, sizing};
use crate::model::validate::Validator;
use crate::model::{Component, Components, Exposure, Model, Pattern, Portability, Scheme, Service, ServiceAuth};

pub const DEF: PatternDef = PatternDef {
    pattern: Pattern::FargateAlb,
    title: "ECS Fargate behind a public ALB",
    internal_title: Some("ECS Fargate behind an internal ALB"),
    short_name: "Fargate+ALB",
    colour: (0x1b, 0x9e, 0x77),
    components: &[Component::LoadBalancer, Component::Service],
    portability: (Portability::Portable, "containers behind a standard HTTP load balancer are portable"),
    validate,
    alternative,
    added: false,
    policies: "",
    path: PathRules::COMPONENTS,
};

/// The ALB is the front door: internet-facing (the default) or, for a
/// service called only from inside the VPC, internal.
fn validate(m: &Model, v: &mut Validator<'_>) {
    if m.service().is_some_and(|s| s.auth == ServiceAuth::Gateway) {
        v.conflict(
            "service.auth",
            "pattern",
            "`auth: gateway` needs an API Gateway, and a `fargate_alb` service has none".into(),
            ("no gateway in front".into(), "pattern".into()),
            "authorize in the task: `library`, `sidecar` or `mesh`".into(),
        );
    }
}

/// The service it had (authorizing in the task, with no gateway in front;
/// a worker's raised to serve requests: `sizing::serving`), or one sized
/// like its function, behind an internet-facing ALB, or an
/// internal one when `from` is an internal service.
fn alternative(from: &Model) -> Option<Components> {
    let (memory, architecture) = sizing::compute_of(from)?;
    let service = match from.service() {
        Some(s) => {
            let s = sizing::serving(from, s);
            Service { auth: if s.auth == ServiceAuth::Gateway { ServiceAuth::Library } else { s.auth }, ..s }
        }
        None => sizing::service_for(from, memory, architecture, false),
    };
    let scheme = if exposure(from) == Exposure::Internal { Scheme::Internal } else { Scheme::InternetFacing };
    Some(Components {
        load_balancer: Some(sizing::load_balancer_for(from, scheme)),
        service: Some(service),
        ..Components::default()
    })
}
