//! Charges at the edge and on the way out: AWS WAF, Lambda authorizer
//! invocations, the execute-api VPC endpoint of a private REST API, NAT
//! gateway data processing and data transfer out.

use crate::cost::prices::price_id;
use crate::units::Amount;
use super::{Bill, DEFAULT_PAYLOAD, HOURS_PER_MONTH, gigabytes};
use crate::model::limits;
use crate::model::{ApiType, Authorizer, EndpointType, FunctionUrl, Gateway, InvokeMode, Model, SubnetKind};
use crate::units::Size;

/// Rules a web ACL is priced with: AWS's baseline managed rule groups (core
/// rule set, known bad inputs, IP reputation), each billed as one rule.
pub const WAF_RULES: u64 = 3;
/// The memory a Lambda authorizer is priced with.
pub const AUTHORIZER_MEMORY: Size = Size::from_mib(128);
/// The duration a Lambda authorizer is priced with, in milliseconds.
pub const AUTHORIZER_MILLIS: u64 = 100;

/// A web ACL with [`WAF_RULES`] rules, and every request inspected.
pub(super) fn waf<N: Amount>(bill: &mut Bill<'_, N>, on: &str, r: N) {
    bill.fixed(|| format!("AWS WAF web ACL ({on})"), price_id!("waf.web_acl"), N::ONE, "web ACL-months", 1);
    bill.fixed(|| format!("AWS WAF rules ({on})"), price_id!("waf.rule"), N::of(WAF_RULES), "rule-months", 1);
    bill.add(|| format!("AWS WAF requests ({on})"), price_id!("waf.requests"), r, "requests", 1_000_000);
    bill.note(format_args!("a web ACL is priced with {WAF_RULES} rules (AWS's baseline managed rule groups)"));
}

/// How long the authorizer's result is cached: the declared TTL, or AWS's
/// default (300 s REST; HTTP APIs cache only when told to; WebSocket never).
fn cache_ttl(g: &Gateway) -> u64 {
    match (g.api, g.authorizer_cache_ttl) {
        (ApiType::Websocket, _) => 0,
        (_, Some(ttl)) => ttl.as_millis() / 1000,
        (ApiType::Rest, None) => limits::AUTHORIZER_CACHE_TTL_REST_DEFAULT.value.as_millis() / 1000,
        (ApiType::Http, None) => 0,
    }
}

/// A Lambda authorizer's invocations: every request, or with a result
/// cache, at most once per caller per TTL.
pub(super) fn authorizer<N: Amount>(bill: &mut Bill<'_, N>, model: &Model, g: &Gateway, r: N) {
    if g.authorizer != Authorizer::Lambda {
        return;
    }
    if g.api == ApiType::Websocket {
        bill.note("a WebSocket API's Lambda authorizer runs on `$connect` only: its invocations are not priced");
        return;
    }
    let ttl = cache_ttl(g);
    let invocations = match (ttl, model.common.workload.clients) {
        (0, _) => r,
        (ttl, Some(clients)) => r.min(N::of(clients) * N::of(seconds_per_month_u64().div_ceil(ttl))),
        (_, None) => {
            bill.note(
                "no `workload.clients`: every request is priced as an authorizer invocation (an upper bound with a result cache)",
            );
            r
        }
    };
    bill.add(
        || String::from("Lambda authorizer invocations"),
        price_id!("lambda.requests"),
        invocations,
        "requests",
        1_000_000,
    );
    let gb_seconds = invocations * N::of(AUTHORIZER_MILLIS) / N::of(1000) * N::gib(AUTHORIZER_MEMORY);
    bill.add(
        || format!("Lambda authorizer compute ({AUTHORIZER_MEMORY}, {AUTHORIZER_MILLIS}ms)"),
        price_id!("lambda.compute.x86"),
        gb_seconds,
        "GB-seconds",
        1,
    );
    bill.note(format_args!(
        "a Lambda authorizer is priced at {AUTHORIZER_MEMORY} and {AUTHORIZER_MILLIS}ms (x86) an invocation"
    ));
}

fn seconds_per_month_u64() -> u64 {
    HOURS_PER_MONTH * 3600
}

