//! The fact schema: every fact's path, type, meaning and the patterns that
//! have it, in one table. The policy checker types against it and
//! docs/facts.md is generated from it.

use serde::Serialize;

use crate::model::named_enum::{EnumType, NamedEnum, named_enum};
use crate::model::{
    ApiType, Architecture, Authorizer, Component, DataKind, EndpointType, Environment, Exposure, ImagePull, InvokeMode, LogSink,
    Pattern, Portability, QueueType, ResponseMode, RuntimeFamily, Scheme, ServiceAuth, SubnetKind, Tracing, TransferMode,
    UrlAuth, VpcLinkVersion,
};
use crate::patterns;

named_enum! {
    /// What callers reach first: the front door (whether they come from the
    /// internet is `network.exposure`).
    pub enum Entry("entry", ordered = false) {
        ApiGateway = "api_gateway",
        Alb = "alb",
        /// A Lambda function URL reached directly.
        FunctionUrl = "function_url",
        /// A CloudFront distribution (in front of a function URL).
        Cloudfront = "cloudfront",
    }
}

named_enum! {
    /// Where client TLS ends.
    pub enum TlsTermination("tls_termination", ordered = false) {
        ApiGateway = "api_gateway",
        Alb = "alb",
        FunctionUrl = "function_url",
        Cloudfront = "cloudfront",
    }
}

named_enum! {
    /// Where requests are authorized.
    pub enum AuthPoint("auth_point", ordered = false) {
        /// An API Gateway authorizer.
        Gateway = "gateway",
        /// Code in the function or the application.
        Application = "application",
        /// A proxy beside the application.
        Sidecar = "sidecar",
        /// The service mesh.
        Mesh = "mesh",
        /// The load balancer's authentication action (OIDC or Cognito).
        LoadBalancer = "load_balancer",
        /// A function URL's IAM auth (`auth: aws_iam`): only signed requests reach the function.
        FunctionUrl = "function_url",
        None = "none",
    }
}

named_enum! {
    /// Who patches the OS and language runtime.
    pub enum Patcher("patcher", ordered = false) {
        Aws = "aws",
        Team = "team",
    }
}

named_enum! {
    /// Which component sets the request path's synchronous limit.
    pub enum Limiter("limiter", ordered = false) {
        Gateway = "gateway",
        Function = "function",
        LoadBalancer = "load_balancer",
    }
}

/// The set of patterns a fact exists for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PatternSet(u32);

impl PatternSet {
    pub const ALL: PatternSet = PatternSet((1 << Pattern::ALL.len()) - 1);
    pub const NONE: PatternSet = PatternSet(0);

    pub const fn of(pattern: Pattern) -> PatternSet {
        PatternSet(1 << pattern as u32)
    }

    /// The patterns built with `component` ([`crate::patterns`] says which).
    pub const fn with(component: Component) -> PatternSet {
        let mut set = 0;
        let mut i = 0;
        while i < Pattern::ALL.len() {
            if patterns::has(Pattern::ALL[i], component) {
                set |= 1 << i;
            }
            i += 1;
        }
        PatternSet(set)
    }

    /// The patterns added after the language's first version ([`patterns::PatternDef::added`]).
    pub const fn added() -> PatternSet {
        let mut set = 0;
        let mut i = 0;
        while i < Pattern::ALL.len() {
            if patterns::def(Pattern::ALL[i]).added {
                set |= 1 << i;
            }
            i += 1;
        }
        PatternSet(set)
    }

    pub fn contains(self, pattern: Pattern) -> bool {
        self.0 & Self::of(pattern).0 != 0
    }
    pub fn is_superset_of(self, other: PatternSet) -> bool {
        self.0 & other.0 == other.0
    }
    pub const fn intersect(self, other: PatternSet) -> PatternSet {
        PatternSet(self.0 & other.0)
    }
    pub fn union(self, other: PatternSet) -> PatternSet {
        PatternSet(self.0 | other.0)
    }
    pub fn minus(self, other: PatternSet) -> PatternSet {
        PatternSet(self.0 & !other.0)
    }
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
    pub fn patterns(self) -> impl Iterator<Item = Pattern> {
        Pattern::ALL.into_iter().filter(move |p| self.contains(*p))
    }
}

