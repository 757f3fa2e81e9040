//! AWS's hard limits and defaults that the models enforce.
//!
//! Each constant carries its [`Source`]: the public page it was read from,
//! the date, and how sure we are (see ../shared/aws-facts.md). A default that
//! ends up in a fact keeps its source as provenance, so `policy facts` can say
//! where "29s" came from.

use serde::Serialize;

use crate::units::{Duration, Size, Vcpu};

/// How a limit was verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// Read in AWS's own documentation.
    Verified,
    /// An AWS Price List figure.
    PriceList,
    /// Third-party source only.
    ThirdParty,
}

/// Where a limit or default comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Source {
    /// What the value is, in a few words.
    pub what: &'static str,
    /// The public page (docs.aws.amazon.com unless another host is named).
    pub url: &'static str,
    /// When it was read (ISO date).
    pub read: &'static str,
    pub confidence: Confidence,
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({}, read {})", self.what, self.url, self.read)
    }
}

/// A value with the page that states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit<T> {
    pub value: T,
    pub source: Source,
}

/// The day a set of figures was read: each of its sources and limits
/// carries that date, so a file of figures read together names it once.
pub struct ReadOn(pub &'static str);

impl ReadOn {
    pub const fn source(&self, what: &'static str, url: &'static str, confidence: Confidence) -> Source {
        Source { what, url, read: self.0, confidence }
    }

    pub const fn limit<T>(&self, value: T, what: &'static str, url: &'static str, confidence: Confidence) -> Limit<T> {
        Limit { value, source: self.source(what, url, confidence) }
    }
}

const fn limit<T>(value: T, what: &'static str, url: &'static str, confidence: Confidence) -> Limit<T> {
    ReadOn(READ).limit(value, what, url, confidence)
}

/// The date the figures of aws-facts.md were read into this file.
const READ: &str = "2026-11-27";

const APIGW_LIMITS: &str = "apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html";
const APIGW_TIMEOUT_RAISE: &str =
    "aws.amazon.com/about-aws/whats-new/2024/06/amazon-api-gateway-integration-timeout-limit-29-seconds/";
const APIGW_STREAMING: &str = "apigateway/latest/developerguide/response-transfer-mode.html";
const HTTP_API_QUOTAS: &str = "apigateway/latest/developerguide/http-api-quotas.html";
const WEBSOCKET_LIMITS: &str =
    "apigateway/latest/developerguide/apigateway-execution-service-websocket-limits-table.html";
const VPC_LINK_V1: &str = "apigateway/latest/developerguide/vpc-links-v1.html";
const VPC_LINK_PRIVATE_ALB: &str = "apigateway/latest/developerguide/private-integration.html";
const HTTP_VPC_LINKS: &str = "apigateway/latest/developerguide/http-api-vpc-links.html";
const LAMBDA_LIMITS: &str = "lambda/latest/dg/gettingstarted-limits.html";
const LAMBDA_STORAGE: &str = "lambda/latest/api/API_EphemeralStorage.html";
const ALB_ATTRIBUTES: &str = "elasticloadbalancing/latest/application/edit-load-balancer-attributes.html";
const FARGATE_SIZES: &str = "AmazonECS/latest/developerguide/task-cpu-memory-error.html";
const FARGATE_STORAGE: &str = "AmazonECS/latest/APIReference/API_EphemeralStorage.html";
const ECS_QUOTAS: &str = "AmazonECS/latest/developerguide/service-quotas.html";

use Confidence::{ThirdParty, Verified};

// ------------------------------------------------------------ API Gateway

/// Smallest integration timeout of every API type.
pub const INTEGRATION_TIMEOUT_MIN: Limit<Duration> =
    limit(Duration::from_millis(50), "API Gateway minimum integration timeout", APIGW_LIMITS, Verified);
/// REST API integration timeout, default and ceiling without a quota increase.
pub const REST_TIMEOUT_DEFAULT: Limit<Duration> =
    limit(Duration::from_secs(29), "default REST API integration timeout", APIGW_LIMITS, Verified);
/// Ceiling after the integration-timeout quota increase (Regional and private REST APIs, since 2024-06-04).
pub const REST_TIMEOUT_RAISED_MAX: Limit<Duration> = limit(
    Duration::from_secs(300),
    "REST API integration timeout after a quota increase (Regional and private only; repost.aws answer gives the 300 s ceiling)",
    APIGW_TIMEOUT_RAISE,
    ThirdParty,
);
/// REST response streaming (`STREAM` transfer mode) may run up to 15 minutes.
pub const REST_STREAM_TIMEOUT_MAX: Limit<Duration> =
    limit(Duration::from_mins(15), "REST API response streaming limit", APIGW_STREAMING, Verified);
/// HTTP API integration timeout: 30 s, not adjustable; also its default.
pub const HTTP_TIMEOUT_MAX: Limit<Duration> =
    limit(Duration::from_secs(30), "HTTP API integration timeout (not adjustable)", HTTP_API_QUOTAS, Verified);
/// WebSocket API integration timeout: 29 s, no increase.
pub const WEBSOCKET_TIMEOUT_MAX: Limit<Duration> =
    limit(Duration::from_secs(29), "WebSocket API integration timeout (no increase)", WEBSOCKET_LIMITS, Verified);
/// REST VPC links (v1) reach an NLB only.
pub const VPC_LINK_V1_NLB: Source = Source {
    what: "REST API VPC link v1 targets a Network Load Balancer only",
    url: VPC_LINK_V1,
    read: READ,
    confidence: Verified,
};
/// Since 2025-11, REST APIs reach a private ALB through a v2 VPC link.
pub const VPC_LINK_V2_REST: Source = Source {
    what: "REST API VPC link v2 targets a private ALB (since 2025-11)",
    url: VPC_LINK_PRIVATE_ALB,
    read: READ,
    confidence: Verified,
};
/// HTTP APIs use v2 VPC links only.
pub const VPC_LINK_V2_HTTP: Source = Source {
    what: "HTTP API private integrations use VPC link v2 (ALB, NLB or Cloud Map)",
    url: HTTP_VPC_LINKS,
    read: READ,
    confidence: Verified,
};

// ------------------------------------------------------------------ Lambda

pub const LAMBDA_TIMEOUT_MIN: Limit<Duration> =
    limit(Duration::from_secs(1), "Lambda minimum timeout", LAMBDA_LIMITS, Verified);
pub const LAMBDA_TIMEOUT_MAX: Limit<Duration> =
    limit(Duration::from_secs(900), "Lambda maximum timeout", LAMBDA_LIMITS, Verified);
pub const LAMBDA_MEMORY_MIN: Limit<Size> = limit(Size::from_mib(128), "Lambda minimum memory", LAMBDA_LIMITS, Verified);
pub const LAMBDA_MEMORY_MAX: Limit<Size> =
    limit(Size::from_mib(10_240), "Lambda maximum memory (1 MB steps)", LAMBDA_LIMITS, Verified);
pub const LAMBDA_TMP_MIN: Limit<Size> =
    limit(Size::from_mib(512), "Lambda minimum /tmp storage, also its default", LAMBDA_STORAGE, Verified);
pub const LAMBDA_TMP_MAX: Limit<Size> =
    limit(Size::from_mib(10_240), "Lambda maximum /tmp storage", LAMBDA_STORAGE, Verified);
/// Default Regional concurrency; provisioned concurrency cannot exceed it without a quota increase.
pub const LAMBDA_CONCURRENCY_DEFAULT: Limit<u32> =
    limit(1_000, "Lambda concurrent executions per Region (default quota)", LAMBDA_LIMITS, Verified);

// --------------------------------------------------------------------- ALB

pub const ALB_IDLE_TIMEOUT_MIN: Limit<Duration> =
    limit(Duration::from_secs(1), "ALB minimum idle timeout", ALB_ATTRIBUTES, Verified);
pub const ALB_IDLE_TIMEOUT_MAX: Limit<Duration> =
    limit(Duration::from_secs(4_000), "ALB maximum idle timeout", ALB_ATTRIBUTES, Verified);
pub const ALB_IDLE_TIMEOUT_DEFAULT: Limit<Duration> =
    limit(Duration::from_secs(60), "default ALB idle timeout", ALB_ATTRIBUTES, Verified);

// ----------------------------------------------------------------- Fargate

/// One row of Fargate's CPU and memory table: for `cpu`, memory from `min`
/// to `max` in `step`s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FargateSize {
    pub cpu: Vcpu,
    pub min: Size,
    pub max: Size,
    pub step: Size,
}

