//! Sizing the components of an alternative from the model it is built from:
//! the same memory and architecture, a timeout for the longest request, and
//! the Fargate capacity model (how many requests a task serves at once, and
//! how many tasks a volume needs; docs/cost.md).

use rust_decimal::Decimal;

use crate::units::Amount;
use crate::model::components::defaults;
use crate::model::limits::{self, FARGATE_SIZES_TABLE};
use crate::model::{
    ApiType, Architecture, Authorizer, EndpointType, Function, FunctionVpc, Gateway, LoadBalancer, Model, Runtime,
    Scheme, Service, ServiceAuth, SubnetKind, Tasks, TransferMode,
};
use crate::units::{Duration, Size, Vcpu};

/// Requests one vCPU serves at once when a service declares no
/// `concurrency_per_task`. An assumption of this model for I/O-bound web
/// requests (docs/cost.md), not an AWS figure: declare the measured value.
pub const CONCURRENCY_PER_VCPU: u32 = 10;

/// Seconds in the month the prices are counted over (730 hours).
pub const SECONDS_PER_MONTH: u64 = limits::workload::SECONDS_PER_MONTH;

/// Requests one task of `service` serves at once.
pub fn concurrency_per_task(service: &Service) -> Decimal {
    match service.concurrency_per_task {
        Some(n) => Decimal::from(n.max(1)),
        None => service.cpu.as_decimal() * Decimal::from(CONCURRENCY_PER_VCPU),
    }
}

/// The workload's peak rate over its monthly average (at least 1; 1 when
/// the workload declares no requests). The model keeps this shape at every
/// volume: the peak scales with the month's requests.
pub fn peak_ratio(model: &Model) -> Decimal {
    let w = &model.common.workload;
    if w.requests_per_month == 0 {
        return Decimal::ONE;
    }
    let average = Decimal::from(w.requests_per_month) / Decimal::from(SECONDS_PER_MONTH);
    (Decimal::from(w.peak_rps) / average).max(Decimal::ONE)
}

/// The peak rate the cost model counts: the declared `peak_rps`, and at
/// least the month's average rate (a peak below the average is refused on
/// load; a model built in code may still hold one). The peak-to-average
/// ratio, the stage throttle's headroom and the Lambda concurrency all
/// count this one.
pub fn effective_peak_rps(model: &Model) -> Decimal {
    let w = &model.common.workload;
    let average = Decimal::from(w.requests_per_month) / Decimal::from(SECONDS_PER_MONTH);
    Decimal::from(w.peak_rps).max(average)
}

/// Requests in flight on average at `requests` a month (Little's law:
/// arrival rate × average duration).
pub fn average_concurrency(model: &Model, requests: u64) -> Decimal {
    concurrency_at(requests, request_seconds(model))
}

/// Requests in flight on average at `requests` a month of `seconds` each.
pub fn concurrency_at(requests: u64, seconds: Decimal) -> Decimal {
    concurrency_in(requests, seconds)
}

/// [`concurrency_at`] in a bill's arithmetic (`cost::estimate::Amount`).
pub(crate) fn concurrency_in<N: Amount>(requests: u64, seconds: N) -> N {
    N::of(requests) / N::of(SECONDS_PER_MONTH) * seconds
}

/// A request's duration, `avg_duration`, in seconds.
pub fn request_seconds(model: &Model) -> Decimal {
    Decimal::from(model.common.workload.avg_duration.as_millis()) / Decimal::from(1000)
}

/// Tasks that serve `concurrency` requests at once, `per_task` each, rounded up.
pub fn tasks_for(concurrency: Decimal, per_task: Decimal) -> u64 {
    use rust_decimal::prelude::ToPrimitive;
    tasks_needed(concurrency, per_task).to_u64().unwrap_or(u64::MAX)
}

