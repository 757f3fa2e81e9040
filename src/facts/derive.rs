//! From a loaded proposal to its facts.
//!
//! Declared facts copy the model and keep the origin the loader recorded;
//! derived facts say which facts they were computed from and, where one
//! value decided the result, which.

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::Facts;
use super::schema::{AuthPoint, Entry, Limiter, Patcher, Portability, TlsTermination};
use super::value::{Fact, FactValue, Provenance, Record};
use crate::cost::{CostOptions, Traffic, monthly_total, per_million_requests_above};
use crate::model::limits;
use crate::model::{
    Authorizer, Components, Origin, Origins, Pattern, Proposal, RuntimeFamily, ServiceAuth, SubnetKind, TransferMode,
};
use crate::units::Duration;

struct Builder<'a> {
    origins: &'a Origins,
    facts: BTreeMap<Cow<'static, str>, Fact>,
}

impl Builder<'_> {
    fn provenance(&self, path: Cow<'static, str>) -> Provenance {
        match self.origins.get(&path) {
            Some(Origin::Declared(span)) => Provenance::Declared { path, span },
            Some(Origin::Default(source)) => Provenance::Default { path, source },
            // A value the loader did not record (a component it filled in whole).
            None => Provenance::Default { path, source: None },
        }
    }

    /// A fact copied from the model value at the same path.
    fn declared(&mut self, path: impl Into<Cow<'static, str>>, value: FactValue) {
        let path = path.into();
        let provenance = self.provenance(path.clone());
        self.facts.insert(path, Fact { value, provenance });
    }

    fn derived(
        &mut self,
        path: &'static str,
        value: FactValue,
        from: &[&'static str],
        rule: &'static str,
        decided_by: Option<&'static str>,
    ) {
        let provenance = Provenance::Derived { from: from.to_vec(), rule, decided_by };
        self.facts.insert(Cow::Borrowed(path), Fact { value, provenance });
    }
}

fn int(v: impl TryInto<i64>) -> FactValue {
    FactValue::Int(v.try_into().unwrap_or(i64::MAX))
}

/// Derives every fact of a proposal, pricing with the embedded table.
pub fn derive(proposal: &Proposal) -> Facts {
    derive_with(proposal, CostOptions::embedded_ref())
}

