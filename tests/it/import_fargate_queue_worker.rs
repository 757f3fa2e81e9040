//! Issue 28: import reads `fargate_queue_worker`'s edge from the queue to
//! the Fargate service by reference, where AWS documents it: a scaling
//! policy of the service whose metric is the queue's (target tracking on a
//! `CustomizedMetricSpecification` with the queue's `QueueName` dimension,
//! or step scaling triggered by an alarm on that metric). The task role's
//! receive permission alone is no edge, and nothing is joined by sitting in
//! one template. Fixtures: tests/fixtures/import/references/README.md.

use archpolicy::import::import_str;
use archpolicy::model::{ApiType, Pattern, QueueType};
use archpolicy::units::{Duration, Size};

use crate::common::import::{from, imported, reasons, reference, services};
use crate::common::{policy, stderr, stdout};

/// aws-samples' sqs-ecs-autoscaling with apigw-sqs-rest's REST API sending
/// to its queue: API → queue → a Fargate service that tracks the queue's
/// `ApproximateNumberOfMessagesVisible`.
#[test]
fn a_rest_api_to_a_queue_a_fargate_service_scales_on_is_a_fargate_queue_worker() {
    let path = reference("apigw-sqs-fargate-worker.yaml");
    let i = imported(&path);
    assert_eq!(services(&i), [(Pattern::FargateQueueWorker, "ECSService")], "{}", reasons(&i));
    let s = &i.classification().services[0];
    let resources: Vec<&str> = s.resources.iter().map(|r| r.raw()).collect();
    assert_eq!(resources, ["AppApi", "RootMethodGet", "Queue", "ScalingPolicy", "ECSService"]);
    assert!(
        s.why.raw().contains("the REST API `AppApi` sends each request to the queue `Queue`, and the Fargate service `ECSService` reads it: its scaling policy `ScalingPolicy` scales it on the queue's metric"),
        "{}",
        s.why.raw()
    );
    assert!(!reasons(&i).contains("ECSService"), "{}", reasons(&i));

    // `policy import --write`, filled with what no template says, loads and checks.
    std::fs::create_dir_all("target").unwrap();
    let dir = tempfile::tempdir_in("target").unwrap();
    let out = policy(&["import", "--write", &dir.path().to_string_lossy(), &path.to_string_lossy()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let file = dir.path().join("ecsservice.arch.yaml");
    let skeleton = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{e}: {}", stdout(&out)));
    assert!(skeleton.contains("pattern: fargate_queue_worker\n"), "{skeleton}");
    std::fs::write(
        &file,
        format!("{skeleton}environment: production\nworkload: {{ requests_per_month: 1000000, avg_duration: 1s, max_request_duration: 2s, peak_rps: 20, response: async }}\nservice: {{ subnets: private, auth: none }}\n"),
    )
    .unwrap();
    let p = archpolicy::load_file(&file).unwrap_or_else(|e| panic!("{e:?}"));
    let checked = policy(&["check", &file.to_string_lossy()]);
    assert!(matches!(checked.status.code(), Some(0 | 1)), "{}{}", stdout(&checked), stderr(&checked));

    assert_eq!(p.model().pattern, Pattern::FargateQueueWorker);
    assert_eq!(p.model().gateway().map(|g| g.api), Some(ApiType::Rest));
    let service = p.model().service().expect("a service");
    assert_eq!(service.cpu, archpolicy::units::Vcpu::from_millis(250));
    assert_eq!(service.memory, Size::from_mib(512));
    assert_eq!((service.tasks.min, service.tasks.desired, service.tasks.max), (1, 1, 10));
    let q = p.model().queue().expect("a queue");
    assert_eq!(q.kind, QueueType::Standard);
    assert_eq!(q.visibility_timeout, Duration::from_secs(30));
    assert_eq!(q.max_receives, None);
    let template = "tests/fixtures/import/references/apigw-sqs-fargate-worker.yaml";
    assert_eq!(from(&p, "service.tasks.max"), format!("{template}:342:20"));
    assert_eq!(from(&p, "service.memory"), format!("{template}:285:15"));
    assert!(
        from(&p, "queue.visibility_timeout")
            .starts_with("AWS default: an SQS queue's default visibility timeout is 30 s")
    );
}

/// The real template as aws-samples wrote it: a Fargate service scaled on
/// its queue, and no API: a queue consumer, no pattern.
#[test]
fn a_fargate_service_scaled_on_a_queue_no_api_sends_to_is_no_pattern() {
    let i = imported(&reference("real-sqs-ecs-autoscaling.yaml"));
    assert_eq!(services(&i), []);
    let why = reasons(&i);
    assert!(
        why.contains("the Fargate service `ECSService` reads the queue `Queue` (its scaling policy `ScalingPolicy` scales it on the queue's metric): a queue consumer with no HTTP front door (no API of this template sends messages to `Queue`), which no pattern models"),
        "{why}"
    );
    assert!(!why.contains("no load balancer in this template routes to it"), "{why}");
}

const STEP: &str = r#"
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  A: { Type: AWS::SQS::Queue, Properties: { VisibilityTimeout: 900, FifoQueue: true } }
  B: { Type: AWS::SQS::Queue }
  Api: { Type: AWS::ApiGateway::RestApi, Properties: { Name: jobs } }
  Post:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !GetAtt Api.RootResourceId
      HttpMethod: POST
      AuthorizationType: NONE
      Integration:
        Type: AWS
        IntegrationHttpMethod: POST
        Uri: !Sub "arn:aws:apigateway:${AWS::Region}:sqs:path/${AWS::AccountId}/${A.QueueName}"
        RequestTemplates: { application/json: "Action=SendMessage&MessageBody=$input.body&MessageGroupId=jobs" }
  TaskRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
      Policies:
        - PolicyName: q
          PolicyDocument: { Statement: [{ Effect: Allow, Action: [sqs:ReceiveMessage, sqs:DeleteMessage], Resource: !GetAtt A.Arn }] }
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties: { Cpu: "1024", Memory: "2048", NetworkMode: awsvpc, RequiresCompatibilities: [FARGATE], TaskRoleArn: !GetAtt TaskRole.Arn }
  Cluster: { Type: AWS::ECS::Cluster }
  Worker:
    Type: AWS::ECS::Service
    Properties: { Cluster: !Ref Cluster, LaunchType: FARGATE, TaskDefinition: !Ref Task, DesiredCount: 0 }
  Target:
    Type: AWS::ApplicationAutoScaling::ScalableTarget
    Properties:
      MinCapacity: 0
      MaxCapacity: 20
      ResourceId: !Sub service/${Cluster}/${Worker.Name}
      ScalableDimension: ecs:service:DesiredCount
      ServiceNamespace: ecs
  Out:
    Type: AWS::ApplicationAutoScaling::ScalingPolicy
    Properties:
      PolicyName: out
      PolicyType: StepScaling
      ScalingTargetId: !Ref Target
      StepScalingPolicyConfiguration:
        AdjustmentType: ChangeInCapacity
        StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }]
  Backlog:
    Type: AWS::CloudWatch::Alarm
    Properties:
      Namespace: AWS/SQS
      MetricName: ApproximateNumberOfMessagesVisible
      Dimensions: [{ Name: QueueName, Value: !GetAtt A.QueueName }]
      Statistic: Maximum
      Period: 60
      EvaluationPeriods: 1
      Threshold: 1
      ComparisonOperator: GreaterThanOrEqualToThreshold
      AlarmActions: [!Ref Out]
