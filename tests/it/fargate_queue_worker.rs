//! Issue 28, `fargate_queue_worker`: API Gateway enqueues into SQS and
//! answers 202, an ECS service on Fargate scaled on the queue's backlog
//! does the work. Cost by hand (task-hours for the jobs' work, not for a
//! peak), what `policy cost` and `policy recommend` offer for jobs over and
//! under Lambda's 15 minutes, the facts of the example, the standard pack
//! on it, and the queue rules that read no function.

use crate::common;

use archpolicy::PolicySet;
use archpolicy::cost::{CostOptions, Traffic, estimate};
use archpolicy::model::{Model, NamedEnum, Pattern};
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

const WORKED: &str = "name: x\npattern: fargate_queue_worker\nenvironment: development\n\
    workload: { requests_per_month: 100000, avg_duration: 20m, max_request_duration: 30m, peak_rps: 50, avg_payload: 1KiB, response: async }\n\
    gateway: { api: http }\n\
    queue: { visibility_timeout: 40m, batch_size: 1 }\n\
    service: { cpu: 1, memory: 2GiB, tasks: { min: 0, desired: 0, max: 100 }, architecture: arm64, auth: none, concurrency_per_task: 1 }\n";

#[test]
fn a_fargate_queue_worker_worked_by_hand() {
    let m = model(WORKED);
    // The work: 100,000 jobs × 20 min = 2,000,000 task-minutes = 33,333.33 task-hours
    // (one job a task at once), whatever the peak: the queue holds it.
    //   vCPU: 33,333.33 h × 1 vCPU × $0.03238 (arm)      = $1,079.33
    //   memory: 33,333.33 h × 2 GB × $0.00356 (arm)       = $237.33
    // HTTP API: 100,000 requests of 1 KiB × $1.00 per million = $0.10
    // SQS: 100,000 × (SendMessage + ReceiveMessage of 1 + DeleteMessageBatch), one 64 KB chunk each
    //   = 300,000 × $0.40 per million                     = $0.12
    let hours = line(&m, "fargate.vcpu.arm");
    assert_eq!(hours.round_dp(2), dec("33333.33"));
    assert_eq!(line(&m, "fargate.memory.arm").round_dp(2), dec("66666.67"));
    assert_eq!(line(&m, "sqs.standard.requests"), dec("300000"));
    let e = estimate(&m, &CostOptions::embedded(), Traffic::Declared);
    // Billed, each line to the cent: 1,079.33 + 237.33 + 0.10 + 0.12.
    assert_eq!(e.monthly.as_decimal(), dec("1316.88"));
    assert!(e.notes.iter().any(|n| n.contains("scale on its backlog")), "{:?}", e.notes);
    // A peak fifty times higher changes nothing: the tasks follow the work.
    let steady = model(&WORKED.replace("peak_rps: 50", "peak_rps: 1"));
    assert_eq!(estimate(&steady, &CostOptions::embedded(), Traffic::Declared).monthly, e.monthly);
    // Idle: no job, no task (`tasks.min: 0`), no charge.
    assert_eq!(estimate(&m, &CostOptions::embedded(), Traffic::Idle).monthly.as_decimal(), Decimal::ZERO);
    // A minimum of two tasks is paid at zero traffic: 2 × 730 h × (0.03238 + 2 × 0.00356) = $57.67.
    let kept = model(&WORKED.replace("min: 0, desired: 0", "min: 2, desired: 2"));
    assert_eq!(estimate(&kept, &CostOptions::embedded(), Traffic::Idle).monthly.as_decimal(), dec("57.67"));
    // Above `tasks.max` the work does not fit: priced at the cap and said.
    let capped = model(&WORKED.replace("max: 100", "max: 10"));
    let c = estimate(&capped, &CostOptions::embedded(), Traffic::Declared);
    assert_eq!(line(&capped, "fargate.vcpu.arm"), dec("7300"));
    assert!(c.notes.iter().any(|n| n.contains("beyond the service's capacity")), "{:?}", c.notes);
}

