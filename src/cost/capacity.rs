//! The Fargate capacity model: the tasks a service runs at a volume, averaged
//! over a month with the workload's peak-to-average ratio (docs/cost.md).
//!
//! A task serves `concurrency_per_task` requests at once (10 per vCPU unless
//! declared). At `requests` a month the service needs enough tasks for the
//! peak (the average × the peak-to-average ratio) for [`peak_share`] of the
//! month, and for the requests left, spread over the rest of the month, the
//! rest of it (each request served once): autoscaling lags a peak
//! (a task takes 30 to 45 s or more to start) and holds capacity through the
//! scale-in cooldown after it. Each count is rounded up and kept between
//! `tasks.min` and `tasks.max`; a volume whose peak needs more than
//! `tasks.max` is beyond the service's capacity, and is priced at `tasks.max`
//! with that said, not as if it fit. Behind a queue the tasks follow the
//! month's work instead, at the average rate (the queue holds the peaks).

use rust_decimal::Decimal;

use crate::units::Amount;
use crate::model::{Model, Service};
use crate::patterns::sizing::{
    SECONDS_PER_MONTH, concurrency_in, concurrency_per_task, peak_ratio, request_seconds, tasks_needed,
};

/// The share of the month a service holds the tasks its peak needs when
/// the workload does not say (`workload.peak_hours_per_month`): a quarter
/// (about six hours a day: the peak, scaling out ahead of it and the
/// cooldown after it). An assumption of this model, stated in docs/cost.md.
pub fn default_peak_share() -> Decimal {
    Decimal::new(25, 2)
}

/// The share of the month `model`'s service holds its peak capacity: the
/// declared `peak_hours_per_month` over 730, or [`default_peak_share`],
/// and never more than the month's requests allow at the peak rate (the
/// requests served at the peak cannot exceed the month's requests:
/// share × seconds × peak_rps ≤ requests_per_month, i.e. share ≤ 1 / the
/// peak-to-average ratio). The shape is kept at every volume.
pub fn peak_share(model: &Model) -> Decimal {
    bounded_peak_share(model).0
}

/// [`peak_share`], and whether the bound set it: then the time at the
/// peak serves every request of the month.
fn bounded_peak_share(model: &Model) -> (Decimal, bool) {
    let declared = match model.common.workload.peak_hours_per_month {
        Some(hours) => Decimal::from(hours.min(730)) / Decimal::from(730),
        None => default_peak_share(),
    };
    let bound = Decimal::ONE.checked_div(peak_ratio(model)).unwrap_or(Decimal::ONE);
    if declared >= bound { (bound, true) } else { (declared, false) }
}

/// What a service runs at one volume.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskCount {
    /// Tasks for the load off the peak (the requests the peak does not
    /// serve, over the rest of the month), between min and max.
    pub base: u64,
    /// Tasks for the peak, between min and max.
    pub peak: u64,
    /// Tasks running on average over the month: base + peak share × (peak − base).
    pub average: Decimal,
    /// Tasks the peak needs, before `tasks.max` caps it.
    pub needed: u64,
}

impl TaskCount {
    /// The peak needs more tasks than `tasks.max`.
    pub fn beyond_capacity(&self) -> bool {
        self.needed > self.peak
    }
}

/// The peak the compute sees over its average: the workload's
/// peak-to-average ratio, or 1 behind a queue, which holds a peak's backlog
/// while the worker drains it (a worker scales on the queue's depth, not
/// on the arrival rate; the API in front still sees the peak).
pub fn worker_peak_ratio(model: &Model) -> Decimal {
    if model.queue().is_some() { Decimal::ONE } else { peak_ratio(model) }
}

/// The tasks `service` runs at `requests` a month with `model`'s traffic shape.
pub fn tasks_at(model: &Model, service: &Service, requests: u64) -> TaskCount {
    Shape::of(model, service).tasks_at(requests)
}

/// What a service's task count reads of the model that does not change
/// with the volume, worked out once for the hundreds of volumes a
/// break-even search prices.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    min: u64,
    max: u64,
    per_task: Decimal,
    behind_queue: bool,
    peak_ratio: Decimal,
    share: Decimal,
    /// The share is at its bound: the peak serves every request.
    peak_serves_all: bool,
    /// A request's duration in seconds.
    seconds: Decimal,
}

impl Shape {
    /// `service`'s shape in `model`.
    pub fn of(model: &Model, service: &Service) -> Shape {
        let (share, peak_serves_all) = bounded_peak_share(model);
        Shape {
            min: u64::from(service.tasks.min),
            max: u64::from(service.tasks.max).max(u64::from(service.tasks.min)),
            per_task: concurrency_per_task(service),
            behind_queue: model.queue().is_some(),
            peak_ratio: peak_ratio(model),
            share,
            peak_serves_all,
            seconds: request_seconds(model),
        }
    }

