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

const fn limit<T>(value: T, what: &'static str, url: &'static str, confidence: Confidence) -> Limit<T> {
    Limit { value, source: Source { what, url, read: READ, confidence } }
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
const FARGATE_PRICING: &str = "aws.amazon.com/fargate/pricing";

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
/// Tasks per service (older docs said 1 000).
pub const TASKS_PER_SERVICE_MAX: Limit<u32> = limit(5_000, "ECS tasks per service", ECS_QUOTAS, ThirdParty);
/// Fargate Spot runs x86 Linux tasks only.
pub const FARGATE_SPOT_X86_ONLY: Source = Source {
    what: "Fargate Spot is offered for x86 Linux tasks only",
    url: FARGATE_PRICING,
    read: READ,
    confidence: Verified,
};

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
