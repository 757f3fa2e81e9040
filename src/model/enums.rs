//! The named values of the model: patterns, components and every setting
//! that is one of a fixed set of names. Each is a [`NamedEnum`], so the
//! loader, the policy checker and the docs share one spelling.

use super::named_enum::named_enum;

named_enum! {
    /// The patterns of the registry (src/patterns/), in its order.
    pub enum Pattern("pattern", ordered = false) {
        /// Lambda behind API Gateway.
        LambdaApiGateway = "lambda_api_gateway",
        /// ECS Fargate behind an ALB, internet-facing or (for callers inside the VPC) internal.
        FargateAlb = "fargate_alb",
        /// ECS Fargate behind API Gateway, a VPC link and an internal ALB.
        FargateApiGateway = "fargate_api_gateway",
        /// A Lambda function called through its function URL.
        LambdaFunctionUrl = "lambda_function_url",
        /// A Lambda function as the target of an ALB, internet-facing or internal.
        LambdaAlb = "lambda_alb",
        /// API Gateway enqueues each request in SQS and answers 202; a Lambda worker does the work.
        QueueWorker = "queue_worker",
        /// API Gateway enqueues each request in SQS and answers 202; Fargate tasks, scaled on the queue's backlog, do the work.
        FargateQueueWorker = "fargate_queue_worker",
    }
}

named_enum! {
    /// The parts a pattern is built from, each a section of the proposal.
    pub enum Component("component", ordered = false) {
        /// API Gateway.
        Gateway = "gateway",
        /// The Lambda function.
        Function = "function",
        /// The ECS service on Fargate.
        Service = "service",
        /// The Application Load Balancer.
        LoadBalancer = "load_balancer",
        /// The API Gateway VPC link.
        VpcLink = "vpc_link",
        /// A Lambda function URL.
        FunctionUrl = "function_url",
        /// An SQS queue between the API and the worker.
        Queue = "queue",
    }
}

named_enum! {
    /// An SQS queue's type.
    pub enum QueueType("queue_type", ordered = false) {
        /// At-least-once delivery, best-effort order.
        Standard = "standard",
        /// First-in, first-out, exactly-once processing.
        Fifo = "fifo",
    }
}

named_enum! {
    /// How callers get a request's result (a workload's `response`).
    pub enum ResponseMode("response_mode", ordered = false) {
        /// Callers wait for the result in the response.
        Sync = "sync",
        /// Callers get 202 Accepted at once and the result later; the work runs after.
        Async = "async",
    }
}

named_enum! {
    /// Who may call a function URL (AWS's `AuthType`).
    pub enum UrlAuth("url_auth", ordered = false) {
        /// Signed requests only (`AWS_IAM`): the caller needs `lambda:InvokeFunctionUrl`.
        AwsIam = "aws_iam",
        /// Anyone (`NONE`): the function authorizes, if anything does.
        None = "none",
    }
}

named_enum! {
    /// How a function URL returns the response (AWS's `InvokeMode`).
    pub enum InvokeMode("invoke_mode", ordered = false) {
        /// The whole response at once, at most 6 MB (`BUFFERED`).
        Buffered = "buffered",
        /// Streamed as the function writes it, up to 200 MB (`RESPONSE_STREAM`).
        ResponseStream = "response_stream",
    }
}

named_enum! {
    /// How far a design is from AWS-specific runtimes; ordered from least to most portable.
    pub enum Portability("portability", ordered = true) {
        /// Code written against Lambda's runtime and API Gateway's events.
        AwsNative = "aws_native",
        /// Portable containers behind an AWS-specific front door.
        PortableCompute = "portable_compute",
        /// Containers behind a standard HTTP load balancer.
        Portable = "portable",
    }
}

named_enum! {
    /// The environment a proposal is for. A closed set: a misspelling is an
    /// error, never a quiet exemption from production-only policies.
    pub enum Environment("environment", ordered = false) {
        Production = "production",
        Staging = "staging",
        Development = "development",
        Test = "test",
        Sandbox = "sandbox",
    }
}

named_enum! {
    /// The kind of API Gateway API.
    pub enum ApiType("api_type", ordered = false) {
        Rest = "rest",
        Http = "http",
        Websocket = "websocket",
    }
}

named_enum! {
    /// Where an API Gateway endpoint lives.
    pub enum EndpointType("endpoint_type", ordered = false) {
        Regional = "regional",
        Edge = "edge",
        Private = "private",
    }
}

impl ApiType {
    /// The API type as AWS's documentation writes it: "REST", "HTTP", "WebSocket".
    pub(crate) fn words(self) -> &'static str {
        match self {
            ApiType::Rest => "REST",
            ApiType::Http => "HTTP",
            ApiType::Websocket => "WebSocket",
        }
    }
}

impl EndpointType {
    /// The endpoint type as AWS's documentation writes it: "Regional", "edge-optimized", "private".
    pub(crate) fn words(self) -> &'static str {
        match self {
            EndpointType::Regional => "Regional",
            EndpointType::Edge => "edge-optimized",
            EndpointType::Private => "private",
        }
    }
}

