//! Terraform plan JSON (`terraform show -json PLAN`) through `policy import`:
//! each planned resource lowered to the CloudFormation resource it stands
//! for, its references taken from the configuration (through module
//! variables and outputs), unknown values marked, and the services
//! classified as a template's are. The fixtures in tests/fixtures/terraform
//! are plans of the corpus's Terraform configurations (P1, P3) and of two
//! module layouts, written in the shape Terraform 1.11 prints, and a plan
//! Terraform printed of aws-samples' `alb-lambda-terraform` (their README
//! says where each comes from).

use archpolicy::import::resolve::{Parameters, Resolver};
use archpolicy::import::translate::{TranslateError, translate};
use archpolicy::import::{Flavor, ImportError, Imported, Resource, import_str};
use archpolicy::model::Pattern;
use archpolicy::yaml::{Node, Value};
use miette::SourceSpan;

fn fixture(name: &str) -> (String, Imported) {
    let path = format!("{}/tests/fixtures/terraform/{name}.plan.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let imported = import_str(&path, &text).unwrap_or_else(|e| panic!("{path}: {e}"));
    assert_eq!(imported.template().flavor, Flavor::TerraformPlan);
    (text, imported)
}

/// The text a span covers, quotes of a JSON string left out.
fn at(text: &str, span: SourceSpan) -> &str {
    text[span.offset()..][..span.len()].trim_matches('"')
}

fn resource<'a>(imported: &'a Imported, address: &str) -> &'a Resource {
    imported.template().resources.get(address).unwrap_or_else(|| {
        panic!("no `{address}` among {:?}", imported.template().resources.keys().collect::<Vec<_>>())
    })
}

/// A lowered property down a dotted path (`EphemeralStorage.Size`, `MethodSettings.0.ThrottlingRateLimit`).
fn property<'a>(r: &'a Resource, path: &str) -> Option<&'a Node> {
    let mut node = r.properties.as_ref()?;
    for part in path.split('.') {
        node = match (&node.value, part.parse::<usize>()) {
            (Value::Seq(items), Ok(i)) => items.get(i)?,
            (Value::Map(entries), _) => entries.iter().find(|(k, _)| k.name == part).map(|(_, v)| v)?,
            _ => return None,
        };
    }
    Some(node)
}

/// The property's value node, which must be the plan's own (its span holds `expected`).
fn planned(text: &str, r: &Resource, path: &str, expected: &str) {
    let node = property(r, path).unwrap_or_else(|| panic!("`{}` has no `{path}`: {:?}", r.id, r.properties));
    let shown = at(text, node.span);
    assert_eq!(shown, expected, "`{}`.{path} points at `{shown}`", r.id);
}

fn key_span(r: &Resource, name: &str) -> SourceSpan {
    match &r.properties.as_ref().map(|p| &p.value) {
        Some(Value::Map(entries)) => entries.iter().find(|(k, _)| k.name == name).map(|(k, _)| k.span),
        _ => None,
    }
    .unwrap_or_else(|| panic!("`{}` has no `{name}`", r.id))
}

fn services(imported: &Imported) -> Vec<(Pattern, &str)> {
    imported.classification().services.iter().map(|s| (s.pattern, s.select.raw())).collect()
}

fn refers(r: &Resource, to: &str) -> bool {
    r.refs.contains(to)
}

#[test]
fn http_api_in_front_of_a_function_is_lambda_api_gateway() {
    let (text, imported) = fixture("http-api-lambda");
    assert_eq!(services(&imported), [(Pattern::LambdaApiGateway, "aws_lambda_function.app")]);
    let service = &imported.classification().services[0];
    assert_eq!(service.resources.first().map(|r| r.raw()), Some("aws_apigatewayv2_api.lambda"));
    assert!(service.resources.iter().any(|r| r == "aws_apigatewayv2_integration.app"), "{service:?}");

    let function = resource(&imported, "aws_lambda_function.app");
    assert_eq!(function.kind, "AWS::Lambda::Function");
    assert_eq!(at(&text, function.span), "aws_lambda_function.app");
    assert_eq!(function.cdk_path, None);
    assert!(!function.imports);
    planned(&text, function, "Runtime", "python3.14");
    planned(&text, function, "MemorySize", "128");
    planned(&text, function, "Timeout", "3");
    // The renamed key keeps the plan's key.
    assert_eq!(at(&text, key_span(function, "Timeout")), "timeout");
    // `architectures` and `ephemeral_storage` are the provider's to fill in: AWS's defaults apply.
    assert!(property(function, "Architectures").is_none());
    assert!(property(function, "EphemeralStorage").is_none());
    assert!(property(function, "VpcConfig").is_none() && property(function, "SnapStart").is_none());

    let api = resource(&imported, "aws_apigatewayv2_api.lambda");
    assert_eq!(api.kind, "AWS::ApiGatewayV2::Api");
    planned(&text, api, "ProtocolType", "HTTP");

    let integration = resource(&imported, "aws_apigatewayv2_integration.app");
    assert_eq!(integration.kind, "AWS::ApiGatewayV2::Integration");
    planned(&text, integration, "IntegrationType", "AWS_PROXY");
    assert!(refers(integration, "aws_lambda_function.app") && refers(integration, "aws_apigatewayv2_api.lambda"));
    // No timeout is set: the provider's (unknown) value is the API's default.
    assert!(property(integration, "TimeoutInMillis").is_none());

    let route = resource(&imported, "aws_apigatewayv2_route.any");
    assert!(refers(route, "aws_apigatewayv2_integration.app") && refers(route, "aws_apigatewayv2_api.lambda"));
    let permission = resource(&imported, "aws_lambda_permission.api_gw");
    assert_eq!(permission.kind, "AWS::Lambda::Permission");
    planned(&text, permission, "Principal", "apigateway.amazonaws.com");
    assert!(refers(permission, "aws_lambda_function.app") && refers(permission, "aws_apigatewayv2_api.lambda"));

    // Unmapped types keep their type and values; data sources are no resources.
    let bucket = resource(&imported, "aws_s3_bucket.lambda_bucket");
    assert_eq!(bucket.kind, "aws_s3_bucket");
    planned(&text, bucket, "force_destroy", "true");
    assert!(imported.template().resources.keys().all(|a| !a.starts_with("data.")));
}

