//! `lambda_alb`: Route 53 → ALB (ACM TLS; internet-facing, or internal for
//! callers inside the VPC) → a target group of type `lambda` → one Lambda
//! function. The ALB invokes the function itself (no network hop) and waits
//! until it answers or times out; it carries no WebSocket and no stream, and
//! each body is at most 1 MB. Health checks are off by default for a Lambda
//! target group (when on, each check is a billed invocation).

use super::{PathRules, PatternDef, exposure, sizing};
use crate::model::limits::{Confidence, Limit, ReadOn, Source};
use crate::model::validate::Validator;
use crate::model::{Component, Components, Exposure, Model, Pattern, Portability, Scheme};
use crate::units::Size;

pub const DEF: PatternDef = PatternDef {
    pattern: Pattern::LambdaAlb,
    title: "Lambda behind a public ALB",
    internal_title: Some("Lambda behind an internal ALB"),
    short_name: "Lambda+ALB",
    colour: (0x66, 0xa6, 0x1e),
    components: &[Component::LoadBalancer, Component::Function],
    portability: (Portability::AwsNative, "Lambda functions and the ALB's Lambda event are AWS-specific"),
    validate,
    alternative,
    added: true,
    policies: "(a load balancer and a function) gets the same function rules, the request-path and workload rules (its 1 MB bodies, no WebSockets and no streaming are facts those rules read), and `public-alb-waf` (its pattern test names both patterns whose ALB faces the internet); none of the rules that read a gateway or a Fargate service (`public-rest-api-waf`, `stage-throttle-carries-peak`, `tasks-pull-images`).",
    path: PathRules {
        body_max: Some((BODY_MAX, "an ALB's body limit for Lambda targets")),
        no_websockets: Some((NO_WEBSOCKETS, "an ALB has no WebSocket path to a Lambda target")),
        no_streaming: Some((NO_STREAMING, "an ALB does not stream a Lambda target's response")),
        lcu_gb_per_hour_tenths: Some(LCU_GB_PER_HOUR),
    },
};

/// AWS's page on Lambda targets (../shared/aws-facts.md, addendum 2026-12-06 §2).
const LAMBDA_TARGETS: &str = "elasticloadbalancing/latest/application/lambda-functions.html";

const READ: ReadOn = ReadOn("2026-12-06");

/// The request body an ALB sends a function, and the response JSON it takes back.
const BODY_MAX: Limit<Size> = Limit {
    value: Size::from_mib(1),
    source: READ.source(
        "an ALB sends a Lambda target at most a 1 MB request body and takes at most a 1 MB response JSON",
        LAMBDA_TARGETS,
        Confidence::Verified,
    ),
};
/// No WebSocket to a Lambda target.
const NO_WEBSOCKETS: Source = READ.source(
    "WebSockets are not supported for Lambda targets: upgrade requests are rejected with HTTP 400",
    LAMBDA_TARGETS,
    Confidence::Verified,
);
/// No stream: the function answers with one JSON document.
const NO_STREAMING: Source = READ.source(
    "a Lambda target answers with one response JSON of at most 1 MB, so nothing is streamed",
    LAMBDA_TARGETS,
    Confidence::Verified,
);
/// Processed bytes per LCU-hour for Lambda targets. AWS's pricing FAQ, seen
/// only in a third-party copy of that page (aws-facts.md marks it PL*).
const LCU_GB_PER_HOUR: Limit<u32> = Limit {
    value: 4, // tenths of a GB: 0.4 GB an hour (1 GB for EC2, container and IP targets)
    source: READ.source(
        "an LCU covers 0.4 GB an hour of processed bytes for Lambda targets (PL*: a third-party copy of aws.amazon.com/elasticloadbalancing/faqs/, and handbook.vantage.sh)",
        "aws.amazon.com/elasticloadbalancing/faqs/",
        Confidence::PriceList,
    ),
};

/// The rules between the ALB and the function are AWS's limits on what the
/// workload sends (`cost/carry.rs`): a load balancer's scheme may be either.
fn validate(_: &Model, _: &mut Validator<'_>) {}

/// The function it had (a recommend seed's), or one sized like its compute,
/// behind an internet-facing ALB, or an internal one for an internal service.
fn alternative(from: &Model) -> Option<Components> {
    let (memory, architecture) = sizing::compute_of(from)?;
    let function = from.function().cloned().unwrap_or_else(|| sizing::function_for(from, memory, architecture));
    let scheme = if exposure(from) == Exposure::Internal { Scheme::Internal } else { Scheme::InternetFacing };
    Some(Components {
        load_balancer: Some(sizing::load_balancer_for(from, scheme)),
        function: Some(function),
        ..Components::default()
    })
}