impl Serialize for PatternSet {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.patterns().map(|p| p.name()))
    }
}

/// The type of a fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "of")]
pub enum FactType {
    Bool,
    /// A whole number.
    Int,
    Text,
    Duration,
    Size,
    Money,
    Vcpu,
    Enum(&'static EnumType),
    /// A list of records whose fields are the facts `PATH[].FIELD`.
    List,
}

impl FactType {
    /// The type as docs and messages name it.
    pub fn name(self) -> String {
        match self {
            FactType::Bool => "bool".into(),
            FactType::Int => "integer".into(),
            FactType::Text => "string".into(),
            FactType::Duration => "duration".into(),
            FactType::Size => "size".into(),
            FactType::Money => "money".into(),
            FactType::Vcpu => "vcpu".into(),
            FactType::Enum(e) if e.ordered => format!("ordered enum `{}`", e.name),
            FactType::Enum(e) => format!("enum `{}`", e.name),
            FactType::List => "list".into(),
        }
    }
}

/// One row of the schema.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct FactDef {
    /// `workload.max_request_duration`; list fields are `data[].kind`; `tags.*` stands for any tag.
    pub path: &'static str,
    #[serde(rename = "type")]
    pub ty: FactType,
    pub doc: &'static str,
    pub patterns: PatternSet,
    /// May be absent even for a pattern that has it (`is set` tells).
    pub optional: bool,
}

const fn fact(path: &'static str, ty: FactType, patterns: PatternSet, doc: &'static str) -> FactDef {
    FactDef { path, ty, doc, patterns, optional: false }
}

const fn optional(path: &'static str, ty: FactType, patterns: PatternSet, doc: &'static str) -> FactDef {
    FactDef { path, ty, doc, patterns, optional: true }
}

const fn e<T: NamedEnum>() -> FactType {
    FactType::Enum(T::TYPE)
}

use crate::model::Component as C;
use FactType::{Bool, Duration, Int, List, Size, Text, Vcpu};
use PatternSet as P;

/// The most elements a list fact holds: the loader's bound on its section.
pub fn longest_list(path: &str) -> u64 {
    match path {
        "data" => crate::model::decode::MAX_DATA_STORES as u64,
        // A list the schema does not bound is not iterated at all.
        _ => u64::MAX,
    }
}

