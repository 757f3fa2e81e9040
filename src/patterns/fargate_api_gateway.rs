//! `fargate_api_gateway`: Route 53 → API Gateway (ACM, Lambda authorizer) →
//! VPC link → internal ALB → Fargate tasks → data.

use super::{PathRules, PatternDef, expect_scheme, sizing};
use crate::model::limits;
use crate::model::validate::{Validator, cite};
use crate::model::{
    ApiType, Authorizer, Component, Components, Model, Pattern, Portability, Scheme, ServiceAuth, VpcLink,
    VpcLinkVersion,
};

pub const DEF: PatternDef = PatternDef {
    pattern: Pattern::FargateApiGateway,
    title: "ECS Fargate behind API Gateway and a VPC link",
    internal_title: None,
    short_name: "Fargate+APIGW",
    colour: (0x75, 0x70, 0xb3),
    components: &[Component::Gateway, Component::VpcLink, Component::LoadBalancer, Component::Service],
    portability: (Portability::PortableCompute, "the containers are portable; the API Gateway in front is not"),
    validate,
    alternative,
    added: false,
    policies: "",
    path: PathRules::COMPONENTS,
};

fn validate(m: &Model, v: &mut Validator<'_>) {
    expect_scheme(m, v, "in `fargate_api_gateway` the ALB sits behind the VPC link, inside the VPC");
    if let (Some(link), Some(gateway)) = (m.vpc_link(), m.gateway()) {
        let problem = match (gateway.api, link.version) {
            (ApiType::Http, VpcLinkVersion::V1) => {
                Some(("HTTP APIs use VPC link v2", "write `version: v2`", limits::VPC_LINK_V2_HTTP))
            }
            (ApiType::Websocket, VpcLinkVersion::V2) => Some((
                "WebSocket APIs reach a VPC through a v1 VPC link and an NLB",
                "write `version: v1`",
                limits::VPC_LINK_V1_NLB,
            )),
            _ => None,
        };
        if let Some((message, fix, source)) = problem {
            v.conflict(
                "vpc_link.version",
                "gateway.api",
                message.into(),
                ("wrong VPC link version".into(), "API type".into()),
                format!("{fix}; {}", cite(&source)),
            );
        }
    }
    let authorizer = m.gateway().map(|g| g.authorizer);
    if m.service().is_some_and(|s| s.auth == ServiceAuth::Gateway) && authorizer == Some(Authorizer::None) {
        v.conflict(
            "service.auth",
            "gateway.authorizer",
            "`auth: gateway` but the gateway has no authorizer".into(),
            ("relies on the gateway".into(), "no authorizer".into()),
            "set `gateway.authorizer` (`lambda`, `jwt`, `iam` or `cognito`), or authorize in the task".into(),
        );
    }
}

/// The gateway it had (or a REST API), a VPC link of the version that API
/// uses, an internal ALB, and the service it had (a worker's raised to serve
/// requests: `sizing::serving`) or one sized like its function.
fn alternative(from: &Model) -> Option<Components> {
    let (memory, architecture) = sizing::compute_of(from)?;
    let gateway = from.gateway().cloned().unwrap_or_else(|| sizing::gateway_for(from));
    let service = match from.service() {
        Some(s) => sizing::serving(from, s),
        None => sizing::service_for(from, memory, architecture, gateway.authorizer != Authorizer::None),
    };
    let version = if gateway.api == ApiType::Websocket { VpcLinkVersion::V1 } else { VpcLinkVersion::V2 };
    Some(Components {
        vpc_link: Some(VpcLink { version }),
        gateway: Some(gateway),
        load_balancer: Some(sizing::load_balancer_for(from, Scheme::Internal)),
        service: Some(service),
        ..Components::default()
    })
}
