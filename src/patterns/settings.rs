//! Configuring a built model to satisfy a policy set before it is judged or
//! priced: each setting a pattern offers (WAF, a stage throttle, an
//! authorizer, tracing, private subnets, provisioned concurrency or SnapStart,
//! response streaming, a second Availability Zone), tried when a failing
//! policy read one of the facts it changes, smallest change first, and kept
//! when it clears a failing policy without adding one.
//!
//! `policy cost` and `policy recommend` build an alternative the same way
//! (docs/cost.md, "Comparing patterns"; docs/recommend.md): the same
//! workload on the same pattern is priced the same by both, with the
//! settings the organization's deny rules require. A waiver is never a
//! setting: it is offered (by `recommend`) only when no setting admits the
//! pattern.

use crate::model::limits;
use crate::model::{ApiType, Authorizer, Model, SubnetKind, Throttle, Tracing, TransferMode, UrlAuth, InvokeMode};

/// A deny finding of a policy set on a model, as the layers above report it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Denial {
    /// The policy's id.
    pub policy: String,
    /// Its message (an input's text).
    pub message: String,
    /// The facts (and params) its failing `require` read: the provenance a
    /// setting is chosen by.
    pub read: Vec<String>,
}

/// What a policy set says of a model: its deny findings, or `None` when the
/// model does not load.
pub type Denials<'a> = &'a dyn Fn(&Model) -> Option<Vec<Denial>>;

/// One setting: the facts it changes (a failing policy that read one of
/// them is what it is tried for), and how it changes a model (`None` when
/// the model has nothing to set or has it already).
struct Setting {
    facts: &'static [&'static str],
    apply: fn(&Model) -> Option<(Model, String)>,
}

/// Smallest change first: a flag on a component, then a sizing, then a
/// change of how the component works.
const SETTINGS: &[Setting] = &[
    Setting { facts: &["load_balancer.waf"], apply: alb_waf },
    Setting { facts: &["function_url.waf"], apply: url_waf },
    Setting { facts: &["gateway.waf"], apply: gateway_waf },
    Setting { facts: &["gateway.throttle"], apply: stage_throttle },
    Setting { facts: &["gateway.authorizer", "auth.enforced_at"], apply: authorizer },
    Setting { facts: &["observability.tracing"], apply: tracing },
    Setting { facts: &["network.compute_exposed", "service.public_ip", "service.subnets"], apply: private_tasks },
    Setting { facts: &["resilience.multi_az", "network.az_count"], apply: two_azs },
    Setting {
        facts: &["function.provisioned_concurrency", "function.snapstart", "function.cold_start"],
        apply: warm_starts,
    },
    Setting {
        facts: &["supports.streaming", "request.sync_limit", "gateway.transfer", "function_url.invoke_mode"],
        apply: streaming,
    },
];

/// A model configured, and the settings it was given (in words).
#[derive(Debug, Clone)]
pub struct Configured {
    pub model: Model,
    pub settings: Vec<String>,
    /// The deny findings still reported on `model`: the last judgement,
    /// kept so that no caller judges the same model again.
    pub denials: Vec<Denial>,
}

/// `model` with the settings that clear the deny findings `denied` reports,
/// each tried for a failing policy that read one of its facts, smallest
/// first, and kept when it leaves fewer policies denying and none new. The
/// model's pattern and workload never change.
pub fn configure(model: &Model, denied: Denials<'_>) -> Configured {
    let mut current = model.clone();
    let mut settings = Vec::new();
    let mut failing = denied(&current).unwrap_or_default();
    let mut used = vec![false; SETTINGS.len()];
    while !failing.is_empty() {
        let read: Vec<&str> = failing.iter().flat_map(|f| f.read.iter().map(String::as_str)).collect();
        let before: std::collections::BTreeSet<&str> = failing.iter().map(|f| f.policy.as_str()).collect();
        let mut progress = None;
        for (i, s) in SETTINGS.iter().enumerate() {
            if used[i] || !s.facts.iter().any(|fact| read.iter().any(|r| r.starts_with(fact))) {
                continue;
            }
            let Some((next, what)) = (s.apply)(&current) else { continue };
            let Some(after) = denied(&next) else { continue };
            let after_ids: std::collections::BTreeSet<&str> = after.iter().map(|f| f.policy.as_str()).collect();
            if after_ids.len() < before.len() && after_ids.is_subset(&before) {
                progress = Some((i, next, what, after));
                break;
            }
        }
        let Some((i, next, what, after)) = progress else { break };
        used[i] = true;
        current = next;
        settings.push(what);
        failing = after;
    }
    Configured { model: current, settings, denials: failing }
}

/// Each setting applied alone to `model` (those it has something to set
/// for), in words: what a check that no setting admits a model tries.
pub fn each_setting(model: &Model) -> Vec<(Model, String)> {
    SETTINGS.iter().filter_map(|s| (s.apply)(model)).collect()
}

fn alb_waf(m: &Model) -> Option<(Model, String)> {
    let mut next = m.clone();
    let lb = next.components.load_balancer.as_mut().filter(|lb| !lb.waf)?;
    lb.waf = true;
    Some((next, "a WAF web ACL on the ALB".into()))
}

/// WAF reaches a function URL only through CloudFront, whose origin access
/// control needs the URL's IAM auth.
fn url_waf(m: &Model) -> Option<(Model, String)> {
    let mut next = m.clone();
    let url = next.components.function_url.as_mut().filter(|u| !u.waf)?;
    url.waf = true;
    url.cloudfront = true;
    url.auth = UrlAuth::AwsIam;
    Some((next, "CloudFront with a WAF web ACL in front of the URL".into()))
}

