//! Property: every pattern round-trips through import. A CloudFormation
//! template is written for a generated service of each pattern (its
//! settings drawn inside AWS's limits), `policy import --write` writes the
//! proposal that stands on it, and the loaded proposal has the pattern and
//! every setting the template stated: nothing dropped, nothing read from
//! the wrong resource, whatever the pattern.
//!
//! The cases run the `policy` binary, so the default count is small; run
//! longer with `PROPTEST_CASES=500 cargo test --test it -- import_round_trip::`
//! (docs/testing.md).

use std::fmt::Write as _;

use archpolicy::model::{ApiType, Architecture, InvokeMode, Pattern, QueueType, Scheme, UrlAuth};
use archpolicy::units::{Duration, Size};
use proptest::prelude::*;

use crate::common::{policy, proptest_config, stderr};

/// The compute of a generated service.
#[derive(Debug, Clone)]
enum Compute {
    Function { timeout_s: u64, memory_mb: u64, arm: bool },
    Tasks { cpu: u32, memory_mb: u32 },
}

/// The front door of a generated service.
#[derive(Debug, Clone)]
enum Front {
    Rest {
        timeout_ms: u64,
    },
    Http {
        timeout_ms: u64,
    },
    Url {
        iam: bool,
        stream: bool,
    },
    Alb {
        internal: bool,
        idle_s: u64,
    },
    /// An HTTP API through a VPC link to an internal ALB.
    HttpVpcLink {
        idle_s: u64,
    },
    /// A REST or HTTP API that sends to an SQS queue, which an event source
    /// mapping has the function read (`queue_worker`).
    Queue(QueueFront),
}

#[derive(Debug, Clone)]
struct QueueFront {
    http: bool,
    fifo: bool,
    /// Added to the function's timeout: the visibility timeout is at least it.
    visibility_above_s: u64,
    retention_s: u64,
    max_receives: Option<u32>,
    batch: u32,
    max_concurrency: Option<u32>,
    /// A Fargate worker's scalable target: `MinCapacity`, and `MaxCapacity` above it.
    tasks_min: u32,
    tasks_above: u32,
}

#[derive(Debug, Clone)]
struct Service {
    front: Front,
    compute: Compute,
}

impl Service {
    fn pattern(&self) -> Pattern {
        match (&self.front, &self.compute) {
            (Front::Rest { .. } | Front::Http { .. }, _) => Pattern::LambdaApiGateway,
            (Front::Url { .. }, _) => Pattern::LambdaFunctionUrl,
            (Front::Alb { .. }, Compute::Function { .. }) => Pattern::LambdaAlb,
            (Front::Alb { .. }, Compute::Tasks { .. }) => Pattern::FargateAlb,
            (Front::HttpVpcLink { .. }, _) => Pattern::FargateApiGateway,
            (Front::Queue(_), Compute::Function { .. }) => Pattern::QueueWorker,
            (Front::Queue(_), Compute::Tasks { .. }) => Pattern::FargateQueueWorker,
        }
    }
}

fn function() -> impl Strategy<Value = Compute> {
    (1u64..=900, 128u64..=10_240, any::<bool>()).prop_map(|(timeout_s, memory_mb, arm)| Compute::Function {
        timeout_s,
        memory_mb,
        arm,
    })
}

/// Fargate's CPU and memory pairs (a few of AWS's table, each size's edges).
fn tasks() -> impl Strategy<Value = Compute> {
    proptest::sample::select(vec![(256, 512), (256, 2048), (512, 1024), (1024, 8192), (2048, 4096), (4096, 30720)])
        .prop_map(|(cpu, memory_mb)| Compute::Tasks { cpu, memory_mb })
}

