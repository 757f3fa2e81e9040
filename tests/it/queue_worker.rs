//! Issue 28, `queue_worker`: API Gateway enqueues into SQS and answers 202,
//! a Lambda worker reads the queue. Cost by hand, what `policy cost` and
//! `policy recommend` offer for a synchronous and an asynchronous workload,
//! the facts of the example, the standard pack on it, and import of a
//! template with a queue (not read yet, and not mis-joined).

use crate::common;

use std::path::PathBuf;

use archpolicy::PolicySet;
use archpolicy::cost::{CostOptions, Traffic, estimate};
use archpolicy::model::{Model, Pattern};
use archpolicy::policy::RunOptions;
use archpolicy::recommend::{load_needs_str, recommend};
use archpolicy::units::Date;
use common::{policy, raw_stderr, stdout};
use rust_decimal::Decimal;

fn dec(s: &str) -> Decimal {
    Decimal::from_str_exact(s).unwrap()
}

fn model(text: &str) -> Model {
    archpolicy::load_str("x.arch.yaml", text).unwrap_or_else(|f| panic!("{f}")).into_model()
}

fn run_options() -> RunOptions<'static> {
    RunOptions { cost: CostOptions::embedded_ref(), today: "2026-12-07".parse::<Date>().unwrap() }
}

fn line(m: &Model, price_id: &str) -> Decimal {
    let items = estimate(m, &CostOptions::embedded(), Traffic::Declared).items;
    items.iter().filter(|i| i.price_id == price_id).map(|i| i.quantity).sum()
}

const WORKED: &str = "name: x\npattern: queue_worker\nenvironment: development\n\
    workload: { requests_per_month: 1000000, avg_duration: 2s, max_request_duration: 10s, peak_rps: 1, avg_payload: 100KiB, response: async }\n\
    gateway: { api: http }\n\
    queue: { visibility_timeout: 60s, batch_size: 10 }\n\
    function: { runtime: python3.13, memory: 1024MiB, timeout: 10s, architecture: arm64 }\n";

#[test]
fn a_queue_worker_worked_by_hand() {
    let m = model(WORKED);
    // HTTP API: 1 M requests of 100 KiB (one 512 KB unit each) × $1.00 per million = $1.00
    // SQS, per 64 KB (65,536 B) chunk of each request's payload, $0.40 per million:
    //   SendMessage: 1 M messages × ⌈100 KiB / 64 KiB⌉ = 2 chunks     = 2.0 M → $0.80
    //   ReceiveMessage: ⌈1 M / 10⌉ = 100,000 calls × ⌈1000 KiB / 64 KiB⌉ = 16 → 1.6 M → $0.64
    //   DeleteMessageBatch: 100,000 calls (receipt handles, one chunk) = 0.1 M → $0.04
    // Lambda requests: one per batch of 10: 100,000 × $0.20 per million    = $0.02
    // Lambda compute: each message's 2 s: 1 M × 2 s × 1 GB = 2,000,000 GB-s
    //   × $0.0000133334 (arm)                                            = $26.6668
    assert_eq!(line(&m, "sqs.standard.requests"), dec("3700000"));
    assert_eq!(line(&m, "lambda.requests"), dec("100000"));
    let expected =
        dec("1.00") + dec("3.7") * dec("0.40") + dec("0.1") * dec("0.20") + dec("2000000") * dec("0.0000133334");
    assert_eq!(expected, dec("29.1668"));
    let e = estimate(&m, &CostOptions::embedded(), Traffic::Declared);
    assert_eq!(e.items.iter().map(|i| i.monthly.as_decimal()).sum::<Decimal>(), expected);
    // Billed, each line to the cent: 1.00 + 0.80 + 0.64 + 0.04 + 0.02 + 26.67.
    assert_eq!(e.monthly.as_decimal(), dec("29.17"));
    assert!(e.notes.iter().any(|n| n.contains("empty queue") && n.contains("not priced")), "{:?}", e.notes);
    // Idle: no request, no message, no charge.
    assert_eq!(estimate(&m, &CostOptions::embedded(), Traffic::Idle).monthly.as_decimal(), Decimal::ZERO);
    // FIFO: the same 3.7 M requests at $0.50 per million.
    let fifo = model(&WORKED.replace("queue: {", "queue: { type: fifo,"));
    assert_eq!(line(&fifo, "sqs.fifo.requests"), dec("3700000"));
    let fifo_total = estimate(&fifo, &CostOptions::embedded(), Traffic::Declared).monthly.as_decimal();
    assert_eq!(fifo_total - dec("29.17"), dec("0.37"));
}

