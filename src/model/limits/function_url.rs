//! Lambda function URLs (../shared/aws-facts.md, addendum 2026-12-06 §1),
//! read 2026-12-06. Each limit names AWS's page.

use super::{Confidence, Limit, ReadOn, Source};
use crate::units::{Duration, Size};

use Confidence::Verified;

/// The date these figures were read.
const READ: ReadOn = ReadOn("2026-12-06");

const URL_CONFIG: &str = "lambda/latest/api/API_FunctionUrlConfig.html";
const STREAMING: &str = "lambda/latest/dg/configuration-response-streaming.html";
const CORS: &str = "lambda/latest/api/API_Cors.html";
/// AWS's own text, in its archived doc source (awsdocs/aws-lambda-developer-guide, urls-configuration.md).
const URLS_CONFIGURATION: &str = "lambda/latest/dg/urls-configuration.html";

/// A streamed response (InvokeWithResponseStream: a function URL's
/// `RESPONSE_STREAM`, a REST API's `STREAM` to a Lambda proxy) may reach
/// 200 MB; a buffered one is Lambda's 6 MB synchronous payload.
pub const STREAM_RESPONSE_MAX: Limit<Size> =
    READ.limit(Size::from_mib(200), "a Lambda function's streamed response (InvokeWithResponseStream)", STREAMING, Verified);
/// Response bytes of one request streamed before the 2 MBps cap, and before the streamed-bytes charge.
pub const STREAM_UNCAPPED: Limit<Size> =
    READ.limit(Size::from_mib(6), "the first 6 MB of a streamed response are uncapped and not charged", STREAMING, Verified);
/// Requests a second a URL serves per unit of the function's reserved concurrency.
pub const RPS_PER_RESERVED: Limit<u32> = READ.limit(
    10,
    "a function URL's maximum requests a second are 10 times the function's reserved concurrency",
    URLS_CONFIGURATION,
    Verified,
);
/// A URL authenticates with IAM (SigV4) or not at all: callers presenting
/// tokens to an authorizer need API Gateway in front instead.
pub const IAM_OR_NONE: Source =
    READ.source("a function URL's auth type is `AWS_IAM` or `NONE`, no authorizer", URL_CONFIG, Verified);
/// A URL has no private endpoint.
pub const PUBLIC_ONLY: Source =
    READ.source("a function URL is reached from the public internet only", "lambda/latest/dg/lambda-urls.html", Verified);
/// A reserved concurrency of 0 throttles every invocation: the URL answers every request with 429.
pub const ZERO_RESERVED_OFF: Source = READ.source(
    "setting the function's reserved concurrency to 0 turns its function URL off (every request is throttled)",
    URLS_CONFIGURATION,
    Verified,
);
/// Provisioned concurrency counts toward the function's reserved
/// concurrency and cannot exceed it. AWS's own text, in its archived doc
/// source (awsdocs/aws-lambda-developer-guide, provisioned-concurrency.md):
/// "You can't allocate more provisioned concurrency than reserved
/// concurrency for a function." Read 2026-12-07.
pub const PROVISIONED_WITHIN_RESERVED: Source = Source {
    what: "provisioned concurrency counts toward a function's reserved concurrency and cannot exceed it",
    url: "lambda/latest/dg/provisioned-concurrency.html",
    read: "2026-12-07",
    confidence: Verified,
};
/// A function URL cannot stream inside a VPC.
pub const NO_STREAM_IN_VPC: Source =
    READ.source("Lambda function URLs do not support response streaming within a VPC environment", STREAMING, Verified);
/// AWS WAF protects a URL only through CloudFront in front of it.
pub const NO_WAF: Source = READ.source(
    "a function URL is no WAF-associable resource: put CloudFront with a web ACL in front, reaching the URL through origin access control",
    "AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-lambda.html",
    Verified,
);
/// CloudFront's origin access control signs its requests: the URL must take IAM auth.
pub const OAC_NEEDS_IAM: Source = READ.source(
    "CloudFront origin access control reaches a function URL whose auth type is AWS_IAM",
    "AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-lambda.html",
    Verified,
);
/// The invoke modes and their payloads.
pub const INVOKE_MODES: Source =
    READ.source("BUFFERED (default, 6 MB) or RESPONSE_STREAM (up to 200 MB)", URL_CONFIG, Verified);
/// CORS: at most 100 origins, headers and exposed headers.
pub const CORS_LIST_MAX: Limit<usize> =
    READ.limit(100, "a function URL's CORS lists hold at most 100 entries", CORS, Verified);
/// CORS: at most 6 methods.
pub const CORS_METHODS_MAX: Limit<usize> = READ.limit(6, "a function URL's CORS allows at most 6 methods", CORS, Verified);
/// The methods a URL's CORS may allow.
pub const CORS_METHODS: [&str; 7] = ["GET", "PUT", "HEAD", "POST", "PATCH", "DELETE", "*"];
/// CORS: the preflight cache's longest age.
pub const CORS_MAX_AGE: Limit<Duration> =
    READ.limit(Duration::from_secs(86_400), "a function URL's CORS MaxAge (0 to 86400 s)", CORS, Verified);
