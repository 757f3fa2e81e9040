//! A candidate judged: written out as a proposal and loaded like one,
//! checked against the needs (what its pattern cannot carry, the
//! requirements) and the organization's policies, and priced. For one that
//! is ruled out, the smallest change that would admit it, tried rather than
//! guessed.

use crate::untrusted::Untrusted;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;

use super::candidate::{candidate, peak_concurrency};
use super::needs::Needs;
use crate::cost::{self, Traffic};
use crate::model::limits;
use crate::model::{ApiType, Authorizer, EndpointType, Model, NamedEnum, Pattern, TransferMode};
use crate::patterns;
use crate::patterns::settings::Denial;
use crate::policy::{PolicySet, RunOptions};
use crate::report::Finding;
use crate::units::Money;
use crate::{Severity, load};

/// What a candidate is judged with.
#[derive(Clone, Copy)]
pub struct Judge<'a> {
    pub set: &'a PolicySet,
    pub run: &'a RunOptions<'a>,
    /// The needs file's name, for the candidate's file name and header.
    pub from: &'a str,
}

/// Why a candidate is ruled out, or what it is warned about (a *ruling*,
/// docs/architecture.md's glossary).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ruling {
    /// `needs` for what the needs ask, or the policy's id.
    pub source: String,
    /// The policy's severity; absent for a need.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    /// The policy's message (an input's text) or the need's.
    pub message: Untrusted,
    /// The guide's term for it: `request length`, `connections`, `payload`,
    /// `capacity`, `edge controls`, `portability`, or `policy`.
    pub topic: &'static str,
}

/// A change that admits a ruled-out candidate, and what it would cost then.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub change: String,
    #[serde(serialize_with = "crate::cost::billed")]
    pub monthly: Money,
}

/// One candidate, judged.
#[derive(Debug, Clone)]
pub struct Judged {
    pub model: Model,
    /// The proposal as written (`--write`), and as loaded and checked.
    pub text: String,
    pub ruled_out_by: Vec<Ruling>,
    pub warnings: Vec<Ruling>,
    pub monthly: Money,
    pub idle_monthly: Money,
    pub per_million_requests: Money,
}

impl Judged {
    pub fn compliant(&self) -> bool {
        self.ruled_out_by.is_empty()
    }
}

