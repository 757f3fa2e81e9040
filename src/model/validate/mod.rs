//! AWS's hard limits, checked on each component and common section.
//!
//! The decoder runs each check as soon as its value is read, so limit errors
//! are reported together with shape errors elsewhere in the file;
//! [`crate::load::validate`] runs them all on a model built in code. A
//! pattern's own rules between components are in its file in
//! [`crate::patterns`]. Every message names the limit; every help cites where
//! AWS states it.

use super::Model;
use super::components::*;
use super::enums::*;
use super::err::LoadError;
use super::limits::{self, Limit, Source};
use super::origins::Origins;
use crate::units::{Duration, Size};

mod function_url;
mod gateway;
mod queue;
mod quotas;

pub use function_url::function_url;
pub use gateway::gateway;
pub use queue::queue;
pub use quotas::{ACCOUNT_QUOTA_BOUND, account, quotas};

/// `AWS: what (url, read date)`, for help texts.
pub fn cite(source: &Source) -> String {
    format!("AWS: {} ({}, read {})", source.what, source.url, source.read)
}

/// Where checks report: errors pointing at the values' spans, found by path.
pub struct Validator<'a> {
    origins: &'a Origins,
    errors: &'a mut Vec<LoadError>,
}

impl<'a> Validator<'a> {
    pub fn new(origins: &'a Origins, errors: &'a mut Vec<LoadError>) -> Self {
        Validator { origins, errors }
    }

    fn span(&self, path: &str) -> miette::SourceSpan {
        self.origins.span_or_parent(path).unwrap_or_else(|| miette::SourceSpan::from((0, 0)))
    }

    pub fn out_of_limit(&mut self, path: &str, message: String, label: String, help: String) {
        let span = self.span(path);
        self.errors.push(LoadError::OutOfLimit { message, span, label, help });
    }

    pub fn conflict(&mut self, path: &str, other: &str, message: String, labels: (String, String), help: String) {
        let span = self.span(path);
        let other_span = self.origins.declared_span(other).filter(|o| *o != span);
        self.errors.push(LoadError::Conflict {
            message,
            span,
            label: labels.0,
            other: other_span,
            other_label: labels.1,
            help,
        });
    }

    /// `value` within `[min, max]`, reported on `path`.
    fn within<T: PartialOrd + std::fmt::Display + Copy>(
        &mut self,
        path: &str,
        what: &str,
        value: T,
        min: Limit<T>,
        max: Limit<T>,
    ) {
        if value < min.value {
            self.out_of_limit(
                path,
                format!("{what} `{value}` is below AWS's minimum of {}", min.value),
                format!("at least {}", min.value),
                format!("write `{}: {}` or more; {}", key_of(path), min.value, cite(&min.source)),
            );
        } else if value > max.value {
            self.out_of_limit(
                path,
                format!("{what} `{value}` is above AWS's maximum of {}", max.value),
                format!("at most {}", max.value),
                format!("write `{}: {}` or less; {}", key_of(path), max.value, cite(&max.source)),
            );
        }
    }

    /// A workload number above what the cost model counts (`limits::workload`).
    fn beyond_the_model(&mut self, key: &str, value: &str, max: &str) {
        let span = self.span(&format!("workload.{key}"));
        self.errors.push(beyond_the_model(key, value, max, span));
    }

    fn whole_seconds(&mut self, path: &str, what: &str, value: Duration, source: &Source) -> bool {
        if value.as_whole_secs().is_some() {
            return true;
        }
        let rounded = value.whole_secs_up();
        self.out_of_limit(
            path,
            format!("{what} is set in whole seconds, not `{value}`"),
            "not whole seconds".into(),
            format!("write `{rounded}`; {}", cite(source)),
        );
        false
    }

    fn whole_mib(&mut self, path: &str, what: &str, value: Size, source: &Source) -> bool {
        if value.is_whole_mib() {
            return true;
        }
        self.out_of_limit(
            path,
            format!("{what} is set in whole MiB, not `{value}`"),
            "not whole MiB".into(),
            cite(source),
        );
        false
    }
}

