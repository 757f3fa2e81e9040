//! `lambda_api_gateway`: Route 53 → API Gateway (ACM TLS, optional Lambda
//! authorizer) → Lambda (IAM role) → data; CloudWatch logs, X-Ray traces.

use super::{PathRules, PatternDef, sizing};
use crate::model::{Component, Components, Model, Pattern, Portability};

pub const DEF: PatternDef = PatternDef {
    pattern: Pattern::LambdaApiGateway,
    title: "Lambda behind API Gateway",
    internal_title: None,
    short_name: "Lambda",
    colour: (0xd9, 0x5f, 0x02),
    components: &[Component::Gateway, Component::Function],
    portability: (Portability::AwsNative, "Lambda functions and API Gateway events are AWS-specific"),
    // Each component's own limits are all there is: the gateway and the
    // function have no rule between them.
    validate: |_, _| {},
    alternative,
    added: false,
    policies: "",
    path: PathRules::COMPONENTS,
};

/// The function it had (a recommend seed's), or the workload on a function
/// as large as the compute it had with a timeout for its longest request,
/// behind the gateway it had (or a REST API).
fn alternative(from: &Model) -> Option<Components> {
    let (memory, architecture) = sizing::compute_of(from)?;
    let function = from.function().cloned().unwrap_or_else(|| sizing::function_for(from, memory, architecture));
    Some(Components {
        gateway: Some(from.gateway().cloned().unwrap_or_else(|| sizing::gateway_for(from))),
        function: Some(function),
        ..Components::default()
    })
}