impl Judge<'_> {
    /// The file name a candidate is written as.
    pub fn file_name(&self, pattern: Pattern) -> String {
        let stem = std::path::Path::new(self.from).file_name().map(|n| n.to_string_lossy().into_owned());
        let stem = stem.as_deref().unwrap_or("service");
        let stem = super::needs::NEEDS_EXTENSIONS.iter().find_map(|e| stem.strip_suffix(e)).unwrap_or(stem);
        format!("{stem}.{pattern}.arch.yaml")
    }

    /// `model` with the settings the policy set's deny rules require
    /// (src/patterns/settings.rs), as `policy cost` configures an alternative.
    pub fn configure(&self, model: &Model) -> crate::patterns::settings::Configured {
        crate::patterns::settings::configure(model, &|m: &Model| denials(m, self.set, self.run))
    }

    /// Judges `model`, built for `needs`.
    pub fn judge(&self, needs: &Needs, model: Model) -> Judged {
        let cost = self.run.cost;
        let pricer = cost::Pricer::new(&model, cost);
        let monthly = pricer.monthly_total(Traffic::Declared);
        let text = proposal_text(self.from, &model);
        let mut ruled_out_by = needs_rulings(needs, &model);
        let mut warnings = Vec::new();
        match load::load_str(&self.file_name(model.pattern()), &text) {
            Ok(proposal) => {
                let report = self.set.check_with(&proposal, self.run);
                for finding in report.findings.iter().filter(|f| !f.is_waived()) {
                    let ruling = policy_ruling(finding);
                    if finding.severity == Severity::Deny { ruled_out_by.push(ruling) } else { warnings.push(ruling) }
                }
            }
            Err(failure) => ruled_out_by.push(need("candidate", format!("the candidate did not load: {failure}"))),
        }
        Judged {
            idle_monthly: pricer.monthly_total(Traffic::Idle),
            per_million_requests: pricer.per_million_requests_above(monthly),
            monthly,
            model,
            text,
            ruled_out_by,
            warnings,
        }
    }

    /// The smallest change to the needs, the candidate or the policies that
    /// admits a ruled-out candidate: each single change tried in turn, then
    /// all of them together, then a waiver of the one policy left.
    pub fn smallest_change(&self, needs: &Needs, judged: &Judged) -> Option<Change> {
        let pattern = judged.model.pattern();
        let changes = changes(needs, &judged.model);
        let mut tried: Vec<Judged> = Vec::new();
        for (i, (what, changed, tweak)) in changes.iter().enumerate() {
            let Some(j) = self.rebuild(changed, pattern, tweak.as_ref()) else { continue };
            if j.compliant() {
                return Some(Change { change: what.clone(), monthly: j.monthly });
            }
            if i + 1 == changes.len() && changes.len() == 1 {
                tried.push(j);
            }
        }
        let (mut all, mut whats) = (needs.clone(), Vec::new());
        let mut tweaks: Vec<Tweak> = Vec::new();
        for (what, changed, tweak) in changes {
            whats.push(what);
            merge(&mut all, &changed, needs);
            tweaks.extend(tweak);
        }
        let combined = if whats.len() > 1 {
            let tweak: Option<Tweak> = (!tweaks.is_empty())
                .then(|| -> Tweak { Box::new(move |m: &mut Model| tweaks.iter().for_each(|t| t(m))) });
            self.rebuild(&all, pattern, tweak.as_ref())
        } else {
            tried.pop()
        };
        if let Some(j) = &combined
            && j.compliant()
        {
            return Some(Change { change: whats.join(", and "), monthly: j.monthly });
        }
        let last = combined.as_ref().unwrap_or(judged);
        let policies: std::collections::BTreeSet<&str> = last.ruled_out_by.iter().map(|r| r.source.as_str()).collect();
        let only = policies.iter().next().filter(|_| policies.len() == 1)?;
        if *only == "needs" || *only == "candidate" {
            return None;
        }
        whats.push(format!("a waiver of `{only}`"));
        Some(Change { change: whats.join(", and "), monthly: last.monthly })
    }

    fn rebuild(&self, needs: &Needs, pattern: Pattern, tweak: Option<&Tweak>) -> Option<Judged> {
        let mut model = candidate(needs, pattern).ok()?;
        if let Some(tweak) = tweak {
            tweak(&mut model);
            load::validate(&model).ok()?;
        }
        let model = self.configure(&model).model;
        Some(self.judge(needs, model))
    }
}

type Tweak = Box<dyn Fn(&mut Model)>;

/// Copies into `all` what `changed` changed from `base`.
fn merge(all: &mut Needs, changed: &Needs, base: &Needs) {
    if changed.common.account != base.common.account {
        if changed.common.account.lambda_concurrency != base.common.account.lambda_concurrency {
            all.common.account.lambda_concurrency = changed.common.account.lambda_concurrency;
        }
        if changed.common.account.api_throttle != base.common.account.api_throttle {
            all.common.account.api_throttle = changed.common.account.api_throttle.clone();
        }
    }
    let (r, b) = (&changed.requirements, &base.requirements);
    if r.portability != b.portability {
        all.requirements.portability = r.portability;
    }
    if r.edge_controls != b.edge_controls {
        all.requirements.edge_controls = r.edge_controls;
    }
    if r.api != b.api {
        all.requirements.api = r.api;
    }
}