/// [`tasks_for`] in a bill's arithmetic: a whole number, at most `u64::MAX`.
pub(crate) fn tasks_needed<N: Amount>(concurrency: N, per_task: Decimal) -> N {
    if per_task <= Decimal::ZERO {
        return N::ZERO;
    }
    concurrency.div_or_max(N::exact(per_task)).ceil().min(N::of(u64::MAX))
}

/// The work a request does, as the vCPU it holds while in flight: the
/// statement both a function and a task share, from which the other's
/// compute is sized. `workload.cpu_time_per_request` over `avg_duration`
/// when declared; else a function's CPU (its memory at 1,769 MB per vCPU,
/// AWS) or a task's vCPU shared by the requests it serves at once. `None`
/// when the model has no compute and declares nothing, or requests take no
/// time.
pub fn vcpu_per_request(model: &Model) -> Option<Decimal> {
    let w = &model.common.workload;
    if let Some(cpu) = w.cpu_time_per_request {
        let avg = Decimal::from(w.avg_duration.as_millis());
        return Decimal::from(cpu.as_millis()).checked_div(avg).filter(|v| *v > Decimal::ZERO);
    }
    match (model.function(), model.service()) {
        (Some(f), _) => Some(Decimal::from(f.memory.as_mib()) / Decimal::from(limits::LAMBDA_MB_PER_VCPU.value)),
        (None, Some(s)) => s.cpu.as_decimal().checked_div(concurrency_per_task(s)),
        (None, None) => None,
    }
}

/// The memory and architecture of the model's compute.
pub(super) fn compute_of(model: &Model) -> Option<(Size, Architecture)> {
    match (model.function(), model.service()) {
        (Some(f), _) => Some((f.memory, f.architecture)),
        (None, Some(s)) => Some((s.memory, s.architecture)),
        (None, None) => None,
    }
}

/// The Fargate size for requests of `vcpu` each and `memory`: the smallest
/// whose vCPU, shared by the whole requests it holds, leaves at most a
/// quarter of each request's share unused (2 vCPU holds one 1.16 vCPU
/// request and wastes 42%; 4 vCPU holds three, 15%), else the one that
/// wastes least; then its smallest memory of at least `memory`.
fn fargate_size_for(memory: Size, vcpu: Decimal) -> (Vcpu, Size) {
    let per_slot = |cpu: Vcpu| {
        use rust_decimal::prelude::ToPrimitive;
        let slots = cpu.as_decimal().checked_div(vcpu).map_or(u32::MAX, |n| n.floor().to_u32().unwrap_or(u32::MAX));
        if slots == 0 { None } else { Some(cpu.as_decimal() / Decimal::from(slots)) }
    };
    let fits: Vec<_> =
        FARGATE_SIZES_TABLE.value.iter().filter(|r| r.max >= memory && per_slot(r.cpu).is_some()).collect();
    let good =
        fits.iter().find(|r| per_slot(r.cpu).is_some_and(|s| vcpu.is_zero() || s <= vcpu * Decimal::new(125, 2)));
    let least = fits.iter().min_by_key(|r| per_slot(r.cpu));
    let chosen: Vec<_> = good.or(least).map(|r| **r).into_iter().collect();
    for row in &chosen {
        let mut m = row.min;
        while m <= row.max {
            if m >= memory && limits::fargate_accepts(row.cpu, m) {
                return (row.cpu, m);
            }
            m = Size::from_bytes(m.as_bytes() + row.step.as_bytes());
        }
    }
    (Vcpu::from_millis(16_000), Size::from_gib(120))
}

fn whole_seconds_up(d: Duration) -> u64 {
    d.as_millis().div_ceil(1000)
}