/// Every fact, grouped by section.
pub const SCHEMA: &[FactDef] = &[
    // Declared identity.
    fact("pattern", e::<Pattern>(), P::ALL, "the reference pattern"),
    fact("name", Text, P::ALL, "the service's name"),
    fact(
        "environment",
        e::<Environment>(),
        P::ALL,
        "the environment: `production`, `staging`, `development`, `test` or `sandbox`",
    ),
    optional("tags.*", Text, P::ALL, "a tag's value, e.g. `tags.tier`; absent when the tag is not declared"),
    // Workload.
    fact("workload.requests_per_month", Int, P::ALL, "requests per month at the expected traffic"),
    fact("workload.avg_duration", Duration, P::ALL, "average request duration"),
    fact("workload.max_request_duration", Duration, P::ALL, "the longest synchronous request"),
    fact("workload.peak_rps", Int, P::ALL, "peak requests per second"),
    fact("workload.websockets", Bool, P::ALL, "clients hold WebSocket connections"),
    fact("workload.streaming", Bool, P::ALL, "responses are streamed"),
    fact("workload.latency_sensitive", Bool, P::ALL, "users wait on each response"),
    optional("workload.max_payload", Size, P::ALL, "the largest request or response body; absent when not declared"),
    optional(
        "workload.largest_payload",
        Size,
        P::ALL,
        "the largest body the path must carry: `max_payload`, or `avg_payload` when it is larger or `max_payload` is absent (some bodies reach at least the average); absent when neither is declared",
    ),
    optional(
        "workload.connection_duration",
        Duration,
        P::ALL,
        "how long a client holds a WebSocket or streaming connection; absent when not declared",
    ),
    fact("workload.response", e::<ResponseMode>(), P::ALL, "`sync` (callers wait for the result) or `async` (they accept 202 and fetch it later)"),
    optional("workload.completion_deadline", Duration, P::ALL, "how long a caller can wait for a job to be done; absent when not declared"),
    fact(
        "workload.peak_concurrency",
        Int,
        P::ALL,
        "requests in flight at the peak: `peak_rps` times `avg_duration`, rounded up",
    ),
    // The account's quotas.
    fact("account.lambda_concurrency", Int, P::ALL, "Lambda concurrent executions the account has in the Region"),
    fact("account.api_throttle.rate", Int, P::ALL, "API Gateway's account throttle, requests per second"),
    fact("account.api_throttle.burst", Int, P::ALL, "API Gateway's account burst"),
    fact("account.tasks_per_service", Int, P::ALL, "tasks an ECS service may run"),
    // The request path.
    fact(
        "request.sync_limit",
        Duration,
        P::ALL,
        "the longest synchronous request the whole path allows: the smallest of the gateway's integration timeout, the Lambda timeout and the ALB idle timeout on the path",
    ),
    fact("request.limited_by", e::<Limiter>(), P::ALL, "the component whose timeout is `request.sync_limit`"),
    optional(
        "request.payload_limit",
        Size,
        P::ALL,
        "the largest body every hop of the path carries: API Gateway 10 MB (a WebSocket message 128 KB; none on a streamed REST response), a synchronous Lambda invoke 6 MB (a streamed response 200 MB), an ALB to Lambda 1 MB; absent when no hop has a limit (an ALB to tasks)",
    ),
    optional(
        "request.connection_limit",
        Duration,
        P::ALL,
        "how long the front door keeps a connection: 2 h for an API Gateway WebSocket API; absent when it sets none",
    ),
    optional(
        "request.idle_limit",
        Duration,
        P::ALL,
        "how long a connection may sit idle at the front door: 10 min for a WebSocket API, the stream's idle timeout for a streamed REST response, the ALB's idle timeout",
    ),
    fact(
        "network.entry",
        e::<Entry>(),
        P::ALL,
        "what callers reach first, the front door; whether they come from the internet is `network.exposure`",
    ),
    fact(
        "network.exposure",
        e::<Exposure>(),
        P::ALL,
        "who can reach the service: `public` (from the internet) or `internal` (only inside the VPC: an internal ALB in front, or a private REST API); the words of a needs file's `requirements.exposure`",
    ),
    fact("network.compute_in_vpc", Bool, P::ALL, "the compute runs in a VPC"),
    fact(
        "network.compute_exposed",
        Bool,
        P::ALL,
        "the compute can be reached from the internet other than through the front door: a task with a public IP in a public subnet; never a Lambda function, which has no inbound network path",
    ),
    fact(
        "network.compute_private",
        Bool,
        P::ALL,
        "the compute runs in private subnets with no public IP (false for a Lambda outside any VPC)",
    ),
    fact("network.az_count", Int, P::ALL, "Availability Zones used"),
    fact("network.nat_gateways", Int, P::ALL, "NAT gateways"),
    fact(
        "network.vpc_endpoints",
        Bool,
        P::ALL,
        "the VPC has ECR's interface endpoints, the S3 gateway endpoint and (for CloudWatch logs) the Logs endpoint",
    ),
    fact("tls.terminates_at", e::<TlsTermination>(), P::ALL, "where client TLS ends"),
    fact("auth.enforced_at", e::<AuthPoint>(), P::ALL, "where requests are authorized"),
    fact("portability", e::<Portability>(), P::ALL, "how far the design is from AWS-specific runtimes"),
    fact(
        "startup.cold_starts",
        Bool,
        P::ALL,
        "requests can hit a cold start: Lambda without provisioned concurrency, or Fargate scaling out from zero tasks",
    ),
    fact("supports.websockets", Bool, P::ALL, "the path carries WebSocket connections"),
    fact("supports.streaming", Bool, P::ALL, "the path streams responses"),
    fact(
        "supports.long_requests",
        Bool,
        P::ALL,
        "the path holds a request open longer than API Gateway's default 29 s",
    ),
    fact("ops.runtime_patching", e::<Patcher>(), P::ALL, "who patches the OS and language runtime"),
    fact(
        "resilience.multi_az",
        Bool,
        P::ALL,
        "the compute survives the loss of an Availability Zone: always for Lambda; for Fargate, two or more AZs and at least two tasks",
    ),
    fact("data", List, P::ALL, "the data stores the service uses"),
    fact("data[].kind", e::<DataKind>(), P::ALL, "a data store's kind"),
    fact("data[].proxy", Bool, P::ALL, "connections go through RDS Proxy"),
    fact("observability.logs", e::<LogSink>(), P::ALL, "where logs go"),
    fact("observability.tracing", e::<Tracing>(), P::ALL, "distributed tracing"),
    // Cost, from the price table (docs/cost.md).
    fact("cost.monthly", FactType::Money, P::ALL, "monthly cost at the declared workload"),
    fact(
        "cost.idle_monthly",
        FactType::Money,
        P::ALL,
        "monthly cost at zero traffic: minimum tasks, hourly items, provisioned concurrency",
    ),
    fact("cost.per_million_requests", FactType::Money, P::ALL, "the cost of one million more requests a month"),
    // API Gateway.
    fact("gateway.api", e::<ApiType>(), P::with(C::Gateway), "the API type"),
    fact("gateway.endpoint", e::<EndpointType>(), P::with(C::Gateway), "the endpoint type"),
    fact(
        "gateway.integration_timeout",
        Duration,
        P::with(C::Gateway),
        "how long the gateway waits for the integration",
    ),
    fact("gateway.timeout_quota_raised", Bool, P::with(C::Gateway), "the integration timeout quota was raised"),
    fact("gateway.transfer", e::<TransferMode>(), P::with(C::Gateway), "buffered or streamed responses"),
    fact("gateway.authorizer", e::<Authorizer>(), P::with(C::Gateway), "the authorizer on the API"),
    fact("gateway.waf", Bool, P::with(C::Gateway), "AWS WAF on the stage"),
    optional(
        "gateway.throttle.rate",
        Int,
        P::with(C::Gateway),
        "stage throttling rate, requests per second; absent without throttling",
    ),
    optional("gateway.throttle.burst", Int, P::with(C::Gateway), "stage throttling burst; absent without throttling"),
    optional(
        "gateway.throttle.headroom",
        Int,
        P::with(C::Gateway),
        "the stage throttle's rate minus the peak, `workload.peak_rps` and at least the month's average rate (rounded up), requests per second: negative when the gateway answers 429 to part of the declared peak; absent without throttling",
    ),
    // Lambda.
    fact("function.runtime", Text, P::with(C::Function), "the Lambda runtime identifier, e.g. `\"java21\"`"),
    fact("function.runtime_family", e::<RuntimeFamily>(), P::with(C::Function), "the runtime's language family"),
    fact(
        "function.runtime_deprecation_date",
        Text,
        P::with(C::Function),
        "the day AWS deprecates the runtime, `\"YYYY-MM-DD\"`",
    ),
    fact(
        "function.runtime_days_to_deprecation",
        Int,
        P::with(C::Function),
        "days from the run's day (`--today`) to the runtime's deprecation; 0 or less once deprecated",
    ),
    fact(
        "function.runtime_block_create_date",
        Text,
        P::with(C::Function),
        "the day Lambda stops creating functions on the runtime",
    ),
    fact(
        "function.runtime_days_to_block_create",
        Int,
        P::with(C::Function),
        "days from the run's day to the block on creating functions; 0 or less once it holds",
    ),
    fact(
        "function.runtime_block_update_date",
        Text,
        P::with(C::Function),
        "the day Lambda stops updating functions on the runtime",
    ),
    fact(
        "function.runtime_days_to_block_update",
        Int,
        P::with(C::Function),
        "days from the run's day to the block on updating functions; 0 or less once it holds",
    ),
    fact(
        "function.runtime_streams",
        Bool,
        P::with(C::Function),
        "the runtime can stream a response without an adapter (Node.js managed runtimes, OS-only runtimes)",
    ),
    fact("function.memory", Size, P::with(C::Function), "function memory"),
    fact("function.timeout", Duration, P::with(C::Function), "function timeout"),
    fact("function.architecture", e::<Architecture>(), P::with(C::Function), "CPU architecture"),
    fact("function.provisioned_concurrency", Int, P::with(C::Function), "provisioned execution environments"),
    fact("function.snapstart", Bool, P::with(C::Function), "Lambda SnapStart is on"),
    fact("function.ephemeral_storage", Size, P::with(C::Function), "/tmp storage"),
    optional(
        "function.vpc.subnets",
        e::<SubnetKind>(),
        P::with(C::Function),
        "the function's subnets; absent outside any VPC",
    ),
    // Fargate.
    fact("service.cpu", Vcpu, P::with(C::Service), "task vCPU"),
    fact("service.memory", Size, P::with(C::Service), "task memory"),
    fact("service.tasks.min", Int, P::with(C::Service), "fewest tasks"),
    fact("service.tasks.desired", Int, P::with(C::Service), "desired tasks"),
    fact("service.tasks.max", Int, P::with(C::Service), "most tasks"),
    fact("service.architecture", e::<Architecture>(), P::with(C::Service), "CPU architecture"),
    fact("service.subnets", e::<SubnetKind>(), P::with(C::Service), "the tasks' subnets"),
    fact("service.public_ip", Bool, P::with(C::Service), "tasks have public IPv4 addresses"),
    fact("service.spot", Bool, P::with(C::Service), "tasks run on Fargate Spot"),
    fact("service.auth", e::<ServiceAuth>(), P::with(C::Service), "how the service authorizes requests"),
    fact("service.ephemeral_storage", Size, P::with(C::Service), "task ephemeral storage"),
    optional("service.image_size", Size, P::with(C::Service), "the container image's size; absent when not declared"),
    fact(
        "service.image_pull",
        e::<ImagePull>(),
        P::with(C::Service),
        "how tasks reach ECR for their image: `internet`, `nat_gateway`, `vpc_endpoints`, or `none` (the task never starts)",
    ),
    // Load balancer.
    fact("load_balancer.scheme", e::<Scheme>(), P::with(C::LoadBalancer), "the ALB's scheme"),
    fact("load_balancer.idle_timeout", Duration, P::with(C::LoadBalancer), "the ALB's idle timeout"),
    fact("load_balancer.waf", Bool, P::with(C::LoadBalancer), "AWS WAF on the ALB"),
    fact("load_balancer.target_limit", Int, P::with(C::LoadBalancer), "targets the ALB can route to (AWS's quota)"),
    // VPC link.
    fact("vpc_link.version", e::<VpcLinkVersion>(), P::with(C::VpcLink), "v1 (through an NLB) or v2"),
    // Function URL.
    fact("function_url.auth", e::<UrlAuth>(), P::with(C::FunctionUrl), "`aws_iam` (signed requests) or `none` (public)"),
    fact(
        "function_url.invoke_mode",
        e::<InvokeMode>(),
        P::with(C::FunctionUrl),
        "`buffered` (at most 6 MB) or `response_stream` (up to 200 MB)",
    ),
    optional(
        "function_url.reserved_concurrency",
        Int,
        P::with(C::FunctionUrl),
        "the function's reserved concurrency, the URL's only throttle; absent when none is reserved",
    ),
    optional(
        "function_url.max_rps",
        Int,
        P::with(C::FunctionUrl),
        "the most requests a second the URL serves: 10 times the reserved concurrency; absent when none is reserved",
    ),
    fact("function_url.cloudfront", Bool, P::with(C::FunctionUrl), "a CloudFront distribution is in front of the URL"),
    fact("function_url.waf", Bool, P::with(C::FunctionUrl), "AWS WAF on the CloudFront distribution in front"),
    fact("function_url.cors", Bool, P::with(C::FunctionUrl), "the URL answers CORS itself"),
    // Queue and the worker's event source mapping.
    fact("queue.type", e::<QueueType>(), P::with(C::Queue), "`standard` or `fifo`"),
    fact("queue.visibility_timeout", Duration, P::with(C::Queue), "how long a received message stays hidden"),
    fact("queue.retention", Duration, P::with(C::Queue), "how long SQS keeps a message"),
    fact("queue.dead_letter", Bool, P::with(C::Queue), "a redrive policy moves failing messages to a dead-letter queue"),
    optional("queue.max_receives", Int, P::with(C::Queue), "receives before the dead-letter queue; absent without one"),
    fact("queue.batch_size", Int, P::with(C::Queue), "messages the worker takes at once: a Lambda batch, or one receive"),
    fact("queue.batching_window", Duration, P::with(C::Queue), "how long Lambda gathers a batch"),
    optional("queue.max_concurrency", Int, P::with(C::Queue), "the mapping's maximum concurrency; absent when unset"),
    fact(
        "queue.visibility_covers_six_timeouts",
        Bool,
        P::with(C::Queue).intersect(P::with(C::Function)),
        "the visibility timeout is at least six times the function timeout (AWS's advice)",
    ),
    fact(
        "job.concurrency",
        Int,
        P::with(C::Queue),
        "jobs in flight on average: `requests_per_month` times `avg_duration` over the month, rounded up; the queue holds the peaks, so the worker must run this many at once to keep up",
    ),
    fact(
        "job.worker_concurrency",
        Int,
        P::with(C::Queue),
        "the most jobs the worker runs at once: a Lambda worker's mapping `max_concurrency` (1,000 batches without it) within the account's concurrency; a Fargate worker's `tasks.max` times the jobs a task runs at once",
    ),
    fact(
        "job.completion_time",
        Duration,
        P::with(C::Queue),
        "the longest a job takes from its request to its end: the batching window, a visibility timeout per failed receive before the last allowed one, and `workload.max_request_duration`; the first receive only without a dead-letter queue",
    ),
];

