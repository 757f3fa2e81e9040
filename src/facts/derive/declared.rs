//! Facts copied from the model: the common sections and each component's
//! settings, each with the origin the loader recorded.

use std::borrow::Cow;

use super::Builder;
use crate::facts::value::{Fact, FactValue, Record};
use crate::model::{Function, FunctionUrl, Gateway, LoadBalancer, Model, Service, limits};
use crate::units::Date;

use FactValue::{Bool, Duration as Dur, Size, Text, Vcpu};

fn int(v: impl TryInto<i64>) -> FactValue {
    FactValue::Int(v.try_into().unwrap_or(i64::MAX))
}

/// Identity, tags, the workload, the network, observability and data stores.
pub(super) fn common(b: &mut Builder<'_>, m: &Model) {
    b.declared("pattern", FactValue::of_enum(m.pattern()));
    b.declared("name", Text(m.common.name.clone()));
    b.declared("environment", FactValue::of_enum(m.common.environment));
    for (key, value) in &m.common.tags {
        b.declared(format!("tags.{key}"), Text(value.clone()));
    }
    let w = &m.common.workload;
    b.declared("workload.requests_per_month", int(w.requests_per_month));
    b.declared("workload.avg_duration", Dur(w.avg_duration));
    b.declared("workload.max_request_duration", Dur(w.max_request_duration));
    b.declared("workload.peak_rps", int(w.peak_rps));
    b.declared("workload.websockets", Bool(w.websockets));
    b.declared("workload.streaming", Bool(w.streaming));
    b.declared("workload.latency_sensitive", Bool(w.latency_sensitive));
    if let Some(size) = w.max_payload {
        b.declared("workload.max_payload", Size(size));
    }
    // The largest body the path must carry: the declared largest, or the
    // average when it is larger (one value with cost's carry limits).
    if let Some(largest) = crate::patterns::payload::largest(w) {
        b.declared_as("workload.largest_payload", largest.from, Size(largest.size));
    }
    if let Some(duration) = w.connection_duration {
        b.declared("workload.connection_duration", Dur(duration));
    }
    b.declared("workload.response", FactValue::of_enum(w.response));
    if let Some(deadline) = w.completion_deadline {
        b.declared("workload.completion_deadline", Dur(deadline));
    }
    // Little's law: requests in flight = arrival rate × time in the system.
    let in_flight = u64::from(w.peak_rps).saturating_mul(w.avg_duration.as_millis()).div_ceil(1_000);
    b.derived(
        "workload.peak_concurrency",
        int(in_flight),
        &["workload.peak_rps", "workload.avg_duration"],
        "requests in flight at the peak: the peak rate times the average duration, rounded up",
        None,
    );
    let a = &m.common.account;
    b.declared("account.lambda_concurrency", int(a.lambda_concurrency));
    b.declared("account.api_throttle.rate", int(a.api_throttle.rate));
    b.declared("account.api_throttle.burst", int(a.api_throttle.burst));
    b.declared("account.tasks_per_service", int(a.tasks_per_service));
    b.declared("network.az_count", int(m.common.network.az_count));
    b.declared("network.nat_gateways", int(m.common.network.nat_gateways));
    b.declared("network.vpc_endpoints", Bool(m.common.network.vpc_endpoints));
    b.declared("observability.logs", FactValue::of_enum(m.common.observability.logs));
    b.declared("observability.tracing", FactValue::of_enum(m.common.observability.tracing));
    let records = m
        .common.data
        .iter()
        .enumerate()
        .map(|(i, store)| {
            let mut record = Record::new();
            for (field, value) in [("kind", FactValue::of_enum(store.kind)), ("proxy", Bool(store.proxy))] {
                let provenance = b.provenance(Cow::Owned(format!("data[{i}].{field}")));
                record.insert(field.to_string(), Fact { value, provenance });
            }
            record
        })
        .collect();
    b.declared("data", FactValue::List(records));
}

/// The settings of every component the model has.
pub(super) fn components(b: &mut Builder<'_>, m: &Model) {
    if let Some(g) = m.gateway() {
        gateway(b, g);
        if let Some(t) = &g.throttle {
            // AWS answers 429 Too Many Requests above a stage's or route's
            // throttle (apigateway/latest/developerguide/api-gateway-request-throttling.html,
            // read 2026-12-06): what the throttle leaves above the peak the
            // cost model counts (at least the month's average rate, rounded
            // up to whole requests per second).
            use rust_decimal::prelude::ToPrimitive;
            let peak = crate::patterns::sizing::effective_peak_rps(m).ceil().to_i64().unwrap_or(i64::MAX);
            b.derived(
                "gateway.throttle.headroom",
                FactValue::Int(i64::from(t.rate).saturating_sub(peak)),
                &["gateway.throttle.rate", "workload.peak_rps", "workload.requests_per_month"],
                "the stage throttle's rate minus the peak (`workload.peak_rps`, at least the month's average rate); API Gateway answers 429 above the throttle (apigateway/latest/developerguide/api-gateway-request-throttling.html)",
                None,
            );
        }
    }
    if let Some(f) = m.function() {
        function(b, f);
    }
    if let Some(s) = m.service() {
        service(b, s);
        b.derived(
            "service.image_pull",
            FactValue::of_enum(s.image_pull(&m.common.network)),
            &["network.vpc_endpoints", "service.subnets", "service.public_ip", "network.nat_gateways"],
            "tasks pull from ECR through the VPC's endpoints, a public IP in a public subnet, or a NAT gateway from private subnets (AmazonECS/latest/developerguide/platform-version-migration.html)",
            None,
        );
    }
    if let Some(lb) = m.load_balancer() {
        load_balancer(b, lb);
    }
    if let Some(link) = m.vpc_link() {
        b.declared("vpc_link.version", FactValue::of_enum(link.version));
    }
    if let Some(u) = m.function_url() {
        function_url(b, u);
    }
}

