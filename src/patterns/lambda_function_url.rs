//! `lambda_function_url`: a Lambda function called through its function
//! URL (auth `aws_iam` or `none`; buffered or streamed responses), with
//! CloudFront and its WAF in front when declared. No API Gateway: no 29 s
//! ceiling (the function's timeout, at most 900 s, is the limit), no stage
//! throttle (the function's reserved concurrency is the only one).

use super::{PathRules, PatternDef, sizing};
use crate::model::limits::function_url as url;
use crate::model::validate::{Validator, cite};
use crate::model::{
    Authorizer, Component, Components, FunctionUrl, InvokeMode, Model, Pattern, Portability, UrlAuth,
};

pub const DEF: PatternDef = PatternDef {
    pattern: Pattern::LambdaFunctionUrl,
    title: "Lambda behind its function URL",
    internal_title: None,
    short_name: "Lambda URL",
    colour: (0xe7, 0x29, 0x8a),
    components: &[Component::FunctionUrl, Component::Function],
    portability: (Portability::AwsNative, "Lambda functions and function URL events are AWS-specific"),
    validate,
    alternative,
    added: true,
    policies: "(a function URL and a function) gets every policy about the request path, the workload, production posture and the function (runtimes, concurrency, cold starts, streaming runtimes, RDS Proxy), its own WAF rule (`public-function-url-waf`: AWS WAF reaches a URL only through CloudFront), and none of the rules about API Gateway, an ALB or Fargate tasks, which it does not have.",
    path: PathRules::COMPONENTS,
};

/// A URL streams only outside a VPC.
fn validate(m: &Model, v: &mut Validator<'_>) {
    let streams = m.function_url().is_some_and(|u| u.invoke_mode == InvokeMode::ResponseStream);
    if streams && m.function().is_some_and(|f| f.vpc.is_some()) {
        v.conflict(
            "function_url.invoke_mode",
            "function.vpc",
            "a function URL does not stream responses from a function in a VPC".into(),
            ("streams".into(), "in a VPC".into()),
            format!(
                "write `invoke_mode: buffered`, or take the function out of the VPC (callers inside it reach a streaming function through a Lambda interface endpoint and InvokeWithResponseStream, not a URL); {}",
                cite(&url::NO_STREAM_IN_VPC)
            ),
        );
    }
}

/// The function it had (a recommend seed's), or one sized like its compute,
/// behind a URL: IAM auth where the gateway authorized with IAM, else
/// public with the function authorizing; streamed where the workload
/// streams and the function is outside a VPC.
fn alternative(from: &Model) -> Option<Components> {
    let (memory, architecture) = sizing::compute_of(from)?;
    let function = from.function().cloned().unwrap_or_else(|| sizing::function_for(from, memory, architecture));
    let iam = from.gateway().is_some_and(|g| g.authorizer == Authorizer::Iam);
    let streams = from.common.workload.streaming && function.vpc.is_none();
    Some(Components {
        function_url: Some(FunctionUrl {
            auth: if iam { UrlAuth::AwsIam } else { UrlAuth::None },
            invoke_mode: if streams { InvokeMode::ResponseStream } else { InvokeMode::Buffered },
            reserved_concurrency: None,
            cloudfront: false,
            waf: false,
            cors: None,
        }),
        function: Some(function),
        ..Components::default()
    })
}