const fn fargate(cpu_millis: u32, min_mib: u64, max_mib: u64, step_mib: u64) -> FargateSize {
    FargateSize {
        cpu: Vcpu::from_millis(cpu_millis),
        min: Size::from_mib(min_mib),
        max: Size::from_mib(max_mib),
        step: Size::from_mib(step_mib),
    }
}

/// The CPU and memory pairs Fargate accepts (0.25 vCPU: 0.5, 1 or 2 GB, ...).
pub const FARGATE_SIZES_TABLE: Limit<&[FargateSize]> = limit(
    &[
        fargate(250, 512, 2_048, 512), // 0.5, 1, 2 GB: 1.5 GB is not offered, checked below
        fargate(500, 1_024, 4_096, 1_024),
        fargate(1_000, 2_048, 8_192, 1_024),
        fargate(2_000, 4_096, 16_384, 1_024),
        fargate(4_000, 8_192, 30_720, 1_024),
        fargate(8_000, 16_384, 61_440, 4_096),
        fargate(16_000, 32_768, 122_880, 8_192),
    ],
    "Fargate task CPU and memory combinations",
    FARGATE_SIZES,
    Verified,
);

/// Whether Fargate accepts `memory` with `cpu`.
pub fn fargate_accepts(cpu: Vcpu, memory: Size) -> bool {
    let Some(row) = FARGATE_SIZES_TABLE.value.iter().find(|row| row.cpu == cpu) else {
        return false;
    };
    if cpu == Vcpu::from_millis(250) {
        // The 0.25 vCPU row lists 512 MiB, 1 GB and 2 GB only.
        return [512, 1_024, 2_048].map(Size::from_mib).contains(&memory);
    }
    memory >= row.min
        && memory <= row.max
        && (memory.as_bytes() - row.min.as_bytes()).is_multiple_of(row.step.as_bytes())
}

