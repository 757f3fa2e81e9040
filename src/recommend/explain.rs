//! The answer in words: each candidate's sizing, and the choice explained
//! in the guide's terms (idle cost, sustained load, request length, edge
//! controls, portability), built from the judged candidates.

use rust_decimal::Decimal;

use super::Recommendation;
use super::needs::Needs;
use crate::cost::billed_text;
use crate::model::Model;
use crate::patterns::sizing;
use crate::units::Money;
use crate::untrusted::Untrusted;

/// Money as billed, with its sign: `$12.34`.
pub fn dollars(m: Money) -> String {
    format!("${}", billed_text(m))
}

/// A volume in words: `1.5M`, `80M`, `2.4B`, `12,000`.
pub fn volume(n: u64) -> String {
    // In 128 bits: `n * 10` does not fit 64 for the largest counts.
    let scaled = |n: u64, unit: u64, suffix: &str| {
        let (n, unit) = (u128::from(n), u128::from(unit));
        let tenths = (n * 10 + unit / 2) / unit;
        if tenths.is_multiple_of(10) {
            format!("{}{suffix}", tenths / 10)
        } else {
            format!("{}.{}{suffix}", tenths / 10, tenths % 10)
        }
    };
    match n {
        1_000_000_000.. => scaled(n, 1_000_000_000, "B"),
        1_000_000.. => scaled(n, 1_000_000, "M"),
        10_000.. => scaled(n, 1_000, "k"),
        _ => n.to_string(),
    }
}

/// How each component of `model` was sized, one line each.
pub fn sizing(model: &Model, settings: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(g) = model.gateway() {
        let mut line =
            format!("{} {} API, {} integration timeout", g.endpoint.words(), g.api.words(), g.integration_timeout);
        if g.timeout_quota_raised {
            line.push_str(" (quota raised)");
        }
        if g.transfer == crate::model::TransferMode::Stream {
            line.push_str(", response streaming");
        }
        line.push_str(&format!(", {}", g.authorizer.words()));
        if let Some(t) = &g.throttle {
            line.push_str(&format!(", throttled at {}/s (burst {})", t.rate, t.burst));
        }
        if g.waf {
            line.push_str(", WAF");
        }
        out.push(line);
    }
    if let Some(q) = model.queue() {
        let dead_letter = q.max_receives.map_or("no dead-letter queue".to_string(), |n| format!("dead-letter after {n} receives"));
        out.push(format!(
            "queue: {}, {} visibility timeout, {dead_letter}, {} message{} a batch; callers get 202",
            q.kind,
            q.visibility_timeout,
            q.batch_size,
            if q.batch_size == 1 { "" } else { "s" }
        ));
    }
    if let Some(f) = model.function() {
        out.push(function_line(model, f));
    }
    if let Some(link) = model.vpc_link() {
        out.push(format!("VPC link {}", link.version));
    }
    if let Some(lb) = model.load_balancer() {
        let waf = if lb.waf { ", WAF" } else { "" };
        // Prose, not the key's value: AWS's own word is "internet-facing".
        let scheme = match lb.scheme {
            crate::model::Scheme::InternetFacing => "internet-facing",
            crate::model::Scheme::Internal => "internal",
        };
        out.push(format!("{scheme} ALB, {} idle timeout{waf}", lb.idle_timeout));
    }
    // A worker runs jobs it takes from its queue, not requests.
    let (unit, units) = if model.queue().is_some() { ("job", "jobs") } else { ("request", "requests") };
    if let Some(s) = model.service() {
        out.push(format!(
            "tasks: {}, {} {}, {} {} each at once, min {} desired {} max {}, auth `{}`",
            s.cpu,
            s.memory,
            s.architecture,
            sizing::concurrency_per_task(s).normalize(),
            units,
            s.tasks.min,
            s.tasks.desired,
            s.tasks.max,
            s.auth
        ));
        let route = match s.image_pull(&model.common.network) {
            crate::model::ImagePull::VpcEndpoints => {
                let logs = if model.common.observability.logs == crate::model::LogSink::Cloudwatch { ", logs" } else { "" };
                format!("VPC endpoints (ecr.api, ecr.dkr{logs}; S3 gateway) in {} AZs", model.common.network.az_count)
            }
            crate::model::ImagePull::NatGateway => format!("{} NAT gateways", model.common.network.nat_gateways),
            crate::model::ImagePull::Internet => "the tasks' public IPs".into(),
            crate::model::ImagePull::None => "no route (no NAT gateway, no VPC endpoints)".into(),
        };
        out.push(format!("images from ECR through {route}"));
    }
    if let Some(line) = work_line(model, unit) {
        out.push(line);
    }
    if !settings.is_empty() {
        out.push(format!("set for the policies: {}", settings.join(", ")));
    }
    out
}