#[test]
fn the_free_tier_takes_a_million_sqs_requests_off_the_top() {
    let m = model(WORKED);
    let mut options = CostOptions::embedded();
    options.free_tier = true;
    let e = estimate(&m, &options, Traffic::Declared);
    let sqs: Decimal = e.items.iter().filter(|i| i.price_id == "sqs.standard.requests").map(|i| i.quantity).sum();
    assert_eq!(sqs, dec("2700000"));
}

/// A synchronous workload gets no `queue_worker` alternative (it cannot
/// answer with the result); an asynchronous one gets it, and the
/// synchronous patterns, still compared, cannot carry it: the cheapest is
/// one of the two workers behind a queue (for this example, whose function
/// holds 3 GB for each 3-minute job, the Fargate worker's task-hours cost
/// less than the Lambda worker's GB-seconds: tests/it/fargate_queue_worker.rs).
#[test]
fn policy_cost_offers_queue_worker_only_for_an_async_workload() {
    let sync = archpolicy::load_file("examples/lambda_api_gateway.arch.yaml").unwrap();
    let r = archpolicy::cost::report(&sync, &CostOptions::embedded());
    assert!(r.comparison().iter().all(|c| c.pattern != Pattern::QueueWorker));
    let queued = archpolicy::load_file("examples/queue_worker.arch.yaml").unwrap();
    let r = archpolicy::cost::report(&queued, &CostOptions::embedded());
    assert_eq!(r.comparison().len(), Pattern::ALL.len(), "every pattern is compared");
    let queued = |p: Pattern| matches!(p, Pattern::QueueWorker | Pattern::FargateQueueWorker);
    let cheapest: Vec<Pattern> = r.comparison().iter().filter(|c| c.cheapest).map(|c| c.pattern).collect();
    assert_eq!(cheapest, [Pattern::FargateQueueWorker]);
    let lambda = r.comparison().iter().find(|c| c.pattern == Pattern::QueueWorker).unwrap();
    assert!(lambda.cannot_carry.is_empty(), "{:?}", lambda.cannot_carry);
    for c in r.comparison().iter().filter(|c| !queued(c.pattern)) {
        assert!(
            c.cannot_carry.iter().any(|why| why.raw().contains("answered 202")),
            "{}: {:?}",
            c.pattern,
            c.cannot_carry
        );
    }
}

/// A ten-minute job whose callers accept 202: no synchronous path holds a
/// connection for ten minutes, and API Gateway's 29 s bounds only the
/// enqueueing, so a worker behind a queue is the answer: `queue_worker`
/// is compliant, and the cheaper of the two workers is recommended; the
/// same need waiting for its result gets no queue candidate at all.
#[test]
fn an_async_ten_minute_job_gets_a_queue_because_no_connection_is_held() {
    let text = "name: transcode\nenvironment: production\ntags: { team: media }\n\
        workload: { requests_per_month: 200000, avg_duration: 3m, max_request_duration: 10m, peak_rps: 2, response: async, completion_deadline: 6h }\n\
        observability: { logs: cloudwatch, tracing: xray }\n\
        requirements: { runtime: python3.13, memory: 2GiB }\n";
    let set = PolicySet::standard().unwrap();
    let r = recommend(&load_needs_str("transcode.needs.yaml", text).unwrap(), &set, &run_options());
    let queued = |p: Pattern| matches!(p, Pattern::QueueWorker | Pattern::FargateQueueWorker);
    assert!(r.recommended_pattern().is_some_and(queued), "{:#?}", r.candidates());
    let queue = r.candidates().iter().find(|c| c.pattern == Pattern::QueueWorker).unwrap();
    assert!(queue.compliant && queue.ruled_out_by.is_empty(), "{:?}", queue.ruled_out_by);
    // Sized as AWS advises: visibility six times the 10m timeout, a dead-letter queue after 5 receives.
    assert!(
        queue.sizing.iter().any(|s| s == "queue: standard, 1h visibility timeout, dead-letter after 5 receives, 1 message a batch; callers get 202"),
        "{:?}",
        queue.sizing
    );
    // The API's 29 s is not a reason against it: the job runs behind the queue.
    assert_eq!(queue.model.gateway().map(|g| g.integration_timeout.to_string()).as_deref(), Some("29s"));
    for c in r.candidates().iter().filter(|c| !queued(c.pattern)) {
        assert!(
            c.ruled_out_by
                .iter()
                .any(|why| why.message.raw().contains("holds each connection until the work is done (up to 10m)")),
            "{}: {:?}",
            c.pattern,
            c.ruled_out_by
        );
    }
    let waiting = text.replace(" response: async, completion_deadline: 6h", "");
    let r = recommend(&load_needs_str("transcode.needs.yaml", &waiting).unwrap(), &set, &run_options());
    assert!(r.candidates().iter().all(|c| !queued(c.pattern)));
}