pub const FARGATE_STORAGE_DEFAULT: Limit<Size> =
    limit(Size::from_gib(20), "Fargate ephemeral storage included by default", FARGATE_STORAGE, Verified);
pub const FARGATE_STORAGE_CONFIGURABLE_MIN: Limit<Size> =
    limit(Size::from_gib(21), "Fargate smallest configurable ephemeral storage", FARGATE_STORAGE, Verified);
pub const FARGATE_STORAGE_MAX: Limit<Size> =
    limit(Size::from_gib(200), "Fargate largest ephemeral storage", FARGATE_STORAGE, Verified);
/// Tasks per service (older docs said 1 000); the default of `account.tasks_per_service`.
pub const TASKS_PER_SERVICE_MAX: Limit<u32> = limit(5_000, "ECS tasks per service", ECS_QUOTAS, ThirdParty);

/// HTTP APIs have Regional endpoints only.
pub const HTTP_API_REGIONAL_ONLY: Source = Source {
    what: "HTTP APIs offer Regional endpoints only (no edge-optimized or private endpoints)",
    url: "apigateway/latest/developerguide/http-api-vs-rest.html",
    read: READ,
    confidence: Verified,
};

/// The longest API Gateway waits for an integration, for an API of this type,
/// endpoint, quota and transfer mode.
///
/// ```
/// use archpolicy::model::{ApiType, EndpointType, TransferMode, limits};
/// use archpolicy::units::Duration;
///
/// let rest = limits::integration_timeout_ceiling(ApiType::Rest, EndpointType::Regional, false, TransferMode::Buffered);
/// assert_eq!(rest.value, Duration::from_secs(29));
/// let raised = limits::integration_timeout_ceiling(ApiType::Rest, EndpointType::Regional, true, TransferMode::Buffered);
/// assert_eq!(raised.value, Duration::from_secs(300));
/// let edge = limits::integration_timeout_ceiling(ApiType::Rest, EndpointType::Edge, true, TransferMode::Buffered);
/// assert_eq!(edge.value, Duration::from_secs(29));
/// ```
pub fn integration_timeout_ceiling(
    api: crate::model::ApiType,
    endpoint: crate::model::EndpointType,
    quota_raised: bool,
    transfer: crate::model::TransferMode,
) -> Limit<Duration> {
    use crate::model::{ApiType, EndpointType, TransferMode};
    match api {
        ApiType::Rest if transfer == TransferMode::Stream => REST_STREAM_TIMEOUT_MAX,
        ApiType::Rest if quota_raised && endpoint != EndpointType::Edge => REST_TIMEOUT_RAISED_MAX,
        ApiType::Rest => REST_TIMEOUT_DEFAULT,
        ApiType::Http => HTTP_TIMEOUT_MAX,
        ApiType::Websocket => WEBSOCKET_TIMEOUT_MAX,
    }
}