pub fn workload(v: &mut Validator<'_>, w: &Workload) {
    use limits::workload::{Bound, bound};
    let counts = [
        ("requests_per_month", Some(w.requests_per_month)),
        ("peak_rps", Some(u64::from(w.peak_rps))),
        ("connection_minutes_per_month", w.connection_minutes_per_month),
        ("clients", w.clients),
        ("peak_hours_per_month", w.peak_hours_per_month),
    ];
    for (key, value) in counts {
        if let (Some(value), Some(Bound::Count(max))) = (value, bound(key))
            && value > max
        {
            v.beyond_the_model(key, &value.to_string(), &Bound::Count(max).shown());
        }
    }
    let durations = [
        ("avg_duration", Some(w.avg_duration)),
        ("max_request_duration", Some(w.max_request_duration)),
        ("connection_duration", w.connection_duration),
        ("cpu_time_per_request", w.cpu_time_per_request),
    ];
    for (key, value) in durations {
        if let (Some(value), Some(Bound::Duration(max))) = (value, bound(key))
            && value > max
        {
            v.beyond_the_model(key, &value.to_string(), &max.to_string());
        }
    }
    let sizes =
        [("avg_payload", w.avg_payload), ("max_payload", w.max_payload), ("egress_per_month", w.egress_per_month)];
    for (key, value) in sizes {
        if let (Some(value), Some(Bound::Size(max))) = (value, bound(key))
            && value > max
        {
            v.beyond_the_model(key, &value.to_string(), &max.to_string());
        }
    }
    if let Some(hours) = w.peak_hours_per_month.filter(|h| *h < limits::workload::MIN_PEAK_HOURS_PER_MONTH) {
        v.out_of_limit(
            "workload.peak_hours_per_month",
            format!(
                "`peak_hours_per_month` `{hours}` leaves no time at the peak: at least {}",
                limits::workload::MIN_PEAK_HOURS_PER_MONTH
            ),
            format!("at least {}", limits::workload::MIN_PEAK_HOURS_PER_MONTH),
            "the hours a month the service holds its peak's tasks; remove the key for the default (a quarter of the month, docs/cost.md)".into(),
        );
    }
    peak_below_average(v, w);
    cpu_time(v, w);
    if w.avg_duration > w.max_request_duration {
        v.conflict(
            "workload.avg_duration",
            "workload.max_request_duration",
            format!(
                "the average request (`{}`) is longer than the longest (`{}`)",
                w.avg_duration, w.max_request_duration
            ),
            ("average".into(), "longest".into()),
            "`max_request_duration` is the longest synchronous request; it is at least `avg_duration`".into(),
        );
    }
    // A job cannot be done before it has run: a deadline below the longest
    // job is never met, whatever the queue and the worker.
    if let Some(deadline) = w.completion_deadline.filter(|d| *d < w.max_request_duration) {
        v.conflict(
            "workload.completion_deadline",
            "workload.max_request_duration",
            format!(
                "a job may run `{}`, longer than the `{deadline}` callers wait for it to be done",
                w.max_request_duration
            ),
            ("deadline".into(), "longest job".into()),
            format!(
                "write `completion_deadline: {}` or more (the longest job, plus the queue's wait and retries), or shorten the jobs",
                w.max_request_duration
            ),
        );
    }
}

/// A peak below the month's average rate cannot be: the month's requests
/// would not fit under it. Refused rather than raised to the average in
/// silence, since every figure that counts the peak (the Fargate capacity,
/// the stage throttle's headroom, Lambda's concurrency) would then judge a
/// number the proposal does not say (docs/model.md).
fn peak_below_average(v: &mut Validator<'_>, w: &Workload) {
    use rust_decimal::Decimal;
    let seconds = Decimal::from(limits::workload::SECONDS_PER_MONTH);
    let average = Decimal::from(w.requests_per_month) / seconds;
    if Decimal::from(w.peak_rps) >= average {
        return;
    }
    let least = average.ceil();
    v.conflict(
        "workload.peak_rps",
        "workload.requests_per_month",
        format!(
            "the peak of `{}` requests per second is below the month's average of {} (`{}` requests over 730 hours)",
            w.peak_rps,
            average.round_dp(2).normalize(),
            w.requests_per_month
        ),
        ("peak".into(), "the month's requests".into()),
        format!(
            "`peak_rps` is the highest rate of the month, at least its average: declare at least `{least}`, or the month's real requests"
        ),
    );
}