/// The schema row for `path`: exact, or `tags.*` for any tag, or `data[].kind`.
pub fn lookup(path: &str) -> Option<&'static FactDef> {
    SCHEMA.iter().find(|d| d.path == path).or_else(|| {
        let rest = path.strip_prefix("tags.")?;
        (!rest.is_empty() && !rest.contains('.')).then(|| SCHEMA.iter().find(|d| d.path == "tags.*"))?
    })
}

/// The fields of a list fact's records: `data` → [`data[].kind`, ...].
pub fn list_fields(list: &str) -> impl Iterator<Item = &'static FactDef> + '_ {
    SCHEMA.iter().filter(move |d| d.path.strip_prefix(list).is_some_and(|rest| rest.starts_with("[].")))
}

/// Every path a policy may name, for "did you mean".
pub fn paths() -> impl Iterator<Item = &'static str> {
    SCHEMA.iter().map(|d| d.path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_unique_and_sorted_within_sections() {
        let mut seen = std::collections::HashSet::new();
        for d in SCHEMA {
            assert!(seen.insert(d.path), "duplicate fact `{}`", d.path);
            assert!(!d.patterns.is_empty(), "`{}` has no pattern", d.path);
        }
    }

    #[test]
    fn lookup_finds_tags_and_list_fields() {
        assert_eq!(lookup("tags.tier").unwrap().path, "tags.*");
        assert!(lookup("tags.").is_none());
        assert_eq!(list_fields("data").count(), 2);
        assert!(lookup("function.timeout").unwrap().patterns.contains(Pattern::LambdaApiGateway));
        assert!(!lookup("function.timeout").unwrap().patterns.contains(Pattern::FargateAlb));
    }
}