/// The work one request (or a worker's job) holds, and what it is read from.
fn work_line(model: &Model, unit: &str) -> Option<String> {
    let r = sizing::vcpu_per_request(model)?;
    let from = if model.common.workload.cpu_time_per_request.is_some() {
        "`workload.cpu_time_per_request` over `avg_duration`"
    } else if model.function().is_some() {
        "the function's memory at 1,769 MB per vCPU"
    } else if model.queue().is_some() {
        "the task's vCPU over the jobs it runs at once"
    } else {
        "the task's vCPU over the requests it serves at once"
    };
    Some(format!("work: {} vCPU per {unit} in flight ({from})", r.round_dp(3).normalize()))
}

/// The function's sizing line.
fn function_line(model: &Model, f: &crate::model::Function) -> String {
    let mut line = format!("function: {}, {} {}, {} timeout", f.runtime, f.memory, f.architecture, f.timeout);
    if f.provisioned_concurrency > 0 {
        line.push_str(&format!(", {} provisioned", f.provisioned_concurrency));
    }
    if f.snapstart {
        line.push_str(", SnapStart");
    }
    if f.vpc.is_some() {
        line.push_str(", in the VPC's private subnets");
    }
    // The work declared may need more CPU than Lambda's largest memory gives.
    let per_vcpu = Decimal::from(crate::model::limits::LAMBDA_MB_PER_VCPU.value);
    let needed = sizing::vcpu_per_request(model).map(|r| (r * per_vcpu).ceil()).unwrap_or_default();
    let most = crate::model::limits::LAMBDA_MEMORY_MAX.value;
    if needed > Decimal::from(most.as_mib()) && f.memory >= most {
        line.push_str(&format!(
            ", capped at Lambda's largest memory: the work needs {} MB, {} vCPU a request",
            needed,
            sizing::vcpu_per_request(model).unwrap_or_default().round_dp(3).normalize()
        ));
    }
    line
}

/// Two or three sentences: the choice, what ruled the others out, and the
/// cost trade-off against the runner-up.
pub fn explanation(needs: &Needs, answer: &Recommendation) -> Vec<Untrusted> {
    sentences(needs, answer).into_iter().map(Untrusted::from).collect()
}