/// `cpu_time_per_request`: some CPU, and no more than the largest compute
/// can give a request while it is in flight (Fargate's largest task, 16
/// vCPU, for the whole `avg_duration`; a Lambda function has less, 10,240 MB
/// at 1,769 MB per vCPU).
fn cpu_time(v: &mut Validator<'_>, w: &Workload) {
    let Some(cpu) = w.cpu_time_per_request else { return };
    let path = "workload.cpu_time_per_request";
    if cpu.as_millis() == 0 {
        v.out_of_limit(
            path,
            "`cpu_time_per_request` `0ms` is no work: a request uses some CPU time".into(),
            "more than 0".into(),
            "the vCPU-seconds one request uses, measured; remove the key to derive it from the compute (docs/model.md)"
                .into(),
        );
        return;
    }
    let table = limits::FARGATE_SIZES_TABLE;
    let largest = table.value.iter().map(|row| row.cpu.as_millis()).max().unwrap_or(16_000);
    let most = u64::try_from(u128::from(largest) * u128::from(w.avg_duration.as_millis()) / 1_000).unwrap_or(u64::MAX);
    if cpu.as_millis() > most {
        let largest = crate::units::Vcpu::from_millis(largest).as_decimal();
        let most = Duration::from_millis(most);
        v.conflict(
            path,
            "workload.avg_duration",
            format!(
                "`cpu_time_per_request` `{cpu}` is more than the largest compute gives a request of `{}`: at most {most} ({largest} vCPU for the whole request)",
                w.avg_duration
            ),
            (format!("at most {most}"), "average request".into()),
            format!("the CPU time one request uses while in flight, at most the largest task's vCPU × `avg_duration`; {}", cite(&table.source)),
        );
    }
}

pub fn observability(v: &mut Validator<'_>, o: &Observability) {
    if let Some(sampling) = o.trace_sampling.filter(|s| s.fraction() > rust_decimal::Decimal::ONE) {
        v.out_of_limit(
            "observability.trace_sampling",
            format!("`{sampling}` of requests cannot be traced"),
            "at most 100%".into(),
            "the share of requests traced is at most `100%`".into(),
        );
    }
}

pub fn lambda_timeout(v: &mut Validator<'_>, timeout: Duration) {
    let source = limits::LAMBDA_TIMEOUT_MAX.source;
    if v.whole_seconds("function.timeout", "a Lambda timeout", timeout, &source) {
        v.within("function.timeout", "Lambda timeout", timeout, limits::LAMBDA_TIMEOUT_MIN, limits::LAMBDA_TIMEOUT_MAX);
    }
}

pub fn lambda_memory(v: &mut Validator<'_>, memory: Size) {
    if v.whole_mib("function.memory", "Lambda memory", memory, &limits::LAMBDA_MEMORY_MAX.source) {
        v.within("function.memory", "Lambda memory", memory, limits::LAMBDA_MEMORY_MIN, limits::LAMBDA_MEMORY_MAX);
    }
}

pub fn lambda_storage(v: &mut Validator<'_>, storage: Size) {
    let path = "function.ephemeral_storage";
    if v.whole_mib(path, "Lambda /tmp storage", storage, &limits::LAMBDA_TMP_MAX.source) {
        v.within(path, "Lambda /tmp storage", storage, limits::LAMBDA_TMP_MIN, limits::LAMBDA_TMP_MAX);
    }
}

