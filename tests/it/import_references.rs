//! Issue 25: a service is what the template's references make it (never
//! resources that merely sit in one template), and every setting the
//! template states reaches the proposal or is said. Fixtures in
//! tests/fixtures/import/references (README there: which are ours, which
//! are real and where from).

use std::path::PathBuf;

use archpolicy::import::resolve::{Parameters, Resolver};
use archpolicy::import::translate::{TranslateError, Translated, translate};
use archpolicy::import::{Imported, classify, import_file};
use archpolicy::model::{NamedEnum, Pattern};
use archpolicy::untrusted::Untrusted;
use archpolicy::yaml::{Node, Value};

fn fixture(name: &str) -> Imported {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/references").join(name);
    import_file(&path).unwrap_or_else(|e| panic!("{name}: {}", e.errors()[0]))
}

fn services(imported: &Imported) -> Vec<(Pattern, String)> {
    imported.classification().services.iter().map(|s| (s.pattern, s.select.raw().to_string())).collect()
}

fn translated(imported: &Imported, select: &str) -> Result<Translated, Vec<TranslateError>> {
    let service = imported.classification().services.iter().find(|s| s.select == select).expect("the service");
    let parameters = Parameters { values: Default::default(), use_defaults: true };
    let resolver = Resolver::new(imported.template(), &parameters);
    translate(imported.template(), service, &resolver)
}

