//! Issue 28: import reads `queue_worker`'s edges, by reference. An API's
//! SQS integration (a REST method's `AWS` integration to `sqs:path/...`,
//! an HTTP API's `SQS-SendMessage` with its `QueueUrl`, either inline in
//! OpenAPI or in an included file) sends to a queue; an event source
//! mapping (`AWS::Lambda::EventSourceMapping`, SAM's `SQS` event, a plan's
//! `aws_lambda_event_source_mapping`) has a function read it. The path
//! API → queue → function is `queue_worker` only where the integration
//! names the very queue the mapping reads. Fixtures: real public
//! templates (tests/fixtures/import/references/README.md,
//! tests/fixtures/terraform/README.md say where each comes from).

use std::path::{Path, PathBuf};

use archpolicy::import::import_str;
use archpolicy::model::{ApiType, Pattern, QueueType};
use archpolicy::units::Duration;

use crate::common::import::{from, imported, reasons, reference, services};
use crate::common::{policy, stderr, stdout};

/// `policy import --write` of `template`, the `queue_worker` skeleton
/// filled with what no template says (an async workload), loaded.
fn written(template: &Path) -> archpolicy::Proposal {
    std::fs::create_dir_all("target").unwrap();
    let dir = tempfile::tempdir_in("target").unwrap();
    let out = policy(&["import", "--write", &dir.path().to_string_lossy(), &template.to_string_lossy()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let file = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| std::fs::read_to_string(p).is_ok_and(|t| t.contains("pattern: queue_worker\n")))
        .unwrap_or_else(|| panic!("no queue_worker proposal written: {}", stdout(&out)));
    let skeleton = std::fs::read_to_string(&file).unwrap();
    let filled = format!(
        "{skeleton}environment: production\nworkload: {{ requests_per_month: 1000000, avg_duration: 1s, max_request_duration: 2s, peak_rps: 20, response: async }}\n"
    );
    std::fs::write(&file, filled).unwrap();
    let proposal = archpolicy::load_file(&file).unwrap_or_else(|e| {
        let style = archpolicy::report::human::Style::PLAIN;
        panic!("{}", e.reports().iter().map(|r| archpolicy::report::human::render(r, style)).collect::<String>())
    });
    let checked = policy(&["check", &file.to_string_lossy()]);
    // 0 or 1 (findings); 2 would be a load error.
    assert!(matches!(checked.status.code(), Some(0 | 1)), "{}{}", stdout(&checked), stderr(&checked));
    proposal
}

#[test]
fn a_rest_api_that_enqueues_for_a_sam_worker_is_a_queue_worker() {
    let path = reference("real-apigw-sqs-lambda-iot.yaml");
    let i = imported(&path);
    assert_eq!(services(&i), [(Pattern::QueueWorker, "iotpublish")], "{}", reasons(&i));
    let s = &i.classification().services[0];
    let resources: Vec<&str> = s.resources.iter().map(|r| r.raw()).collect();
    // SAM's `SQS` event is the mapping `<Function><Event>`, as the SAM translator names it.
    assert_eq!(resources, ["AppApi", "RootMethodGet", "MySqsQueue", "iotpublishMySQSEvent", "iotpublish"]);
    assert!(
        s.why.raw().contains("the REST API `AppApi` sends each request to the queue `MySqsQueue`"),
        "{}",
        s.why.raw()
    );

    let p = written(&path);
    let q = p.model().queue().expect("a queue");
    assert_eq!(q.kind, QueueType::Standard);
    assert_eq!(q.batch_size, 10);
    assert_eq!(q.visibility_timeout, Duration::from_secs(30));
    assert_eq!(q.max_receives, None, "no redrive policy: no dead-letter queue");
    assert_eq!(p.model().gateway().map(|g| g.api), Some(ApiType::Rest));
    assert_eq!(p.model().function().map(|f| f.timeout), Some(Duration::from_secs(10)));
    let template = "tests/fixtures/import/references/real-apigw-sqs-lambda-iot.yaml";
    assert_eq!(from(&p, "queue.batch_size"), format!("{template}:120:24"));
    assert!(
        from(&p, "queue.visibility_timeout")
            .starts_with("AWS default: an SQS queue's default visibility timeout is 30 s")
    );
    assert!(from(&p, "queue.retention").starts_with("AWS default: SQS keeps a message 4 days by default"));
    assert!(
        from(&p, "queue.type")
            .starts_with("AWS default: a queue whose template sets no `FifoQueue` is a standard queue")
    );
    assert!(
        from(&p, "queue.batching_window")
            .starts_with("AWS default: an SQS event source mapping's MaximumBatchingWindowInSeconds")
    );
}

/// A queue key the template states and the proposal states otherwise is a
/// conflict shown in both places, as for every imported key.
#[test]
fn a_proposal_that_contradicts_the_templates_queue_does_not_load() {
    std::fs::create_dir_all("target").unwrap();
    let dir = tempfile::tempdir_in("target").unwrap();
    let template = reference("real-apigw-sqs-lambda-iot.yaml");
    let out = policy(&["import", "--write", &dir.path().to_string_lossy(), &template.to_string_lossy()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let file = dir.path().join("iotpublish.arch.yaml");
    let skeleton = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        format!("{skeleton}environment: production\nworkload: {{ requests_per_month: 1000, avg_duration: 1s, max_request_duration: 2s, peak_rps: 1, response: async }}\nqueue: {{ batch_size: 5 }}\n"),
    )
    .unwrap();
    let checked = policy(&["check", &file.to_string_lossy()]);
    assert_eq!(checked.status.code(), Some(2), "{}", stdout(&checked));
    let said = crate::common::stderr(&checked) + &stdout(&checked);
    assert!(said.contains("import_conflict") && said.contains("BatchSize: 10"), "{said}");
}

#[test]
fn an_http_api_sqs_send_message_with_a_dead_letter_queue_is_a_queue_worker() {
    let path = reference("real-apigw-sqs-lambda-ddb.yaml");
    let i = imported(&path);
    assert_eq!(services(&i), [(Pattern::QueueWorker, "SqsHandlerFunction")], "{}", reasons(&i));
    assert!(reasons(&i).contains("`GatewayAuthorizerFunction` is a Lambda function used only as an authorizer"));
    let p = written(&path);
    let g = p.model().gateway().unwrap();
    assert_eq!(g.api, ApiType::Http);
    assert_eq!(g.authorizer.name(), "lambda", "the API's `DefaultAuthorizer`");
    let q = p.model().queue().unwrap();
    assert_eq!(q.max_receives, Some(5));
    let template = "tests/fixtures/import/references/real-apigw-sqs-lambda-ddb.yaml";
    assert_eq!(from(&p, "queue.max_receives"), format!("{template}:67:26"));
    assert_eq!(p.facts().get("queue.dead_letter").unwrap().value.to_string(), "true");
}

use archpolicy::model::NamedEnum as _;

/// The OpenAPI definition in a file beside the template (`AWS::Include`),
/// as aws-samples' `apigw-sqs-lambda` and its FIFO variant keep it.
#[test]
fn an_included_openapi_sqs_integration_is_read() {
    let path = reference("real-apigw-sqs-lambda/template.yaml");
    let i = imported(&path);
    assert_eq!(services(&i), [(Pattern::QueueWorker, "MyLambdaFunction")], "{}", reasons(&i));

    let fifo = reference("real-apigw-http-api-fifo-sqs-lambda-sns-sam/template.yaml");
    let i = imported(&fifo);
    assert_eq!(services(&i), [(Pattern::QueueWorker, "MyLambdaFunction")], "{}", reasons(&i));
    let p = written(&fifo);
    let q = p.model().queue().unwrap();
    assert_eq!(q.kind, QueueType::Fifo);
    assert_eq!(q.visibility_timeout, Duration::from_secs(300));
    assert_eq!(q.max_receives, Some(5));
}

/// `cdk synth` output: an HTTP API `CfnIntegration` of subtype
/// `SQS-SendMessage`, and `SqsEventSource`'s mapping.
#[test]
fn cdk_synth_output_of_an_http_api_to_sqs_to_lambda_is_a_queue_worker() {
    let path = reference("real-cdk-apigw-http-api-sqs-lambda.template.json");
    let i = imported(&path);
    assert_eq!(services(&i), [(Pattern::QueueWorker, "SqsMessageHandlerE373F75B")], "{}", reasons(&i));
    let p = written(&path);
    let q = p.model().queue().unwrap();
    assert_eq!(q.visibility_timeout, Duration::from_secs(300));
    assert_eq!(q.batch_size, 10, "`SqsEventSource` leaves `BatchSize` to AWS");
    assert!(
        from(&p, "queue.batch_size").starts_with("AWS default: an SQS event source mapping's BatchSize defaults to 10")
    );
    assert_eq!(p.model().function().map(|f| f.timeout), Some(Duration::from_secs(180)));
    assert_eq!(p.model().gateway().map(|g| g.api), Some(ApiType::Http));
}

#[test]
fn a_terraform_plan_of_rest_to_sqs_to_lambda_is_a_queue_worker() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/terraform/rest-sqs-lambda.plan.json");
    let i = imported(&path);
    assert_eq!(services(&i), [(Pattern::QueueWorker, "aws_lambda_function.lambda_sqs")], "{}", reasons(&i));
    let p = written(&path);
    let q = p.model().queue().unwrap();
    assert_eq!(q.batch_size, 1);
    assert_eq!(q.retention, Duration::from_secs(86_400));
    assert_eq!(q.visibility_timeout, Duration::from_secs(30));
    assert_eq!(q.max_receives, None);
    assert_eq!(p.model().function().map(|f| f.timeout), Some(Duration::from_secs(30)));
    assert!(from(&p, "queue.batch_size").starts_with("tests/fixtures/terraform/rest-sqs-lambda.plan.json:"));
}

/// A plan of an HTTP API's `SQS-SendMessage` (`aws_apigatewayv2_integration`
/// with `integration_subtype` and `request_parameters.QueueUrl`), a mapping
/// with a batching window and a maximum concurrency, and a redrive policy
/// known only once applied: left to the proposal, with a note.
#[test]
fn a_terraform_plan_of_an_http_api_to_sqs_leaves_an_unknown_redrive_policy_to_the_proposal() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/terraform/http-api-sqs-lambda.plan.json");
    let i = imported(&path);
    assert_eq!(services(&i), [(Pattern::QueueWorker, "aws_lambda_function.worker")], "{}", reasons(&i));
    let notes: Vec<&str> = i.classification().services[0].notes.iter().map(|n| n.raw()).collect();
    assert!(
        notes
            .iter()
            .any(|n| n.contains("the redrive policy of `aws_sqs_queue.jobs` is known only once the plan is applied")),
        "{notes:?}"
    );
    std::fs::create_dir_all("target").unwrap();
    let dir = tempfile::tempdir_in("target").unwrap();
    let out = policy(&["import", "--write", &dir.path().to_string_lossy(), &path.to_string_lossy()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let file = dir.path().join("aws-lambda-function-worker.arch.yaml");
    let skeleton = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        format!("{skeleton}environment: production\nworkload: {{ requests_per_month: 1000, avg_duration: 1s, max_request_duration: 30s, peak_rps: 1, response: async }}\nqueue: {{ max_receives: 4 }}\n"),
    )
    .unwrap();
    let p = archpolicy::load_file(&file).unwrap_or_else(|e| panic!("{e:?}"));
    let q = p.model().queue().unwrap();
    assert_eq!((q.batch_size, q.batching_window, q.max_concurrency), (50, Duration::from_secs(2), Some(5)));
    assert_eq!((q.visibility_timeout, q.retention), (Duration::from_secs(360), Duration::from_secs(172_800)));
    assert_eq!(q.max_receives, Some(4), "the proposal's, where the plan cannot say");
    assert_eq!(p.model().gateway().map(|g| (g.api, g.authorizer.name())), Some((ApiType::Http, "iam")));
}

/// What a person sees: `policy import` of the REST fixture.
#[test]
fn policy_import_names_the_queue_worker_and_its_path() {
    let out = policy(&["import", "tests/fixtures/import/references/real-apigw-sqs-lambda-iot.yaml"]);
    assert!(out.status.success(), "{}", stderr(&out));
    insta::assert_snapshot!(stdout(&out));
}

// Negative cases: never joined by sitting in one template.

#[test]
fn an_api_that_enqueues_with_no_worker_is_no_pattern() {
    let i = imported(&reference("real-apigw-sqs-rest.yaml"));
    assert_eq!(services(&i), []);
    assert!(
        reasons(&i).contains("the REST API `AppApi` (`RootMethodGet`) sends messages to the queue `MySqsQueue`, but no event source mapping of this template reads it"),
        "{}",
        reasons(&i)
    );
    assert!(!reasons(&i).contains("no front door"), "{}", reasons(&i));
}

const TWO_QUEUES: &str = r#"
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  A: { Type: AWS::SQS::Queue }
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
        RequestTemplates: { application/json: "Action=SendMessage&MessageBody=$input.body" }
  Worker:
    Type: AWS::Lambda::Function
    Properties: { Runtime: python3.13, Handler: a.h, Role: arn:aws:iam::1:role/r, Code: { ZipFile: x } }
  Reads:
    Type: AWS::Lambda::EventSourceMapping
    Properties: { EventSourceArn: !GetAtt B.Arn, FunctionName: !Ref Worker }
"#;

#[test]
fn an_api_to_one_queue_and_a_worker_on_another_are_not_joined() {
    let i = import_str("t.yaml", TWO_QUEUES).unwrap();
    assert_eq!(services(&i), []);
    let why = reasons(&i);
    assert!(why.contains("`Worker` reads the queue `B` through the event source mapping `Reads`: a queue consumer with no HTTP front door"), "{why}");
    assert!(
        why.contains("sends messages to the queue `A`, but no event source mapping of this template reads it"),
        "{why}"
    );
    // The same template with the mapping on `A` is one.
    let joined = import_str("t.yaml", &TWO_QUEUES.replace("!GetAtt B.Arn", "!GetAtt A.Arn")).unwrap();
    assert_eq!(services(&joined), [(Pattern::QueueWorker, "Worker")], "{}", reasons(&joined));
}

#[test]
fn a_queue_and_a_function_that_only_sit_together_are_no_pattern() {
    // No mapping: a queue, a function and an API that enqueues sit in one template.
    let text = TWO_QUEUES.replace("  Reads:\n    Type: AWS::Lambda::EventSourceMapping\n    Properties: { EventSourceArn: !GetAtt B.Arn, FunctionName: !Ref Worker }\n", "");
    assert!(!text.contains("Reads"));
    let i = import_str("t.yaml", &text).unwrap();
    assert_eq!(services(&i), [], "{}", reasons(&i));
    // The API's integration cut from its queue: it names no queue by reference.
    let mapped = import_str("t.yaml", &TWO_QUEUES.replace("!GetAtt B.Arn", "!GetAtt A.Arn")).unwrap();
    let cut = mapped.template().without_reference("Post", "A");
    let findings = archpolicy::import::classify(&cut);
    assert!(findings.services.is_empty(), "{:?}", findings.services);
    let why = findings.not_a_pattern.iter().map(|u| u.raw()).collect::<Vec<_>>().join("\n");
    assert!(why.contains("names no queue of this template by reference"), "{why}");
    assert!(why.contains("a queue consumer with no HTTP front door"), "{why}");
}

#[test]
fn a_websocket_api_in_front_of_a_queue_is_no_pattern() {
    let i = imported(&reference("real-apigw-websocket-api-sqs-lambda.yaml"));
    assert!(!services(&i).iter().any(|(p, _)| *p == Pattern::QueueWorker), "{:?}", services(&i));
    assert!(reasons(&i).contains("the WebSocket API `APIGWWebsocketSQSLambda` sends messages to the queue `APIGWWebsocketQueue`, which `SQSWebsocketResponse` reads"), "{}", reasons(&i));
}

#[test]
fn an_api_that_receives_from_a_queue_does_not_enqueue() {
    let text = TWO_QUEUES
        .replace("Action=SendMessage&MessageBody=$input.body", "Action=ReceiveMessage")
        .replace("!GetAtt B.Arn", "!GetAtt A.Arn");
    let i = import_str("t.yaml", &text).unwrap();
    assert_eq!(services(&i), []);
    assert!(reasons(&i).contains("integrates SQS with ReceiveMessage, not `SendMessage`"), "{}", reasons(&i));
}

// Hostile: references that loop end with words, and the readers pay from the budget.

#[test]
fn a_mapping_that_refers_to_itself_or_loops_through_an_alias_ends_with_a_reason() {
    let looped = TWO_QUEUES.replace("EventSourceArn: !GetAtt B.Arn", "EventSourceArn: !GetAtt Reads.Arn");
    let i = import_str("t.yaml", &looped).unwrap();
    assert!(
        reasons(&i)
            .contains("`Reads` refers to itself in its `EventSourceArn` or `FunctionName`: a circular reference"),
        "{}",
        reasons(&i)
    );
    // FunctionName → an alias whose FunctionName is the mapping.
    let through_alias = TWO_QUEUES.replace("FunctionName: !Ref Worker", "FunctionName: !Ref Live").replace(
        "  Reads:",
        "  Live:\n    Type: AWS::Lambda::Alias\n    Properties: { FunctionName: !Ref Reads, FunctionVersion: \"1\", Name: live }\n  Reads:",
    );
    let i = import_str("t.yaml", &through_alias).unwrap();
    assert_eq!(services(&i), []);
    assert!(reasons(&i).contains("its `FunctionName` names no Lambda function of this template"), "{}", reasons(&i));
}

#[test]
fn the_queue_readers_pay_from_the_import_budget() {
    use archpolicy::import::fuel::Fuel;
    let mut text = String::from("Resources:\n  Q: { Type: AWS::SQS::Queue }\n  F: { Type: AWS::Lambda::Function }\n");
    for n in 0..400 {
        text.push_str(&format!(
            "  M{n}: {{ Type: AWS::Lambda::EventSourceMapping, Properties: {{ EventSourceArn: !GetAtt Q.Arn, FunctionName: !Ref F }} }}\n"
        ));
    }
    let mut template = archpolicy::import::Template::parse("t.yaml", &text).unwrap();
    template.fuel = Fuel::with_limit(10_000);
    let findings = archpolicy::import::classify(&template);
    assert!(template.fuel.exhausted().is_some(), "400 mappings cost more than 10,000 units");
    assert!(findings.not_a_pattern.len() < 400, "the reader stopped when the budget ran out");
    assert!(template.fuel.spent() <= template.fuel.limit());
    let error = template.within_budget("t.yaml").unwrap_err();
    assert!(error.to_string().contains("budget"), "{error}");
}

/// `:sqs:action/SendMessage` with the queue's URL in `RequestParameters`
/// (the form that names no queue in its `Uri`), and what the mapping states
/// that no key holds (disabled, filtered, provisioned mode) said as notes.
#[test]
fn an_action_uri_with_the_queue_url_in_its_parameters_is_read_and_the_mappings_extras_are_noted() {
    let text = TWO_QUEUES
        .replace(
            "Uri: !Sub \"arn:aws:apigateway:${AWS::Region}:sqs:path/${AWS::AccountId}/${A.QueueName}\"",
            "Uri: !Sub \"arn:aws:apigateway:${AWS::Region}:sqs:action/SendMessage\"\n        RequestParameters: { integration.request.querystring.QueueUrl: !Sub \"'${A}'\" }",
        )
        .replace(
            "Properties: { EventSourceArn: !GetAtt B.Arn, FunctionName: !Ref Worker }",
            "Properties: { EventSourceArn: !GetAtt A.Arn, FunctionName: !Ref Worker, Enabled: false, FilterCriteria: { Filters: [{ Pattern: \"{}\" }] }, ProvisionedPollerConfig: { MinimumPollers: 2 } }",
        );
    let i = import_str("t.yaml", &text).unwrap();
    assert_eq!(services(&i), [(Pattern::QueueWorker, "Worker")], "{}", reasons(&i));
    let notes: Vec<&str> = i.classification().services[0].notes.iter().map(|n| n.raw()).collect();
    assert_eq!(notes.len(), 3, "{notes:?}");
    assert!(notes[0].starts_with("`Reads` is disabled (`Enabled: false`)"), "{notes:?}");
    assert!(notes[1].starts_with("`Reads` filters messages (`FilterCriteria`)"), "{notes:?}");
    assert!(notes[2].starts_with("`Reads` runs in provisioned mode"), "{notes:?}");
}

/// Many integrations sending to one queue and many mappings reading it:
/// the join is a lookup per queue and each mapping pays for its senders,
/// so the import ends (classified, or refused by the budget) in bounded time.
#[test]
fn many_senders_and_many_mappings_on_one_queue_end_promptly() {
    let mut text = String::from(
        "Resources:\n  Q: { Type: AWS::SQS::Queue }\n  F: { Type: AWS::Lambda::Function }\n  Api: { Type: AWS::ApiGateway::RestApi }\n",
    );
    for n in 0..2000 {
        text.push_str(&format!(
            "  P{n}: {{ Type: AWS::ApiGateway::Method, Properties: {{ RestApiId: !Ref Api, HttpMethod: POST, Integration: {{ Type: AWS, Uri: !Sub \"arn:aws:apigateway:${{AWS::Region}}:sqs:path/${{AWS::AccountId}}/${{Q.QueueName}}\", RequestTemplates: {{ application/json: Action=SendMessage }} }} }} }}\n  M{n}: {{ Type: AWS::Lambda::EventSourceMapping, Properties: {{ EventSourceArn: !GetAtt Q.Arn, FunctionName: !Ref F }} }}\n"
        ));
    }
    let started = std::time::Instant::now();
    match import_str("t.yaml", &text) {
        Ok(i) => assert_eq!(services(&i), [(Pattern::QueueWorker, "F")]),
        Err(e) => assert!(e.errors()[0].to_string().contains("budget"), "{}", e.errors()[0]),
    }
    assert!(started.elapsed() < std::time::Duration::from_secs(30), "took {:?}", started.elapsed());
}