fn service() -> impl Strategy<Value = Service> {
    let idle = 1u64..=4000;
    prop_oneof![
        ((50u64..=29_000).prop_map(|timeout_ms| Front::Rest { timeout_ms }), function()),
        ((50u64..=30_000).prop_map(|timeout_ms| Front::Http { timeout_ms }), function()),
        ((any::<bool>(), any::<bool>()).prop_map(|(iam, stream)| Front::Url { iam, stream }), function()),
        ((any::<bool>(), idle.clone()).prop_map(|(internal, idle_s)| Front::Alb { internal, idle_s }), function()),
        ((any::<bool>(), idle.clone()).prop_map(|(internal, idle_s)| Front::Alb { internal, idle_s }), tasks()),
        (idle.prop_map(|idle_s| Front::HttpVpcLink { idle_s }), tasks()),
        (queue_front().prop_map(Front::Queue), function()),
        (queue_front().prop_map(Front::Queue), tasks()),
    ]
    .prop_map(|(front, compute)| Service { front, compute })
}

/// A queue inside AWS's limits (a FIFO queue's batch is at most 10; a
/// standard queue's batch above 10 is written with a 1 s batching window).
fn queue_front() -> impl Strategy<Value = QueueFront> {
    (
        any::<bool>(),
        any::<bool>(),
        0u64..=3600,
        60u64..=1_209_600,
        proptest::option::of(1u32..=1000),
        1u32..=10_000,
        proptest::option::of(2u32..=1000),
        (0u32..=3, 0u32..=50),
    )
        .prop_map(
            |(
                http,
                fifo,
                visibility_above_s,
                retention_s,
                max_receives,
                batch,
                max_concurrency,
                (tasks_min, tasks_above),
            )| {
                QueueFront {
                    tasks_min,
                    tasks_above,
                    http,
                    fifo,
                    visibility_above_s,
                    retention_s,
                    max_receives,
                    batch: if fifo { batch % 10 + 1 } else { batch },
                    max_concurrency,
                }
            },
        )
}

/// The queue, its dead-letter queue, the API that sends to it, and its
/// reader: the mapping of a function, or a Fargate service's scaling
/// target and a target tracking policy on the queue's depth (its `tasks`).
fn write_queue(t: &mut String, q: &QueueFront, timeout_s: u64, tasks: Option<(u32, u32)>) {
    let visibility = timeout_s + q.visibility_above_s;
    let fifo = if q.fifo { "\n      FifoQueue: true" } else { "" };
    let redrive = match q.max_receives {
        Some(n) => format!("\n      RedrivePolicy: {{ deadLetterTargetArn: !GetAtt Dead.Arn, maxReceiveCount: {n} }}"),
        None => String::new(),
    };
    let dead = if q.fifo {
        "  Dead:\n    Type: AWS::SQS::Queue\n    Properties: { FifoQueue: true }\n"
    } else {
        "  Dead:\n    Type: AWS::SQS::Queue\n"
    };
    let _ = write!(
        t,
        "{dead}  Jobs:\n    Type: AWS::SQS::Queue\n    Properties:\n      VisibilityTimeout: {visibility}\n      MessageRetentionPeriod: {}{fifo}{redrive}\n",
        q.retention_s
    );
    if let Some((min, max)) = tasks {
        let _ = write!(
            t,
            "  Target:\n    Type: AWS::ApplicationAutoScaling::ScalableTarget\n    Properties:\n      MinCapacity: {min}\n      MaxCapacity: {max}\n      ResourceId: !Sub service/${{Cluster}}/${{Worker.Name}}\n      ScalableDimension: ecs:service:DesiredCount\n      ServiceNamespace: ecs\n  Depth:\n    Type: AWS::ApplicationAutoScaling::ScalingPolicy\n    Properties:\n      PolicyName: depth\n      PolicyType: TargetTrackingScaling\n      ScalingTargetId: !Ref Target\n      TargetTrackingScalingPolicyConfiguration:\n        TargetValue: 10\n        CustomizedMetricSpecification:\n          Namespace: AWS/SQS\n          MetricName: ApproximateNumberOfMessagesVisible\n          Dimensions: [{{ Name: QueueName, Value: !GetAtt Jobs.QueueName }}]\n          Statistic: Average\n"
        );
    }
    let window = if !q.fifo && q.batch > 10 { "\n      MaximumBatchingWindowInSeconds: 1" } else { "" };
    let concurrency = match q.max_concurrency {
        Some(n) => format!("\n      ScalingConfig: {{ MaximumConcurrency: {n} }}"),
        None => String::new(),
    };
    if tasks.is_none() {
        let _ = write!(
            t,
            "  Reads:\n    Type: AWS::Lambda::EventSourceMapping\n    Properties:\n      EventSourceArn: !GetAtt Jobs.Arn\n      FunctionName: !Ref Worker\n      BatchSize: {}{window}{concurrency}\n",
            q.batch
        );
    }
    if q.http {
        t.push_str(
            "  Api:\n    Type: AWS::ApiGatewayV2::Api\n    Properties: { Name: api, ProtocolType: HTTP }\n  Integration:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties:\n      ApiId: !Ref Api\n      IntegrationType: AWS_PROXY\n      IntegrationSubtype: SQS-SendMessage\n      PayloadFormatVersion: \"1.0\"\n      CredentialsArn: arn:aws:iam::123456789012:role/api\n      RequestParameters: { QueueUrl: !Ref Jobs, MessageBody: $request.body, MessageGroupId: jobs }\n  Route:\n    Type: AWS::ApiGatewayV2::Route\n    Properties:\n      ApiId: !Ref Api\n      RouteKey: POST /jobs\n      Target: !Sub integrations/${Integration}\n",
        );
    } else {
        t.push_str(
            "  Api:\n    Type: AWS::ApiGateway::RestApi\n    Properties: { Name: api }\n  Method:\n    Type: AWS::ApiGateway::Method\n    Properties:\n      RestApiId: !Ref Api\n      ResourceId: !GetAtt Api.RootResourceId\n      HttpMethod: POST\n      AuthorizationType: NONE\n      Integration:\n        Type: AWS\n        IntegrationHttpMethod: POST\n        Credentials: arn:aws:iam::123456789012:role/api\n        Uri: !Sub \"arn:aws:apigateway:${AWS::Region}:sqs:path/${AWS::AccountId}/${Jobs.QueueName}\"\n        RequestParameters: { integration.request.header.Content-Type: \"'application/x-www-form-urlencoded'\" }\n        RequestTemplates: { application/json: \"Action=SendMessage&MessageBody=$input.body\" }\n",
        );
    }
}

