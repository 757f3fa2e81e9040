//! Components shared by the patterns, and the settings they hold.
//!
//! A component type holds its settings with every default applied, so a
//! loaded model is complete; where each value came from (the file or a
//! default) is kept beside the model in [`crate::model::Origins`].

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::Serialize;

use super::enums::*;
use super::runtimes::Runtime;
use crate::units::{Date, Duration, Percent, Size, Vcpu};

/// What the service is asked to carry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Workload {
    /// Requests per month at the expected traffic.
    pub requests_per_month: u64,
    /// Average request duration.
    pub avg_duration: Duration,
    /// The longest synchronous request; in `queue_worker`, the longest job (the caller gets 202 and does not wait for it).
    pub max_request_duration: Duration,
    /// Peak requests per second.
    pub peak_rps: u32,
    /// Clients hold WebSocket connections. Default: false.
    #[serde(default)]
    pub websockets: bool,
    /// Responses are streamed. Default: false.
    #[serde(default)]
    pub streaming: bool,
    /// Users wait on each response and notice a slow one. Default: false.
    #[serde(default)]
    pub latency_sensitive: bool,
    /// Average bytes of a request and its response, for load balancer capacity units. Cost estimates assume 10KiB when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avg_payload: Option<Size>,
    /// WebSocket connection minutes per month, for WebSocket API pricing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection_minutes_per_month: Option<u64>,
    /// The largest request or response body, to check against each hop's payload limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_payload: Option<Size>,
    /// How long a client holds a WebSocket or streaming connection open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection_duration: Option<Duration>,
    /// Data the compute sends to the internet per month (outbound calls, downloads), for NAT gateway processing and data transfer out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub egress_per_month: Option<Size>,
    /// Distinct callers (tokens) active through the month, for the Lambda authorizer's result cache. Cost estimates assume every request invokes the authorizer when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clients: Option<u64>,
    /// Hours a month the service holds the capacity its peak needs, for the Fargate capacity model. Default: a quarter of the month (182.5 h), never more than the hours the declared requests last at the peak rate. At least 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 730))]
    pub peak_hours_per_month: Option<u64>,
    /// How callers get the result: `sync` (they wait for it in the response) or `async` (they accept 202 Accepted at once and fetch the result later; `queue_worker`). Default: sync.
    #[serde(default = "defaults::response", skip_serializing_if = "defaults::is_sync")]
    pub response: ResponseMode,
    /// How long a caller can wait for a job to be done, from the request to its end (retries included), for an async workload. Omit for no deadline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completion_deadline: Option<Duration>,
    /// CPU time one request uses (vCPU-seconds), the work both a function and a task do: sizes the other patterns' compute. Default: derived from the proposal's compute (a function's memory at 1,769 MB per vCPU for its whole average duration; a task's vCPU over its `concurrency_per_task`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_time_per_request: Option<Duration>,
}

/// API Gateway settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Gateway {
    /// `rest`, `http` or `websocket`.
    pub api: ApiType,
    /// `regional`, `edge` or `private`. Default: regional.
    #[serde(default = "defaults::endpoint")]
    pub endpoint: EndpointType,
    /// How long API Gateway waits for the integration. Default: the API's own default (29 s REST and WebSocket, 30 s HTTP).
    #[serde(default = "defaults::integration_timeout")]
    pub integration_timeout: Duration,
    /// The account's integration-timeout quota was raised (Regional and private REST APIs only). Default: false.
    #[serde(default)]
    pub timeout_quota_raised: bool,
    /// `buffered` or `stream` (REST response streaming). Default: buffered.
    #[serde(default = "defaults::transfer")]
    pub transfer: TransferMode,
    /// `none`, `lambda`, `jwt`, `iam` or `cognito`. Default: none.
    #[serde(default = "defaults::authorizer")]
    pub authorizer: Authorizer,
    /// AWS WAF web ACL on the stage. Default: false.
    #[serde(default)]
    pub waf: bool,
    /// Stage throttling. Default: the account's limits only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub throttle: Option<Throttle>,
    /// API cache size in GB (REST only): 0.5, 1.6, 6.1, 13.5, 28.4, 58.2, 118 or 237. Omit for no cache.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_gb: Option<CacheSize>,
    /// How long a Lambda authorizer's result is cached, 0 s to 3600 s. Default: AWS's (300 s REST, none HTTP and WebSocket).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorizer_cache_ttl: Option<Duration>,
}