fn gateway_waf(m: &Model) -> Option<(Model, String)> {
    let mut next = m.clone();
    let g = next.components.gateway.as_mut().filter(|g| !g.waf && g.api == ApiType::Rest)?;
    g.waf = true;
    Some((next, "a WAF web ACL on the REST stage".into()))
}

/// The stage throttle of the guide's partner APIs: 125% of the declared
/// peak (the headroom `gateway-throttle-headroom` asks of the account), at
/// most the account's throttle, a burst of twice the rate.
pub fn throttle_for(m: &Model) -> Throttle {
    let account = &m.common.account.api_throttle;
    let rate = (u64::from(m.common.workload.peak_rps) * 5).div_ceil(4).clamp(1, u64::from(account.rate));
    let rate = u32::try_from(rate).unwrap_or(account.rate);
    Throttle { rate, burst: rate.saturating_mul(2).min(account.burst).max(1) }
}

fn stage_throttle(m: &Model) -> Option<(Model, String)> {
    let mut next = m.clone();
    let throttle = throttle_for(m);
    let g = next
        .components
        .gateway
        .as_mut()
        .filter(|g| g.throttle.as_ref().is_none_or(|t| t.rate < m.common.workload.peak_rps))?;
    let what = format!("a stage throttle of {}/s (burst {})", throttle.rate, throttle.burst);
    g.throttle = Some(throttle);
    Some((next, what))
}

fn authorizer(m: &Model) -> Option<(Model, String)> {
    let mut next = m.clone();
    let g = next.components.gateway.as_mut().filter(|g| g.authorizer == Authorizer::None)?;
    g.authorizer = match g.api {
        ApiType::Http => Authorizer::Jwt,
        ApiType::Rest => Authorizer::Cognito,
        ApiType::Websocket => Authorizer::Lambda,
    };
    let what = format!("a `{}` authorizer", g.authorizer);
    if let Some(s) = next.components.service.as_mut() {
        s.auth = crate::model::ServiceAuth::Gateway;
    }
    Some((next, what))
}

fn tracing(m: &Model) -> Option<(Model, String)> {
    if m.common.observability.tracing != Tracing::None {
        return None;
    }
    let mut next = m.clone();
    next.common.observability.tracing = Tracing::Xray;
    Some((next, "X-Ray tracing".into()))
}

fn private_tasks(m: &Model) -> Option<(Model, String)> {
    let mut next = m.clone();
    let s = next.components.service.as_mut().filter(|s| s.public_ip || s.subnets != SubnetKind::Private)?;
    s.public_ip = false;
    s.subnets = SubnetKind::Private;
    // Private tasks still pull their image: through the VPC's endpoints
    // when there is no NAT gateway (super::sizing::network_for).
    let endpoints = !next.common.network.vpc_endpoints && next.common.network.nat_gateways == 0;
    super::sizing::network_for(&mut next);
    let what = if endpoints {
        "tasks in private subnets without public IPs, pulling images through VPC endpoints"
    } else {
        "tasks in private subnets without public IPs"
    };
    Some((next, what.into()))
}

fn two_azs(m: &Model) -> Option<(Model, String)> {
    let least = limits::ALB_MIN_AZS.value;
    if m.common.network.az_count >= least {
        return None;
    }
    let mut next = m.clone();
    next.common.network.az_count = least;
    Some((next, format!("{least} Availability Zones")))
}

/// SnapStart where the runtime has it, else provisioned concurrency for the
/// average concurrency, so most requests start warm (the guide).
fn warm_starts(m: &Model) -> Option<(Model, String)> {
    let mut next = m.clone();
    let average = super::sizing::average_concurrency(m, m.common.workload.requests_per_month);
    let f = next.components.function.as_mut().filter(|f| f.provisioned_concurrency == 0 && !f.snapstart)?;
    if f.runtime.info().snapstart {
        f.snapstart = true;
        return Some((next, "SnapStart".into()));
    }
    use rust_decimal::prelude::ToPrimitive;
    let most = m.common.account.lambda_concurrency.saturating_sub(limits::UNRESERVED_CONCURRENCY_MIN.value);
    f.provisioned_concurrency = average.ceil().to_u32().unwrap_or(u32::MAX).clamp(1, most.max(1));
    let n = f.provisioned_concurrency;
    Some((next, format!("{n} provisioned concurrency")))
}

/// A REST API that streams its responses (15 minutes, aws-facts.md).
fn streaming(m: &Model) -> Option<(Model, String)> {
    if !m.common.workload.streaming {
        return None;
    }
    let mut next = m.clone();
    // A function URL streams when its function is outside a VPC (AWS: no streaming within one).
    let outside = next.components.function.as_ref().is_some_and(|f| f.vpc.is_none());
    if let Some(url) = next.components.function_url.as_mut().filter(|u| u.invoke_mode != InvokeMode::ResponseStream) {
        if !outside {
            return None;
        }
        url.invoke_mode = InvokeMode::ResponseStream;
        return Some((next, "a streaming function URL (`invoke_mode: response_stream`)".into()));
    }
    let g = next.components.gateway.as_mut().filter(|g| g.transfer != TransferMode::Stream)?;
    if g.api != ApiType::Rest {
        return None;
    }
    g.transfer = TransferMode::Stream;
    // As a proposal's `transfer: stream` waits up to 15 minutes (the
    // decoder's default), so does this setting: streaming with the buffered
    // 29 s timeout would still give up on the long request it is set for.
    g.integration_timeout = g.integration_timeout.max(limits::REST_STREAM_TIMEOUT_MAX.value);
    Some((next, format!("response streaming ({} limit)", limits::REST_STREAM_TIMEOUT_MAX.value)))
}