/// Availability Zones a proposal may use: us-east-1, the Region of the price table, has six.
pub const AZ_COUNT_MAX: Limit<u8> = limit(
    6,
    "Availability Zones in us-east-1",
    "global-infrastructure/latest/regions/aws-availability-zones.html",
    Verified,
);

// ------------------------------------------------ read 2026-11-30 (fidelity)

/// The date the fidelity figures (aws-facts.md's addendum) were read.
const READ_2: ReadOn = ReadOn("2026-11-30");

const WAF_RESOURCES_PAGE: &str = "waf/latest/developerguide/how-aws-waf-works-resources.html";
const LAMBDA_CONCURRENCY_PAGE: &str = "lambda/latest/dg/configuration-concurrency.html";
const APIGW_QUOTAS: &str = "apigateway/latest/developerguide/limits.html";
const ALB_LIMITS: &str = "elasticloadbalancing/latest/application/load-balancer-limits.html";

/// AWS WAF web ACLs attach to REST API stages and ALBs, not to HTTP or WebSocket APIs.
pub const WAF_RESOURCES: Source = READ_2.source(
    "AWS WAF protects REST API stages and ALBs; HTTP and WebSocket APIs cannot be associated with a web ACL",
    WAF_RESOURCES_PAGE,
    Verified,
);
/// What a REST API authorizes with.
pub const REST_AUTHORIZERS: Source = READ_2.source(
    "REST APIs authorize with a Lambda authorizer, a Cognito user pool or IAM; JWT authorizers are for HTTP APIs",
    "apigateway/latest/api/API_Authorizer.html",
    Verified,
);
/// What an HTTP API authorizes with.
pub const HTTP_AUTHORIZERS: Source = READ_2.source(
    "HTTP APIs authorize with a Lambda authorizer, a JWT authorizer or IAM; a Cognito user pool is used as a JWT issuer",
    "apigateway/latest/developerguide/http-api-access-control.html",
    Verified,
);
/// What a WebSocket API authorizes with.
pub const WEBSOCKET_AUTHORIZERS: Source = READ_2.source(
    "WebSocket APIs authorize with IAM or a Lambda REQUEST authorizer on `$connect`",
    "apigateway/latest/developerguide/apigateway-websocket-api-control-access.html",
    Verified,
);
/// WebSocket APIs have Regional endpoints only.
pub const WEBSOCKET_REGIONAL_ONLY: Source = READ_2.source(
    "WebSocket APIs are offered with a Regional endpoint only",
    "whitepapers/latest/best-practices-api-gateway-private-apis-integration/websocket-api.html",
    Verified,
);
/// What SnapStart cannot be combined with.
pub const SNAPSTART_LIMITS: Source = READ_2.source(
    "SnapStart does not support provisioned concurrency, Amazon EFS, or ephemeral storage above 512 MB",
    "lambda/latest/dg/snapstart.html",
    Verified,
);
/// SnapStart's limit on ephemeral storage.
pub const SNAPSTART_STORAGE_MAX: Limit<Size> =
    READ_2.limit(Size::from_mib(512), "SnapStart's most ephemeral storage", "lambda/latest/dg/snapstart.html", Verified);