/// An API Gateway cache size, in GB as AWS names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CacheSize(Decimal);

impl CacheSize {
    /// The sizes API Gateway offers, in GB.
    pub const OFFERED: [&'static str; 8] = ["0.5", "1.6", "6.1", "13.5", "28.4", "58.2", "118", "237"];

    /// The size, if API Gateway offers it.
    pub fn new(gb: Decimal) -> Option<CacheSize> {
        let gb = gb.normalize();
        CacheSize::OFFERED.iter().any(|o| Decimal::from_str_exact(o).is_ok_and(|d| d == gb)).then_some(CacheSize(gb))
    }
    pub fn gb(self) -> Decimal {
        self.0
    }
}

impl std::fmt::Display for CacheSize {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} GB", self.0)
    }
}

impl Serialize for CacheSize {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // The offered sizes have one decimal at most: exact in a float.
        s.serialize_f64(self.0.to_string().parse().unwrap_or(0.0))
    }
}

impl JsonSchema for CacheSize {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "CacheSize".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "an API cache size in GB",
            "enum": [0.5, 1.6, 6.1, 13.5, 28.4, 58.2, 118, 237]
        })
    }
}

/// Stage or route throttling at the gateway.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Throttle {
    /// Steady-state requests per second.
    pub rate: u32,
    /// Burst capacity in requests.
    pub burst: u32,
}

/// The Lambda function.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Function {
    /// Lambda runtime identifier, e.g. `java21`, `python3.13`, `nodejs22.x`.
    pub runtime: Runtime,
    /// Memory, 128 MiB to 10 240 MiB in 1 MiB steps.
    pub memory: Size,
    /// Timeout, 1 s to 900 s in whole seconds.
    pub timeout: Duration,
    /// `x86_64` or `arm64`. Default: x86_64.
    #[serde(default = "defaults::architecture")]
    pub architecture: Architecture,
    /// Pre-initialized execution environments. Default: 0.
    #[serde(default)]
    pub provisioned_concurrency: u32,
    /// Lambda SnapStart. Default: false.
    #[serde(default)]
    pub snapstart: bool,
    /// /tmp storage, 512 MiB to 10 240 MiB. Default: 512MiB.
    #[serde(default = "defaults::lambda_storage")]
    pub ephemeral_storage: Size,
    /// The VPC the function is attached to. Omit for none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vpc: Option<FunctionVpc>,
}

/// A Lambda function's VPC attachment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FunctionVpc {
    /// `private` or `public`.
    pub subnets: SubnetKind,
}

/// A Lambda function URL: the function's own HTTPS endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FunctionUrl {
    /// `aws_iam` (signed requests) or `none` (public).
    pub auth: UrlAuth,
    /// `buffered` (at most 6 MB) or `response_stream` (up to 200 MB). Default: buffered.
    #[serde(default = "defaults::invoke_mode")]
    pub invoke_mode: InvokeMode,
    /// The function's reserved concurrency, the URL's only throttle (at most 10 requests a second per unit). Omit for none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reserved_concurrency: Option<u32>,
    /// A CloudFront distribution in front, reaching the URL through origin access control (needs `auth: aws_iam`). Default: false.
    #[serde(default)]
    pub cloudfront: bool,
    /// An AWS WAF web ACL on that CloudFront distribution (a function URL takes none itself). Default: false.
    #[serde(default)]
    pub waf: bool,
    /// The URL's CORS settings. Omit for none (the function's own headers apply).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cors: Option<Cors>,
}