/// A job longer than Lambda's 15 minutes: `queue_worker`'s function stops
/// at 900 s, so the Fargate worker is the one that carries it, and is the
/// cheapest that does.
#[test]
fn policy_cost_marks_the_fargate_worker_cheapest_for_a_forty_minute_job() {
    let p = archpolicy::load_file("examples/fargate_queue_worker.arch.yaml").unwrap();
    let r = archpolicy::cost::report(&p, &CostOptions::embedded());
    assert_eq!(r.comparison().len(), Pattern::ALL.len(), "every pattern is compared");
    let cheapest: Vec<Pattern> = r.comparison().iter().filter(|c| c.cheapest).map(|c| c.pattern).collect();
    assert_eq!(cheapest, [Pattern::FargateQueueWorker]);
    let lambda = r.comparison().iter().find(|c| c.pattern == Pattern::QueueWorker).unwrap();
    assert!(
        lambda
            .cannot_carry
            .iter()
            .any(|why| why.raw().contains("the function's 15m timeout is below the 40m longest request")),
        "{:?}",
        lambda.cannot_carry
    );
    // A synchronous proposal is offered neither queue.
    let sync = archpolicy::load_file("examples/fargate_alb.arch.yaml").unwrap();
    let r = archpolicy::cost::report(&sync, &CostOptions::embedded());
    assert!(r.comparison().iter().all(|c| c.pattern != Pattern::FargateQueueWorker));
}

const NEEDS: &str = "name: render\nenvironment: production\ntags: { team: analytics }\n\
    workload: { requests_per_month: 30000, avg_duration: 12m, max_request_duration: 40m, peak_rps: 1, response: async, completion_deadline: 6h }\n\
    observability: { logs: cloudwatch, tracing: xray }\n\
    requirements: { runtime: python3.13, memory: 2GiB }\n";

/// An async forty-minute job: no Lambda worker can run it (15 minutes at
/// most), so `policy recommend` answers with the Fargate worker, sized to
/// scale in to no task and to hide a message for the whole job.
#[test]
fn an_async_job_over_fifteen_minutes_gets_the_fargate_worker() {
    let set = PolicySet::standard().unwrap();
    let r = recommend(&load_needs_str("render.needs.yaml", NEEDS).unwrap(), &set, &run_options());
    assert_eq!(r.recommended_pattern().map(|p| p.name()), Some("fargate_queue_worker"), "{:#?}", r.candidates());
    let worker = r.candidates().iter().find(|c| c.pattern == Pattern::FargateQueueWorker).unwrap();
    assert!(worker.compliant && worker.ruled_out_by.is_empty(), "{:?}", worker.ruled_out_by);
    let queue = worker.model.queue().unwrap();
    assert_eq!((queue.visibility_timeout.to_string(), queue.batch_size), ("40m".to_string(), 1));
    assert_eq!(worker.model.service().map(|s| s.tasks.min), Some(0));
    let lambda = r.candidates().iter().find(|c| c.pattern == Pattern::QueueWorker).unwrap();
    assert!(!lambda.compliant, "a Lambda worker cannot run a 40m job");
    assert!(lambda.ruled_out_by.iter().any(|why| why.source == "job-fits-worker-timeout"), "{:?}", lambda.ruled_out_by);
}

/// An async ten-minute job fits both workers: the cheaper is recommended,
/// and the other is listed with its price. At 200,000 jobs of 3 minutes on
/// 2 GiB, the Lambda worker's GB-seconds cost more than the tasks' hours.
#[test]
fn an_async_ten_minute_job_gets_the_cheaper_worker() {
    let text = NEEDS.replace(
        "requests_per_month: 30000, avg_duration: 12m, max_request_duration: 40m",
        "requests_per_month: 200000, avg_duration: 3m, max_request_duration: 10m",
    );
    let set = PolicySet::standard().unwrap();
    let r = recommend(&load_needs_str("render.needs.yaml", &text).unwrap(), &set, &run_options());
    let worker = |p: Pattern| r.candidates().iter().find(|c| c.pattern == p).unwrap();
    let (lambda, fargate) = (worker(Pattern::QueueWorker), worker(Pattern::FargateQueueWorker));
    assert!(lambda.compliant && fargate.compliant, "{:?} {:?}", lambda.ruled_out_by, fargate.ruled_out_by);
    let cheaper = if lambda.monthly <= fargate.monthly { Pattern::QueueWorker } else { Pattern::FargateQueueWorker };
    assert_eq!(r.recommended_pattern(), Some(cheaper), "{} {}", lambda.monthly, fargate.monthly);
}