/// Concurrency an account keeps unreserved: reserved (AWS's text) and,
/// as reported, provisioned concurrency leave at least this much.
pub const UNRESERVED_CONCURRENCY_MIN: Limit<u32> = READ_2.limit(
    100,
    "Lambda keeps 100 of the account's concurrency unreserved (stated for reserved concurrency; reported for provisioned)",
    LAMBDA_CONCURRENCY_PAGE,
    ThirdParty,
);
/// The smallest Lambda concurrency quota an account has (new accounts may start there).
pub const LAMBDA_CONCURRENCY_QUOTA_MIN: Limit<u32> = READ_2.limit(
    10,
    "the reduced Lambda concurrency quota of a new account",
    "lambda/latest/dg/gettingstarted-limits.html",
    ThirdParty,
);
/// Lambda gives CPU in proportion to memory: one vCPU at 1,769 MB.
pub const LAMBDA_MB_PER_VCPU: Limit<u32> = READ_2.limit(
    1_769,
    "a function with 1,769 MB of memory has the equivalent of one vCPU (one vCPU-second of credits per second)",
    "lambda/latest/dg/configuration-memory.html",
    Verified,
);
/// An ALB spans at least two Availability Zones.
pub const ALB_MIN_AZS: Limit<u8> = READ_2.limit(
    2,
    "an Application Load Balancer's subnets are in at least two Availability Zones",
    "elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html",
    Verified,
);
/// Targets an ALB routes to (adjustable).
pub const ALB_TARGETS_MAX: Limit<u32> = READ_2.limit(1_000, "targets per Application Load Balancer", ALB_LIMITS, Verified);
/// An ALB can authenticate users itself.
pub const ALB_AUTHENTICATION: Source = READ_2.source(
    "ALB listeners authenticate users with `authenticate-oidc` and `authenticate-cognito` actions (HTTPS listeners)",
    "elasticloadbalancing/latest/application/listener-authenticate-users.html",
    Verified,
);
/// Response streaming leaves out caching and mapping templates.
pub const REST_STREAM_NO_CACHE: Source = READ_2.source(
    "a REST API that streams a response does not cache it or apply mapping templates",
    APIGW_STREAMING,
    Verified,
);
/// How long a streamed response may sit idle, by endpoint type.
pub const REST_STREAM_IDLE_REGIONAL: Limit<Duration> = READ_2.limit(
    Duration::from_mins(5),
    "idle timeout of a streamed response on a Regional or private REST API",
    APIGW_STREAMING,
    Verified,
);
pub const REST_STREAM_IDLE_EDGE: Limit<Duration> = READ_2.limit(
    Duration::from_secs(30),
    "idle timeout of a streamed response on an edge-optimized REST API",
    APIGW_STREAMING,
    Verified,
);
/// Fargate Spot runs ARM64 tasks too.
pub const FARGATE_SPOT_ARCHITECTURES: Source = READ_2.source(
    "FARGATE_SPOT runs Linux tasks on x86_64 (platform version 1.3.0 or later) and ARM64 (1.4.0 or later)",
    "AmazonECS/latest/APIReference/API_CapacityProviderStrategyItem.html",
    Verified,
);
/// The account-wide API Gateway throttle, shared by REST, HTTP and WebSocket APIs.
pub const API_THROTTLE_RATE: Limit<u32> =
    READ_2.limit(10_000, "API Gateway requests per second per account and Region", APIGW_QUOTAS, Verified);
pub const API_THROTTLE_BURST: Limit<u32> =
    READ_2.limit(5_000, "API Gateway burst per account and Region", APIGW_QUOTAS, Verified);
/// Payload limits on the request path.
pub const LAMBDA_SYNC_PAYLOAD: Limit<Size> = READ_2.limit(
    Size::from_mib(6),
    "Lambda synchronous request and response payload",
    "lambda/latest/api/API_Invoke.html",
    Verified,
);
pub const APIGW_PAYLOAD: Limit<Size> =
    READ_2.limit(Size::from_mib(10), "API Gateway REST and HTTP API payload", APIGW_QUOTAS, Verified);
pub const WEBSOCKET_MESSAGE: Limit<Size> =
    READ_2.limit(Size::from_bytes(128 * 1024), "API Gateway WebSocket message size", WEBSOCKET_LIMITS, Verified);