/// The sentences, quoting names and policy messages as written.
fn sentences(needs: &Needs, answer: &Recommendation) -> Vec<String> {
    let mut out = Vec::new();
    let compliant: Vec<_> = answer.candidates.iter().filter(|c| c.compliant).collect();
    let requests = volume(answer.requests_per_month);
    if let Some(first) = compliant.first() {
        let which = if compliant.len() == 1 {
            "the only compliant candidate".to_string()
        } else {
            format!("the cheapest of {} compliant candidates", compliant.len())
        };
        let idle = if first.idle_monthly == Money::ZERO {
            "and nothing idle".to_string()
        } else {
            format!("{} of it idle", dollars(first.idle_monthly))
        };
        out.push(format!(
            "`{}` is {which}: {} a month at {requests} requests, {idle}.",
            first.pattern,
            dollars(first.monthly)
        ));
        // A latency-sensitive need on Lambda: say how cold starts are removed.
        if let Some(f) = first.model.function().filter(|_| needs.common.workload.latency_sensitive) {
            let w = &needs.common.workload;
            let peak = u64::from(w.peak_rps).saturating_mul(w.avg_duration.as_millis()).div_ceil(1000);
            out.push(if f.provisioned_concurrency > 0 && u64::from(f.provisioned_concurrency) >= peak {
                format!(
                    "Cold starts: none up to the declared peak: {} provisioned environments (the peak's concurrency) stay initialized, and their cost is in the estimate.",
                    f.provisioned_concurrency
                )
            } else if f.provisioned_concurrency > 0 {
                format!(
                    "Cold starts: {} provisioned environments stay initialized (their cost is in the estimate), the most the account can reserve; the peak needs {peak}, and requests beyond them start cold.",
                    f.provisioned_concurrency
                )
            } else if f.snapstart {
                "Cold starts: SnapStart restores each new environment from a snapshot, shorter than a cold start but not none (its cost is in the estimate for Python and .NET); AWS advises provisioned concurrency where that does not meet strict needs.".to_string()
            } else {
                "Cold starts: the function has no provisioned concurrency or SnapStart, so new environments start cold.".to_string()
            });
        }
    } else {
        out.push(format!("No pattern is compliant for `{}` at {requests} requests a month.", answer.name.raw()));
    }
    let out_reasons: Vec<String> = answer
        .candidates
        .iter()
        .filter(|c| !c.compliant)
        .filter_map(|c| {
            let r = c.ruled_out_by.first()?;
            let by = if r.source == "needs" { r.topic.to_string() } else { format!("`{}`", r.source) };
            let change = c.smallest_change.as_ref().map_or(String::new(), |ch| {
                format!("; {} would admit it at {} a month", ch.change, dollars(ch.monthly))
            });
            Some(format!("`{}` is ruled out by {by} ({}){change}", c.pattern, r.message.raw()))
        })
        .collect();
    if !out_reasons.is_empty() {
        out.push(format!("{}.", out_reasons.join("; ")));
    }
    if let (Some(a), Some(b)) = (compliant.first(), compliant.get(1)) {
        out.push(trade_off(needs, answer, a, b));
    }
    out
}

/// The winner against the runner-up: idle cost, and the sustained load at
/// which they cross.
fn trade_off(needs: &Needs, answer: &Recommendation, a: &super::Candidate, b: &super::Candidate) -> String {
    let model = &a.model;
    let ratio = sizing::peak_ratio(model).round();
    let shape = if ratio > rust_decimal::Decimal::from(3) {
        format!("traffic that peaks at {ratio}x its monthly average")
    } else {
        "steady traffic".to_string()
    };
    let idle = if a.idle_monthly < b.idle_monthly {
        format!("it idles at {} against {}", dollars(a.idle_monthly), dollars(b.idle_monthly))
    } else {
        format!("it idles at {} ({} for `{}`)", dollars(a.idle_monthly), dollars(b.idle_monthly), b.pattern)
    };
    let crossing = answer
        .break_evens
        .iter()
        .min_by_key(|be| be.requests_per_month.abs_diff(needs.common.workload.requests_per_month))
        .map_or_else(
            || format!("`{}` costs more at every volume from 10k to 10B requests a month", b.pattern),
            |be| {
                let side = if be.requests_per_month > needs.common.workload.requests_per_month { "above" } else { "below" };
                format!(
                    "the two cost the same ({}) at {} requests a month, {side} which `{}` is cheaper",
                    dollars(be.monthly),
                    volume(be.requests_per_month),
                    b.pattern
                )
            },
        );
    format!(
        "For {shape}, `{}` costs {} against {} for `{}`, and {idle}; {crossing}.",
        a.pattern,
        dollars(a.monthly),
        dollars(b.monthly),
        b.pattern
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn volumes_up_to_u64_max_are_shown_without_wrapping() {
        assert_eq!(super::volume(12_000), "12k");
        assert_eq!(super::volume(1_500_000), "1.5M");
        assert_eq!(super::volume(1_000_000_000_000_000), "1000000B");
        assert_eq!(super::volume(u64::MAX), "18446744073.7B");
    }
}
