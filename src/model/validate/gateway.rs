//! API Gateway's limits: integration timeouts, and what each API type
//! offers (WAF, authorizers, endpoint types, caching while streaming).

use super::{Validator, cite};
use crate::model::components::Gateway;
use crate::model::enums::*;
use crate::model::limits::{self, Source};

/// An authorizer caches its result for at most an hour.
fn authorizer_cache(v: &mut Validator<'_>, g: &Gateway) {
    if g.authorizer_cache_ttl.is_some() && g.api == ApiType::Websocket {
        v.conflict(
            "gateway.authorizer_cache_ttl",
            "gateway.api",
            "a WebSocket API's authorizer caches no result: it runs once per connection, on `$connect`".into(),
            ("no cache here".into(), "`websocket` API".into()),
            format!("remove `authorizer_cache_ttl`; {}", cite(&limits::AUTHORIZER_CACHE_V2_HTTP_ONLY.source)),
        );
    }
    if let Some(ttl) = g.authorizer_cache_ttl.filter(|t| *t > limits::AUTHORIZER_CACHE_TTL_MAX.value) {
        v.out_of_limit(
            "gateway.authorizer_cache_ttl",
            format!("authorizer cache TTL `{ttl}` is above API Gateway's maximum of 3600s"),
            "at most 3600s".into(),
            cite(&limits::AUTHORIZER_CACHE_TTL_MAX.source),
        );
    }
}

pub fn gateway(v: &mut Validator<'_>, g: &Gateway) {
    authorizer_cache(v, g);
    let timeout = "gateway.integration_timeout";
    if g.integration_timeout < limits::INTEGRATION_TIMEOUT_MIN.value {
        v.out_of_limit(
            timeout,
            format!("integration timeout `{}` is below API Gateway's minimum of 50ms", g.integration_timeout),
            "at least 50ms".into(),
            cite(&limits::INTEGRATION_TIMEOUT_MIN.source),
        );
    }
    if g.transfer == TransferMode::Stream && g.api != ApiType::Rest {
        v.conflict(
            "gateway.transfer",
            "gateway.api",
            format!("response streaming is a REST API feature, not available on a `{}` API", g.api),
            ("streaming".into(), format!("`{}` API", g.api)),
            format!(
                "use `api: rest` to stream, or `transfer: buffered`; {}",
                cite(&limits::REST_STREAM_TIMEOUT_MAX.source)
            ),
        );
    }
    let raisable = g.api == ApiType::Rest && g.endpoint != EndpointType::Edge;
    if g.timeout_quota_raised && !raisable {
        let other = if g.api == ApiType::Rest { "gateway.endpoint" } else { "gateway.api" };
        v.conflict(
            "gateway.timeout_quota_raised",
            other,
            "the integration timeout quota can be raised for Regional and private REST APIs only".into(),
            ("no such quota here".into(), "this API".into()),
            format!("remove `timeout_quota_raised`; {}", cite(&limits::REST_TIMEOUT_RAISED_MAX.source)),
        );
    }
    if g.cache_gb.is_some() && g.api != ApiType::Rest {
        v.conflict(
            "gateway.cache_gb",
            "gateway.api",
            format!("API caching is a REST API feature, not available on a `{}` API", g.api),
            ("cache".into(), format!("`{}` API", g.api)),
            "use `api: rest` to cache, or remove `cache_gb`".into(),
        );
    }
    if g.api == ApiType::Http && g.endpoint != EndpointType::Regional {
        v.conflict(
            "gateway.endpoint",
            "gateway.api",
            format!("HTTP APIs have Regional endpoints only, not `{}`", g.endpoint),
            ("not available for HTTP APIs".into(), "HTTP API".into()),
            format!("use `endpoint: regional`, or a REST API; {}", cite(&limits::HTTP_API_REGIONAL_ONLY)),
        );
    }
    gateway_features(v, g);
    let ceiling =
        limits::integration_timeout_ceiling(g.api, g.endpoint, g.timeout_quota_raised && raisable, g.transfer);
    if g.integration_timeout > ceiling.value {
        let help = match g.api {
            ApiType::Rest if g.transfer == TransferMode::Stream => {
                "a streamed REST response may run 15 minutes at most; move longer work behind a queue".to_string()
            }
            ApiType::Rest if g.endpoint == EndpointType::Edge => {
                "edge-optimized REST APIs stay at 29 s; a Regional or private REST API can go up to 300 s after a quota increase (`timeout_quota_raised: true`), or stream the response (`transfer: stream`)".to_string()
            }
            ApiType::Rest if !g.timeout_quota_raised => {
                "above 29 s, a Regional or private REST API needs a quota increase: set `timeout_quota_raised: true` once AWS has raised it (up to 300 s), or stream the response (`transfer: stream`)".to_string()
            }
            ApiType::Rest => "even a raised quota stops at 300 s; stream the response (`transfer: stream`) or move the work behind a queue".to_string(),
            ApiType::Http => "HTTP APIs cannot wait longer; use a REST API with a raised quota, or front the service with an ALB".to_string(),
            ApiType::Websocket => "WebSocket integrations cannot wait longer; reply at once and push the result later on the connection".to_string(),
        };
        v.out_of_limit(
            timeout,
            format!(
                "integration timeout `{}` is above the {} ceiling for this API",
                g.integration_timeout, ceiling.value
            ),
            format!("at most {} here", ceiling.value),
            format!("{help}; {}", cite(&ceiling.source)),
        );
    }
}