/// The compute's resources; returns the logical id a proposal selects.
fn write_compute(t: &mut String, compute: &Compute, target_group: Option<&str>) -> &'static str {
    // A Fargate worker behind a queue has no load balancer.
    let balanced = target_group != Some("");
    match compute {
        Compute::Function { timeout_s, memory_mb, arm } => {
            let architecture = if *arm { "arm64" } else { "x86_64" };
            let _ = write!(
                t,
                "  Worker:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.13\n      Handler: index.handler\n      Role: arn:aws:iam::123456789012:role/worker\n      Code: {{ ZipFile: \"def handler(e, c): return None\" }}\n      Timeout: {timeout_s}\n      MemorySize: {memory_mb}\n      Architectures: [{architecture}]\n"
            );
            "Worker"
        }
        Compute::Tasks { cpu, memory_mb } => {
            let group = target_group.unwrap_or("Group");
            let _ = write!(
                t,
                "  TaskDef:\n    Type: AWS::ECS::TaskDefinition\n    Properties: {{ Cpu: \"{cpu}\", Memory: \"{memory_mb}\", NetworkMode: awsvpc, RequiresCompatibilities: [FARGATE] }}\n  Cluster:\n    Type: AWS::ECS::Cluster\n  Worker:\n    Type: AWS::ECS::Service\n    Properties:\n      Cluster: !Ref Cluster\n      LaunchType: FARGATE\n      TaskDefinition: !Ref TaskDef\n"
            );
            if balanced {
                let _ = writeln!(
                    t,
                    "      LoadBalancers: [{{ ContainerName: web, ContainerPort: 80, TargetGroupArn: !Ref {group} }}]"
                );
            }
            "Worker"
        }
    }
}