fn function_url(b: &mut Builder<'_>, u: &FunctionUrl) {
    b.declared("function_url.auth", FactValue::of_enum(u.auth));
    b.declared("function_url.invoke_mode", FactValue::of_enum(u.invoke_mode));
    b.declared("function_url.cloudfront", Bool(u.cloudfront));
    b.declared("function_url.waf", Bool(u.waf));
    b.declared("function_url.cors", Bool(u.cors.is_some()));
    if let Some(reserved) = u.reserved_concurrency {
        b.declared("function_url.reserved_concurrency", int(reserved));
        let per = limits::function_url::RPS_PER_RESERVED;
        let rps = u64::from(reserved).saturating_mul(u64::from(per.value));
        b.derived("function_url.max_rps", int(rps), &["function_url.reserved_concurrency"], per.source.what, None);
    }
}

fn gateway(b: &mut Builder<'_>, g: &Gateway) {
    b.declared("gateway.api", FactValue::of_enum(g.api));
    b.declared("gateway.endpoint", FactValue::of_enum(g.endpoint));
    b.declared("gateway.integration_timeout", Dur(g.integration_timeout));
    b.declared("gateway.timeout_quota_raised", Bool(g.timeout_quota_raised));
    b.declared("gateway.transfer", FactValue::of_enum(g.transfer));
    b.declared("gateway.authorizer", FactValue::of_enum(g.authorizer));
    b.declared("gateway.waf", Bool(g.waf));
    if let Some(t) = &g.throttle {
        b.declared("gateway.throttle.rate", int(t.rate));
        b.declared("gateway.throttle.burst", int(t.burst));
    }
}

fn function(b: &mut Builder<'_>, f: &Function) {
    b.declared("function.runtime", Text(f.runtime.to_string()));
    b.derived(
        "function.runtime_family",
        FactValue::of_enum(f.runtime.family()),
        &["function.runtime"],
        "the language family of the runtime",
        None,
    );
    b.derived(
        "function.runtime_streams",
        Bool(f.runtime.info().streams),
        &["function.runtime"],
        crate::model::runtimes::STREAMING_RUNTIMES.what,
        None,
    );
    b.declared("function.memory", Size(f.memory));
    b.declared("function.timeout", Dur(f.timeout));
    b.declared("function.architecture", FactValue::of_enum(f.architecture));
    b.declared("function.provisioned_concurrency", int(f.provisioned_concurrency));
    b.declared("function.snapstart", Bool(f.snapstart));
    b.declared("function.ephemeral_storage", Size(f.ephemeral_storage));
    if let Some(vpc) = &f.vpc {
        b.declared("function.vpc.subnets", FactValue::of_enum(vpc.subnets));
    }
}

fn service(b: &mut Builder<'_>, s: &Service) {
    b.declared("service.cpu", Vcpu(s.cpu));
    b.declared("service.memory", Size(s.memory));
    b.declared("service.tasks.min", int(s.tasks.min));
    b.declared("service.tasks.desired", int(s.tasks.desired));
    b.declared("service.tasks.max", int(s.tasks.max));
    b.declared("service.architecture", FactValue::of_enum(s.architecture));
    b.declared("service.subnets", FactValue::of_enum(s.subnets));
    b.declared("service.public_ip", Bool(s.public_ip));
    b.declared("service.spot", Bool(s.spot));
    b.declared("service.auth", FactValue::of_enum(s.auth));
    b.declared("service.ephemeral_storage", Size(s.ephemeral_storage));
    if let Some(size) = s.image_size {
        b.declared("service.image_size", Size(size));
    }
}

fn load_balancer(b: &mut Builder<'_>, lb: &LoadBalancer) {
    b.declared("load_balancer.scheme", FactValue::of_enum(lb.scheme));
    b.declared("load_balancer.idle_timeout", Dur(lb.idle_timeout));
    b.declared("load_balancer.waf", Bool(lb.waf));
    let targets = limits::ALB_TARGETS_MAX;
    b.aws("load_balancer.target_limit", int(targets.value), targets.source);
}

/// The runtime's AWS dates, as text to show and as days from `today` to
/// judge (negative once the day has passed).
pub(super) fn runtime_dates(b: &mut Builder<'_>, f: &Function, today: Date) {
    let info = f.runtime.info();
    let source = crate::model::runtimes::RUNTIME_DATES;
    let dates = [
        ("function.runtime_deprecation_date", "function.runtime_days_to_deprecation", info.deprecated),
        ("function.runtime_block_create_date", "function.runtime_days_to_block_create", info.block_create),
        ("function.runtime_block_update_date", "function.runtime_days_to_block_update", info.block_update),
    ];
    for (date_path, days_path, date) in dates {
        b.aws(date_path, Text(date.to_string()), source);
        b.derived(
            days_path,
            int(date.days_since_epoch() - today.days_since_epoch()),
            &[date_path],
            "days from the run's day (`--today`) to the date; negative once it has passed",
            Some("function.runtime"),
        );
    }
}