/// How long API Gateway keeps a WebSocket connection, and how long it may sit idle.
pub const WEBSOCKET_CONNECTION_MAX: Limit<Duration> =
    READ_2.limit(Duration::from_mins(120), "API Gateway WebSocket connection duration", WEBSOCKET_LIMITS, Verified);
pub const WEBSOCKET_IDLE_MAX: Limit<Duration> =
    READ_2.limit(Duration::from_mins(10), "API Gateway WebSocket idle connection timeout", WEBSOCKET_LIMITS, Verified);

/// A REST or HTTP API Lambda authorizer caches its result for at most an hour.
pub const AUTHORIZER_CACHE_TTL_MAX: Limit<Duration> = READ_2.limit(
    Duration::from_secs(3600),
    "an API Gateway authorizer's result cache TTL is at most 3600 s (REST default 300 s)",
    "apigateway/latest/api/API_Authorizer.html",
    Verified,
);
/// Among API Gateway v2 APIs, only an HTTP API's Lambda authorizer caches its
/// result (`AuthorizerResultTtlInSeconds`): a WebSocket
/// API's authorizer runs on `$connect` and caches nothing.
pub const AUTHORIZER_CACHE_V2_HTTP_ONLY: Limit<super::ApiType> = READ_2.limit(
    super::ApiType::Http,
    "AuthorizerResultTtlInSeconds is supported only for HTTP API Lambda authorizers",
    "apigatewayv2/latest/api-reference/apis-apiid-authorizers.html",
    Verified,
);
/// What a REST API's authorizer caches by default.
pub const AUTHORIZER_CACHE_TTL_REST_DEFAULT: Limit<Duration> = READ_2.limit(
    Duration::from_secs(300),
    "a REST API authorizer caches its result for 300 s by default",
    "apigateway/latest/api/API_Authorizer.html",
    Verified,
);

// ------------------------------------------------------------ What AWS deploys when a template leaves a property out
//
// An imported template says only what it sets; the rest is AWS's default,
// and each default here is the figure the resource's CloudFormation page
// states (read 2026-11-30), so `policy facts` can say "AWS default" and where.

const CFN_LAMBDA: &str = "AWSCloudFormation/latest/UserGuide/aws-resource-lambda-function.html";
const CFN_ALB: &str = "AWSCloudFormation/latest/UserGuide/aws-resource-elasticloadbalancingv2-loadbalancer.html";
const CFN_ECS_SERVICE: &str = "AWSCloudFormation/latest/UserGuide/aws-resource-ecs-service.html";

/// Lambda's timeout when `Timeout` is left out.
pub const LAMBDA_TIMEOUT_DEFAULT: Limit<Duration> = Limit {
    value: Duration::from_secs(3),
    source: READ_2.source("Lambda timeout when `Timeout` is left out: 3 s", CFN_LAMBDA, Verified),
};
/// Lambda's memory when `MemorySize` is left out.
pub const LAMBDA_MEMORY_DEFAULT: Limit<Size> = Limit {
    value: Size::from_mib(128),
    source: READ_2.source("Lambda memory when `MemorySize` is left out: 128 MB", CFN_LAMBDA, Verified),
};
/// Lambda's instruction set when `Architectures` is left out.
pub const LAMBDA_ARCHITECTURE_DEFAULT: Source =
    READ_2.source("Lambda instruction set when `Architectures` is left out: x86_64", CFN_LAMBDA, Verified);
/// No SnapStart unless `SnapStart.ApplyOn` is `PublishedVersions`.
pub const LAMBDA_SNAPSTART_DEFAULT: Source = READ_2.source(
    "SnapStart is off unless `ApplyOn: PublishedVersions`",
    "lambda/latest/dg/snapstart-activate.html",
    Verified,
);
/// No provisioned concurrency unless an alias or version configures it.
pub const LAMBDA_PROVISIONED_DEFAULT: Source = READ_2.source(
    "no provisioned concurrency unless an alias or version sets `ProvisionedConcurrencyConfig`",
    "lambda/latest/dg/provisioned-concurrency.html",
    Verified,
);
/// A REST API with no `EndpointConfiguration` is edge-optimized.
pub const REST_ENDPOINT_DEFAULT: Source = READ_2.source(
    "a REST API with no `EndpointConfiguration` is edge-optimized (EDGE), API Gateway's default endpoint type",
    "apigateway/latest/developerguide/api-gateway-api-endpoint-types.html",
    Verified,
);
/// Integrations buffer their response unless `STREAM` is set.
pub const TRANSFER_MODE_DEFAULT: Source =
    READ_2.source("integrations buffer the response (BUFFERED) unless set to STREAM", APIGW_STREAMING, Verified);