#[test]
fn rest_api_in_front_of_a_snapstart_function_is_lambda_api_gateway() {
    let (text, imported) = fixture("rest-api-lambda-snapstart");
    let function_address = "aws_lambda_function.UnicornStockBrokerFunction";
    assert_eq!(services(&imported), [(Pattern::LambdaApiGateway, function_address)]);

    let function = resource(&imported, function_address);
    // `timeout = "200"` in the configuration is the number 200 in the plan.
    planned(&text, function, "Timeout", "200");
    planned(&text, function, "MemorySize", "2048");
    planned(&text, function, "Runtime", "java25");
    planned(&text, function, "SnapStart.ApplyOn", "PublishedVersions");
    assert_eq!(at(&text, key_span(function, "SnapStart")), "snap_start");

    let api = resource(&imported, "aws_api_gateway_rest_api.unicornstockbroker_apigw");
    assert_eq!(api.kind, "AWS::ApiGateway::RestApi");
    planned(&text, api, "EndpointConfiguration.Types.0", "REGIONAL");

    // The integration is a method's `Integration`, with its method's authorization;
    // it invokes the alias, and so the function.
    let integration = resource(&imported, "aws_api_gateway_integration.createproduct-lambda");
    assert_eq!(integration.kind, "AWS::ApiGateway::Method");
    planned(&text, integration, "Integration.Type", "AWS_PROXY");
    planned(&text, integration, "Integration.TimeoutInMillis", "29000");
    planned(&text, integration, "AuthorizationType", "NONE");
    assert!(refers(integration, "aws_lambda_alias.UnicornStockBrokerFunction_SnapStartAlias"));
    assert!(refers(integration, function_address) && refers(integration, &api.id));
    assert!(refers(integration, "aws_api_gateway_method.createtransactions"));

    let method = resource(&imported, "aws_api_gateway_method.createtransactions");
    planned(&text, method, "AuthorizationType", "NONE");
    assert!(refers(method, "aws_api_gateway_resource.transactions") && refers(method, &api.id));
    let deployment = resource(&imported, "aws_api_gateway_deployment.productapistageprod");
    assert_eq!(deployment.kind, "AWS::ApiGateway::Deployment");
    // A deferred data source is in `planned_values`, and is not a resource.
    assert!(text.contains("\"address\": \"data.aws_iam_policy_document.unicornstockbrokerfunctionpolicy\""));
    assert!(imported.template().resources.keys().all(|a| !a.starts_with("data.")));
    // The policy refers to the data source only: nothing.
    assert!(resource(&imported, "aws_iam_policy.UnicornStockBrokerFunctionPolicy").refs.is_empty());
}

#[test]
fn http_api_through_a_vpc_link_to_an_internal_alb_is_fargate_api_gateway() {
    let (text, imported) = fixture("http-api-vpc-link-internal-alb-fargate");
    let service_address = "aws_ecs_service.demo-ecs-service";
    assert_eq!(services(&imported), [(Pattern::FargateApiGateway, service_address)]);
    assert_eq!(
        imported.classification().services[0].resources,
        // The path the references make: API, its integration, the VPC link, the
        // load balancer and the listener that forwards to the service.
        [
            "aws_apigatewayv2_api.apigw_http_endpoint",
            "aws_apigatewayv2_integration.apigw_integration",
            "aws_apigatewayv2_vpc_link.vpclink_apigw_to_alb",
            "aws_lb.ecs_alb",
            "aws_lb_listener.ecs_alb_listener",
            service_address
        ]
    );

    let lb = resource(&imported, "aws_lb.ecs_alb");
    assert_eq!(lb.kind, "AWS::ElasticLoadBalancingV2::LoadBalancer");
    // `internal = true` reads as the scheme, placed at the plan's `true`.
    let scheme = property(lb, "Scheme").expect("a scheme");
    assert_eq!(scheme.value, Value::Str("internal".into()));
    assert_eq!(at(&text, scheme.span), "true");
    planned(&text, lb, "Type", "application");
    planned(&text, lb, "LoadBalancerAttributes.0.Value", "60");
    let key = property(lb, "LoadBalancerAttributes.0.Key").expect("the attribute's key");
    assert_eq!(key.value, Value::Str("idle_timeout.timeout_seconds".into()));
    assert_eq!(at(&text, key.span), "idle_timeout");

    let service = resource(&imported, service_address);
    assert_eq!(service.kind, "AWS::ECS::Service");
    planned(&text, service, "LaunchType", "FARGATE");
    planned(&text, service, "DesiredCount", "2");
    let public_ip = property(service, "NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp").expect("assign");
    assert_eq!(public_ip.value, Value::Str("DISABLED".into()));
    assert_eq!(at(&text, public_ip.span), "false");
    planned(&text, service, "NetworkConfiguration.AwsvpcConfiguration.Subnets.0", "subnet-0a1b2c3d4e5f60711");
    // Its security groups are unknown until applied; no stage reads them.
    assert!(property(service, "NetworkConfiguration.AwsvpcConfiguration.SecurityGroups").is_none());
    assert!(
        refers(service, "aws_lb_target_group.alb_ecs_tg") && refers(service, "aws_ecs_task_definition.ecs_taskdef")
    );
    assert!(refers(service, "aws_ecs_cluster.ecs_cluster"));

    let listener = resource(&imported, "aws_lb_listener.ecs_alb_listener");
    assert_eq!(listener.kind, "AWS::ElasticLoadBalancingV2::Listener");
    assert!(refers(listener, "aws_lb.ecs_alb") && refers(listener, "aws_lb_target_group.alb_ecs_tg"));

    let task = resource(&imported, "aws_ecs_task_definition.ecs_taskdef");
    planned(&text, task, "Cpu", "512");
    planned(&text, task, "Memory", "1024");
    planned(&text, task, "RequiresCompatibilities.0", "FARGATE");
    assert!(property(task, "RuntimePlatform").is_none() && property(task, "EphemeralStorage").is_none());

    assert_eq!(
        resource(&imported, "aws_apigatewayv2_vpc_link.vpclink_apigw_to_alb").kind,
        "AWS::ApiGatewayV2::VpcLink"
    );
    let integration = resource(&imported, "aws_apigatewayv2_integration.apigw_integration");
    planned(&text, integration, "ConnectionType", "VPC_LINK");
    assert!(refers(integration, "aws_apigatewayv2_vpc_link.vpclink_apigw_to_alb"));
    assert!(refers(integration, "aws_lb_listener.ecs_alb_listener"));
}