/// The example's facts: the caller waits for the enqueueing only, the
/// worker runs up to 20 jobs at once against 9 needed on average, and a
/// job's worst case is four visibility timeouts and the job.
#[test]
fn facts_of_a_fargate_queue_worker() {
    let out = policy(&["facts", "examples/fargate_queue_worker.arch.yaml", "--today", "2026-12-07"]);
    assert_eq!(out.status.code(), Some(0), "{}", raw_stderr(&out));
    insta::assert_snapshot!(stdout(&out));
}

/// Every standard policy checked on the example: it passes them all.
#[test]
fn the_example_passes_the_standard_pack() {
    let proposal = archpolicy::load_file("examples/fargate_queue_worker.arch.yaml").unwrap();
    let report = PolicySet::standard().unwrap().check_with(&proposal, &run_options());
    let findings: Vec<String> = report.findings.iter().map(|f| format!("{}: {}", f.policy, f.message)).collect();
    assert!(findings.is_empty(), "{findings:?}");
}

/// The queue rules that read no function hold the Fargate worker: a
/// visibility timeout shorter than its job, and fewer tasks than the work.
#[test]
fn the_queue_rules_hold_a_fargate_worker() {
    let text = std::fs::read_to_string("examples/fargate_queue_worker.arch.yaml").unwrap();
    let short = text.replace("visibility_timeout: 45m", "visibility_timeout: 30m");
    let few = text.replace("max: 20 }", "max: 4 }");
    let set = PolicySet::standard().unwrap();
    for (text, id, says) in [
        (short, "queue-visibility-covers-job", "hides a received message for only 30m"),
        (few, "queue-worker-keeps-up", "the jobs need 9 running at once on average, but the worker runs at most 4"),
    ] {
        let proposal = archpolicy::load_str("x.arch.yaml", &text).unwrap();
        let report = set.check_with(&proposal, &run_options());
        let found: Vec<String> = report.findings.iter().map(|f| format!("{}: {}", f.policy, f.message)).collect();
        assert!(found.iter().any(|f| f.starts_with(id) && f.contains(says)), "{found:?}");
    }
}

/// A worker's tasks may all stop while its queue is empty (`tasks.min: 0`);
/// the synchronous patterns `policy cost` builds from it serve requests, so
/// their services keep two tasks, one per AZ of their ALB, as one sized
/// from a function does, and they do not fail `production-multi-az` for a
/// minimum copied from the worker.
#[test]
fn a_service_built_from_a_worker_serves_requests_with_two_tasks() {
    let worker = archpolicy::load_file("examples/fargate_queue_worker.arch.yaml").unwrap();
    for to in [Pattern::FargateAlb, Pattern::FargateApiGateway] {
        let alternative = archpolicy::cost::alternative(worker.model(), to).unwrap();
        let tasks = &alternative.service().unwrap().tasks;
        assert_eq!((tasks.min, tasks.max), (2, 20), "{to}: {tasks:?}");
        assert!(tasks.desired >= 2, "{to}: {tasks:?}");
    }
    let set = PolicySet::standard().unwrap();
    let r = archpolicy::recommend::cost_report(&worker, &CostOptions::embedded(), &set, &run_options());
    for c in r.comparison().iter().filter(|c| matches!(c.pattern, Pattern::FargateAlb | Pattern::FargateApiGateway)) {
        assert!(
            c.denied_by.iter().all(|why| !why.raw().contains("production-multi-az")),
            "{}: {:?}",
            c.pattern,
            c.denied_by
        );
    }
}

/// `policy recommend`'s sizing line counts what a task runs at once: a
/// worker's tasks run jobs taken from the queue, not requests, and its
/// work is counted per job.
#[test]
fn the_workers_sizing_line_counts_jobs() {
    let dir = tempfile::tempdir().unwrap();
    let needs = common::write(dir.path(), "render.needs.yaml", NEEDS);
    let out = policy(&["recommend", &needs, "--today", "2026-12-01"]);
    let text = stdout(&out);
    let worker = text.split("\n\n").find(|part| part.starts_with("fargate_queue_worker")).unwrap();
    assert!(worker.contains(" jobs each at once, min 0"), "{worker}");
    assert!(worker.contains(" vCPU per job in flight (the task's vCPU over the jobs it runs at once)"), "{worker}");
    assert!(!worker.contains("request"), "{worker}");
}