/// A function URL's CORS settings (AWS's `Cors`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Cors {
    /// Origins allowed to call, at most 100, e.g. `["https://example.com"]`. Default: none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow_origins: Vec<String>,
    /// Methods allowed, at most 6 of `GET`, `PUT`, `HEAD`, `POST`, `PATCH`, `DELETE` or `*`. Default: none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow_methods: Vec<String>,
    /// Request headers allowed, at most 100. Default: none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow_headers: Vec<String>,
    /// Response headers exposed, at most 100. Default: none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub expose_headers: Vec<String>,
    /// Cookies and credentials allowed. Default: false.
    #[serde(default)]
    pub allow_credentials: bool,
    /// How long a browser caches the preflight answer, 0 s to 86400 s. Default: 0s.
    #[serde(default = "defaults::cors_max_age")]
    pub max_age: Duration,
}

/// The SQS queue between the API and the worker, with the Lambda event
/// source mapping that reads it (`batch_size`, `batching_window`, `max_concurrency`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Queue {
    /// `standard` or `fifo`. Default: standard.
    #[serde(rename = "type", default = "defaults::queue_type")]
    pub kind: QueueType,
    /// How long a received message stays hidden from other receives, 0 s to 12 h; at least the function's timeout. Default: 30s.
    #[serde(default = "defaults::visibility_timeout")]
    pub visibility_timeout: Duration,
    /// How long SQS keeps a message, 60 s to 14 days (336h). Default: 96h (4 days).
    #[serde(default = "defaults::retention")]
    pub retention: Duration,
    /// Receives before a message moves to the dead-letter queue (its `maxReceiveCount`), 1 to 1000. Omit for no dead-letter queue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_receives: Option<u32>,
    /// Messages per invocation of the worker, 1 to 10000 (10 for FIFO). Default: 10.
    #[serde(default = "defaults::batch_size")]
    pub batch_size: u32,
    /// How long Lambda gathers a batch before it invokes, 0 s to 300 s (standard queues only; at least 1s when `batch_size` is above 10). Default: 0s.
    #[serde(default = "defaults::batching_window")]
    pub batching_window: Duration,
    /// The most worker invocations at once (the mapping's `MaximumConcurrency`), 2 to 1000. Omit for the account's concurrency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_concurrency: Option<u32>,
}

/// The ECS service on Fargate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// Task vCPU: 0.25, 0.5, 1, 2, 4, 8 or 16.
    pub cpu: Vcpu,
    /// Task memory, a size Fargate accepts for the CPU.
    pub memory: Size,
    /// Task counts.
    pub tasks: Tasks,
    /// `x86_64` or `arm64`. Default: x86_64.
    #[serde(default = "defaults::architecture")]
    pub architecture: Architecture,
    /// `private` or `public`. Default: private.
    #[serde(default = "defaults::subnets")]
    pub subnets: SubnetKind,
    /// Tasks get public IPv4 addresses. Default: false.
    #[serde(default)]
    pub public_ip: bool,
    /// Run on Fargate Spot (x86_64, or ARM64 on platform version 1.4.0 and later). Default: false.
    #[serde(default)]
    pub spot: bool,
    /// `library`, `sidecar`, `mesh`, `gateway`, `alb_oidc`, `alb_cognito` or `none`. Default: `gateway` behind an API Gateway with an authorizer; required elsewhere.
    pub auth: ServiceAuth,
    /// Task ephemeral storage: 20 GiB, or 21 to 200 GiB. Default: 20GiB.
    #[serde(default = "defaults::task_storage")]
    pub ephemeral_storage: Size,
    /// Requests one task serves at once, at least 1. Cost estimates assume 10 per vCPU when absent (docs/cost.md).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concurrency_per_task: Option<u32>,
    /// The container image's size, as pulled: what each task start moves through a NAT gateway (docs/cost.md). Cost estimates leave image pulls out when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_size: Option<Size>,
}