/// No authorizer unless the template names one.
pub const AUTHORIZER_DEFAULT: Source = READ_2.source(
    "a method with no authorizer is open (`AuthorizationType: NONE`)",
    "apigateway/latest/api/API_Method.html",
    Verified,
);
/// No WAF unless a web ACL association names the resource.
pub const WAF_DEFAULT: Source =
    READ_2.source("no web ACL protects a resource unless a `WebACLAssociation` names it", WAF_RESOURCES_PAGE, Verified);
/// An ALB with no `Scheme` is internet-facing.
pub const ALB_SCHEME_DEFAULT: Source = READ_2.source("a load balancer with no `Scheme` is internet-facing", CFN_ALB, Verified);
/// A Fargate task with no `RuntimePlatform` runs on x86_64.
pub const FARGATE_ARCHITECTURE_DEFAULT: Source = READ_2.source(
    "a task definition runs on X86_64 unless `RuntimePlatform.CpuArchitecture` is ARM64 (AWS lists the values but states no default)",
    "AWSCloudFormation/latest/UserGuide/aws-properties-ecs-taskdefinition-runtimeplatform.html",
    ThirdParty,
);
/// Tasks get no public IP unless `AssignPublicIp: ENABLED`.
pub const ASSIGN_PUBLIC_IP_DEFAULT: Source = READ_2.source(
    "tasks get no public IP unless `AssignPublicIp: ENABLED` (default DISABLED)",
    "AWSCloudFormation/latest/UserGuide/aws-properties-ecs-service-awsvpcconfiguration.html",
    Verified,
);
/// Tasks run on Fargate on demand unless a capacity provider names FARGATE_SPOT.
pub const FARGATE_SPOT_DEFAULT: Source = READ_2.source(
    "tasks run on Fargate on demand unless the capacity provider strategy names FARGATE_SPOT",
    "AmazonECS/latest/developerguide/fargate-capacity-providers.html",
    Verified,
);
/// A new service with no `DesiredCount` runs one task.
pub const DESIRED_COUNT_DEFAULT: Source =
    READ_2.source("a new service with no `DesiredCount` runs 1 task", CFN_ECS_SERVICE, Verified);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fargate_table_matches_the_documented_pairs() {
        let cpu = |c: u32| Vcpu::from_millis(c);
        let gib = Size::from_gib;
        assert!(fargate_accepts(cpu(250), Size::from_mib(512)));
        assert!(fargate_accepts(cpu(250), gib(2)));
        assert!(!fargate_accepts(cpu(250), Size::from_mib(1_536)));
        assert!(!fargate_accepts(cpu(250), gib(3)));
        assert!(fargate_accepts(cpu(500), gib(3)));
        assert!(fargate_accepts(cpu(1_000), gib(8)));
        assert!(!fargate_accepts(cpu(1_000), gib(1)));
        assert!(fargate_accepts(cpu(4_000), gib(30)));
        assert!(!fargate_accepts(cpu(4_000), gib(31)));
        assert!(fargate_accepts(cpu(8_000), gib(20)));
        assert!(!fargate_accepts(cpu(8_000), gib(18)));
        assert!(fargate_accepts(cpu(16_000), gib(120)));
        assert!(!fargate_accepts(cpu(16_000), gib(36)));
        assert!(!fargate_accepts(cpu(3_000), gib(8)));
        assert!(!fargate_accepts(cpu(1_000), Size::from_mib(2_500)));
    }
}

// ------------------------------------------------------ the tool's own bounds

pub mod function_url;
pub mod queue;
pub mod workload;
