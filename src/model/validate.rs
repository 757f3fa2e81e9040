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
                cite(&min.source),
            );
        } else if value > max.value {
            self.out_of_limit(
                path,
                format!("{what} `{value}` is above AWS's maximum of {}", max.value),
                format!("at most {}", max.value),
                cite(&max.source),
            );
        }
    }

    fn whole_seconds(&mut self, path: &str, what: &str, value: Duration, source: &Source) -> bool {
        if value.as_whole_secs().is_some() {
            return true;
        }
        let rounded = Duration::from_secs(value.as_millis().div_ceil(1_000));
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
}

pub fn gateway(v: &mut Validator<'_>, g: &Gateway) {
    let timeout = "gateway.integration_timeout";
    if g.integration_timeout < limits::INTEGRATION_TIMEOUT_MIN.value {
        v.out_of_limit(
            timeout,
            format!("integration timeout `{}` is below API Gateway's minimum of 50ms", g.integration_timeout),
            "at least 50ms".into(),
            cite(&limits::INTEGRATION_TIMEOUT_MIN.source),
        );
    }
    if g.transfer == TransferMode::Stream && g.api != ApiType::Rest {
        v.conflict(
            "gateway.transfer",
            "gateway.api",
            format!("response streaming is a REST API feature, not available on a `{}` API", g.api),
            ("streaming".into(), format!("`{}` API", g.api)),
            format!(
                "use `api: rest` to stream, or `transfer: buffered`; {}",
                cite(&limits::REST_STREAM_TIMEOUT_MAX.source)
            ),
        );
    }
    let raisable = g.api == ApiType::Rest && g.endpoint != EndpointType::Edge;
    if g.timeout_quota_raised && !raisable {
        let other = if g.api == ApiType::Rest { "gateway.endpoint" } else { "gateway.api" };
        v.conflict(
            "gateway.timeout_quota_raised",
            other,
            "the integration timeout quota can be raised for Regional and private REST APIs only".into(),
            ("no such quota here".into(), "this API".into()),
            format!("remove `timeout_quota_raised`; {}", cite(&limits::REST_TIMEOUT_RAISED_MAX.source)),
        );
    }
    if g.cache_gb.is_some() && g.api != ApiType::Rest {
        v.conflict(
            "gateway.cache_gb",
            "gateway.api",
            format!("API caching is a REST API feature, not available on a `{}` API", g.api),
            ("cache".into(), format!("`{}` API", g.api)),
            "use `api: rest` to cache, or remove `cache_gb`".into(),
        );
    }
    if g.api == ApiType::Http && g.endpoint != EndpointType::Regional {
        v.conflict(
            "gateway.endpoint",
            "gateway.api",
            format!("HTTP APIs have Regional endpoints only, not `{}`", g.endpoint),
            ("not available for HTTP APIs".into(), "HTTP API".into()),
            format!("use `endpoint: regional`, or a REST API; {}", cite(&limits::HTTP_API_REGIONAL_ONLY)),
        );
    }
    gateway_features(v, g);
    let ceiling =
        limits::integration_timeout_ceiling(g.api, g.endpoint, g.timeout_quota_raised && raisable, g.transfer);
    if g.integration_timeout > ceiling.value {
        let help = match g.api {
            ApiType::Rest if g.transfer == TransferMode::Stream => {
                "a streamed REST response may run 15 minutes at most; move longer work behind a queue".to_string()
            }
            ApiType::Rest if g.endpoint == EndpointType::Edge => {
                "edge-optimized REST APIs stay at 29 s; a Regional or private REST API can go up to 300 s after a quota increase (`timeout_quota_raised: true`), or stream the response (`transfer: stream`)".to_string()
            }
            ApiType::Rest if !g.timeout_quota_raised => {
                "above 29 s, a Regional or private REST API needs a quota increase: set `timeout_quota_raised: true` once AWS has raised it (up to 300 s), or stream the response (`transfer: stream`)".to_string()
            }
            ApiType::Rest => "even a raised quota stops at 300 s; stream the response (`transfer: stream`) or move the work behind a queue".to_string(),
            ApiType::Http => "HTTP APIs cannot wait longer; use a REST API with a raised quota, or front the service with an ALB".to_string(),
            ApiType::Websocket => "WebSocket integrations cannot wait longer; reply at once and push the result later on the connection".to_string(),
        };
        v.out_of_limit(
            timeout,
            format!(
                "integration timeout `{}` is above the {} ceiling for this API",
                g.integration_timeout, ceiling.value
            ),
            format!("at most {} here", ceiling.value),
            format!("{help}; {}", cite(&ceiling.source)),
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

/// What each API type offers: WAF, authorizers, endpoint types, caching
/// while streaming.
fn gateway_features(v: &mut Validator<'_>, g: &Gateway) {
    if g.waf && g.api != ApiType::Rest {
        v.conflict(
            "gateway.waf",
            "gateway.api",
            format!("AWS WAF cannot be associated with {}", api_name(g.api)),
            ("no web ACL here".into(), format!("`{}` API", g.api)),
            format!(
                "WAF protects REST API stages and ALBs: use `api: rest`, put the web ACL on CloudFront in front, or remove `waf`; {}",
                cite(&limits::WAF_RESOURCES)
            ),
        );
    }
    if let Some((message, fix, source)) = authorizer_problem(g) {
        v.conflict(
            "gateway.authorizer",
            "gateway.api",
            message,
            ("not offered by this API type".into(), format!("`{}` API", g.api)),
            format!("{fix}; {}", cite(&source)),
        );
    }
    if g.api == ApiType::Websocket && g.endpoint != EndpointType::Regional {
        v.conflict(
            "gateway.endpoint",
            "gateway.api",
            format!("WebSocket APIs have Regional endpoints only, not `{}`", g.endpoint),
            ("not available for WebSocket APIs".into(), "WebSocket API".into()),
            format!("use `endpoint: regional`; {}", cite(&limits::WEBSOCKET_REGIONAL_ONLY)),
        );
    }
    if g.transfer == TransferMode::Stream && g.cache_gb.is_some() {
        v.conflict(
            "gateway.cache_gb",
            "gateway.transfer",
            "a streamed response is not cached".into(),
            ("cache".into(), "streaming".into()),
            format!("remove `cache_gb`, or use `transfer: buffered`; {}", cite(&limits::REST_STREAM_NO_CACHE)),
        );
    }
}

/// The API type in words, with its article.
fn api_name(api: ApiType) -> &'static str {
    match api {
        ApiType::Rest => "a REST API",
        ApiType::Http => "an HTTP API",
        ApiType::Websocket => "a WebSocket API",
    }
}

/// An authorizer the API type does not have: the message, the fix and the source.
fn authorizer_problem(g: &Gateway) -> Option<(String, String, Source)> {
    match (g.api, g.authorizer) {
        (ApiType::Rest, Authorizer::Jwt) => Some((
            "REST APIs have no JWT authorizer".into(),
            "validate JWTs with `authorizer: cognito` (a Cognito user pool) or `lambda`, or use `api: http`".into(),
            limits::REST_AUTHORIZERS,
        )),
        (ApiType::Http, Authorizer::Cognito) => Some((
            "HTTP APIs have no Cognito user pool authorizer: there Cognito is a JWT issuer".into(),
            "write `authorizer: jwt` with the user pool as its issuer".into(),
            limits::HTTP_AUTHORIZERS,
        )),
        (ApiType::Websocket, Authorizer::Jwt | Authorizer::Cognito) => Some((
            format!("WebSocket APIs have no `{}` authorizer", g.authorizer),
            "authorize `$connect` with `authorizer: lambda` or `iam`".into(),
            limits::WEBSOCKET_AUTHORIZERS,
        )),
        _ => None,
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

/// Declared quotas stay between the least an account has and a bound
/// past which a value is a typo.
pub fn account(v: &mut Validator<'_>, a: &Account) {
    let concurrency = limits::LAMBDA_CONCURRENCY_QUOTA_MIN;
    let checks: [(&str, &str, u32, u32, &Source); 4] = [
        (
            "account.lambda_concurrency",
            "Lambda concurrency quota",
            a.lambda_concurrency,
            concurrency.value,
            &concurrency.source,
        ),
        (
            "account.api_throttle.rate",
            "API Gateway throttle rate",
            a.api_throttle.rate,
            1,
            &limits::API_THROTTLE_RATE.source,
        ),
        (
            "account.api_throttle.burst",
            "API Gateway burst",
            a.api_throttle.burst,
            1,
            &limits::API_THROTTLE_BURST.source,
        ),
        (
            "account.tasks_per_service",
            "tasks-per-service quota",
            a.tasks_per_service,
            1,
            &limits::TASKS_PER_SERVICE_MAX.source,
        ),
    ];
    for (path, what, value, least, source) in checks {
        if value < least {
            v.out_of_limit(
                path,
                format!("the {what} `{value}` is below the least an account has ({least})"),
                format!("at least {least}"),
                cite(source),
            );
        } else if value > ACCOUNT_QUOTA_BOUND {
            v.out_of_limit(
                path,
                format!("the {what} `{value}` is beyond any quota AWS grants"),
                format!("at most {ACCOUNT_QUOTA_BOUND}"),
                format!("write the quota your account has (AWS's default: {}); {}", source.what, cite(source)),
            );
        }
    }
}

/// Past this, a declared quota is a typo, not a raise (AWS's largest raises are far below it).
pub const ACCOUNT_QUOTA_BOUND: u32 = 1_000_000;

/// Limits between sections: the account's quotas against what the
/// components ask for, and an ALB's Availability Zones.
pub fn quotas(v: &mut Validator<'_>, m: &Model) {
    let account = &m.account;
    if let Some(f) = m.function() {
        let floor = limits::UNRESERVED_CONCURRENCY_MIN.value;
        let most = account.lambda_concurrency.saturating_sub(floor);
        if f.provisioned_concurrency > most {
            v.conflict(
                "function.provisioned_concurrency",
                "account.lambda_concurrency",
                format!(
                    "{} provisioned environments leave less than {floor} of the account's {} concurrency unreserved",
                    f.provisioned_concurrency, account.lambda_concurrency
                ),
                (format!("at most {most}"), "account quota".into()),
                format!(
                    "provision at most {most}, or declare the raised quota in `account.lambda_concurrency`; {}",
                    cite(&limits::UNRESERVED_CONCURRENCY_MIN.source)
                ),
            );
        }
    }
    if let Some(s) = m.service().filter(|s| s.tasks.max > account.tasks_per_service) {
        v.out_of_limit(
            "service.tasks.max",
            format!("{} tasks is above the {} tasks an ECS service can run", s.tasks.max, account.tasks_per_service),
            format!("at most {}", account.tasks_per_service),
            format!(
                "lower `max`, or declare a raised quota in `account.tasks_per_service`; {}",
                cite(&limits::TASKS_PER_SERVICE_MAX.source)
            ),
        );
    }
    if m.load_balancer().is_some() && m.network.az_count < limits::ALB_MIN_AZS.value {
        v.conflict(
            "network.az_count",
            "load_balancer",
            format!("an ALB needs subnets in at least two Availability Zones, not {}", m.network.az_count),
            ("fewer than two AZs".into(), "ALB".into()),
            format!("write `az_count: 2` or more; {}", cite(&limits::ALB_MIN_AZS.source)),
        );
    }
}

/// Every check of this module on a whole model: its common sections and
/// each component it has.
pub fn sections_and_components(v: &mut Validator<'_>, m: &Model) {
    workload(v, &m.workload);
    network(v, &m.network);
    observability(v, &m.observability);
    for (i, store) in m.data.iter().enumerate() {
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
}