/// The example's facts: the synchronous limit is the gateway's (the caller
/// waits only for the enqueueing), bodies are one SQS message, and the
/// worst case of a job is four visibility timeouts and the job.
#[test]
fn facts_of_a_queue_worker() {
    let out = policy(&["facts", "examples/queue_worker.arch.yaml", "--today", "2026-12-07"]);
    assert_eq!(out.status.code(), Some(0), "{}", raw_stderr(&out));
    insta::assert_snapshot!(stdout(&out));
}

/// Every standard policy checked on the example: it passes them all.
#[test]
fn the_example_passes_the_standard_pack() {
    let proposal = archpolicy::load_file("examples/queue_worker.arch.yaml").unwrap();
    let report = PolicySet::standard().unwrap().check_with(&proposal, &run_options());
    let findings: Vec<String> = report.findings.iter().map(|f| format!("{}: {}", f.policy, f.message)).collect();
    assert!(findings.is_empty(), "{findings:?}");
}

/// A template with an API that sends to SQS and a function behind an event
/// source mapping on that queue: import reads both edges by reference and
/// joins them into a `queue_worker` (tests/it/import_queue_worker.rs has
/// the real templates and the cases that must not be joined).
#[test]
fn a_template_with_a_queue_between_api_and_function_is_a_queue_worker() {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/references/api-to-sqs-to-lambda.yaml");
    let imported = archpolicy::import::import_file(&path).unwrap_or_else(|e| panic!("{}", e.errors()[0]));
    let found: Vec<(Pattern, &str)> =
        imported.classification().services.iter().map(|s| (s.pattern, s.select.raw())).collect();
    assert_eq!(found, [(Pattern::QueueWorker, "Worker")], "{:?}", imported.classification().not_a_pattern);
    let resources: Vec<&str> = imported.classification().services[0].resources.iter().map(|r| r.raw()).collect();
    assert_eq!(resources, ["Api", "PostJob", "Jobs", "WorkerMapping", "Worker"]);
    assert!(imported.classification().not_a_pattern.is_empty(), "{:?}", imported.classification().not_a_pattern);
}

/// The SQS message limit reads the largest body as the payload check and
/// cost do (`patterns::payload::largest`): an average above 1 MiB with no
/// largest declared is refused as a largest above it is, and neither worker
/// is offered to such a workload as an alternative.
#[test]
fn an_average_body_above_one_message_is_refused_as_a_largest_is() {
    let worker = "name: transcode\npattern: queue_worker\nenvironment: staging\n\
        workload: { requests_per_month: 200000, avg_duration: 3m, max_request_duration: 10m, peak_rps: 2, response: async, avg_payload: 2MiB }\n\
        gateway: { api: http }\nqueue: { visibility_timeout: 66m }\nfunction: { runtime: python3.13, memory: 2048MiB, timeout: 660s }\n";
    let failure = archpolicy::load_str("t.arch.yaml", worker).expect_err("a 2 MiB average body does not fit SQS");
    let messages: Vec<String> = failure.errors().iter().map(|e| e.to_string()).collect();
    assert!(
        messages.iter().any(|m| m == "a `2MiB` average body does not fit one SQS message of at most 1MiB"),
        "{messages:?}"
    );
    let sync = "name: transcode\npattern: lambda_api_gateway\nenvironment: staging\n\
        workload: { requests_per_month: 200000, avg_duration: 3m, max_request_duration: 10m, peak_rps: 2, response: async, avg_payload: 2MiB }\n\
        gateway: { api: rest, transfer: stream }\nfunction: { runtime: nodejs22.x, memory: 2048MiB, timeout: 660s }\n";
    let r = archpolicy::cost::report(&archpolicy::load_str("t.arch.yaml", sync).unwrap(), &CostOptions::embedded());
    let offered: Vec<Pattern> = r.comparison().iter().map(|c| c.pattern).collect();
    assert!(!offered.contains(&Pattern::QueueWorker) && !offered.contains(&Pattern::FargateQueueWorker), "{offered:?}");
}