/// A service of the smallest Fargate size with `memory`, sized by the
/// capacity model: at least two tasks (one per AZ of its ALB), the tasks the
/// declared average needs as the desired count, and up to what one service
/// may run (the account's tasks per service, and an ALB's 1,000 targets), so
/// that its cost at each volume does not depend on the declared one.
pub(super) fn service_for(from: &Model, memory: Size, architecture: Architecture, gateway_auth: bool) -> Service {
    // Each request keeps the CPU it had: a task of at least one request's
    // vCPU, serving as many at once as its vCPU holds.
    let per_request = vcpu_per_request(from);
    let (cpu, memory) = fargate_size_for(memory, per_request.unwrap_or(Decimal::ZERO));
    let per_task = per_request.and_then(|r| {
        use rust_decimal::prelude::ToPrimitive;
        cpu.as_decimal().checked_div(r).and_then(|n| n.floor().to_u32()).map(|n| n.max(1))
    });
    let max = from.common.account.tasks_per_service.clamp(1, limits::ALB_TARGETS_MAX.value);
    let min = max.min(2);
    let mut service = Service {
        cpu,
        memory,
        tasks: Tasks { min, desired: min, max },
        architecture,
        subnets: SubnetKind::Private,
        public_ip: false,
        spot: false,
        auth: if gateway_auth { ServiceAuth::Gateway } else { ServiceAuth::Library },
        ephemeral_storage: defaults::task_storage(),
        concurrency_per_task: per_task,
        image_size: None,
    };
    let needed = tasks_for(average_concurrency(from, from.common.workload.requests_per_month), concurrency_per_task(&service));
    service.tasks.desired = u32::try_from(needed).unwrap_or(u32::MAX).clamp(min, max);
    service
}

/// `from`'s service as one that serves requests behind a load balancer: a
/// worker's tasks (which run none while its queue is empty, `tasks.min: 0`)
/// raised as [`service_for`] sizes a service: at least two tasks (one per
/// AZ of its ALB) and the tasks the declared average needs as the desired
/// count, within the worker's `tasks.max`. A service that already serves
/// requests is kept as it is.
pub(super) fn serving(from: &Model, service: &Service) -> Service {
    let mut service = service.clone();
    if from.queue().is_none() {
        return service;
    }
    let max = service.tasks.max.max(1);
    let min = service.tasks.min.max(max.min(2));
    let needed = tasks_for(average_concurrency(from, from.common.workload.requests_per_month), concurrency_per_task(&service));
    let desired = u32::try_from(needed).unwrap_or(u32::MAX).max(service.tasks.desired).clamp(min, max);
    service.tasks = Tasks { min, desired, max };
    service
}

/// The network an alternative's components need, in place: an ALB spans
/// two Availability Zones (a function in one AZ's subnets becomes a service
/// in two), and private tasks with no route to ECR get the VPC's endpoints
/// (ECR's, S3's and Logs'), which cost less than a NAT gateway (two or three
/// endpoints at $0.01 an AZ-hour against $0.045 an hour and an address;
/// aws-facts.md). Shared by `policy cost` and `policy recommend`.
pub fn network_for(candidate: &mut Model) {
    if candidate.components.load_balancer.is_some() {
        candidate.common.network.az_count = candidate.common.network.az_count.max(limits::ALB_MIN_AZS.value);
    }
    if candidate.service().is_some_and(|s| s.image_pull(&candidate.common.network) == crate::model::ImagePull::None) {
        candidate.common.network.vpc_endpoints = true;
    }
}

/// The provisioned environments a latency-sensitive workload's function
/// holds: none start cold up to the declared peak, so the peak's
/// concurrency (peak rate × average duration, rounded up), as AWS advises
/// where SnapStart's restore does not meet strict cold-start needs
/// (lambda/latest/dg/snapstart.html, read 2026-12-06), at most what the
/// account can reserve (its concurrency less the 100 AWS keeps unreserved).
/// 0 when the workload is not latency-sensitive. One rule for `policy cost`'s
/// alternatives and `policy recommend`'s candidates, so both price a
/// latency-sensitive Lambda the same.
pub fn provisioned_for(model: &Model) -> u32 {
    let w = &model.common.workload;
    if !w.latency_sensitive {
        return 0;
    }
    let peak = u64::from(w.peak_rps).saturating_mul(w.avg_duration.as_millis()).div_ceil(1000);
    let most = model.common.account.lambda_concurrency.saturating_sub(limits::UNRESERVED_CONCURRENCY_MIN.value);
    u32::try_from(peak).unwrap_or(u32::MAX).clamp(1, most.max(1))
}