/// Derives every fact of a proposal, pricing with `cost`.
pub fn derive_with(proposal: &Proposal, cost: &CostOptions) -> Facts {
    let m = &proposal.model;
    let mut b = Builder { origins: &proposal.origins, facts: BTreeMap::new() };
    use FactValue::{Bool, Duration as Dur, Size, Text, Vcpu};

    b.declared("pattern", FactValue::of_enum(m.pattern()));
    b.declared("name", Text(m.name.clone()));
    b.declared("environment", Text(m.environment.clone()));
    for (key, value) in &m.tags {
        b.declared(format!("tags.{key}"), Text(value.clone()));
    }

    let w = &m.workload;
    b.declared("workload.requests_per_month", int(w.requests_per_month));
    b.declared("workload.avg_duration", Dur(w.avg_duration));
    b.declared("workload.max_request_duration", Dur(w.max_request_duration));
    b.declared("workload.peak_rps", int(w.peak_rps));
    b.declared("workload.websockets", Bool(w.websockets));
    b.declared("workload.streaming", Bool(w.streaming));
    b.declared("workload.latency_sensitive", Bool(w.latency_sensitive));

    b.declared("network.az_count", int(m.network.az_count));
    b.declared("network.nat_gateways", int(m.network.nat_gateways));
    b.declared("observability.logs", FactValue::of_enum(m.observability.logs));
    b.declared("observability.tracing", FactValue::of_enum(m.observability.tracing));

    let records = m
        .data
        .iter()
        .enumerate()
        .map(|(i, store)| {
            let mut record = Record::default();
            for (field, value) in [("kind", FactValue::of_enum(store.kind)), ("proxy", Bool(store.proxy))] {
                let path = format!("data[{i}].{field}");
                let provenance = b.provenance(Cow::Owned(path));
                record.fields.insert(field.to_string(), Fact { value, provenance });
            }
            record
        })
        .collect();
    b.declared("data", FactValue::List(records));

    if let Some(g) = m.gateway() {
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
    if let Some(f) = m.function() {
        b.declared("function.runtime", Text(f.runtime.to_string()));
        b.derived(
            "function.runtime_family",
            FactValue::of_enum(f.runtime.family()),
            &["function.runtime"],
            "the language family of the runtime",
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
    if let Some(s) = m.service() {
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
    }
    if let Some(lb) = m.load_balancer() {
        b.declared("load_balancer.scheme", FactValue::of_enum(lb.scheme));
        b.declared("load_balancer.idle_timeout", Dur(lb.idle_timeout));
        b.declared("load_balancer.waf", Bool(lb.waf));
    }
    if let Some(link) = m.vpc_link() {
        b.declared("vpc_link.version", FactValue::of_enum(link.version));
    }

    derive_request_path(&mut b, proposal);
    derive_posture(&mut b, proposal);
    derive_cost(&mut b, proposal, cost);

    Facts { pattern: m.pattern(), values: b.facts }
}

/// `request.sync_limit`: the smallest timeout on the request path, and who sets it.
pub fn sync_limit(components: &Components) -> (Duration, Limiter, Vec<&'static str>) {
    let mut candidates: Vec<(Duration, Limiter, &'static str)> = Vec::new();
    match components {
        Components::LambdaApiGateway(p) => {
            candidates.push((p.gateway.integration_timeout, Limiter::Gateway, "gateway.integration_timeout"));
            candidates.push((p.function.timeout, Limiter::Function, "function.timeout"));
        }
        Components::FargateAlb(p) => {
            candidates.push((p.load_balancer.idle_timeout, Limiter::LoadBalancer, "load_balancer.idle_timeout"));
        }
        Components::FargateApiGateway(p) => {
            candidates.push((p.gateway.integration_timeout, Limiter::Gateway, "gateway.integration_timeout"));
            candidates.push((p.load_balancer.idle_timeout, Limiter::LoadBalancer, "load_balancer.idle_timeout"));
        }
    }
    let paths = candidates.iter().map(|c| c.2).collect();
    // The first of equal candidates wins: the front door is named when it ties.
    let (limit, limiter, _) = candidates
        .iter()
        .copied()
        .reduce(|best, c| if c.0 < best.0 { c } else { best })
        .unwrap_or((Duration::ZERO, Limiter::Gateway, "gateway.integration_timeout"));
    (limit, limiter, paths)
}

fn derive_request_path(b: &mut Builder<'_>, proposal: &Proposal) {
    let m = &proposal.model;
    let (limit, limiter, from) = sync_limit(&m.components);
    let decided_by = match limiter {
        Limiter::Gateway => "gateway.integration_timeout",
        Limiter::Function => "function.timeout",
        Limiter::LoadBalancer => "load_balancer.idle_timeout",
    };
    b.derived(
        "request.sync_limit",
        FactValue::Duration(limit),
        &from,
        "the smallest timeout on the request path",
        Some(decided_by),
    );
    b.derived(
        "request.limited_by",
        FactValue::of_enum(limiter),
        &from,
        "the component with the smallest timeout on the request path",
        Some(decided_by),
    );
    let default_ceiling = limits::REST_TIMEOUT_DEFAULT.value;
    b.derived(
        "supports.long_requests",
        FactValue::Bool(limit > default_ceiling),
        &["request.sync_limit"],
        "true when the limit is above API Gateway's default 29 s",
        None,
    );

    let gateway = m.gateway();
    let websockets = match gateway {
        Some(g) => g.api == crate::model::ApiType::Websocket,
        None => true, // an ALB carries WebSockets
    };
    let streaming = match gateway {
        Some(g) => g.transfer == TransferMode::Stream,
        None => true, // an ALB passes a streamed response through
    };
    let (ws_rule, stream_rule) = if gateway.is_some() {
        ("true for a WebSocket API", "true when the gateway streams responses (`transfer: stream`)")
    } else {
        ("an ALB carries WebSocket connections", "an ALB passes streamed responses through")
    };
    let from: &[&str] = if gateway.is_some() { &["gateway.api"] } else { &["pattern"] };
    b.derived("supports.websockets", FactValue::Bool(websockets), from, ws_rule, None);
    let from: &[&str] = if gateway.is_some() { &["gateway.transfer"] } else { &["pattern"] };
    b.derived("supports.streaming", FactValue::Bool(streaming), from, stream_rule, None);
}

fn derive_posture(b: &mut Builder<'_>, proposal: &Proposal) {
    let m = &proposal.model;
    let pattern = m.pattern();
    let (entry, tls) = match pattern {
        Pattern::FargateAlb => (Entry::Alb, TlsTermination::Alb),
        _ => (Entry::ApiGateway, TlsTermination::ApiGateway),
    };
    b.derived("network.entry", FactValue::of_enum(entry), &["pattern"], "the front door of the pattern", None);
    b.derived(
        "tls.terminates_at",
        FactValue::of_enum(tls),
        &["pattern"],
        "the front door terminates TLS with its ACM certificate",
        None,
    );

    let portability = match pattern {
        Pattern::LambdaApiGateway => Portability::AwsNative,
        Pattern::FargateApiGateway => Portability::PortableCompute,
        Pattern::FargateAlb => Portability::Portable,
    };
    b.derived(
        "portability",
        FactValue::of_enum(portability),
        &["pattern"],
        "Lambda is AWS-native; containers behind an ALB are portable; behind API Gateway only their compute is",
        None,
    );

    match &m.components {
        Components::LambdaApiGateway(p) => {
            let f = &p.function;
            let in_vpc = f.vpc.is_some();
            b.derived(
                "network.compute_in_vpc",
                FactValue::Bool(in_vpc),
                &["function.vpc.subnets"],
                "true when the function is attached to a VPC",
                None,
            );
            let private = f.vpc.as_ref().is_some_and(|v| v.subnets == SubnetKind::Private);
            b.derived(
                "network.compute_private",
                FactValue::Bool(private),
                &["function.vpc.subnets"],
                "true when the function is attached to private subnets (Lambda has no public IP)",
                None,
            );
            let auth =
                if p.gateway.authorizer == Authorizer::None { AuthPoint::Application } else { AuthPoint::Gateway };
            b.derived(
                "auth.enforced_at",
                FactValue::of_enum(auth),
                &["gateway.authorizer"],
                "the gateway when it has an authorizer, otherwise the function's code",
                None,
            );
            b.derived(
                "startup.cold_starts",
                FactValue::Bool(f.provisioned_concurrency == 0),
                &["function.provisioned_concurrency"],
                "true without provisioned concurrency",
                Some("function.provisioned_concurrency"),
            );
            let patcher = if f.runtime.family() == RuntimeFamily::Custom { Patcher::Team } else { Patcher::Aws };
            b.derived(
                "ops.runtime_patching",
                FactValue::of_enum(patcher),
                &["function.runtime"],
                "AWS patches managed runtimes; the team patches an OS-only runtime's binary",
                None,
            );
            b.derived(
                "resilience.multi_az",
                FactValue::Bool(true),
                &["pattern"],
                "Lambda runs functions across the Region's Availability Zones",
                None,
            );
        }
        Components::FargateAlb(_) | Components::FargateApiGateway(_) => {
            let Some(s) = m.service() else { return };
            b.derived(
                "network.compute_in_vpc",
                FactValue::Bool(true),
                &["pattern"],
                "Fargate tasks run in a VPC",
                None,
            );
            let private = s.subnets == SubnetKind::Private && !s.public_ip;
            b.derived(
                "network.compute_private",
                FactValue::Bool(private),
                &["service.subnets", "service.public_ip"],
                "true for private subnets without public IPs",
                Some(if s.public_ip { "service.public_ip" } else { "service.subnets" }),
            );
            let auth = match (m.gateway().map(|g| g.authorizer), s.auth) {
                (Some(a), _) if a != Authorizer::None => AuthPoint::Gateway,
                (_, ServiceAuth::Library) => AuthPoint::Application,
                (_, ServiceAuth::Sidecar) => AuthPoint::Sidecar,
                (_, ServiceAuth::Mesh) => AuthPoint::Mesh,
                (_, ServiceAuth::Gateway) => AuthPoint::Gateway,
                (_, ServiceAuth::None) => AuthPoint::None,
            };
            let from: &[&str] =
                if m.gateway().is_some() { &["gateway.authorizer", "service.auth"] } else { &["service.auth"] };
            b.derived(
                "auth.enforced_at",
                FactValue::of_enum(auth),
                from,
                "the gateway when it has an authorizer, otherwise the service's `auth`",
                None,
            );
            b.derived(
                "startup.cold_starts",
                FactValue::Bool(s.tasks.min == 0),
                &["service.tasks.min"],
                "true when the service may scale in to zero tasks",
                Some("service.tasks.min"),
            );
            b.derived(
                "ops.runtime_patching",
                FactValue::of_enum(Patcher::Team),
                &["pattern"],
                "the team builds and patches its container image",
                None,
            );
            let multi_az = m.network.az_count >= 2 && s.tasks.min >= 2;
            b.derived(
                "resilience.multi_az",
                FactValue::Bool(multi_az),
                &["network.az_count", "service.tasks.min"],
                "true with two or more AZs and at least two tasks at all times",
                Some(if m.network.az_count < 2 { "network.az_count" } else { "service.tasks.min" }),
            );
        }
    }
}

/// The rule text of a cost fact names the table it was priced from.
fn cost_rule(cost: &CostOptions) -> &'static str {
    if cost.free_tier {
        "priced from the price table, with AWS's free tiers (docs/cost.md)"
    } else {
        "priced from the price table (docs/cost.md)"
    }
}

fn derive_cost(b: &mut Builder<'_>, proposal: &Proposal, cost: &CostOptions) {
    let m = &proposal.model;
    let inputs: &[&str] = &["pattern", "workload.requests_per_month", "workload.avg_duration"];
    let rule = cost_rule(cost);
    // A bill is in cents: the facts are rounded to the cent (exactly, in decimal).
    let cents =
        |m: crate::units::Money| FactValue::Money(crate::units::Money::from_decimal(m.as_decimal().round_dp(2)));
    let monthly = monthly_total(m, cost, Traffic::Declared);
    b.derived("cost.monthly", cents(monthly), inputs, rule, None);
    b.derived("cost.idle_monthly", cents(monthly_total(m, cost, Traffic::Idle)), inputs, rule, None);
    b.derived("cost.per_million_requests", cents(per_million_requests_above(m, cost, monthly)), inputs, rule, None);
}