#[test]
fn an_unknown_timeout_is_marked_and_the_translator_refuses_it() {
    let (text, imported) = fixture("module-function-unknown-timeout");
    let function_address = "module.fn.aws_lambda_function.this";
    assert_eq!(services(&imported), [(Pattern::LambdaApiGateway, function_address)]);

    let function = resource(&imported, function_address);
    assert_eq!(at(&text, function.span), function_address);
    let timeout = property(function, "Timeout").expect("the timeout, marked");
    let Value::Map(entries) = &timeout.value else { panic!("not a marker: {timeout:?}") };
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].0.name, "Terraform::Unknown");
    assert_eq!(entries[0].1.value, Value::Str(format!("{function_address}.timeout")));
    // The marker points at the entry of `after_unknown`, in `resource_changes`.
    assert_eq!(at(&text, timeout.span), "timeout");
    let changes = text.find("\"resource_changes\"").expect("resource changes");
    assert!(timeout.span.offset() > changes, "{timeout:?}");
    assert!(text[changes..timeout.span.offset()].contains("\"after_unknown\""));
    planned(&text, function, "Architectures.0", "arm64");
    planned(&text, function, "MemorySize", "512");

    // References through the module's output and variable.
    let integration = resource(&imported, "aws_apigatewayv2_integration.orders");
    assert!(refers(integration, function_address) && refers(integration, "aws_apigatewayv2_api.http"));
    let permission = resource(&imported, "module.fn.aws_lambda_permission.api");
    assert!(refers(permission, function_address) && refers(permission, "aws_apigatewayv2_api.http"));
    assert!(refers(function, "module.fn.aws_iam_role.this"));
    let stage = resource(&imported, "aws_apigatewayv2_stage.default");
    planned(&text, stage, "DefaultRouteSettings.ThrottlingRateLimit", "100");
    planned(&text, stage, "DefaultRouteSettings.ThrottlingBurstLimit", "200");
    assert!(imported.template().resources.keys().all(|a| !a.starts_with("data.")));

    let parameters = Parameters::default();
    let resolver = Resolver::new(imported.template(), &parameters);
    let errors = translate(imported.template(), &imported.classification().services[0], &resolver)
        .expect_err("an unknown timeout cannot be translated");
    let unknown = errors.iter().find_map(|e| match e {
        TranslateError::Unresolved(u) if u.message.contains("unknown until the plan is applied") => Some(u),
        _ => None,
    });
    let unknown = unknown.unwrap_or_else(|| panic!("no unknown-value error: {errors:?}"));
    assert!(unknown.message.contains("module.fn.aws_lambda_function.this.timeout"), "{}", unknown.message);
    assert_eq!(at(&text, unknown.used), "timeout");
}