pub fn fargate_size(v: &mut Validator<'_>, cpu: crate::units::Vcpu, memory: Size) {
    let table = limits::FARGATE_SIZES_TABLE;
    match table.value.iter().find(|row| row.cpu == cpu) {
        None => {
            let offered: Vec<String> = table.value.iter().map(|r| format!("`{}`", r.cpu.as_decimal())).collect();
            v.out_of_limit(
                "service.cpu",
                format!("Fargate has no task size of {}", cpu),
                "not a Fargate size".into(),
                format!("write one of {} vCPU; {}", offered.join(", "), cite(&table.source)),
            );
        }
        Some(row) if !limits::fargate_accepts(cpu, memory) => {
            let choices = if cpu.as_millis() == 250 {
                "`512MiB`, `1GiB` or `2GiB`".to_string()
            } else {
                format!("{} to {} in steps of {}", row.min, row.max, row.step)
            };
            v.conflict(
                "service.memory",
                "service.cpu",
                format!("Fargate does not offer `{}` of memory with {}", memory, cpu),
                ("not offered with this CPU".into(), "CPU".into()),
                format!("with {} Fargate offers {choices}; {}", cpu, cite(&table.source)),
            );
        }
        Some(_) => {}
    }
}

pub fn fargate_storage(v: &mut Validator<'_>, storage: Size) {
    if storage != limits::FARGATE_STORAGE_DEFAULT.value {
        if !storage.is_whole_gib() {
            v.out_of_limit(
                "service.ephemeral_storage",
                format!("Fargate ephemeral storage is set in whole GiB, not `{storage}`"),
                "not whole GiB".into(),
                cite(&limits::FARGATE_STORAGE_MAX.source),
            );
        } else {
            v.within(
                "service.ephemeral_storage",
                "Fargate ephemeral storage",
                storage,
                limits::FARGATE_STORAGE_CONFIGURABLE_MIN,
                limits::FARGATE_STORAGE_MAX,
            );
        }
    }
}

/// A task serves at least one request at a time.
pub fn concurrency_per_task(v: &mut Validator<'_>, n: u32) {
    if n == 0 {
        v.out_of_limit(
            "service.concurrency_per_task",
            "a task serves at least one request at a time".into(),
            "at least 1".into(),
            "write the requests one task serves at once, or remove the key for 10 per vCPU".into(),
        );
    }
}

pub fn tasks(v: &mut Validator<'_>, t: &Tasks) {
    if t.min > t.desired {
        v.conflict(
            "service.tasks.min",
            "service.tasks.desired",
            format!("the minimum task count ({}) is above the desired count ({})", t.min, t.desired),
            ("minimum".into(), "desired".into()),
            "task counts must satisfy min <= desired <= max".into(),
        );
    }
    if t.desired > t.max {
        v.conflict(
            "service.tasks.desired",
            "service.tasks.max",
            format!("the desired task count ({}) is above the maximum ({})", t.desired, t.max),
            ("desired".into(), "maximum".into()),
            "task counts must satisfy min <= desired <= max".into(),
        );
    }
    if t.max == 0 {
        v.out_of_limit(
            "service.tasks.max",
            "a service with at most 0 tasks serves nothing".into(),
            "at least 1".into(),
            "set `max` to the most tasks the service may scale out to".into(),
        );
    }
}

pub fn idle_timeout(v: &mut Validator<'_>, idle_timeout: Duration) {
    let source = limits::ALB_IDLE_TIMEOUT_MAX.source;
    if v.whole_seconds("load_balancer.idle_timeout", "an ALB idle timeout", idle_timeout, &source) {
        v.within(
            "load_balancer.idle_timeout",
            "ALB idle timeout",
            idle_timeout,
            limits::ALB_IDLE_TIMEOUT_MIN,
            limits::ALB_IDLE_TIMEOUT_MAX,
        );
    }
}

pub fn network(v: &mut Validator<'_>, n: &Network) {
    let max = limits::AZ_COUNT_MAX;
    if n.az_count == 0 || n.az_count > max.value {
        v.out_of_limit(
            "network.az_count",
            format!("`az_count` must be from 1 to {}, not {}", max.value, n.az_count),
            format!("1 to {}", max.value),
            cite(&max.source),
        );
    }
}