/// A function with `memory`, in a VPC's private subnets, whose timeout covers
/// the longest request, warm up to the peak when the workload is
/// latency-sensitive ([`provisioned_for`]).
pub fn function_for(model: &Model, memory: Size, architecture: Architecture) -> Function {
    let timeout = whole_seconds_up(model.common.workload.max_request_duration).clamp(1, 900);
    // At least the memory that gives each request the vCPU it had.
    let memory = match vcpu_per_request(model) {
        Some(r) if model.function().is_none() => {
            use rust_decimal::prelude::ToPrimitive;
            let mib = (r * Decimal::from(limits::LAMBDA_MB_PER_VCPU.value)).ceil().to_u64().unwrap_or(10_240);
            Size::from_mib(memory.as_mib().max(mib))
        }
        _ => memory,
    };
    Function {
        runtime: Runtime::PROVIDED_AL2023,
        memory: Size::from_mib(memory.as_mib().clamp(128, 10_240)),
        timeout: Duration::from_secs(timeout),
        architecture,
        provisioned_concurrency: provisioned_for(model),
        snapstart: false,
        ephemeral_storage: defaults::lambda_storage(),
        vpc: Some(FunctionVpc { subnets: SubnetKind::Private }),
    }
}

/// A gateway's endpoint type: private for an internal service's REST API
/// (only a REST API can be private), else Regional (what AWS offers every
/// API type; an edge-optimized endpoint adds a CloudFront hop no sizing
/// needs). The one place `policy cost` and `policy recommend` decide it.
pub fn endpoint_for(api: ApiType, exposure: crate::model::Exposure) -> EndpointType {
    if api == ApiType::Rest && exposure == crate::model::Exposure::Internal {
        EndpointType::Private
    } else {
        EndpointType::Regional
    }
}

/// A Regional REST API (a WebSocket API for WebSocket clients) with the
/// API's default timeout; a private REST API for an internal service (only
/// a REST API can be private; a WebSocket API stays Regional, and is then
/// public).
pub(super) fn gateway_for(model: &Model) -> Gateway {
    let api = if model.common.workload.websockets { ApiType::Websocket } else { ApiType::Rest };
    let timeout = match api {
        ApiType::Websocket => limits::WEBSOCKET_TIMEOUT_MAX.value,
        _ => limits::REST_TIMEOUT_DEFAULT.value,
    };
    Gateway {
        api,
        endpoint: endpoint_for(api, super::exposure(model)),
        integration_timeout: timeout,
        timeout_quota_raised: false,
        transfer: TransferMode::Buffered,
        authorizer: Authorizer::None,
        waf: false,
        throttle: None,
        cache_gb: None,
        authorizer_cache_ttl: None,
    }
}

/// The load balancer the model had, with `scheme`, or one whose idle timeout
/// covers the longest request and, for a WebSocket or a stream (which idles
/// between messages), an hour or the whole connection when shorter, at most
/// the ALB's 4000 s.
pub fn load_balancer_for(model: &Model, scheme: Scheme) -> LoadBalancer {
    let current = model.load_balancer();
    let idle = current.map(|lb| lb.idle_timeout).unwrap_or_else(|| {
        let w = &model.common.workload;
        let mut secs = whole_seconds_up(w.max_request_duration);
        if w.websockets || w.streaming {
            let hour = Duration::from_secs(3600);
            secs = secs.max(whole_seconds_up(w.connection_duration.map_or(hour, |d| d.min(hour))));
        }
        Duration::from_secs(secs.clamp(60, 4_000))
    });
    LoadBalancer { scheme, idle_timeout: idle, waf: current.is_some_and(|lb| lb.waf) }
}