"#;

#[test]
fn step_scaling_on_an_alarm_on_the_queues_metric_is_the_edge() {
    let i = import_str("t.yaml", STEP).unwrap();
    assert_eq!(services(&i), [(Pattern::FargateQueueWorker, "Worker")], "{}", reasons(&i));
    let resources: Vec<&str> = i.classification().services[0].resources.iter().map(|r| r.raw()).collect();
    assert_eq!(resources, ["Api", "Post", "A", "Backlog", "Out", "Worker"]);
    assert!(
        i.classification().services[0]
            .why
            .raw()
            .contains("the alarm `Backlog` on the queue's metric triggers its scaling policy `Out`")
    );
}

/// The backlog per task as AWS's metric math example writes it: the
/// queue's metric is one of `Metrics`, beside the service's task count.
#[test]
fn target_tracking_on_backlog_per_task_metric_math_is_the_edge() {
    let text = STEP.replace(
        "  Backlog:\n    Type: AWS::CloudWatch::Alarm",
        "  Track:\n    Type: AWS::ApplicationAutoScaling::ScalingPolicy\n    Properties:\n      PolicyName: backlog\n      PolicyType: TargetTrackingScaling\n      ScalingTargetId: !Ref Target\n      TargetTrackingScalingPolicyConfiguration:\n        TargetValue: 100\n        CustomizedMetricSpecification:\n          Metrics:\n            - { Id: m1, ReturnData: false, MetricStat: { Stat: Sum, Metric: { Namespace: AWS/SQS, MetricName: ApproximateNumberOfMessagesVisible, Dimensions: [{ Name: QueueName, Value: !GetAtt A.QueueName }] } } }\n            - { Id: m2, ReturnData: false, MetricStat: { Stat: Average, Metric: { Namespace: ECS/ContainerInsights, MetricName: RunningTaskCount, Dimensions: [{ Name: ServiceName, Value: !GetAtt Worker.Name }] } } }\n            - { Id: e1, Expression: m1 / m2, ReturnData: true }\n  Unused:\n    Type: AWS::CloudWatch::Alarm",
    ).replace("AlarmActions: [!Ref Out]", "AlarmActions: []");
    let i = import_str("t.yaml", &text).unwrap();
    assert_eq!(services(&i), [(Pattern::FargateQueueWorker, "Worker")], "{}", reasons(&i));
    let resources: Vec<&str> = i.classification().services[0].resources.iter().map(|r| r.raw()).collect();
    assert_eq!(resources, ["Api", "Post", "A", "Track", "Worker"]);
}