pub fn data_store(v: &mut Validator<'_>, d: &DataStore, path: &str) {
    if d.proxy && !matches!(d.kind, DataKind::Rds | DataKind::Aurora) {
        v.conflict(
            &format!("{path}.proxy"),
            &format!("{path}.kind"),
            format!("RDS Proxy fronts RDS and Aurora, not `{}`", d.kind),
            ("no proxy for this store".into(), "store".into()),
            "remove `proxy`, or use `kind: rds` or `kind: aurora`".into(),
        );
    }
}

/// The function's settings that exclude each other: SnapStart with a runtime
/// that lacks it, with provisioned concurrency, with more than 512 MB of /tmp.
pub fn function(v: &mut Validator<'_>, f: &Function) {
    if !f.snapstart {
        return;
    }
    if !f.runtime.info().snapstart {
        let with: Vec<&str> = crate::model::RUNTIMES.iter().filter(|r| r.snapstart).map(|r| r.name).collect();
        v.conflict(
            "function.snapstart",
            "function.runtime",
            format!("SnapStart is not available for `{}`", f.runtime),
            ("SnapStart".into(), "runtime".into()),
            format!(
                "SnapStart runs on {}; use one of them, or `snapstart: false`; {}",
                crate::suggest::one_of(&with),
                cite(&crate::model::runtimes::SNAPSTART_RUNTIMES)
            ),
        );
    }
    if f.provisioned_concurrency > 0 {
        v.conflict(
            "function.snapstart",
            "function.provisioned_concurrency",
            "SnapStart and provisioned concurrency exclude each other".into(),
            ("SnapStart".into(), "provisioned concurrency".into()),
            format!(
                "keep one: `snapstart: false` or `provisioned_concurrency: 0`; {}",
                cite(&limits::SNAPSTART_LIMITS)
            ),
        );
    }
    if f.ephemeral_storage > limits::SNAPSTART_STORAGE_MAX.value {
        v.conflict(
            "function.ephemeral_storage",
            "function.snapstart",
            format!("SnapStart allows at most 512MiB of ephemeral storage, not `{}`", f.ephemeral_storage),
            ("above 512MiB".into(), "SnapStart".into()),
            format!(
                "write `ephemeral_storage: 512MiB` or less, or `snapstart: false`; {}",
                cite(&limits::SNAPSTART_LIMITS)
            ),
        );
    }
}

/// Every check of this module on a whole model: its common sections and
/// each component it has.
pub fn sections_and_components(v: &mut Validator<'_>, m: &Model) {
    workload(v, &m.common.workload);
    network(v, &m.common.network);
    observability(v, &m.common.observability);
    for (i, store) in m.common.data.iter().enumerate() {
        data_store(v, store, &format!("data[{i}]"));
    }
    if let Some(g) = m.gateway() {
        gateway(v, g);
    }
    quotas(v, m);
    if let Some(f) = m.function() {
        function(v, f);
        lambda_timeout(v, f.timeout);
        lambda_memory(v, f.memory);
        lambda_storage(v, f.ephemeral_storage);
    }
    if let Some(s) = m.service() {
        tasks(v, &s.tasks);
        fargate_storage(v, s.ephemeral_storage);
        fargate_size(v, s.cpu, s.memory);
    }
    if let Some(lb) = m.load_balancer() {
        idle_timeout(v, lb.idle_timeout);
    }
    if let Some(u) = m.function_url() {
        function_url(v, u);
    }
    if let Some(q) = m.queue() {
        queue(v, q);
    }
}

/// The key a dotted path ends in (`timeout` of `function.timeout`), for a
/// help that says what to write.
fn key_of(path: &str) -> &str {
    path.rsplit('.').next().unwrap_or(path)
}

/// A workload number above the bound the cost model counts to
/// ([`limits::workload::BOUNDS`]): also what the decoder says of a number
/// too large for its type, so the first message names the real bound.
pub(crate) fn beyond_the_model(key: &str, value: &str, max: &str, span: miette::SourceSpan) -> LoadError {
    LoadError::OutOfLimit {
        message: format!("`{key}` `{value}` is more than archpolicy can price: at most {max}"),
        span,
        label: format!("at most {max}"),
        help: "the cost model counts workloads up to this bound, far above any one service (docs/security.md); \
               declare the real figure"
            .into(),
    }
}
