//! Which CloudFormation resource each Terraform resource type stands for,
//! and where each of its properties comes from in the plan's values
//! (docs/import.md has the same table).

/// How a rule reads the plan's value.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum How {
    /// The value as planned.
    Same,
    /// Read only when known: unknown, it is left out and its block stays (an
    /// identifier list no key reads; a launch type the capacity providers decide).
    IfKnown,
    /// `internal` → `Scheme: internal | internet-facing`.
    Scheme,
    /// `assign_public_ip` → `ENABLED | DISABLED`.
    PublicIp,
    /// A stage throttle: a negative one is Terraform's "not set".
    Throttle,
    /// `idle_timeout` → `{ Key: idle_timeout.timeout_seconds, Value }`.
    Idle,
}

/// `to` (a CloudFormation property path) from `from` (a path in the plan's
/// values); `0` is a list index, `*` every element.
pub(super) struct Rule {
    pub to: &'static str,
    pub from: &'static str,
    pub how: How,
}

const fn r(to: &'static str, from: &'static str) -> Rule {
    Rule { to, from, how: How::Same }
}

const fn with(to: &'static str, from: &'static str, how: How) -> Rule {
    Rule { to, from, how }
}

/// Each Terraform type (`aws_alb*` are the older names of `aws_lb*`), the
/// CloudFormation type it stands for, and its properties. CloudFormation has
/// no REST integration resource: an integration is a method's `Integration`.
#[rustfmt::skip]
const TYPES: &[(&str, &str, &[Rule])] = &[
    ("aws_lambda_function", "AWS::Lambda::Function", &[
        r("FunctionName", "function_name"), r("Runtime", "runtime"), r("PackageType", "package_type"),
        r("MemorySize", "memory_size"), r("Timeout", "timeout"), r("Architectures", "architectures"),
        r("EphemeralStorage.Size", "ephemeral_storage.0.size"), r("SnapStart.ApplyOn", "snap_start.0.apply_on"),
        with("VpcConfig.SubnetIds", "vpc_config.0.subnet_ids", How::IfKnown),
        with("VpcConfig.SecurityGroupIds", "vpc_config.0.security_group_ids", How::IfKnown),
        with("ReservedConcurrentExecutions", "reserved_concurrent_executions", How::Throttle)]),
    ("aws_lambda_function_url", "AWS::Lambda::Url", &[r("AuthType", "authorization_type"),
        r("InvokeMode", "invoke_mode"), r("Cors.AllowOrigins", "cors.0.allow_origins"),
        r("Cors.AllowMethods", "cors.0.allow_methods"), r("Cors.AllowHeaders", "cors.0.allow_headers"),
        r("Cors.ExposeHeaders", "cors.0.expose_headers"), r("Cors.AllowCredentials", "cors.0.allow_credentials"),
        r("Cors.MaxAge", "cors.0.max_age")]),
    ("aws_lambda_alias", "AWS::Lambda::Alias", &[r("Name", "name"), r("FunctionVersion", "function_version")]),
    ("aws_lambda_provisioned_concurrency_config", "AWS::Lambda::Alias", &[r("Name", "qualifier"),
        r("ProvisionedConcurrencyConfig.ProvisionedConcurrentExecutions", "provisioned_concurrent_executions")]),
    ("aws_lambda_event_source_mapping", "AWS::Lambda::EventSourceMapping", &[r("BatchSize", "batch_size"),
        r("MaximumBatchingWindowInSeconds", "maximum_batching_window_in_seconds"),
        r("ScalingConfig.MaximumConcurrency", "scaling_config.0.maximum_concurrency"), r("Enabled", "enabled")]),
    ("aws_sqs_queue", "AWS::SQS::Queue", &[r("QueueName", "name"), r("FifoQueue", "fifo_queue"),
        r("VisibilityTimeout", "visibility_timeout_seconds"), r("MessageRetentionPeriod", "message_retention_seconds"),
        r("RedrivePolicy", "redrive_policy")]),
    ("aws_lambda_permission", "AWS::Lambda::Permission", &[r("Action", "action"), r("Principal", "principal")]),
    ("aws_api_gateway_rest_api", "AWS::ApiGateway::RestApi", &[r("Name", "name"),
        r("EndpointConfiguration.Types", "endpoint_configuration.0.types")]),
    ("aws_api_gateway_resource", "AWS::ApiGateway::Resource", &[r("PathPart", "path_part")]),
    ("aws_api_gateway_method", "AWS::ApiGateway::Method", &[r("HttpMethod", "http_method"),
        r("AuthorizationType", "authorization")]),
    ("aws_api_gateway_integration", "AWS::ApiGateway::Method", &[r("HttpMethod", "http_method"),
        r("Integration.Type", "type"), r("Integration.IntegrationHttpMethod", "integration_http_method"),
        r("Integration.ConnectionType", "connection_type"), r("Integration.TimeoutInMillis", "timeout_milliseconds"),
        r("Integration.ResponseTransferMode", "response_transfer_mode"), r("Integration.Uri", "uri"),
        r("Integration.RequestParameters", "request_parameters"),
        r("Integration.RequestTemplates", "request_templates")]),
    ("aws_api_gateway_authorizer", "AWS::ApiGateway::Authorizer", &[r("Name", "name"), r("Type", "type")]),
    ("aws_api_gateway_deployment", "AWS::ApiGateway::Deployment", &[]),
    ("aws_api_gateway_stage", "AWS::ApiGateway::Stage", &[r("StageName", "stage_name"),
        r("CacheClusterEnabled", "cache_cluster_enabled"), r("CacheClusterSize", "cache_cluster_size"),
        r("TracingEnabled", "xray_tracing_enabled")]),
    ("aws_api_gateway_method_settings", "AWS::ApiGateway::Stage", &[
        with("MethodSettings.0.ThrottlingRateLimit", "settings.0.throttling_rate_limit", How::Throttle),
        with("MethodSettings.0.ThrottlingBurstLimit", "settings.0.throttling_burst_limit", How::Throttle),
        r("MethodSettings.0.CachingEnabled", "settings.0.caching_enabled")]),
    ("aws_api_gateway_vpc_link", "AWS::ApiGateway::VpcLink", &[r("Name", "name")]),
    ("aws_apigatewayv2_api", "AWS::ApiGatewayV2::Api", &[r("Name", "name"), r("ProtocolType", "protocol_type")]),
    ("aws_apigatewayv2_integration", "AWS::ApiGatewayV2::Integration", &[r("IntegrationType", "integration_type"),
        r("ConnectionType", "connection_type"), r("PayloadFormatVersion", "payload_format_version"),
        r("TimeoutInMillis", "timeout_milliseconds"), r("IntegrationSubtype", "integration_subtype"),
        r("IntegrationUri", "integration_uri"), r("RequestParameters", "request_parameters"),
        r("RequestTemplates", "request_templates")]),
    ("aws_apigatewayv2_route", "AWS::ApiGatewayV2::Route", &[r("RouteKey", "route_key"),
        r("AuthorizationType", "authorization_type")]),
    ("aws_apigatewayv2_authorizer", "AWS::ApiGatewayV2::Authorizer", &[r("Name", "name"),
        r("AuthorizerType", "authorizer_type")]),
    ("aws_apigatewayv2_stage", "AWS::ApiGatewayV2::Stage", &[r("StageName", "name"),
        with("DefaultRouteSettings.ThrottlingRateLimit", "default_route_settings.0.throttling_rate_limit", How::Throttle),
        with("DefaultRouteSettings.ThrottlingBurstLimit", "default_route_settings.0.throttling_burst_limit", How::Throttle)]),
    ("aws_apigatewayv2_vpc_link", "AWS::ApiGatewayV2::VpcLink", &[r("Name", "name")]),
    ("aws_lb", "AWS::ElasticLoadBalancingV2::LoadBalancer", &[r("Name", "name"), with("Scheme", "internal", How::Scheme),
        r("Type", "load_balancer_type"), with("Subnets", "subnets", How::IfKnown),
        with("LoadBalancerAttributes.0", "idle_timeout", How::Idle)]),
    ("aws_lb_listener", "AWS::ElasticLoadBalancingV2::Listener", &[r("Port", "port"), r("Protocol", "protocol")]),
    ("aws_lb_listener_rule", "AWS::ElasticLoadBalancingV2::ListenerRule", &[r("Priority", "priority")]),
    ("aws_lb_target_group", "AWS::ElasticLoadBalancingV2::TargetGroup", &[r("Port", "port"), r("Protocol", "protocol"),
        r("TargetType", "target_type")]),
    ("aws_ecs_cluster", "AWS::ECS::Cluster", &[r("ClusterName", "name")]),
    // ECS Express Mode: named as no pattern (classify.rs), so its properties are not read.
    ("aws_ecs_express_gateway_service", "AWS::ECS::ExpressGatewayService", &[]),
    ("aws_ecs_service", "AWS::ECS::Service", &[r("ServiceName", "name"), with("LaunchType", "launch_type", How::IfKnown),
        r("DesiredCount", "desired_count"), r("TaskDefinition", "task_definition"),
        r("CapacityProviderStrategy.*.CapacityProvider", "capacity_provider_strategy.*.capacity_provider"),
        r("CapacityProviderStrategy.*.Weight", "capacity_provider_strategy.*.weight"),
        r("CapacityProviderStrategy.*.Base", "capacity_provider_strategy.*.base"),
        with("NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp", "network_configuration.0.assign_public_ip",
            How::PublicIp),
        with("NetworkConfiguration.AwsvpcConfiguration.Subnets", "network_configuration.0.subnets", How::IfKnown),
        with("NetworkConfiguration.AwsvpcConfiguration.SecurityGroups", "network_configuration.0.security_groups",
            How::IfKnown)]),
    ("aws_ecs_task_definition", "AWS::ECS::TaskDefinition", &[r("Family", "family"), r("Cpu", "cpu"),
        r("Memory", "memory"), r("NetworkMode", "network_mode"), r("RequiresCompatibilities", "requires_compatibilities"),
        r("RuntimePlatform.CpuArchitecture", "runtime_platform.0.cpu_architecture"),
        r("RuntimePlatform.OperatingSystemFamily", "runtime_platform.0.operating_system_family"),
        r("EphemeralStorage.SizeInGiB", "ephemeral_storage.0.size_in_gib")]),
    ("aws_appautoscaling_target", "AWS::ApplicationAutoScaling::ScalableTarget", &[
        r("ServiceNamespace", "service_namespace"), r("ScalableDimension", "scalable_dimension"),
        r("MinCapacity", "min_capacity"), r("MaxCapacity", "max_capacity")]),
    ("aws_appautoscaling_policy", "AWS::ApplicationAutoScaling::ScalingPolicy", &[
        r("PolicyType", "policy_type"), r("ServiceNamespace", "service_namespace"),
        r("ScalableDimension", "scalable_dimension"),
        r("TargetTrackingScalingPolicyConfiguration.TargetValue",
            "target_tracking_scaling_policy_configuration.0.target_value"),
        r("TargetTrackingScalingPolicyConfiguration.DisableScaleIn",
            "target_tracking_scaling_policy_configuration.0.disable_scale_in"),
        r("TargetTrackingScalingPolicyConfiguration.PredefinedMetricSpecification.PredefinedMetricType",
            "target_tracking_scaling_policy_configuration.0.predefined_metric_specification.0.predefined_metric_type"),
        r("StepScalingPolicyConfiguration.AdjustmentType", "step_scaling_policy_configuration.0.adjustment_type"),
        r("StepScalingPolicyConfiguration.StepAdjustments.*.ScalingAdjustment",
            "step_scaling_policy_configuration.0.step_adjustment.*.scaling_adjustment")]),
    ("aws_wafv2_web_acl_association", "AWS::WAFv2::WebACLAssociation", &[]),
];

/// The CloudFormation type a Terraform resource type stands for, and its rules.
pub(super) fn lowering(kind: &str) -> Option<(&'static str, &'static [Rule])> {
    let kind = kind.strip_prefix("aws_alb").map_or(kind.to_string(), |rest| format!("aws_lb{rest}"));
    TYPES.iter().find(|(tf, _, _)| *tf == kind).map(|(_, cfn, rules)| (*cfn, *rules))
}