#[test]
fn public_alb_in_front_of_a_fargate_service_in_a_module_is_fargate_alb() {
    let (text, imported) = fixture("module-fargate-service-public-alb");
    let service_address = "module.catalog.aws_ecs_service.this";
    assert_eq!(services(&imported), [(Pattern::FargateAlb, service_address)]);

    // `internal` is left to the provider: no scheme, internet-facing as AWS reads it.
    let lb = resource(&imported, "aws_lb.public");
    assert!(property(lb, "Scheme").is_none());
    planned(&text, lb, "LoadBalancerAttributes.0.Value", "120");

    let service = resource(&imported, service_address);
    // No launch type: the capacity providers decide, and the plan cannot tell it before the apply.
    assert!(property(service, "LaunchType").is_none());
    planned(&text, service, "CapacityProviderStrategy.0.CapacityProvider", "FARGATE");
    planned(&text, service, "CapacityProviderStrategy.1.CapacityProvider", "FARGATE_SPOT");
    planned(&text, service, "CapacityProviderStrategy.1.Weight", "3");
    // The target group comes through the module's variable.
    assert!(refers(service, "aws_lb_target_group.catalog") && refers(service, "aws_ecs_cluster.main"));
    assert!(refers(service, "module.catalog.aws_ecs_task_definition.this"));

    let rule = resource(&imported, "aws_alb_listener_rule.catalog");
    assert_eq!(rule.kind, "AWS::ElasticLoadBalancingV2::ListenerRule");
    planned(&text, rule, "Priority", "10");
    assert!(refers(rule, "aws_lb_listener.http") && refers(rule, "aws_lb_target_group.catalog"));

    let task = resource(&imported, "module.catalog.aws_ecs_task_definition.this");
    planned(&text, task, "RuntimePlatform.CpuArchitecture", "ARM64");
    planned(&text, task, "EphemeralStorage.SizeInGiB", "30");
    planned(&text, task, "Cpu", "1024");

    let target = resource(&imported, "module.catalog.aws_appautoscaling_target.this");
    assert_eq!(target.kind, "AWS::ApplicationAutoScaling::ScalableTarget");
    planned(&text, target, "MinCapacity", "2");
    planned(&text, target, "MaxCapacity", "10");
    assert!(refers(target, service_address) && refers(target, "aws_ecs_cluster.main"));
    let waf = resource(&imported, "aws_wafv2_web_acl_association.alb");
    assert_eq!(waf.kind, "AWS::WAFv2::WebACLAssociation");
    assert!(refers(waf, "aws_lb.public"));
    // The target tracking policy on the target (its `resource_id` is the target's): the bounds hold, the metric is a note.
    let policy = resource(&imported, "module.catalog.aws_appautoscaling_policy.cpu");
    assert_eq!(policy.kind, "AWS::ApplicationAutoScaling::ScalingPolicy");
    assert!(refers(policy, "module.catalog.aws_appautoscaling_target.this"));
    assert_eq!(
        imported.classification().services[0].notes,
        [
            "`module.catalog.aws_appautoscaling_policy.cpu` keeps `ECSServiceAverageCPUUtilization` at 60 (target tracking): scaling metrics, targets, steps and cooldowns are not proposal keys; `service.tasks.min` and `max` are `module.catalog.aws_appautoscaling_target.this`'s `MinCapacity` and `MaxCapacity`"
        ]
    );
}

/// A plan of one function, to break in each test.
const SMALL: &str = r#"{
  "format_version": "1.2",
  "planned_values": {"root_module": {
    "resources": [
      {"address": "aws_lambda_function.f", "mode": "managed", "type": "aws_lambda_function", "name": "f",
       "values": {"timeout": 30, "memory_size": 256, "ephemeral_storage": [{"size": 1024}], "vpc_config": [{"subnet_ids": ["subnet-1"]}]}},
      {"address": "data.aws_region.r", "mode": "data", "type": "aws_region", "name": "r", "values": {}}
    ],
    "child_modules": [{"address": "module.m", "resources": [
      {"address": "module.m.aws_apigatewayv2_api.a[0]", "mode": "managed", "type": "aws_apigatewayv2_api", "name": "a", "index": 0,
       "values": {"protocol_type": "HTTP"}}]}]}},
  "resource_changes": [
    {"address": "aws_lambda_function.f", "change": {"actions": ["create"], "after_unknown": {"vpc_config": [{"security_group_ids": true}]}}}
  ],
  "configuration": {"root_module": {
    "resources": [{"address": "aws_lambda_function.f", "mode": "managed", "type": "aws_lambda_function", "name": "f",
      "expressions": {"timeout": {"constant_value": 30}}}],
    "module_calls": {"m": {"source": "./m", "expressions": {"f": {"references": ["aws_lambda_function.f.arn", "aws_lambda_function.f"]}},
      "module": {"resources": [{"address": "aws_apigatewayv2_api.a", "mode": "managed", "type": "aws_apigatewayv2_api", "name": "a",
        "expressions": {"target": {"references": ["var.f"]}}}]}}}}}
}"#;

#[test]
fn a_small_plan_lowers_with_module_instances_and_nested_blocks() {
    let imported = import_str("small.json", SMALL).expect("the plan reads");
    assert_eq!(
        imported.template().resources.keys().collect::<Vec<_>>(),
        ["aws_lambda_function.f", "module.m.aws_apigatewayv2_api.a[0]"]
    );
    let function = resource(&imported, "aws_lambda_function.f");
    planned(SMALL, function, "EphemeralStorage.Size", "1024");
    planned(SMALL, function, "VpcConfig.SubnetIds.0", "subnet-1");
    assert!(property(function, "VpcConfig.SecurityGroupIds").is_none());
    let api = resource(&imported, "module.m.aws_apigatewayv2_api.a[0]");
    assert!(refers(api, "aws_lambda_function.f"), "{:?}", api.refs);
    // A quick-create API targets the function: a service.
    assert_eq!(services(&imported), [(Pattern::LambdaApiGateway, "aws_lambda_function.f")]);
}

fn refused(text: &str) -> (String, Option<SourceSpan>) {
    let failure = match import_str("plan.json", text) {
        Ok(imported) => panic!("read: {:?}", imported.template().resources.keys().collect::<Vec<_>>()),
        Err(failure) => failure,
    };
    match &failure.errors()[0] {
        ImportError::NotATemplate { why, span } => (why.clone(), *span),
        other => panic!("not a malformed plan: {other:?}"),
    }
}