impl Service {
    /// How the tasks reach ECR for their image: the VPC's endpoints when it
    /// has them (private DNS sends ECR and S3 traffic there), the internet
    /// gateway for a public IP in a public subnet, a NAT gateway from private
    /// subnets; otherwise nothing (a task in a public subnet without a public
    /// IP has no route either: the subnet's default route is the internet
    /// gateway, which needs a public address).
    pub fn image_pull(&self, network: &Network) -> ImagePull {
        if network.vpc_endpoints {
            ImagePull::VpcEndpoints
        } else if self.subnets == SubnetKind::Public && self.public_ip {
            ImagePull::Internet
        } else if self.subnets == SubnetKind::Private && network.nat_gateways > 0 {
            ImagePull::NatGateway
        } else {
            ImagePull::None
        }
    }
}

/// How many tasks run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tasks {
    pub min: u32,
    pub desired: u32,
    pub max: u32,
}

/// The Application Load Balancer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LoadBalancer {
    /// `internet_facing` or `internal` (callers inside the VPC) for fargate_alb; `internal` for fargate_api_gateway. Default: the pattern's (`internet_facing` for fargate_alb).
    #[serde(default = "defaults::scheme")]
    pub scheme: Scheme,
    /// Idle timeout, 1 s to 4 000 s. Default: 60s.
    #[serde(default = "defaults::idle_timeout")]
    pub idle_timeout: Duration,
    /// AWS WAF web ACL on the load balancer. Default: false.
    #[serde(default)]
    pub waf: bool,
}

/// The API Gateway VPC link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VpcLink {
    /// `v1` (REST, through an NLB) or `v2` (straight to the private ALB).
    pub version: VpcLinkVersion,
}

/// The VPC's shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Network {
    /// Availability Zones used, 1 to 6. Default: 2.
    #[serde(default = "defaults::az_count")]
    pub az_count: u8,
    /// NAT gateways (AWS's quota is 5 per AZ, adjustable). Default: 0.
    #[serde(default)]
    pub nat_gateways: u8,
    /// The VPC has the endpoints that private tasks need without a NAT gateway (aws-facts.md, "Private Fargate tasks without NAT"): ECR's `ecr.api` and `ecr.dkr` interface endpoints and the S3 gateway endpoint (image layers), and CloudWatch Logs' interface endpoint when logs go there. Default: false.
    #[serde(default)]
    pub vpc_endpoints: bool,
}

/// A data store the service uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DataStore {
    /// `rds`, `aurora`, `dynamodb`, `s3`, `elasticache` or `opensearch`.
    pub kind: DataKind,
    /// Connections go through RDS Proxy (rds and aurora only). Default: false.
    #[serde(default)]
    pub proxy: bool,
}

/// Logs and traces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Observability {
    /// `cloudwatch`, `firelens` or `none`. Default: cloudwatch.
    #[serde(default = "defaults::logs")]
    pub logs: LogSink,
    /// `xray`, `otel` or `none`. Default: none.
    #[serde(default = "defaults::tracing")]
    pub tracing: Tracing,
    /// Log volume ingested per month, for CloudWatch Logs pricing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logs_per_month: Option<Size>,
    /// Share of requests traced, for X-Ray pricing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace_sampling: Option<Percent>,
}

/// Quotas the organization's AWS account has, where they differ from AWS's
/// defaults (each default is AWS's, cited in `model::limits`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Account {
    /// Lambda concurrent executions in the Region. Default: 1000.
    #[serde(default = "defaults::lambda_concurrency")]
    pub lambda_concurrency: u32,
    /// API Gateway's account throttle in the Region, shared by every API. Default: 10000 requests per second, burst 5000.
    #[serde(default = "defaults::api_throttle")]
    pub api_throttle: Throttle,
    /// Tasks an ECS service may run. Default: 5000.
    #[serde(default = "defaults::tasks_per_service")]
    pub tasks_per_service: u32,
}

/// An accepted exception to a policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Waiver {
    /// The id of the waived policy.
    pub policy: String,
    /// Why the exception is acceptable.
    pub reason: String,
    /// The last day the waiver holds.
    pub expires: Date,
    /// Who approved it.
    pub approved_by: String,
}