#[test]
fn scaling_on_another_queues_metric_is_not_joined() {
    let i = import_str("t.yaml", &STEP.replace("Value: !GetAtt A.QueueName", "Value: !GetAtt B.QueueName")).unwrap();
    assert_eq!(services(&i), [], "{}", reasons(&i));
    let why = reasons(&i);
    assert!(why.contains("the Fargate service `Worker` reads the queue `B`"), "{why}");
    assert!(why.contains("sends messages to the queue `A`, but no event source mapping of this template reads it, and no Fargate service scales on its metric"), "{why}");
}

/// The task role may receive from the queue the API sends to, and the
/// service sits beside them: a permission is no edge (as a
/// `Lambda::Permission` makes no service), and the reason names it.
#[test]
fn a_receive_permission_or_co_presence_alone_is_no_pattern() {
    let text = STEP.replace("AlarmActions: [!Ref Out]", "AlarmActions: []");
    let i = import_str("t.yaml", &text).unwrap();
    assert_eq!(services(&i), [], "{}", reasons(&i));
    let why = reasons(&i);
    assert!(why.contains("its task role may receive from the queue `A` (`sqs:ReceiveMessage`), but no scaling policy of the service scales it on the queue's metric"), "{why}");
    let bare = text.replace("Action: [sqs:ReceiveMessage, sqs:DeleteMessage]", "Action: [s3:GetObject]");
    let i = import_str("t.yaml", &bare).unwrap();
    assert_eq!(services(&i), [], "{}", reasons(&i));
    assert!(!reasons(&i).contains("may receive"), "{}", reasons(&i));
}

#[test]
fn a_queue_read_by_a_mapping_and_a_fargate_service_is_said_not_guessed() {
    let text = STEP.replace(
        "  TaskRole:",
        "  Fn:\n    Type: AWS::Lambda::Function\n    Properties: { Runtime: python3.13, Handler: a.h, Role: arn:aws:iam::1:role/r, Code: { ZipFile: x } }\n  Reads:\n    Type: AWS::Lambda::EventSourceMapping\n    Properties: { EventSourceArn: !GetAtt A.Arn, FunctionName: !Ref Fn }\n  TaskRole:",
    );
    let i = import_str("t.yaml", &text).unwrap();
    assert_eq!(services(&i), [], "{}", reasons(&i));
    assert!(reasons(&i).contains("the queue `A` is read both by the Lambda function `Fn` (the event source mapping `Reads`) and by the Fargate service `Worker`"), "{}", reasons(&i));
}

#[test]
fn an_alarm_or_policy_that_refers_to_itself_ends_with_a_reason() {
    let i = import_str("t.yaml", &STEP.replace("Value: !GetAtt A.QueueName", "Value: !Ref Backlog")).unwrap();
    assert_eq!(services(&i), []);
    assert!(reasons(&i).contains("`Backlog` refers to itself: a circular reference"), "{}", reasons(&i));
}

#[test]
fn the_scaling_readers_pay_from_the_import_budget() {
    use archpolicy::import::fuel::Fuel;
    let mut text = STEP.to_string();
    for n in 0..400 {
        text.push_str(&format!(
            "  Al{n}: {{ Type: AWS::CloudWatch::Alarm, Properties: {{ Dimensions: [{{ Name: QueueName, Value: !GetAtt A.QueueName }}], AlarmActions: [!Ref Out] }} }}\n"
        ));
    }
    let mut template = archpolicy::import::Template::parse("t.yaml", &text).unwrap();
    template.fuel = Fuel::with_limit(10_000);
    let _ = archpolicy::import::classify(&template);
    assert!(template.fuel.exhausted().is_some(), "400 alarms cost more than 10,000 units");
    assert!(template.fuel.spent() <= template.fuel.limit());
    let error = template.within_budget("t.yaml").unwrap_err();
    assert!(error.to_string().contains("budget"), "{error}");
}