    /// The tasks the service runs at `requests` a month.
    pub fn tasks_at(&self, requests: u64) -> TaskCount {
        use rust_decimal::prelude::ToPrimitive;
        let tasks = self.tasks_in::<Decimal>(requests);
        // Whole numbers of tasks, at most u64::MAX (`tasks_in`'s bound).
        let whole = |n: Decimal| n.to_u64().unwrap_or(u64::MAX);
        TaskCount { base: whole(tasks.base), peak: whole(tasks.peak), average: tasks.average, needed: whole(tasks.needed) }
    }

    /// The tasks at `requests` a month in a bill's arithmetic: exact, or
    /// bounded for the break-even search (the same steps either way).
    pub(crate) fn tasks_in<N: Amount>(&self, requests: u64) -> Tasks<N> {
        let Shape { min, max, per_task, .. } = *self;
        let (min, max) = (N::of(min), N::of(max));
        let tasks_for = |concurrency: N| tasks_needed(concurrency, per_task);
        let clamp = |n: N| n.max(min).min(max);
        let average = concurrency_in(requests, N::exact(self.seconds));
        if self.behind_queue {
            // Behind a queue the tasks follow the work, not a peak: Application
            // Auto Scaling tracks the backlog per task, so the task-hours are
            // the jobs' (jobs a second × duration ÷ jobs a task runs at once),
            // never below `tasks.min` (0 lets the service scale in to none).
            let needed = tasks_for(average);
            let top = clamp(needed);
            let mean = clamp(average.div_or_max(N::exact(per_task)));
            return Tasks { base: top, peak: top, average: mean, needed };
        }
        let at_peak = average.mul_or_max(N::exact(self.peak_ratio));
        let needed = tasks_for(at_peak);
        let share = self.share;
        // Each request is served once: what the time at the peak serves is not
        // served again off it. Off the peak the service carries the rest of
        // the month's requests over the rest of the month (docs/cost.md, "The
        // traffic shape"); share × at_peak ≤ average by the bound on the share.
        // At the bound the peak serves all: what the subtraction below would
        // leave is the rounding of 1 / ratio × ratio (a 1e-28 of a request),
        // which started a task off the peak at some volumes and not at
        // others, so that a service cost less at more requests.
        let off_peak = if share >= Decimal::ONE || self.peak_serves_all {
            N::ZERO
        } else {
            // A product past the largest decimal is past the average too.
            let served_at_peak = at_peak.mul_or_max(N::exact(share)).min(average);
            (average - served_at_peak) / (N::ONE - N::exact(share))
        };
        let base = clamp(tasks_for(off_peak));
        let peak = clamp(needed).max(base);
        let mean = base + N::exact(share) * (peak - base);
        Tasks { base, peak, average: mean, needed }
    }
}

/// [`TaskCount`] in a bill's arithmetic: whole numbers of tasks, bounded
/// for an interval bill.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tasks<N> {
    pub(crate) base: N,
    pub(crate) peak: N,
    pub(crate) average: N,
    pub(crate) needed: N,
}

impl<N: Amount> Tasks<N> {
    /// No tasks: what a bill of the fixed lines alone counts (none reads them).
    pub(crate) const NONE: Tasks<N> = Tasks { base: N::ZERO, peak: N::ZERO, average: N::ZERO, needed: N::ZERO };
}

/// The most requests a month the service carries through its peaks with
/// `tasks.max` tasks; `None` when requests take no time.
pub fn capacity_requests(model: &Model, service: &Service) -> Option<u64> {
    let concurrency = Decimal::from(service.tasks.max) * concurrency_per_task(service);
    requests_at_concurrency(model, concurrency)
}

/// The most requests a month whose peak concurrency stays within
/// `concurrency` (behind a queue, the average's: [`worker_peak_ratio`]).
pub fn requests_at_concurrency(model: &Model, concurrency: Decimal) -> Option<u64> {
    use rust_decimal::prelude::ToPrimitive;
    let seconds = Decimal::from(model.common.workload.avg_duration.as_millis()) / Decimal::from(1000);
    let per_request = seconds.checked_mul(worker_peak_ratio(model))?;
    if per_request.is_zero() {
        return None;
    }
    let requests = concurrency.checked_mul(Decimal::from(SECONDS_PER_MONTH))?.checked_div(per_request)?;
    requests.floor().to_u64()
}

/// The most requests a month whose peak rate stays within `rps`.
pub fn requests_at_rate(model: &Model, rps: u32) -> Option<u64> {
    use rust_decimal::prelude::ToPrimitive;
    let requests = Decimal::from(rps) * Decimal::from(SECONDS_PER_MONTH) / peak_ratio(model);
    requests.floor().to_u64()
}