#[test]
fn malformed_plans_are_errors_that_point_at_the_fault() {
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "\"planned_values\": {",
            "\"planned_values\": \"none\", \"x\": {",
            "`planned_values` is not a mapping",
            "none",
        ),
        ("\"resources\": [", "\"resources\": 5, \"x\": [", "`resources` is not a list", "5"),
        ("{\"address\": \"aws_lambda_function.f\", ", "{", "has no `address`", "{"),
        ("\"address\": \"aws_lambda_function.f\", \"mode\"", "\"address\": 7, \"mode\"", "has no `address`", "{"),
        (
            "\"type\": \"aws_lambda_function\", \"name\": \"f\",\n       \"values\"",
            "\"name\": \"f\",\n       \"values\"",
            "has no `type`",
            "aws_lambda_function.f",
        ),
        (
            "\"values\": {\"timeout\": 30, \"memory_size\": 256, \"ephemeral_storage\": [{\"size\": 1024}], \"vpc_config\": [{\"subnet_ids\": [\"subnet-1\"]}]}",
            "\"values\": [30]",
            "are not a mapping",
            "[",
        ),
        (
            "\"child_modules\": [{\"address\": \"module.m\", ",
            "\"child_modules\": [{",
            "a child module has no `address`",
            "{",
        ),
        ("\"child_modules\": [", "\"child_modules\": 3, \"x\": [", "`child_modules` is not a list", "3"),
        ("\"format_version\": \"1.2\"", "\"format_version\": \"2.0\"", "format version", "2.0"),
        (
            "\"resource_changes\": [",
            "\"resource_changes\": \"none\", \"x\": [",
            "`resource_changes` is not a list",
            "none",
        ),
        ("\"configuration\": {", "\"configuration\": \"none\", \"x\": {", "`configuration` is not a mapping", "none"),
    ];
    for (from, to, why, underlined) in cases {
        assert!(SMALL.contains(from), "{from}");
        let text = SMALL.replacen(from, to, 1);
        let (message, span) = refused(&text);
        assert!(message.contains(why), "{to}: {message}");
        let span = span.unwrap_or_else(|| panic!("{to}: no span"));
        assert!(at(&text, span).starts_with(underlined), "{to}: `{}`", at(&text, span));
    }
    let (message, _) =
        refused(&SMALL.replacen("\"planned_values\": {\"root_module\": {", "\"planned_values\": {\"modules\": {", 1));
    assert!(message.contains("no `root_module`"), "{message}");
}

/// Every node of the small plan replaced, in turn, by each value of another
/// kind: the import reads it or says why, and never panics.
#[test]
fn no_reshaped_plan_panics() {
    let original: serde_json::Value = serde_json::from_str(SMALL).expect("json");
    let mut paths = Vec::new();
    collect_paths(&original, &mut Vec::new(), &mut paths);
    assert!(paths.len() > 60, "{}", paths.len());
    let replacements = [
        serde_json::Value::Null,
        serde_json::json!([]),
        serde_json::json!({}),
        serde_json::json!("x.y[\"a.b\"].z"),
        serde_json::json!(-1),
        serde_json::json!([true, {"references": ["var.f", "module.m.x", "aws_lambda_function.f"]}]),
    ];
    for path in &paths {
        for replacement in &replacements {
            let mut plan = original.clone();
            if let Some(slot) = pointer(&mut plan, path) {
                *slot = replacement.clone();
            }
            let text = serde_json::to_string_pretty(&plan).expect("json");
            if let Ok(imported) = import_str("plan.json", &text) {
                assert_eq!(imported.template().flavor, Flavor::TerraformPlan);
            }
        }
    }
}

fn collect_paths(value: &serde_json::Value, at: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    out.push(at.clone());
    let children: Vec<(String, &serde_json::Value)> = match value {
        serde_json::Value::Object(map) => map.iter().map(|(k, v)| (k.clone(), v)).collect(),
        serde_json::Value::Array(items) => items.iter().enumerate().map(|(i, v)| (i.to_string(), v)).collect(),
        _ => Vec::new(),
    };
    for (key, child) in children {
        at.push(key);
        collect_paths(child, at, out);
        at.pop();
    }
}

fn pointer<'a>(value: &'a mut serde_json::Value, path: &[String]) -> Option<&'a mut serde_json::Value> {
    let pointer: String = path.iter().map(|p| format!("/{p}")).collect();
    if pointer.is_empty() { Some(value) } else { value.pointer_mut(&pointer) }
}

/// `aws_lambda_function_url` is an `AWS::Lambda::Url` whose function is the
/// one its `function_name` refers to in the configuration; Terraform's
/// `reserved_concurrent_executions` is the URL's throttle (ours: the
/// http-api-lambda plan with its API replaced by a streaming URL).
#[test]
fn a_function_url_plan_is_a_lambda_function_url() {
    let (_, imported) = fixture("function-url-streaming");
    let service = &imported.classification().services[0];
    assert_eq!(imported.classification().services.len(), 1, "{:?}", imported.classification());
    assert_eq!(service.pattern, Pattern::LambdaFunctionUrl);
    assert_eq!(service.select.raw(), "aws_lambda_function.app");
    let parameters = Parameters { values: Default::default(), use_defaults: true };
    let resolver = Resolver::new(imported.template(), &parameters);
    let t = translate(imported.template(), service, &resolver).expect("translates");
    let url = t.root.get("function_url").expect("a function_url section");
    let text = |k: &str| match url.get(k).map(|n| &n.value) {
        Some(Value::Str(s)) => s.clone(),
        Some(Value::Int(i)) => i.to_string(),
        other => format!("{other:?}"),
    };
    assert_eq!(text("auth"), "none");
    assert_eq!(text("invoke_mode"), "response_stream");
    assert_eq!(text("reserved_concurrency"), "50");
}