/// A key of the translated proposal, as text (`50`, `rest`, `1.6`).
fn key(t: &Translated, path: &str) -> Option<String> {
    let mut node: &Node = &t.root;
    for part in path.split('.') {
        node = node.get(part)?;
    }
    Some(match &node.value {
        Value::Str(s) => s.clone(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Bool(b) => b.to_string(),
        other => format!("{other:?}"),
    })
}

fn reasons(imported: &Imported) -> String {
    imported.classification().not_a_pattern.iter().map(Untrusted::raw).collect::<Vec<_>>().join(" | ")
}

#[test]
fn mock_methods_and_a_vpc_link_to_an_unrelated_public_nlb_are_no_pattern() {
    let imported = fixture("cdk-v1-mock-public-nlb.template.json");
    assert_eq!(services(&imported), vec![]);
    let why = reasons(&imported);
    assert!(
        why.contains("the REST API `Stack/Api/Resource` is no front door: its integrations are all `MOCK`"),
        "{why}"
    );
    assert!(
        why.contains(
            "the VPC link `Stack/Link/Resource` targets `Stack/PublicNlb/Resource` (an internet-facing load balancer"
        ),
        "{why}"
    );
    assert!(!why.contains("the internal load balancer `Stack/InternalAlb/Resource` through"), "{why}");
}

#[test]
fn rest_api_through_a_v1_link_an_nlb_and_its_alb_target_group_is_fargate_api_gateway() {
    let imported = fixture("rest-v1-nlb-alb-fargate.yaml");
    assert_eq!(services(&imported), vec![(Pattern::FargateApiGateway, "Service".to_string())]);
    let service = &imported.classification().services[0];
    assert_eq!(service.resources, ["Api", "PostOrders", "Link", "Nlb", "Alb", "AlbListener", "Service"]);
    let t = translated(&imported, "Service").expect("translates");
    assert_eq!(key(&t, "vpc_link.version").as_deref(), Some("v1"));
    // The service's own load balancer, not the NLB in front of it.
    assert_eq!(key(&t, "load_balancer.scheme").as_deref(), Some("internal"));
    assert_eq!(key(&t, "load_balancer.idle_timeout").as_deref(), Some("25s"));
    // POST /orders is throttled at 50/25 under the stage-wide 2000/1000; GET /health's 5/5 is another method's.
    assert_eq!(key(&t, "gateway.throttle.rate").as_deref(), Some("50"));
    assert_eq!(key(&t, "gateway.throttle.burst").as_deref(), Some("25"));
    assert_eq!(key(&t, "gateway.authorizer").as_deref(), Some("iam"));
    assert_eq!(key(&t, "gateway.cache_gb").as_deref(), Some("1.6"));
    // The scaling target, linked through `Fn::Sub` with `${Service.Name}`.
    assert_eq!(key(&t, "service.tasks.min").as_deref(), Some("2"));
    assert_eq!(key(&t, "service.tasks.max").as_deref(), Some("12"));
}

#[test]
fn http_api_through_a_v2_link_to_the_listener_is_fargate_api_gateway_with_its_route_throttle() {
    let imported = fixture("http-v2-listener-fargate.yaml");
    assert_eq!(services(&imported), vec![(Pattern::FargateApiGateway, "Service".to_string())]);
    let t = translated(&imported, "Service").expect("translates");
    assert_eq!(key(&t, "gateway.api").as_deref(), Some("http"));
    assert_eq!(key(&t, "vpc_link.version").as_deref(), Some("v2"));
    assert_eq!(key(&t, "gateway.throttle.rate").as_deref(), Some("40"));
    assert_eq!(key(&t, "gateway.throttle.burst").as_deref(), Some("20"));
    // Linked through `Fn::Join` with `!GetAtt Service.Name`.
    assert_eq!(key(&t, "service.tasks.min").as_deref(), Some("3"));
    assert_eq!(key(&t, "service.tasks.max").as_deref(), Some("9"));
}

#[test]
fn a_scaling_target_that_cannot_be_linked_is_an_error_not_the_desired_count() {
    let imported = fixture("unlinked-scaling-target.yaml");
    assert_eq!(services(&imported), vec![(Pattern::FargateAlb, "Service".to_string())]);
    let errors = translated(&imported, "Service").expect_err("refused");
    let messages: Vec<String> = errors
        .iter()
        .map(|e| match e {
            TranslateError::Unreadable { message, .. } => message.clone(),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(
        messages,
        [
            "the scaling target `Scaling` may scale `Service`, but its `ResourceId` ties it to no service of this template"
        ]
    );
}

#[test]
fn the_tightest_method_throttle_of_the_selected_function_is_its_throttle() {
    // aws-samples/serverless-patterns apigw-throttle-sam: `/*` 2000/1000, `POST /` 50/25.
    let imported = fixture("real-apigw-throttle-sam.yaml");
    let mut found = services(&imported);
    found.sort();
    assert_eq!(
        found,
        vec![
            (Pattern::LambdaApiGateway, "ThrottlingGetFunction".to_string()),
            (Pattern::LambdaApiGateway, "ThrottlingPostFunction".to_string())
        ]
    );
    let post = translated(&imported, "ThrottlingPostFunction").expect("translates");
    assert_eq!(
        (key(&post, "gateway.throttle.rate"), key(&post, "gateway.throttle.burst")),
        (Some("50".into()), Some("25".into()))
    );
    let get = translated(&imported, "ThrottlingGetFunction").expect("translates");
    assert_eq!(
        (key(&get, "gateway.throttle.rate"), key(&get, "gateway.throttle.burst")),
        (Some("2000".into()), Some("1000".into()))
    );
}

#[test]
fn the_stage_cache_is_cache_gb_and_method_caching_is_a_note() {
    // aws-samples/serverless-patterns apigw-method-cache.
    let imported = fixture("real-apigw-method-cache.yaml");
    assert_eq!(services(&imported), vec![(Pattern::LambdaApiGateway, "AppFunction".to_string())]);
    let t = translated(&imported, "AppFunction").expect("translates");
    assert_eq!(key(&t, "gateway.cache_gb").as_deref(), Some("0.5"));
    assert_eq!(
        imported.classification().services[0].notes,
        [
            "`Stage` caches `GET /` (`CachingEnabled`): which methods cache is not a proposal key; the stage cache's size is `gateway.cache_gb`"
        ]
    );
}

#[test]
fn an_alias_is_an_integration_target_and_its_provisioned_concurrency_counts() {
    let imported = fixture("lambda-alias-openapi-auth.yaml");
    assert_eq!(services(&imported), vec![(Pattern::LambdaApiGateway, "Fn".to_string())]);
    assert_eq!(imported.classification().services[0].resources, ["Api", "Live", "Fn"]);
    let t = translated(&imported, "Fn").expect("translates");
    assert_eq!(key(&t, "function.provisioned_concurrency").as_deref(), Some("5"));
    // `security` of the OpenAPI operation, read through `securitySchemes`.
    assert_eq!(key(&t, "gateway.authorizer").as_deref(), Some("cognito"));
}

#[test]
fn resource_types_no_pattern_models_are_named() {
    let imported = fixture("unmodelled.yaml");
    // The function URL and the Lambda target group are patterns since
    // issue 28 (the one function reached both ways); the rest is still named.
    assert_eq!(
        services(&imported),
        vec![(Pattern::LambdaFunctionUrl, "Fn".to_string()), (Pattern::LambdaAlb, "Fn".to_string())]
    );
    let why = reasons(&imported);
    assert!(
        why.contains(
            "`Express` is an ECS Express Mode service (`AWS::ECS::ExpressGatewayService`), which no pattern models: ECS itself creates its Application Load Balancer (internet-facing by default), Fargate service and scaling, so the template states none of their settings; its nearest pattern is `fargate_alb`"
        ),
        "{why}"
    );
    assert!(!why.contains("FnGroup"), "{why}");
    assert!(!why.contains("no ECS service"), "{why}");
}

/// aws-samples/serverless-patterns lambda-function-url (SAM
/// `FunctionUrlConfig`): SAM makes `FURLFunctionUrl` of it, and the URL's
/// settings reach the proposal; what it leaves out is AWS's default.
#[test]
fn a_sam_function_url_config_is_a_lambda_function_url() {
    let imported = fixture("real-lambda-function-url.yaml");
    assert_eq!(services(&imported), vec![(Pattern::LambdaFunctionUrl, "FURLFunction".to_string())]);
    assert_eq!(imported.classification().services[0].resources, ["FURLFunctionUrl", "FURLFunction"]);
    let t = translated(&imported, "FURLFunction").expect("translates");
    assert_eq!(key(&t, "pattern").as_deref(), Some("lambda_function_url"));
    assert_eq!(key(&t, "function_url.auth").as_deref(), Some("aws_iam"));
    assert_eq!(key(&t, "function_url.invoke_mode").as_deref(), Some("buffered"));
    assert!(t.defaults.iter().any(|(path, _)| path == "function_url.invoke_mode"), "{:?}", t.defaults);
    let origins = t.root.get("function_url").and_then(|u| u.get("cors")).and_then(|c| c.get("allow_origins"));
    assert!(matches!(origins.map(|o| &o.value), Some(Value::Seq(items)) if items.len() == 1), "{origins:?}");
    assert_eq!(key(&t, "function.timeout").as_deref(), Some("3s"));
}

/// The URL's `TargetFunctionArn` decides which function it serves: the
/// function beside it without a URL is no service, and a URL naming a
/// function of another stack is said, not guessed.
#[test]
fn a_function_url_serves_the_function_it_names_not_its_neighbour() {
    let imported = fixture("function-url-by-reference.yaml");
    assert_eq!(services(&imported), vec![(Pattern::LambdaFunctionUrl, "ExportFunction".to_string())]);
    let why = reasons(&imported);
    assert!(
        why.contains(
            "`OrphanUrl` is a Lambda function URL whose `TargetFunctionArn` names no function of this template"
        ),
        "{why}"
    );
    assert!(!why.contains("CleanupFunction"), "{why}");
    let t = translated(&imported, "ExportFunction").expect("translates");
    assert_eq!(key(&t, "function_url.auth").as_deref(), Some("none"));
    assert_eq!(key(&t, "function_url.invoke_mode").as_deref(), Some("response_stream"));
    assert_eq!(key(&t, "function_url.reserved_concurrency").as_deref(), Some("50"));
    assert_eq!(key(&t, "function_url.cors.max_age").as_deref(), Some("300s"));
    assert_eq!(key(&t, "function.timeout").as_deref(), Some("120s"));
}

/// Issue 28: a target group of type `lambda` on an internal ALB's listener
/// rule is `lambda_alb`, by its references: the rule's `Actions`, the
/// group's `Targets`, and the Lambda permission for
/// elasticloadbalancing.amazonaws.com. The function beside it that no
/// target group names is no service.
#[test]
fn a_lambda_target_group_behind_an_alb_is_lambda_alb() {
    let imported = fixture("alb-lambda-target.yaml");
    assert_eq!(services(&imported), vec![(Pattern::LambdaAlb, "QuotesFunction".to_string())]);
    assert_eq!(
        imported.classification().services[0].resources,
        ["Alb", "Listener", "QuotesGroup", "QuotesInvoke", "QuotesFunction"]
    );
    let t = translated(&imported, "QuotesFunction").expect("translates");
    assert_eq!(key(&t, "pattern").as_deref(), Some("lambda_alb"));
    assert_eq!(key(&t, "load_balancer.scheme").as_deref(), Some("internal"));
    assert_eq!(key(&t, "load_balancer.idle_timeout").as_deref(), Some("120s"));
    assert_eq!(key(&t, "function.timeout").as_deref(), Some("60s"));
    assert_eq!(key(&t, "function.memory").as_deref(), Some("1024MiB"));
    // Without the listener rule the group is on no listener: said, not guessed.
    let text = std::fs::read_to_string("tests/fixtures/import/references/alb-lambda-target.yaml").unwrap();
    let cut = text.replace("Actions: [{ Type: forward, TargetGroupArn: !Ref QuotesGroup }]", "Actions: []");
    let imported = archpolicy::import::import_str("t.yaml", &cut).unwrap_or_else(|e| panic!("{}", e.errors()[0]));
    assert!(imported.classification().services.is_empty());
    assert!(
        reasons(&imported).contains("`QuotesGroup` is a target group of type `lambda`: it is on no listener"),
        "{}",
        reasons(&imported)
    );
}

/// Resources that name an ALB's listener without fronting it (an extra
/// certificate) leave it the front door: only an API's integration through
/// a VPC link puts a gateway in front.
#[test]
fn a_listener_certificate_is_no_gateway_in_front_of_a_lambda_target() {
    let text = std::fs::read_to_string("tests/fixtures/import/references/alb-lambda-target.yaml").unwrap();
    let with_cert = format!(
        "{text}  ExtraCertificate:\n    Type: AWS::ElasticLoadBalancingV2::ListenerCertificate\n    Properties:\n      ListenerArn: !Ref Listener\n      Certificates: [{{ CertificateArn: arn:aws:acm:us-east-1:123456789012:certificate/def }}]\n"
    );
    let imported = archpolicy::import::import_str("t.yaml", &with_cert).unwrap_or_else(|e| panic!("{}", e.errors()[0]));
    assert_eq!(services(&imported), vec![(Pattern::LambdaAlb, "QuotesFunction".to_string())], "{}", reasons(&imported));
}

/// One target group on the listeners of an internal and an internet-facing
/// ALB is two front doors: a service each, each with its own scheme (not
/// the first ALB's for both, which would pass the public one as internal).
#[test]
fn a_lambda_target_group_on_two_albs_is_a_service_per_alb_with_its_own_scheme() {
    let text = std::fs::read_to_string("tests/fixtures/import/references/alb-lambda-target.yaml").unwrap();
    let two = format!(
        "{text}  PublicAlb:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n    Properties: {{ Subnets: [subnet-3, subnet-4] }}\n  PublicListener:\n    Type: AWS::ElasticLoadBalancingV2::Listener\n    Properties:\n      LoadBalancerArn: !Ref PublicAlb\n      Port: 80\n      Protocol: HTTP\n      DefaultActions: [{{ Type: forward, TargetGroupArn: !Ref QuotesGroup }}]\n"
    );
    let imported = archpolicy::import::import_str("t.yaml", &two).unwrap_or_else(|e| panic!("{}", e.errors()[0]));
    let fronts: Vec<(Pattern, &str)> =
        imported.classification().services.iter().map(|s| (s.pattern, s.resources[0].raw())).collect();
    assert_eq!(fronts, [(Pattern::LambdaAlb, "Alb"), (Pattern::LambdaAlb, "PublicAlb")]);
    let parameters = Parameters { values: Default::default(), use_defaults: true };
    let resolver = Resolver::new(imported.template(), &parameters);
    let schemes: Vec<Option<String>> = imported
        .classification()
        .services
        .iter()
        .map(|s| key(&translate(imported.template(), s, &resolver).expect("translates"), "load_balancer.scheme"))
        .collect();
    assert_eq!(schemes, [Some("internal".to_string()), Some("internet_facing".to_string())]);
}

#[test]
fn a_websocket_api_is_the_websocket_form_of_lambda_api_gateway() {
    // aws-samples/serverless-patterns apigw-websocket-api-lambda.
    let imported = fixture("real-apigw-websocket-api-lambda.yml");
    let found = services(&imported);
    assert!(!found.is_empty() && found.iter().all(|(p, _)| *p == Pattern::LambdaApiGateway), "{found:?}");
    for (_, select) in &found {
        let t = translated(&imported, select).expect("translates");
        assert_eq!(key(&t, "gateway.api").as_deref(), Some("websocket"), "{select}");
        assert_eq!(key(&t, "gateway.endpoint").as_deref(), Some("regional"), "{select}");
    }
}

/// Fail closed: cutting any one reference on a classified service's path
/// leaves it unclassified, and the reason names the reference cut.
#[test]
fn removing_any_reference_on_the_path_unclassifies_the_service() {
    let mut vague = Vec::new();
    for name in [
        "rest-v1-nlb-alb-fargate.yaml",
        "http-v2-listener-fargate.yaml",
        "lambda-alias-openapi-auth.yaml",
        "real-apigw-method-cache.yaml",
        "apigw-rest-vpclink-pvt-alb-sam/template.yaml",
        "cdk-v1-mock-public-nlb.template.json",
    ] {
        let imported = fixture(name);
        for service in &imported.classification().services {
            let path: Vec<&str> = service.resources.iter().map(Untrusted::raw).collect();
            let t = &imported.template();
            // Each reference between two resources of the path, plus those to the target groups on it.
            let mut edges = Vec::new();
            for from in t.resources.values() {
                for to in &from.refs {
                    let on_path = |id: &str| {
                        path.contains(&id) || t.resources.get(id).is_some_and(|r| r.kind.ends_with("TargetGroup"))
                    };
                    if on_path(&from.id) && on_path(to) && t.resources.contains_key(to) {
                        edges.push((from.id.clone(), to.clone()));
                    }
                }
            }
            let mut cut_any = false;
            for (from, to) in edges {
                let cut = t.without_reference(&from, &to);
                let findings = classify(&cut);
                let still =
                    findings.services.iter().any(|s| s.select == service.select && s.pattern == service.pattern);
                if still {
                    // A reference that is not a link of the path (a `DependsOn`-like use, a name in a stage).
                    let again = classify(&cut).services.into_iter().find(|s| s.select == service.select).unwrap();
                    assert_eq!(again.resources, service.resources, "{name}: cutting {from} -> {to} changed the path");
                    continue;
                }
                cut_any = true;
                let why = findings.not_a_pattern.iter().map(Untrusted::raw).collect::<Vec<_>>().join(" | ");
                // The reason names the reference cut, by two of its three
                // parts: the resource it was cut from, the property that held
                // it, the resource it named (when the cut leaves nothing that
                // names the resource it was cut from, the other two).
                let shown = |id: &str| format!("`{}`", t.resources.get(id).map_or(id, |r| r.name()));
                let properties = t.referring_properties(&from, &to);
                let held = properties.iter().any(|p| why.contains(&format!("`{p}`")));
                let (by, named) = (why.contains(&shown(&from)), why.contains(&shown(&to)));
                if !((by && (named || held)) || (named && held)) {
                    vague.push(format!(
                        "{name}: cutting {from}.{properties:?} -> {to} ({}) is not named: {why}",
                        service.pattern.name()
                    ));
                }
            }
            assert!(cut_any, "{name}: no reference on the path of {}", service.select.raw());
        }
    }
    assert!(vague.is_empty(), "{}", vague.join("\n"));
}

#[test]
fn a_local_include_is_read_and_restores_the_rest_api_through_a_vpc_link() {
    // aws-samples/serverless-patterns apigw-rest-vpclink-pvt-alb-sam: the
    // OpenAPI body, with its VPC link integration, is `AWS::Include ./api.yaml`.
    let imported = fixture("apigw-rest-vpclink-pvt-alb-sam/template.yaml");
    assert_eq!(
        services(&imported),
        vec![(Pattern::FargateApiGateway, "ECSService".to_string())],
        "{}",
        reasons(&imported)
    );
    let t = translated(&imported, "ECSService").expect("translates");
    assert_eq!(key(&t, "gateway.api").as_deref(), Some("rest"));
    // The included file is attached to the import's source: spans from it point into it.
    let attached: Vec<&str> = imported.source().attached().iter().map(|f| f.name()).collect();
    assert_eq!(attached.len(), 1, "{attached:?}");
    assert!(attached[0].ends_with("apigw-rest-vpclink-pvt-alb-sam/./api.yaml"), "{attached:?}");
}

/// A template that includes `location`, written in a fresh folder under target/ (inside the repository).
fn including(location: &str) -> (tempfile::TempDir, PathBuf) {
    std::fs::create_dir_all("target").unwrap();
    let dir = tempfile::tempdir_in("target").unwrap();
    let template = format!(
        "Resources:\n  Api:\n    Type: AWS::ApiGateway::RestApi\n    Properties:\n      Body:\n        \
         Fn::Transform:\n          Name: AWS::Include\n          Parameters:\n            Location: \"{location}\"\n"
    );
    let path = dir.path().join("template.yaml");
    std::fs::write(&path, template).unwrap();
    (dir, path)
}

fn include_error(path: &std::path::Path) -> (String, String) {
    let failure = import_file(path).expect_err("refused");
    let error = &failure.errors()[0];
    let code = miette::Diagnostic::code(error).map(|c| c.to_string()).unwrap_or_default();
    assert!(error.span().is_some(), "it points at the location: {error}");
    (code, error.to_string())
}

#[test]
fn an_include_from_s3_outside_the_repository_or_missing_is_an_error_naming_it() {
    let (_dir, s3) = including("s3://bucket/api.yaml");
    assert_eq!(
        include_error(&s3),
        (
            "archpolicy::import::include".to_string(),
            "cannot include `s3://bucket/api.yaml`: it is in Amazon S3, which is not read".to_string()
        )
    );
    let (_dir, outside) = including("../../../../../../../../../../etc/passwd");
    let (code, message) = include_error(&outside);
    assert_eq!(code, "archpolicy::import::include");
    assert!(
        message.starts_with("cannot include `../../../../../../../../../../etc/passwd`: it is outside"),
        "{message}"
    );
    assert!(!message.contains("root:"), "no byte of the file is quoted: {message}");
    let (_dir, absolute) = including("/etc/passwd");
    assert!(include_error(&absolute).1.starts_with("cannot include `/etc/passwd`: "), "{:?}", include_error(&absolute));
    let (_dir, missing) = including("./nowhere.yaml");
    assert!(
        include_error(&missing).1.starts_with("cannot include `./nowhere.yaml`: "),
        "{:?}",
        include_error(&missing)
    );
    let (dir, git) = including(".git/config");
    std::fs::create_dir_all(dir.path().join(".git")).unwrap();
    std::fs::write(dir.path().join(".git/config"), "openapi: 3.0.1\n").unwrap();
    assert!(include_error(&git).1.contains(".git"), "{:?}", include_error(&git));
}

#[test]
fn a_template_and_what_it_includes_stay_within_one_templates_limits() {
    // The included file alone is within 8 MiB, but not with the template.
    let (dir, path) = including("./big.yaml");
    let filler = format!("openapi: 3.0.1\nx: \"{}\"\n", "a".repeat(8 * 1024 * 1024 - 100));
    std::fs::write(dir.path().join("big.yaml"), filler).unwrap();
    let (code, message) = include_error(&path);
    assert_eq!(code, "archpolicy::import::include");
    assert!(message.contains("more than the 8388608 bytes of one template"), "{message}");
    // Nodes too: 200 000 included nodes beside a template that already has most of the 250 000.
    let list = vec!["1"; 200_000].join(",");
    std::fs::write(dir.path().join("big.yaml"), format!("[{list}]\n")).unwrap();
    let extra: String = (0..60_000).map(|i| format!("  P{i}: {{ Type: String }}\n")).collect();
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("Parameters:\n{extra}{text}")).unwrap();
    let failure = import_file(&path).expect_err("refused");
    assert!(failure.errors()[0].to_string().contains("more than"), "{}", failure.errors()[0]);
}

/// A public ALB in front of the Fargate service `Service` (`ServiceName: web`
/// in cluster `shop`, `DesiredCount: 2`), then `scaling`'s resources.
fn alb_service_with(scaling: &str) -> Imported {
    let base = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/references/unlinked-scaling-target.yaml"),
    )
    .unwrap();
    let base = base[..base.find("  Scaling:").unwrap()]
        .replace("      DesiredCount: 2\n", "      DesiredCount: 2\n      ServiceName: web\n      Cluster: shop\n");
    archpolicy::import::import_str("t.yaml", &format!("{base}{scaling}"))
        .unwrap_or_else(|e| panic!("{}", e.errors()[0]))
}

const TARGET: &str = "  Target:\n    Type: AWS::ApplicationAutoScaling::ScalableTarget\n    Properties:\n      \
    ServiceNamespace: ecs\n      ScalableDimension: ecs:service:DesiredCount\n      \
    ResourceId: !Sub service/shop/${Service.Name}\n      MinCapacity: 1\n      MaxCapacity: 20\n";

fn tasks(t: &Translated) -> (Option<String>, Option<String>, Option<String>) {
    (key(t, "service.tasks.min"), key(t, "service.tasks.desired"), key(t, "service.tasks.max"))
}

fn unreadable(errors: &[TranslateError]) -> Vec<String> {
    errors
        .iter()
        .map(|e| match e {
            TranslateError::Unreadable { message, .. } => message.clone(),
            other => format!("{other:?}"),
        })
        .collect()
}

#[test]
fn scaling_policies_on_the_services_target_are_read_and_what_no_key_holds_is_noted() {
    let imported = fixture("rest-v1-nlb-alb-fargate.yaml");
    assert_eq!(
        imported.classification().services[0].notes,
        [
            "`CpuTracking` keeps `ECSServiceAverageCPUUtilization` at 60 (target tracking): scaling metrics, targets, steps and cooldowns are not proposal keys; `service.tasks.min` and `max` are `Scaling`'s `MinCapacity` and `MaxCapacity`"
        ]
    );
    // Tied by `ResourceId` alone (no `ScalingTargetId`).
    let imported = fixture("http-v2-listener-fargate.yaml");
    assert_eq!(
        imported.classification().services[0].notes,
        [
            "`StepOut` scales out in 1 step(s) when its alarm fires (step scaling): scaling metrics, targets, steps and cooldowns are not proposal keys; `service.tasks.min` and `max` are `Scaling`'s `MinCapacity` and `MaxCapacity`"
        ]
    );
    // A target tracking policy that never scales in, tied by a `ResourceId` worked out to the service's name.
    let imported = alb_service_with(&format!(
        "{TARGET}  Policy:\n    Type: AWS::ApplicationAutoScaling::ScalingPolicy\n    Properties:\n      PolicyName: p\n      \
         PolicyType: TargetTrackingScaling\n      ServiceNamespace: ecs\n      ScalableDimension: ecs:service:DesiredCount\n      \
         ResourceId: service/shop/web\n      TargetTrackingScalingPolicyConfiguration:\n        TargetValue: 1000\n        DisableScaleIn: true\n        \
         CustomizedMetricSpecification: {{ MetricName: m, Namespace: n, Statistic: Sum }}\n"
    ));
    assert_eq!(
        imported.classification().services[0].notes,
        [
            "`Policy` keeps a custom metric at 1000 (target tracking, never scaling in: `DisableScaleIn`): scaling metrics, targets, steps and cooldowns are not proposal keys; `service.tasks.min` and `max` are `Target`'s `MinCapacity` and `MaxCapacity`"
        ]
    );
    let t = translated(&imported, "Service").expect("translates");
    assert_eq!(tasks(&t), (Some("1".into()), Some("2".into()), Some("20".into())));
}

#[test]
fn a_scalable_target_that_nothing_moves_leaves_the_desired_count() {
    let imported = alb_service_with(TARGET);
    assert_eq!(
        imported.classification().services[0].notes,
        [
            "`Target` bounds `Service` between 1 and 20 tasks, but no scaling policy or scheduled action of this template moves it: the service runs its `DesiredCount` (`service.tasks` min, desired and max)"
        ]
    );
    let t = translated(&imported, "Service").expect("translates");
    assert_eq!(tasks(&t), (Some("2".into()), Some("2".into()), Some("2".into())));
    // Registered, the target moves the count into its range, and it stays there.
    let raised = alb_service_with(&TARGET.replace("MinCapacity: 1", "MinCapacity: 3"));
    let t = translated(&raised, "Service").expect("translates");
    assert_eq!(tasks(&t), (Some("3".into()), Some("3".into()), Some("3".into())));
    // A scheduled action moves it: the target's bounds hold.
    let scheduled = alb_service_with(&format!(
        "{TARGET}      ScheduledActions:\n        - {{ ScheduledActionName: night, Schedule: \"cron(0 20 * * ? *)\", ScalableTargetAction: {{ MinCapacity: 1, MaxCapacity: 1 }} }}\n"
    ));
    let t = translated(&scheduled, "Service").expect("translates");
    assert_eq!(tasks(&t), (Some("1".into()), Some("2".into()), Some("20".into())));
    assert!(scheduled.classification().services[0].notes[0].raw().starts_with("`Target` has 1 scheduled action(s)"));
}

#[test]
fn a_scaling_policy_whose_target_is_elsewhere_or_tied_to_nothing_is_an_error() {
    let policy = |tie: &str| {
        format!(
            "  Policy:\n    Type: AWS::ApplicationAutoScaling::ScalingPolicy\n    Properties:\n      PolicyName: p\n      \
             PolicyType: StepScaling\n{tie}      StepScalingPolicyConfiguration: {{ StepAdjustments: [{{ ScalingAdjustment: 1 }}] }}\n"
        )
    };
    // Tied to the service, but its scalable target is in another stack.
    let imported = alb_service_with(&policy("      ResourceId: !Sub service/shop/${Service.Name}\n"));
    assert_eq!(
        unreadable(&translated(&imported, "Service").expect_err("refused")),
        [
            "the scaling policy `Policy` scales `Service`, but the service's scalable target is not in this template: its task bounds (`MinCapacity`, `MaxCapacity`) are unknown"
        ]
    );
    // Beside a target that nothing else moves, a policy tied to nothing.
    let imported =
        alb_service_with(&format!("{TARGET}{}", policy("      ScalingTargetId: !ImportValue other-target\n")));
    assert_eq!(
        unreadable(&translated(&imported, "Service").expect_err("refused")),
        [
            "the scaling policy `Policy` may scale `Service`, but neither its `ScalingTargetId` nor its `ResourceId` ties it to a service of this template"
        ]
    );
}

#[test]
fn a_proposal_standing_on_a_template_with_a_local_include_loads_and_points_into_the_included_file() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import/references/apigw-rest-vpclink-pvt-alb-sam");
    let text = "name: orders\nenvironment: test\nimport: { from: template.yaml, select: ECSService, parameter_defaults: true }\n\
                workload: { requests_per_month: 1000000, avg_duration: 100ms, max_request_duration: 5s, peak_rps: 10 }\n\
                service: { auth: library }\n";
    let name = dir.join("p.arch.yaml");
    let proposal = archpolicy::load_str(&name.to_string_lossy(), text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(proposal.model().pattern, Pattern::FargateApiGateway);
    let attached: Vec<String> = proposal.source().attached().iter().map(|f| f.name().to_string()).collect();
    assert_eq!(attached.len(), 2, "the template and the file it includes: {attached:?}");
    assert!(attached[1].ends_with("api.yaml"), "{attached:?}");
}

#[test]
fn a_top_level_include_brings_sections_the_template_does_not_state() {
    std::fs::create_dir_all("target").unwrap();
    let dir = tempfile::tempdir_in("target").unwrap();
    std::fs::write(
        dir.path().join("resources.yaml"),
        "Resources:\n  Ignored: { Type: AWS::SNS::Topic }\nConditions:\n  Never: !Equals [a, b]\n",
    )
    .unwrap();
    let template = "Transform:\n  Name: AWS::Include\n  Parameters: { Location: resources.yaml }\n\
                    Resources:\n  Topic: { Type: AWS::SNS::Topic }\n";
    let path = dir.path().join("template.yaml");
    std::fs::write(&path, template).unwrap();
    let imported = import_file(&path).unwrap_or_else(|e| panic!("{}", e.errors()[0]));
    let ids: Vec<&str> = imported.template().resources.keys().map(String::as_str).collect();
    assert_eq!(ids, ["Topic"], "the template's own `Resources` stay its own");
    assert!(imported.template().conditions.contains_key("Never"), "a section it does not state is brought in");
}

/// Issue 28: an internal ALB with no VPC link in its template. The real
/// template hands the ALB's ARN to its parent stack (whose NLB and VPC link
/// front it): the ECS half of a split design, no pattern, never a public
/// `fargate_alb`. The same resources with nothing handing them on are an
/// internal service: `fargate_alb` with `scheme: internal`.
#[test]
fn an_internal_alb_is_an_internal_service_unless_the_template_hands_it_to_another_stack() {
    let split = fixture("real-cognito-restapi-vpclink-ecs.yml");
    assert_eq!(services(&split), vec![]);
    let why = reasons(&split);
    assert!(why.contains("the template's output `oApplicationLoadBalancerArn` hands on its ARN"), "{why}");
    assert!(why.contains("the Fargate half of a split design"), "{why}");

    let alone = fixture("internal-alb-fargate.yml");
    assert_eq!(services(&alone), vec![(Pattern::FargateAlb, "ECSService".to_string())]);
    assert!(
        alone.classification().services[0].why.raw().contains("an internal service"),
        "{:?}",
        alone.classification().services[0].why
    );
    let t = translated(&alone, "ECSService").expect("translates");
    assert_eq!(key(&t, "pattern").as_deref(), Some("fargate_alb"));
    assert_eq!(key(&t, "load_balancer.scheme").as_deref(), Some("internal"));
}

/// The same split design, handed on another way: the ALB's (or its
/// listener's) ARN through `Fn::Sub` in an output, or as the `Value` of an
/// SSM parameter that the other stack reads. Its `DNSName` (what callers
/// inside the VPC are given) hands on nothing to front it.
#[test]
fn an_internal_alb_handed_on_through_sub_or_an_ssm_parameter_is_half_of_a_split_design() {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/references/internal-alb-fargate.yml");
    let alone = std::fs::read_to_string(path).unwrap();
    let ssm = |value: &str| {
        format!(
            "  Handoff:\n    Type: AWS::SSM::Parameter\n    Properties: {{ Type: String, Name: /shared/alb, Value: {value} }}\n"
        )
    };
    for (what, added, handed) in [
        (
            "output",
            "Outputs:\n  Arn: { Value: !Sub \"${ApplicationLoadBalancer}\" }\n".to_string(),
            Some("the template's output `Arn`"),
        ),
        (
            "output",
            "Outputs:\n  Arn: { Value: !Sub [\"${A}\", { A: !GetAtt ApplicationLoadBalancer.LoadBalancerArn }] }\n"
                .to_string(),
            Some("the template's output `Arn`"),
        ),
        (
            "output",
            "Outputs:\n  Dns: { Value: !Sub \"http://${ApplicationLoadBalancer.DNSName}\" }\n".to_string(),
            None,
        ),
        ("resource", ssm("!Ref ApplicationLoadBalancer"), Some("the SSM parameter `Handoff`")),
        ("resource", ssm("!Sub \"${ApplicationLoadBalancer}\""), Some("the SSM parameter `Handoff`")),
        ("resource", ssm("!GetAtt ApplicationLoadBalancer.DNSName"), None),
    ] {
        let text = if what == "output" {
            format!("{alone}\n{added}")
        } else {
            alone.replacen("Resources:\n", &format!("Resources:\n{added}"), 1)
        };
        let imported = archpolicy::import_str("t.yml", &text).unwrap_or_else(|e| panic!("{}", e.errors()[0]));
        match handed {
            Some(by) => {
                assert_eq!(services(&imported), vec![], "{added}");
                let why = reasons(&imported);
                assert!(why.contains(&format!("{by} hands on its ARN")) && why.contains("split design"), "{why}");
            }
            None => assert_eq!(services(&imported), vec![(Pattern::FargateAlb, "ECSService".to_string())], "{added}"),
        }
    }
}