/// A private REST API is reached through an execute-api interface endpoint,
/// one per AZ, which also charges for the data it carries.
pub(super) fn private_endpoint<N: Amount>(bill: &mut Bill<'_, N>, model: &Model, g: &Gateway, r: N) {
    if g.endpoint != EndpointType::Private {
        return;
    }
    let azs = N::of(u64::from(model.common.network.az_count));
    bill.fixed(
        || String::from("execute-api VPC endpoint (one per AZ)"),
        price_id!("vpce.hour"),
        azs * N::of(HOURS_PER_MONTH),
        "AZ-hours",
        1,
    );
    let payload = N::gib(model.common.workload.avg_payload.unwrap_or(DEFAULT_PAYLOAD));
    let ids = [price_id!("vpce.data"), price_id!("vpce.data.tier2"), price_id!("vpce.data.tier3")];
    bill.tiered_per("execute-api VPC endpoint data", &ids, r * payload, "GB", 1, gigabytes);
}

/// The declared egress, scaled with traffic: data transfer out to the
/// internet, and NAT gateway processing when the compute reaches the
/// internet through one (private subnets and NAT gateways).
pub(super) fn egress<N: Amount>(bill: &mut Bill<'_, N>, model: &Model, scale: N) {
    let Some(volume) = model.common.workload.egress_per_month else {
        if model.common.network.nat_gateways > 0 {
            bill.note(
                "no `workload.egress_per_month`: NAT gateway data processing and data transfer out are not priced",
            );
        }
        return;
    };
    let gb = N::gib(volume) * scale;
    let private = model.service().is_some_and(|s| s.subnets == SubnetKind::Private)
        || model.function().and_then(|f| f.vpc.as_ref()).is_some_and(|v| v.subnets == SubnetKind::Private);
    if private && model.common.network.nat_gateways > 0 {
        bill.add(|| String::from("NAT gateway data processed"), price_id!("nat.data"), gb, "GB", 1);
    }
    let ids = [price_id!("transfer.out.tier1"), price_id!("transfer.out.tier2"), price_id!("transfer.out.tier3"), price_id!("transfer.out.tier4")];
    bill.tiered_per("data transfer out to the internet", &ids, gb, "GB", 1, gigabytes);
    bill.note("data transfer out: the 100 GB a month free across AWS is not subtracted");
}

/// A function URL's charges: none of its own (a note says so: its requests
/// are the function's), WAF through CloudFront, and the streamed bytes of
/// a `RESPONSE_STREAM` URL ([`streamed_bytes`]).
pub(super) fn function_url<N: Amount>(bill: &mut Bill<'_, N>, model: &Model, url: &FunctionUrl, r: N) {
    bill.note("a function URL has no charge of its own: its requests are billed as the function's invocations");
    if url.waf {
        waf(bill, "CloudFront in front of the URL", r);
    }
    if url.cloudfront {
        bill.note("the CloudFront distribution in front of the URL (requests, data transfer) is not priced");
    }
    if url.invoke_mode == InvokeMode::ResponseStream {
        streamed_bytes(bill, model, r);
    }
}

/// Lambda's streamed bytes beyond the first 6 MB of each response (the
/// average `avg_payload` counted as the response): charged whenever the
/// function answers through InvokeWithResponseStream, from a function URL
/// in `RESPONSE_STREAM` mode or from a REST API's `STREAM` transfer mode to
/// a Lambda proxy (apigateway/latest/developerguide/response-transfer-mode-lambda.html,
/// read 2026-12-07).
pub(super) fn streamed_bytes<N: Amount>(bill: &mut Bill<'_, N>, model: &Model, r: N) {
    let payload = model.common.workload.avg_payload.unwrap_or(DEFAULT_PAYLOAD);
    let free = limits::function_url::STREAM_UNCAPPED.value;
    if payload <= free {
        return;
    }
    let beyond = N::gib(Size::from_bytes(payload.as_bytes() - free.as_bytes()));
    bill.add(
        || String::from("streamed response bytes beyond 6 MB a request"),
        price_id!("lambda.stream.bytes"),
        beyond * r,
        "GB",
        1,
    );
}