/// The template a proposal stands on: its values come from there (docs/import.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportRef {
    /// The template, relative to the proposal: CloudFormation or SAM (YAML or JSON), `cdk synth` output, or a Terraform plan (`terraform show -json`).
    pub from: String,
    /// The service's logical ID in the template (the function or the ECS service), or its Terraform address; `policy import` lists them.
    pub select: String,
    /// A parameters file, relative to the proposal: CloudFormation's `[{ ParameterKey, ParameterValue }]` list, or a plain map.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameters: Option<String>,
    /// Take a parameter's `Default` when the parameters file gives it no value. Default: false.
    #[serde(default)]
    pub parameter_defaults: bool,
}

/// Tags as declared (`tier: core`).
pub type Tags = BTreeMap<String, String>;

/// The defaults the loader applies, in one place; the JSON Schema shows them
/// too. Those that are AWS's own carry a source in [`super::limits`].
pub mod defaults {
    use super::*;
    use crate::model::limits;

    pub fn endpoint() -> EndpointType {
        EndpointType::Regional
    }
    /// The REST default; the loader picks the default of the declared API type.
    pub fn integration_timeout() -> Duration {
        limits::REST_TIMEOUT_DEFAULT.value
    }
    pub fn transfer() -> TransferMode {
        TransferMode::Buffered
    }
    pub fn response() -> ResponseMode {
        ResponseMode::Sync
    }
    /// A written proposal leaves the default out, as it was before `response` existed.
    pub fn is_sync(response: &ResponseMode) -> bool {
        *response == ResponseMode::Sync
    }
    pub fn queue_type() -> QueueType {
        QueueType::Standard
    }
    pub fn visibility_timeout() -> Duration {
        limits::queue::VISIBILITY_DEFAULT.value
    }
    pub fn retention() -> Duration {
        limits::queue::RETENTION_DEFAULT.value
    }
    pub fn batch_size() -> u32 {
        limits::queue::BATCH_SIZE_DEFAULT.value
    }
    pub fn batching_window() -> Duration {
        Duration::ZERO
    }
    pub fn invoke_mode() -> InvokeMode {
        InvokeMode::Buffered
    }
    pub fn cors_max_age() -> Duration {
        Duration::from_secs(0)
    }
    pub fn authorizer() -> Authorizer {
        Authorizer::None
    }
    pub fn architecture() -> Architecture {
        Architecture::X86_64
    }
    pub fn lambda_storage() -> Size {
        limits::LAMBDA_TMP_MIN.value
    }
    pub fn subnets() -> SubnetKind {
        SubnetKind::Private
    }
    pub fn task_storage() -> Size {
        limits::FARGATE_STORAGE_DEFAULT.value
    }
    /// The `fargate_alb` scheme; the loader picks the pattern's.
    pub fn scheme() -> Scheme {
        Scheme::InternetFacing
    }
    pub fn idle_timeout() -> Duration {
        limits::ALB_IDLE_TIMEOUT_DEFAULT.value
    }
    pub fn az_count() -> u8 {
        2
    }
    pub fn logs() -> LogSink {
        LogSink::Cloudwatch
    }
    pub fn tracing() -> Tracing {
        Tracing::None
    }
    pub fn lambda_concurrency() -> u32 {
        limits::LAMBDA_CONCURRENCY_DEFAULT.value
    }
    pub fn api_throttle() -> Throttle {
        Throttle { rate: limits::API_THROTTLE_RATE.value, burst: limits::API_THROTTLE_BURST.value }
    }
    pub fn tasks_per_service() -> u32 {
        limits::TASKS_PER_SERVICE_MAX.value
    }
    pub fn account() -> Account {
        Account {
            lambda_concurrency: lambda_concurrency(),
            api_throttle: api_throttle(),
            tasks_per_service: tasks_per_service(),
        }
    }
    pub fn network() -> Network {
        Network { az_count: az_count(), nat_gateways: 0, vpc_endpoints: false }
    }
    pub fn observability() -> Observability {
        Observability { logs: logs(), tracing: tracing(), logs_per_month: None, trace_sampling: None }
    }
}