/// The single changes that bear on what rules `model` out, smallest first.
fn changes(needs: &Needs, model: &Model) -> Vec<(String, Needs, Option<Tweak>)> {
    let mut out: Vec<(String, Needs, Option<Tweak>)> = Vec::new();
    let w = &needs.common.workload;
    out.extend(raised_timeout(needs, model));
    if model.function().is_some() {
        let peak = peak_concurrency(needs);
        if peak > Decimal::from(needs.common.account.lambda_concurrency) {
            let raised = round_up_thousands(peak * Decimal::new(125, 2));
            let mut changed = needs.clone();
            changed.common.account.lambda_concurrency = raised;
            out.push((
                format!("the account's Lambda concurrency raised to {raised} (`account.lambda_concurrency`)"),
                changed,
                None,
            ));
        }
    }
    if model.gateway().is_some() && w.peak_rps > needs.common.account.api_throttle.rate {
        let raised = round_up_thousands(Decimal::from(w.peak_rps) * Decimal::new(125, 2));
        let mut changed = needs.clone();
        changed.common.account.api_throttle.rate = raised;
        changed.common.account.api_throttle.burst = changed.common.account.api_throttle.burst.max(raised / 2);
        out.push((
            format!(
                "the account's API Gateway throttle raised to {raised} requests per second (`account.api_throttle`)"
            ),
            changed,
            None,
        ));
    }
    let (portability, _) = patterns::def(model.pattern()).portability;
    if portability < needs.requirements.portability {
        let mut changed = needs.clone();
        changed.requirements.portability = portability;
        out.push((format!("`requirements.portability` lowered to `{portability}`"), changed, None));
    }
    if model.gateway().is_none() && needs.requirements.edge_controls {
        let mut changed = needs.clone();
        changed.requirements.edge_controls = false;
        out.push((
            "`requirements.edge_controls` dropped (callers authorized in the task and throttled nowhere)".into(),
            changed,
            None,
        ));
    }
    if model.gateway().is_none_or(|g| needs.requirements.api.is_some_and(|a| a != g.api))
        && needs.requirements.api.is_some()
    {
        let mut changed = needs.clone();
        changed.requirements.api = None;
        out.push(("`requirements.api` dropped".into(), changed, None));
    }
    out
}

/// A REST API whose raised integration timeout covers the longest request,
/// when a buffered gateway gives up before it. The candidate's endpoint is
/// kept where AWS raises its timeout (Regional, private: an internal
/// service's API stays private); an edge-optimized one becomes Regional.
fn raised_timeout(needs: &Needs, model: &Model) -> Option<(String, Needs, Option<Tweak>)> {
    let w = &needs.common.workload;
    let longest = w.max_request_duration;
    let raised_max = limits::REST_TIMEOUT_RAISED_MAX.value;
    let api_free = matches!(needs.requirements.api, None | Some(ApiType::Rest));
    let g = model.gateway()?;
    if g.transfer != TransferMode::Buffered
        || longest <= g.integration_timeout
        || longest > raised_max
        || !api_free
        || w.websockets
    {
        return None;
    }
    let timeout = longest.whole_secs_up();
    let raises = |endpoint| {
        limits::integration_timeout_ceiling(ApiType::Rest, endpoint, true, TransferMode::Buffered).value >= longest
    };
    let endpoint = if raises(g.endpoint) { g.endpoint } else { EndpointType::Regional };
    let tweak: Tweak = Box::new(move |m: &mut Model| {
        if let Some(g) = m.components.gateway.as_mut() {
            g.api = ApiType::Rest;
            g.endpoint = endpoint;
            g.timeout_quota_raised = true;
            g.integration_timeout = timeout;
            if g.authorizer == Authorizer::Jwt {
                g.authorizer = Authorizer::Cognito;
            }
        }
    });
    Some((
        format!(
            "a {} REST API with its integration timeout raised to {timeout} (`gateway.timeout_quota_raised`, after an account quota increase)",
            if endpoint == EndpointType::Private { "private" } else { "Regional" }
        ),
        needs.clone(),
        Some(tweak),
    ))
}

/// The deny findings (not waived) of `set` on `model`, written out and
/// loaded like any proposal; `None` when it does not load.
pub fn denials(model: &Model, set: &PolicySet, run: &RunOptions<'_>) -> Option<Vec<Denial>> {
    // Checked as it is, not written out and read back: a model that AWS
    // would refuse is no alternative, and the policies read values, not
    // where in a file they were written.
    load::validate(model).ok()?;
    let proposal =
        crate::model::Proposal::new(model.clone(), crate::source::SourceFile::new("alternative.arch.yaml", ""));
    Some(
        set.denials(&proposal, run)
            .into_iter()
            .map(|f| Denial {
                read: f.values.into_iter().map(|v| v.name).collect(),
                policy: f.policy,
                message: f.message,
            })
            .collect(),
    )
}

fn round_up_thousands(n: Decimal) -> u32 {
    let thousands = (n / Decimal::from(1000)).ceil().to_u32().unwrap_or(u32::MAX / 1000).max(1);
    thousands.saturating_mul(1000)
}