/// An ALB, its listener and the target group it forwards to (of type
/// `lambda` with the function as its target, or `ip` for tasks).
fn write_alb(t: &mut String, internal: bool, idle_s: u64, compute: &Compute) {
    let scheme = if internal { "internal" } else { "internet-facing" };
    let _ = write!(
        t,
        "  Alb:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n    Properties:\n      Scheme: {scheme}\n      Subnets: [subnet-1, subnet-2]\n      LoadBalancerAttributes:\n        - {{ Key: idle_timeout.timeout_seconds, Value: \"{idle_s}\" }}\n  Listener:\n    Type: AWS::ElasticLoadBalancingV2::Listener\n    Properties:\n      LoadBalancerArn: !Ref Alb\n      Port: 80\n      Protocol: HTTP\n      DefaultActions: [{{ Type: forward, TargetGroupArn: !Ref Group }}]\n"
    );
    match compute {
        Compute::Function { .. } => t.push_str(
            "  Group:\n    Type: AWS::ElasticLoadBalancingV2::TargetGroup\n    Properties:\n      TargetType: lambda\n      Targets: [{ Id: !GetAtt Worker.Arn }]\n  Invoke:\n    Type: AWS::Lambda::Permission\n    Properties:\n      Action: lambda:InvokeFunction\n      FunctionName: !GetAtt Worker.Arn\n      Principal: elasticloadbalancing.amazonaws.com\n",
        ),
        Compute::Tasks { .. } => t.push_str(
            "  Group:\n    Type: AWS::ElasticLoadBalancingV2::TargetGroup\n    Properties: { TargetType: ip, Port: 80, Protocol: HTTP, VpcId: vpc-1 }\n",
        ),
    }
}

/// The template of `s`, CloudFormation YAML.
fn template(s: &Service) -> String {
    let mut t = String::from("AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n");
    let queued = matches!(s.front, Front::Queue(_));
    write_compute(&mut t, &s.compute, if queued { Some("") } else { None });
    match &s.front {
        Front::Rest { timeout_ms } => {
            let _ = write!(
                t,
                "  Api:\n    Type: AWS::ApiGateway::RestApi\n    Properties: {{ Name: api }}\n  Things:\n    Type: AWS::ApiGateway::Resource\n    Properties: {{ RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: things }}\n  Method:\n    Type: AWS::ApiGateway::Method\n    Properties:\n      RestApiId: !Ref Api\n      ResourceId: !Ref Things\n      HttpMethod: GET\n      AuthorizationType: NONE\n      Integration:\n        Type: AWS_PROXY\n        IntegrationHttpMethod: POST\n        TimeoutInMillis: {timeout_ms}\n        Uri: !Sub \"arn:aws:apigateway:${{AWS::Region}}:lambda:path/2015-03-31/functions/${{Worker.Arn}}/invocations\"\n"
            );
        }
        Front::Http { timeout_ms } => {
            let _ = write!(
                t,
                "  Api:\n    Type: AWS::ApiGatewayV2::Api\n    Properties: {{ Name: api, ProtocolType: HTTP }}\n  Integration:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties:\n      ApiId: !Ref Api\n      IntegrationType: AWS_PROXY\n      IntegrationUri: !GetAtt Worker.Arn\n      PayloadFormatVersion: \"2.0\"\n      TimeoutInMillis: {timeout_ms}\n  Route:\n    Type: AWS::ApiGatewayV2::Route\n    Properties:\n      ApiId: !Ref Api\n      RouteKey: GET /things\n      Target: !Sub integrations/${{Integration}}\n"
            );
        }
        Front::Url { iam, stream } => {
            let auth = if *iam { "AWS_IAM" } else { "NONE" };
            let mode = if *stream { "RESPONSE_STREAM" } else { "BUFFERED" };
            let _ = write!(
                t,
                "  Url:\n    Type: AWS::Lambda::Url\n    Properties:\n      TargetFunctionArn: !GetAtt Worker.Arn\n      AuthType: {auth}\n      InvokeMode: {mode}\n"
            );
        }
        Front::Alb { internal, idle_s } => write_alb(&mut t, *internal, *idle_s, &s.compute),
        Front::Queue(q) => {
            let timeout_s = match s.compute {
                Compute::Function { timeout_s, .. } => timeout_s,
                Compute::Tasks { .. } => 3,
            };
            let tasks =
                matches!(s.compute, Compute::Tasks { .. }).then_some((q.tasks_min, q.tasks_min + 1 + q.tasks_above));
            write_queue(&mut t, q, timeout_s, tasks);
        }
        Front::HttpVpcLink { idle_s } => {
            write_alb(&mut t, true, *idle_s, &s.compute);
            t.push_str(
                "  Api:\n    Type: AWS::ApiGatewayV2::Api\n    Properties: { Name: api, ProtocolType: HTTP }\n  Link:\n    Type: AWS::ApiGatewayV2::VpcLink\n    Properties: { Name: link, SubnetIds: [subnet-1, subnet-2] }\n  Integration:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties:\n      ApiId: !Ref Api\n      IntegrationType: HTTP_PROXY\n      IntegrationMethod: ANY\n      ConnectionType: VPC_LINK\n      ConnectionId: !Ref Link\n      IntegrationUri: !Ref Listener\n      PayloadFormatVersion: \"1.0\"\n  Route:\n    Type: AWS::ApiGatewayV2::Route\n    Properties:\n      ApiId: !Ref Api\n      RouteKey: GET /things\n      Target: !Sub integrations/${Integration}\n",
            );
        }
    }
    t
}