/// The plan of aws-samples/serverless-patterns `alb-lambda-terraform/main.tf`
/// (commit 0d2d6a085c003abe67c15e770feff89720f01c6e, MIT-0), as Terraform
/// 1.11.4 printed it (tests/fixtures/terraform/README.md says how it was made).
const ALB_LAMBDA: &str = "alb-lambda-target";
const ALB_FUNCTION: &str = "aws_lambda_function.lambda_function";
const ALB_ATTACHMENT: &str = "aws_lb_target_group_attachment.target_group_attachment";

/// The ALB fixture's plan as JSON, to change one thing in each test.
fn alb_plan() -> serde_json::Value {
    let path = format!("{}/tests/fixtures/terraform/{ALB_LAMBDA}.plan.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn import_json(plan: &serde_json::Value) -> Imported {
    let text = serde_json::to_string_pretty(plan).unwrap();
    import_str("plan.json", &text).unwrap_or_else(|e| panic!("{}", e.errors()[0]))
}

/// The planned resource (`planned_values`) or its configuration at `address`.
fn entry<'a>(plan: &'a mut serde_json::Value, part: &str, address: &str) -> &'a mut serde_json::Value {
    let list = match part {
        "planned_values" => &mut plan["planned_values"]["root_module"]["resources"],
        _ => &mut plan["configuration"]["root_module"]["resources"],
    };
    list.as_array_mut().unwrap().iter_mut().find(|r| r["address"] == address).unwrap()
}

/// Adds a managed resource to the plan: its planned values and its configuration.
fn add_resource(
    plan: &mut serde_json::Value,
    kind: &str,
    name: &str,
    values: serde_json::Value,
    expressions: serde_json::Value,
) {
    let address = format!("{kind}.{name}");
    let planned =
        serde_json::json!({"address": address, "mode": "managed", "type": kind, "name": name, "values": values});
    let config = serde_json::json!({"address": address, "mode": "managed", "type": kind, "name": name, "expressions": expressions});
    plan["planned_values"]["root_module"]["resources"].as_array_mut().unwrap().push(planned);
    plan["configuration"]["root_module"]["resources"].as_array_mut().unwrap().push(config);
}

fn reasons(imported: &Imported) -> String {
    imported.classification().not_a_pattern.iter().map(|r| r.raw().to_string()).collect::<Vec<_>>().join("\n")
}

/// Issue 28: a target group of type `lambda` whose
/// `aws_lb_target_group_attachment` registers a function, on the listener of
/// an ALB, is `lambda_alb`: the attachment's `target_id` is the group's
/// reference to the function, as a template's `Targets` is. The proposal
/// takes the function and the ALB's scheme and idle timeout from the plan.
#[test]
fn a_lambda_target_group_attached_to_a_function_is_lambda_alb() {
    let (text, imported) = fixture(ALB_LAMBDA);
    assert_eq!(services(&imported), [(Pattern::LambdaAlb, ALB_FUNCTION)], "{:?}", imported.classification());
    assert_eq!(
        imported.classification().services[0].resources,
        [
            "aws_lb.load_balancer",
            "aws_lb_listener.listener",
            "aws_lb_target_group.target_group",
            ALB_ATTACHMENT,
            "aws_lambda_permission.with_lb",
            ALB_FUNCTION
        ]
    );
    // The group refers to the function through the attachment's `target_id` only.
    let group = resource(&imported, "aws_lb_target_group.target_group");
    assert!(refers(group, ALB_FUNCTION) && !refers(group, ALB_ATTACHMENT));
    planned(&text, group, "TargetType", "lambda");

    let t = translated(&imported);
    let value = |path: &str| -> (String, &str) {
        let node = path.split('.').try_fold(&t.root, |n, k| n.get(k)).unwrap_or_else(|| panic!("no {path}"));
        let shown = match &node.value {
            Value::Str(s) => s.clone(),
            other => format!("{other:?}"),
        };
        (shown, at(&text, node.span))
    };
    assert_eq!(value("pattern").0, "lambda_alb");
    // `internal = false` in the plan: internet-facing, pointing at the plan's `false`.
    assert_eq!(value("load_balancer.scheme"), ("internet_facing".to_string(), "false"));
    // `idle_timeout` left to the provider, planned as AWS's 60 s.
    assert_eq!(value("load_balancer.idle_timeout"), ("60s".to_string(), "60"));
    assert_eq!(value("function.runtime"), ("nodejs16.x".to_string(), "nodejs16.x"));
    assert_eq!(value("function.timeout"), ("3s".to_string(), "3"));
    assert_eq!(value("function.memory"), ("128MiB".to_string(), "128"));
}

fn translated(imported: &Imported) -> archpolicy::import::translate::Translated {
    assert_eq!(imported.classification().services.len(), 1, "{:?}", imported.classification());
    let parameters = Parameters { values: Default::default(), use_defaults: true };
    let resolver = Resolver::new(imported.template(), &parameters);
    translate(imported.template(), &imported.classification().services[0], &resolver).expect("translates")
}

/// The same plan with `internal = true` and `idle_timeout = 120`: an
/// internal `lambda_alb` whose requests may stay idle for 120 s.
#[test]
fn an_internal_alb_with_its_idle_timeout_reaches_the_proposal() {
    let mut plan = alb_plan();
    let values = &mut entry(&mut plan, "planned_values", "aws_lb.load_balancer")["values"];
    values["internal"] = true.into();
    values["idle_timeout"] = 120.into();
    let expressions = &mut entry(&mut plan, "configuration", "aws_lb.load_balancer")["expressions"];
    expressions["internal"] = serde_json::json!({"constant_value": true});
    expressions["idle_timeout"] = serde_json::json!({"constant_value": 120});
    let imported = import_json(&plan);
    assert_eq!(services(&imported), [(Pattern::LambdaAlb, ALB_FUNCTION)]);
    let t = translated(&imported);
    let text = |path: &str| match path.split('.').try_fold(&t.root, |n, k| n.get(k)).map(|n| &n.value) {
        Some(Value::Str(s)) => s.clone(),
        other => format!("{other:?}"),
    };
    assert_eq!(text("load_balancer.scheme"), "internal");
    assert_eq!(text("load_balancer.idle_timeout"), "120s");
}