/// What each API type offers: WAF, authorizers, endpoint types, caching
/// while streaming.
fn gateway_features(v: &mut Validator<'_>, g: &Gateway) {
    if g.waf && g.api != ApiType::Rest {
        v.conflict(
            "gateway.waf",
            "gateway.api",
            format!("AWS WAF cannot be associated with {}", api_name(g.api)),
            ("no web ACL here".into(), format!("`{}` API", g.api)),
            format!(
                "WAF protects REST API stages and ALBs: use `api: rest`, put the web ACL on CloudFront in front, or remove `waf`; {}",
                cite(&limits::WAF_RESOURCES)
            ),
        );
    }
    if let Some((message, fix, source)) = authorizer_problem(g) {
        v.conflict(
            "gateway.authorizer",
            "gateway.api",
            message,
            ("not offered by this API type".into(), format!("`{}` API", g.api)),
            format!("{fix}; {}", cite(&source)),
        );
    }
    if g.api == ApiType::Websocket && g.endpoint != EndpointType::Regional {
        v.conflict(
            "gateway.endpoint",
            "gateway.api",
            format!("WebSocket APIs have Regional endpoints only, not `{}`", g.endpoint),
            ("not available for WebSocket APIs".into(), "WebSocket API".into()),
            format!("use `endpoint: regional`; {}", cite(&limits::WEBSOCKET_REGIONAL_ONLY)),
        );
    }
    if g.transfer == TransferMode::Stream && g.cache_gb.is_some() {
        v.conflict(
            "gateway.cache_gb",
            "gateway.transfer",
            "a streamed response is not cached".into(),
            ("cache".into(), "streaming".into()),
            format!("remove `cache_gb`, or use `transfer: buffered`; {}", cite(&limits::REST_STREAM_NO_CACHE)),
        );
    }
}

/// The API type in words, with its article.
fn api_name(api: ApiType) -> &'static str {
    match api {
        ApiType::Rest => "a REST API",
        ApiType::Http => "an HTTP API",
        ApiType::Websocket => "a WebSocket API",
    }
}

/// An authorizer the API type does not have: the message, the fix and the source.
fn authorizer_problem(g: &Gateway) -> Option<(String, String, Source)> {
    match (g.api, g.authorizer) {
        (ApiType::Rest, Authorizer::Jwt) => Some((
            "REST APIs have no JWT authorizer".into(),
            "validate JWTs with `authorizer: cognito` (a Cognito user pool) or `lambda`, or use `api: http`".into(),
            limits::REST_AUTHORIZERS,
        )),
        (ApiType::Http, Authorizer::Cognito) => Some((
            "HTTP APIs have no Cognito user pool authorizer: there Cognito is a JWT issuer".into(),
            "write `authorizer: jwt` with the user pool as its issuer".into(),
            limits::HTTP_AUTHORIZERS,
        )),
        (ApiType::Websocket, Authorizer::Jwt | Authorizer::Cognito) => Some((
            format!("WebSocket APIs have no `{}` authorizer", g.authorizer),
            "authorize `$connect` with `authorizer: lambda` or `iam`".into(),
            limits::WEBSOCKET_AUTHORIZERS,
        )),
        _ => None,
    }
}