fn need(topic: &'static str, message: String) -> Ruling {
    Ruling { source: "needs".into(), severity: None, message: message.into(), topic }
}

fn policy_ruling(f: &Finding) -> Ruling {
    Ruling {
        source: f.policy.clone(),
        severity: Some(f.severity),
        message: Untrusted::new(f.message.as_str()),
        topic: "policy",
    }
}

/// What the needs ask that `model` does not give.
fn needs_rulings(needs: &Needs, model: &Model) -> Vec<Ruling> {
    let w = &needs.common.workload;
    let mut out: Vec<Ruling> = cost::carry::at(&cost::carry::limitations(model), w.requests_per_month)
        .map(|l| need(carry_topic(&l.reason, l.capacity), l.reason.clone()))
        .collect();
    if let (Some(g), Some(held)) = (model.gateway(), w.connection_duration)
        && g.api == ApiType::Websocket
        && held > limits::WEBSOCKET_CONNECTION_MAX.value
    {
        let limit = limits::WEBSOCKET_CONNECTION_MAX.value;
        out.push(need(
            "connections",
            format!("a WebSocket API closes every connection after {limit}, and clients hold theirs for {held}"),
        ));
    }
    let r = &needs.requirements;
    let (portability, why) = patterns::def(model.pattern()).portability;
    if portability < r.portability {
        out.push(need(
            "portability",
            format!("it is `{portability}` ({why}), below the `{}` floor", r.portability.name()),
        ));
    }
    if r.edge_controls && model.gateway().is_none() {
        let door = if model.function_url().is_some() {
            "a function URL"
        } else if patterns::exposure(model) == crate::model::Exposure::Internal {
            "an internal ALB"
        } else {
            "a public ALB"
        };
        out.push(need(
            "edge controls",
            format!("partner-facing edge controls need API Gateway in front, and {door} has no authorizer or throttling"),
        ));
    }
    if model.function_url().is_some() {
        function_url_needs(needs, &mut out);
    }
    // A function URL's own reason is above, with what it cannot do.
    if r.exposure == crate::model::Exposure::Internal
        && model.function_url().is_none()
        && let Some(door) = patterns::public_front_door(model)
    {
        out.push(need(
            "exposure",
            format!("an internal service (`requirements.exposure: internal`) has {door} as its front door"),
        ));
    }
    if let Some(api) = r.api
        && model.gateway().is_none_or(|g| g.api != api)
    {
        out.push(need("edge controls", format!("the required `{api}` API is not its front door")));
    }
    out
}

/// What a function URL cannot give: a private endpoint, or an authorizer
/// for JWT callers (it authenticates with IAM or not at all; AWS's own
/// guide points OAuth and Cognito callers to API Gateway).
fn function_url_needs(needs: &Needs, out: &mut Vec<Ruling>) {
    let r = &needs.requirements;
    let url = crate::model::limits::function_url::IAM_OR_NONE;
    if r.exposure == crate::model::Exposure::Internal {
        let public = crate::model::limits::function_url::PUBLIC_ONLY;
        out.push(need(
            "exposure",
            format!("an internal service (`requirements.exposure: internal`) cannot be a function URL: {public}"),
        ));
    }
    if r.callers_auth == crate::model::CallersAuth::Jwt {
        out.push(need("callers", format!("JWT callers (`requirements.callers_auth: jwt`) need an authorizer in front, and {url}")));
    }
}

fn carry_topic(reason: &str, capacity: bool) -> &'static str {
    if capacity || reason.contains("peaks") {
        "capacity"
    } else if reason.contains("payload") || reason.contains("message limit") {
        "payload"
    } else if reason.contains("WebSocket") || reason.contains("stream") {
        "connections"
    } else {
        "request length"
    }
}

/// The candidate as a proposal file: a header saying where it came from,
/// then the model.
pub fn proposal_text(from: &str, model: &Model) -> String {
    let from = std::path::Path::new(from).file_name().map_or_else(|| from.into(), |n| n.to_string_lossy());
    let body = serde_saphyr::to_string(model).unwrap_or_default();
    format!(
        "# yaml-language-server: $schema=https://example.com/your-repo/docs/proposal.schema.json\n# Written by `policy recommend {from}`: the `{}` candidate, sized from the workload.\n{body}",
        model.pattern()
    )
}