/// A target group of type `lambda` that no attachment registers anything
/// in is no service, and the reason says what is missing.
#[test]
fn an_unattached_lambda_target_group_is_not_lambda_alb() {
    let mut plan = alb_plan();
    for part in ["planned_values", "configuration"] {
        let list = match part {
            "planned_values" => &mut plan["planned_values"]["root_module"]["resources"],
            _ => &mut plan["configuration"]["root_module"]["resources"],
        };
        list.as_array_mut().unwrap().retain(|r| r["address"] != ALB_ATTACHMENT);
    }
    let imported = import_json(&plan);
    assert_eq!(services(&imported), []);
    assert_eq!(
        reasons(&imported),
        "`aws_lb_target_group.target_group` is a target group of type `lambda`: no `aws_lb_target_group_attachment` of this plan registers a target in it"
    );
}

/// An attachment whose `target_id` is an EC2 instance registers no
/// function: the `lambda` group is no service (its other references, the
/// permission naming the function, do not make one); and a group of type
/// `instance` with that attachment is no Lambda target at all.
#[test]
fn a_target_group_whose_attachment_targets_an_instance_is_not_lambda_alb() {
    let mut plan = alb_plan();
    add_resource(
        &mut plan,
        "aws_instance",
        "web",
        serde_json::json!({"ami": "ami-12345678", "instance_type": "t3.micro"}),
        serde_json::json!({"ami": {"constant_value": "ami-12345678"}, "instance_type": {"constant_value": "t3.micro"}}),
    );
    entry(&mut plan, "configuration", ALB_ATTACHMENT)["expressions"]["target_id"] =
        serde_json::json!({"references": ["aws_instance.web.id", "aws_instance.web"]});
    let imported = import_json(&plan);
    assert_eq!(services(&imported), []);
    assert!(refers(resource(&imported, "aws_lb_target_group.target_group"), "aws_instance.web"));
    assert_eq!(
        reasons(&imported),
        format!(
            "`aws_lb_target_group.target_group` is a target group of type `lambda`: the `target_id` of its attachment `{ALB_ATTACHMENT}` names no Lambda function of this plan"
        )
    );

    entry(&mut plan, "planned_values", "aws_lb_target_group.target_group")["values"]["target_type"] = "instance".into();
    let imported = import_json(&plan);
    assert_eq!(services(&imported), []);
    assert!(!reasons(&imported).contains("lambda"), "{}", reasons(&imported));
}

/// An attachment whose `target_id` is a `for_each` value (`each.value`, as
/// terraform-aws-modules' alb module writes it) names nothing import
/// follows: the group is no service, and the reason says why rather than
/// calling the target something other than a function.
#[test]
fn an_attachment_whose_target_is_a_for_each_value_is_said_not_followed() {
    let mut plan = alb_plan();
    entry(&mut plan, "configuration", ALB_ATTACHMENT)["expressions"]["target_id"] =
        serde_json::json!({"references": ["each.value.target_id", "each.value"]});
    let imported = import_json(&plan);
    assert_eq!(services(&imported), []);
    assert!(
        reasons(&imported).ends_with(&format!(
            "the `target_id` of its attachment `{ALB_ATTACHMENT}` names no resource of this plan (a literal ARN, a root module variable, or a `for_each` value, `each.value`, which import does not follow)"
        )),
        "{}",
        reasons(&imported)
    );
}

/// An attachment that registers an alias registers its function: one
/// service, with the alias among its resources (not one for the alias and
/// one for the function).
#[test]
fn an_attached_alias_is_its_function_once() {
    let mut plan = alb_plan();
    add_resource(
        &mut plan,
        "aws_lambda_alias",
        "live",
        serde_json::json!({"name": "live", "function_version": "$LATEST"}),
        serde_json::json!({"name": {"constant_value": "live"},
            "function_name": {"references": [format!("{ALB_FUNCTION}.function_name"), ALB_FUNCTION]}}),
    );
    entry(&mut plan, "configuration", ALB_ATTACHMENT)["expressions"]["target_id"] =
        serde_json::json!({"references": ["aws_lambda_alias.live.arn", "aws_lambda_alias.live"]});
    let imported = import_json(&plan);
    assert_eq!(services(&imported), [(Pattern::LambdaAlb, ALB_FUNCTION)], "{:?}", imported.classification());
    let resources = &imported.classification().services[0].resources;
    assert!(resources.iter().any(|r| r.raw() == "aws_lambda_alias.live"), "{resources:?}");
    assert!(resources.iter().any(|r| r.raw() == ALB_ATTACHMENT), "{resources:?}");
}