/// Imports `s`'s template with `--write`, fills in what no template says,
/// and loads the proposal written.
fn round_trip(s: &Service) -> Result<archpolicy::Proposal, String> {
    std::fs::create_dir_all("target").map_err(|e| e.to_string())?;
    let dir = tempfile::tempdir_in("target").map_err(|e| e.to_string())?;
    let path = dir.path().join("service.yaml");
    std::fs::write(&path, template(s)).map_err(|e| e.to_string())?;
    let out = dir.path().join("proposals");
    let written = policy(&["import", "--write", &out.to_string_lossy(), &path.to_string_lossy()]);
    if !written.status.success() {
        return Err(format!("import failed: {}", stderr(&written)));
    }
    let files: Vec<_> = std::fs::read_dir(&out).map_err(|e| e.to_string())?.flatten().map(|e| e.path()).collect();
    let [proposal] = files.as_slice() else {
        return Err(format!("one proposal expected, import wrote {files:?}"));
    };
    let skeleton = std::fs::read_to_string(proposal).map_err(|e| e.to_string())?;
    // What the import's comments ask for: the workload, and a service's subnets and auth.
    let service =
        if matches!(s.compute, Compute::Tasks { .. }) { "service: { subnets: private, auth: library }\n" } else { "" };
    // A queue answers 202: its callers accept the result later.
    let response = if matches!(s.front, Front::Queue(_)) { ", response: async" } else { "" };
    let filled = format!(
        "{skeleton}environment: development\nworkload: {{ requests_per_month: 1000000, avg_duration: 100ms, max_request_duration: 1s, peak_rps: 10{response} }}\n{service}"
    );
    std::fs::write(proposal, filled).map_err(|e| e.to_string())?;
    archpolicy::load_file(proposal).map_err(|e| format!("the written proposal does not load: {e:?}"))
}