named_enum! {
    /// How API Gateway returns the integration's response.
    pub enum TransferMode("transfer_mode", ordered = false) {
        Buffered = "buffered",
        /// REST response streaming (`STREAM` transfer mode).
        Stream = "stream",
    }
}

named_enum! {
    /// The authorizer configured on the API.
    pub enum Authorizer("authorizer", ordered = false) {
        None = "none",
        Lambda = "lambda",
        Jwt = "jwt",
        Iam = "iam",
        Cognito = "cognito",
    }
}

impl Authorizer {
    /// How the API authorizes, in words: "no authorizer", "Lambda authorizer", "IAM authorization".
    pub(crate) fn words(self) -> &'static str {
        match self {
            Authorizer::None => "no authorizer",
            Authorizer::Lambda => "Lambda authorizer",
            Authorizer::Jwt => "JWT authorizer",
            Authorizer::Iam => "IAM authorization",
            Authorizer::Cognito => "Cognito authorizer",
        }
    }
}

named_enum! {
    /// The language family of a runtime: what start-up behaviour to expect.
    pub enum RuntimeFamily("runtime_family", ordered = false) {
        Nodejs = "nodejs",
        Python = "python",
        Jvm = "jvm",
        Dotnet = "dotnet",
        Ruby = "ruby",
        /// An OS-only runtime with a binary the team builds (Go, Rust, ...).
        Custom = "custom",
    }
}

named_enum! {
    /// CPU architecture.
    pub enum Architecture("architecture", ordered = false) {
        X86_64 = "x86_64",
        Arm64 = "arm64",
    }
}

named_enum! {
    /// How a Fargate task reaches ECR to pull its image (aws-facts.md,
    /// "Private Fargate tasks without NAT"; AmazonECS/latest/developerguide/platform-version-migration.html,
    /// AmazonECR/latest/userguide/vpc-endpoints.html, read 2026-12-06).
    pub enum ImagePull("image_pull", ordered = false) {
        /// A public IP in a public subnet, through the internet gateway.
        Internet = "internet",
        /// From private subnets through a NAT gateway.
        NatGateway = "nat_gateway",
        /// Through ECR's interface endpoints and the S3 gateway endpoint.
        VpcEndpoints = "vpc_endpoints",
        /// No route: the pull fails and the task never starts.
        None = "none",
    }
}

named_enum! {
    /// Whether subnets route to the internet directly.
    pub enum SubnetKind("subnet_kind", ordered = false) {
        Private = "private",
        Public = "public",
    }
}

named_enum! {
    /// How a Fargate service authorizes requests.
    pub enum ServiceAuth("service_auth", ordered = false) {
        /// An auth library in the application.
        Library = "library",
        /// An auth proxy beside the application in the task.
        Sidecar = "sidecar",
        /// A service mesh's policy.
        Mesh = "mesh",
        /// The API Gateway in front (only where there is one).
        Gateway = "gateway",
        /// The ALB's `authenticate-oidc` action, on its HTTPS listener.
        AlbOidc = "alb_oidc",
        /// The ALB's `authenticate-cognito` action, on its HTTPS listener.
        AlbCognito = "alb_cognito",
        None = "none",
    }
}

named_enum! {
    /// Load balancer scheme.
    pub enum Scheme("scheme", ordered = false) {
        InternetFacing = "internet_facing",
        Internal = "internal",
    }
}

named_enum! {
    /// API Gateway VPC link generation.
    pub enum VpcLinkVersion("vpc_link_version", ordered = false) {
        /// REST VPC link through a Network Load Balancer (legacy).
        V1 = "v1",
        /// VPC link v2: straight to the private ALB.
        V2 = "v2",
    }
}

named_enum! {
    /// Data stores a service uses.
    pub enum DataKind("data_kind", ordered = false) {
        Rds = "rds",
        Aurora = "aurora",
        Dynamodb = "dynamodb",
        S3 = "s3",
        Elasticache = "elasticache",
        Opensearch = "opensearch",
    }
}

named_enum! {
    /// Where logs go.
    pub enum LogSink("log_sink", ordered = false) {
        Cloudwatch = "cloudwatch",
        Firelens = "firelens",
        None = "none",
    }
}

named_enum! {
    /// Distributed tracing.
    pub enum Tracing("tracing", ordered = false) {
        Xray = "xray",
        Otel = "otel",
        None = "none",
    }
}

named_enum! {
    /// Who can reach a service (a needs file's `requirements.exposure`).
    pub enum Exposure("exposure", ordered = false) {
        /// From the internet.
        Public = "public",
        /// Only inside the VPC or through a private endpoint.
        Internal = "internal",
    }
}

named_enum! {
    /// How a service's callers authenticate (a needs file's `requirements.callers_auth`).
    pub enum CallersAuth("callers auth", ordered = false) {
        /// Bearer JWTs (OIDC): a JWT or Cognito authorizer.
        Jwt = "jwt",
        /// AWS Signature Version 4: IAM authorization.
        Iam = "iam",
        /// Signed requests (e.g. webhooks) the service verifies itself: no authorizer.
        Signed = "signed",
        /// Unauthenticated.
        None = "none",
    }
}