/// What a person sees: `policy import` on the plan, and the written
/// proposal, given its workload, loads and is checked (findings, not errors).
#[test]
fn the_alb_lambda_plan_imports_writes_and_checks() {
    std::fs::create_dir_all("target").unwrap();
    let dir = tempfile::tempdir_in("target").unwrap();
    let fixture = format!("tests/fixtures/terraform/{ALB_LAMBDA}.plan.json");
    let shown = crate::common::policy(&["import", &fixture]);
    assert!(shown.status.success(), "{}", crate::common::stderr(&shown));
    insta::assert_snapshot!(crate::common::stdout(&shown));

    let out = crate::common::policy(&["import", "--write", &dir.path().to_string_lossy(), &fixture]);
    assert!(out.status.success(), "{}", crate::common::stderr(&out));
    let written = dir.path().join("aws-lambda-function-lambda-function.arch.yaml");
    let skeleton = std::fs::read_to_string(&written).unwrap();
    assert!(skeleton.contains("pattern: lambda_alb\n"), "{skeleton}");
    let filled = format!(
        "{skeleton}environment: production\nworkload: {{ requests_per_month: 2000000, avg_duration: 200ms, max_request_duration: 2s, peak_rps: 20 }}\n"
    );
    std::fs::write(&written, filled).unwrap();
    let proposal = archpolicy::load_file(&written).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(proposal.model().pattern, Pattern::LambdaAlb);
    let checked = crate::common::policy(&["check", &written.to_string_lossy()]);
    let report = crate::common::stdout(&checked);
    // Exit 1: findings of the standard pack (nodejs16.x is deprecated, the public ALB has no WAF); 2 would be a load error.
    assert_eq!(checked.status.code(), Some(1), "{report}{}", crate::common::stderr(&checked));
    assert!(report.contains("deny(runtime-deprecated)") && report.contains("deny(public-alb-waf)"), "{report}");
    assert!(report.contains("checked 1 proposal against"), "{report}");
}

/// A plan of nothing but an ECS Express Mode service (provider 6's
/// `aws_ecs_express_gateway_service`): named as no pattern, with its nearest
/// one, not "no service" and not an error.
#[test]
fn an_express_mode_service_in_a_plan_is_named_with_its_nearest_pattern() {
    let plan = r#"{
  "format_version": "1.2",
  "planned_values": {"root_module": {"resources": [
    {"address": "aws_ecs_express_gateway_service.web", "mode": "managed", "type": "aws_ecs_express_gateway_service",
     "name": "web", "values": {"cpu": "1024", "memory": "2048"}}]}},
  "configuration": {"root_module": {"resources": [
    {"address": "aws_ecs_express_gateway_service.web", "mode": "managed", "type": "aws_ecs_express_gateway_service",
     "name": "web", "expressions": {"cpu": {"constant_value": "1024"}}}]}}
}"#;
    let imported = import_str("express.json", plan).unwrap_or_else(|e| panic!("{}", e.errors()[0]));
    assert_eq!(resource(&imported, "aws_ecs_express_gateway_service.web").kind, "AWS::ECS::ExpressGatewayService");
    assert_eq!(services(&imported), []);
    let why = reasons(&imported);
    assert!(
        why.starts_with(
            "`aws_ecs_express_gateway_service.web` is an ECS Express Mode service (`AWS::ECS::ExpressGatewayService`), which no pattern models"
        ) && why.contains("its nearest pattern is `fargate_alb`"),
        "{why}"
    );
    assert!(!why.contains('\n'), "one reason, not also \"no service\": {why}");
}

/// A function URL on an alias (`qualifier`) refers to the function and to
/// the alias: one service, through the alias, not one for each.
#[test]
fn a_function_url_on_an_alias_is_one_service() {
    let path = format!("{}/tests/fixtures/terraform/function-url-streaming.plan.json", env!("CARGO_MANIFEST_DIR"));
    let mut plan: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    add_resource(
        &mut plan,
        "aws_lambda_alias",
        "live",
        serde_json::json!({"name": "live", "function_version": "1"}),
        serde_json::json!({"function_name": {"references": ["aws_lambda_function.app.function_name", "aws_lambda_function.app"]}}),
    );
    entry(&mut plan, "configuration", "aws_lambda_function_url.app")["expressions"]["qualifier"] =
        serde_json::json!({"references": ["aws_lambda_alias.live.name", "aws_lambda_alias.live"]});
    let imported = import_json(&plan);
    assert_eq!(
        services(&imported),
        [(Pattern::LambdaFunctionUrl, "aws_lambda_function.app")],
        "{:?}",
        imported.classification()
    );
    assert_eq!(
        imported.classification().services[0].resources,
        ["aws_lambda_function_url.app", "aws_lambda_alias.live", "aws_lambda_function.app"]
    );
}

/// Fail closed: cutting any one reference on the plan's path (the listener
/// to its ALB or to the group, the attachment to the group or to the
/// function) leaves no `lambda_alb`, and the reason says what is missing.
#[test]
fn cutting_any_reference_on_the_alb_lambda_path_unclassifies_it() {
    let cuts: [(&str, &[&str], &str); 4] = [
        ("aws_lb_listener.listener", &["load_balancer_arn"], "it is on no listener of a load balancer"),
        ("aws_lb_listener.listener", &["default_action", "0", "target_group_arn"], "it is on no listener"),
        (ALB_ATTACHMENT, &["target_group_arn"], "no `aws_lb_target_group_attachment` of this plan registers"),
        (ALB_ATTACHMENT, &["target_id"], "names no resource of this plan (a literal ARN"),
    ];
    for (address, attribute, why) in cuts {
        let mut plan = alb_plan();
        let mut node = &mut entry(&mut plan, "configuration", address)["expressions"];
        for step in attribute {
            node = match step.parse::<usize>() {
                Ok(i) => &mut node[i],
                Err(_) => &mut node[*step],
            };
        }
        *node = serde_json::json!({"constant_value": "arn:aws:elasticloadbalancing:us-east-1:123456789012:x"});
        let imported = import_json(&plan);
        assert_eq!(services(&imported), [], "cut {address}.{}", attribute.join("."));
        assert!(reasons(&imported).contains(why), "cut {address}.{}: {}", attribute.join("."), reasons(&imported));
    }
}