proptest! {
    #![proptest_config(proptest_config(12))]

    #[test]
    fn every_pattern_round_trips_through_import(s in service()) {
        let proposal = round_trip(&s).map_err(|e| TestCaseError::fail(format!("{e}\n{}", template(&s))))?;
        let m = &proposal.model();
        prop_assert_eq!(m.pattern, s.pattern());
        match &s.compute {
            Compute::Function { timeout_s, memory_mb, arm } => {
                let f = m.function().expect("a function");
                prop_assert_eq!(f.timeout, Duration::from_secs(*timeout_s));
                prop_assert_eq!(f.memory, Size::from_mib(*memory_mb));
                let architecture = if *arm { Architecture::Arm64 } else { Architecture::X86_64 };
                prop_assert_eq!(f.architecture, architecture);
            }
            Compute::Tasks { cpu, memory_mb } => {
                let service = m.service().expect("a service");
                prop_assert_eq!(service.cpu, archpolicy::units::Vcpu::from_millis(*cpu * 1000 / 1024));
                prop_assert_eq!(service.memory, Size::from_mib((*memory_mb).into()));
            }
        }
        match &s.front {
            Front::Rest { timeout_ms } | Front::Http { timeout_ms } => {
                let g = m.gateway().expect("a gateway");
                let api = if matches!(s.front, Front::Rest { .. }) { ApiType::Rest } else { ApiType::Http };
                prop_assert_eq!(g.api, api);
                prop_assert_eq!(g.integration_timeout, Duration::from_millis(*timeout_ms));
            }
            Front::Url { iam, stream } => {
                let url = m.function_url().expect("a function URL");
                prop_assert_eq!(url.auth, if *iam { UrlAuth::AwsIam } else { UrlAuth::None });
                let mode = if *stream { InvokeMode::ResponseStream } else { InvokeMode::Buffered };
                prop_assert_eq!(url.invoke_mode, mode);
            }
            Front::Alb { internal, idle_s } => {
                let lb = m.load_balancer().expect("a load balancer");
                prop_assert_eq!(lb.scheme, if *internal { Scheme::Internal } else { Scheme::InternetFacing });
                prop_assert_eq!(lb.idle_timeout, Duration::from_secs(*idle_s));
            }
            Front::Queue(q) => {
                let api = if q.http { ApiType::Http } else { ApiType::Rest };
                prop_assert_eq!(m.gateway().map(|g| g.api), Some(api));
                let queue = m.queue().expect("a queue");
                let timeout_s = match s.compute { Compute::Function { timeout_s, .. } => timeout_s, Compute::Tasks { .. } => 3 };
                prop_assert_eq!(queue.kind, if q.fifo { QueueType::Fifo } else { QueueType::Standard });
                prop_assert_eq!(queue.visibility_timeout, Duration::from_secs(timeout_s + q.visibility_above_s));
                prop_assert_eq!(queue.retention, Duration::from_secs(q.retention_s));
                prop_assert_eq!(queue.max_receives, q.max_receives);
                if let Compute::Tasks { .. } = s.compute {
                    // A Fargate worker receives in its own code: no mapping's keys; its tasks from the scalable target.
                    prop_assert_eq!((queue.batch_size, queue.max_concurrency), (10, None));
                    prop_assert_eq!(queue.batching_window, Duration::ZERO);
                    let tasks = &m.service().expect("a service").tasks;
                    prop_assert_eq!((tasks.min, tasks.max), (q.tasks_min, q.tasks_min + 1 + q.tasks_above));
                } else {
                    prop_assert_eq!(queue.batch_size, q.batch);
                    prop_assert_eq!(queue.max_concurrency, q.max_concurrency);
                    let window = if !q.fifo && q.batch > 10 { 1 } else { 0 };
                    prop_assert_eq!(queue.batching_window, Duration::from_secs(window));
                }
            }
            Front::HttpVpcLink { idle_s } => {
                prop_assert_eq!(m.gateway().map(|g| g.api), Some(ApiType::Http));
                let lb = m.load_balancer().expect("a load balancer");
                prop_assert_eq!(lb.scheme, Scheme::Internal);
                prop_assert_eq!(lb.idle_timeout, Duration::from_secs(*idle_s));
            }
        }
    }
}

/// The property's generator reaches every pattern: a pattern added to the
/// registry fails here until `service()` writes a template of it.
#[test]
fn the_generated_services_cover_every_pattern() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut covered = std::collections::BTreeSet::new();
    for _ in 0..500 {
        let tree = service().new_tree(&mut runner).expect("a service");
        covered.insert(tree.current().pattern());
    }
    for pattern in Pattern::ALL {
        assert!(covered.contains(&pattern), "no template of {pattern:?} is generated: add it to `service()`");
    }
}
