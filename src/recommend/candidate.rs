//! A candidate proposal for each pattern, sized from the needs: a seed of
//! the function and API the needs call for (gateway type and timeout,
//! function memory and timeout, provisioned concurrency when latency
//! matters), then each pattern's from it through its own `alternative`,
//! with the ALB's idle timeout and the Fargate task counts from the
//! capacity model. A candidate never depends on the policies it is judged by.

use rust_decimal::Decimal;

use super::needs::Needs;
use crate::cost::capacity;
use crate::model::limits;
use crate::model::{
    ApiType, Authorizer, Components, DataKind, EndpointType, Environment, Gateway, LoadError, Model, Pattern,
    TransferMode,
};
use crate::patterns::{self, sizing};
use crate::source::NonEmpty;

/// The candidate of `pattern` for `needs`, checked like a loaded proposal:
/// the pattern's own `alternative` built from the needs' seed, the same
/// way for every pattern in the registry.
pub fn candidate(needs: &Needs, pattern: Pattern) -> Result<Model, NonEmpty<LoadError>> {
    let seed = seed(needs, pattern);
    let components = (patterns::def(pattern).alternative)(&seed).ok_or_else(|| {
        NonEmpty::new(LoadError::Syntax {
            help: String::new(),
            message: format!("no `{pattern}` candidate could be built"),
            span: (0, 0).into(),
        })
    })?;
    let mut model = Model { components, ..seed };
    // An internal service's load balancer in front is internal (callers in the VPC).
    if needs.requirements.exposure == crate::model::Exposure::Internal
        && let Some(lb) = model.components.load_balancer.as_mut()
    {
        lb.scheme = crate::model::Scheme::Internal;
    }
    fargate(needs, &mut model);
    patterns::sizing::network_for(&mut model);
    crate::load::validate(&model)?;
    Ok(model)
}

/// The model every candidate shares but for its components.
fn common(needs: &Needs, pattern: Pattern, components: Components) -> Model {
    Model { common: needs.common.clone(), pattern, components, waivers: Vec::new(), import: None }
}

/// What every candidate is built from: the function and the API Gateway
/// the needs call for. Each pattern's `alternative` keeps what it has of
/// them (the function, the API) and sizes the rest from them.
fn seed(needs: &Needs, pattern: Pattern) -> Model {
    let r = &needs.requirements;
    let mut model = common(needs, pattern, Components::default());
    let mut function = sizing::function_for(&model, r.memory, r.architecture);
    function.runtime = r.runtime;
    // Only data stores inside a VPC need the function in one.
    let in_vpc = needs.common.data.iter().any(|d| !matches!(d.kind, DataKind::Dynamodb | DataKind::S3));
    if !in_vpc {
        function.vpc = None;
    }
    // A latency-sensitive need's function is warm up to its peak
    // (sizing::provisioned_for, in function_for: `policy cost` sizes its
    // Lambda alternative by the same rule).
    model.components =
        Components { gateway: Some(gateway(needs, pattern)), function: Some(function), ..Components::default() };
    model
}

/// The API the needs call for: the required one; a WebSocket API for
/// WebSocket clients; REST when responses stream, when requests outlast an
/// HTTP API's 30 s, or for partner edge controls (usage plans, API keys,
/// WAF); otherwise an HTTP API, the cheapest.
pub fn api_for(needs: &Needs) -> ApiType {
    let w = &needs.common.workload;
    if let Some(api) = needs.requirements.api {
        api
    } else if w.websockets {
        ApiType::Websocket
    } else if w.streaming
        || needs.requirements.edge_controls
        || needs.requirements.exposure == crate::model::Exposure::Internal
        || w.max_request_duration > limits::HTTP_TIMEOUT_MAX.value
    {
        ApiType::Rest
    } else {
        ApiType::Http
    }
}

fn gateway(needs: &Needs, pattern: Pattern) -> Gateway {
    let api = api_for(needs);
    let edge = needs.requirements.edge_controls;
    use crate::model::CallersAuth;
    let authorizer = match (needs.requirements.callers_auth, api) {
        // Signed requests (webhooks) are verified by the service itself.
        (CallersAuth::Signed | CallersAuth::None, _) => Authorizer::None,
        (CallersAuth::Iam, _) => Authorizer::Iam,
        _ if edge => Authorizer::Lambda,
        (CallersAuth::Jwt, ApiType::Http) => Authorizer::Jwt,
        (CallersAuth::Jwt, ApiType::Rest) => Authorizer::Cognito,
        (CallersAuth::Jwt, ApiType::Websocket) => Authorizer::Lambda,
    };
    // An internal service is reached through a private REST API only.
    let endpoint = sizing::endpoint_for(api, needs.requirements.exposure);
    let internal = endpoint == EndpointType::Private;
    let streams = needs.common.workload.streaming && api == ApiType::Rest;
    let throttle = edge.then(|| crate::patterns::settings::throttle_for(&common(needs, pattern, Components::default())));
    Gateway {
        api,
        endpoint,
        integration_timeout: match api {
            ApiType::Http => limits::HTTP_TIMEOUT_MAX.value,
            // A streaming REST API waits up to 15 minutes, as a proposal's
            // `transfer: stream` does (the decoder's default).
            ApiType::Rest if streams => limits::REST_STREAM_TIMEOUT_MAX.value,
            ApiType::Rest => limits::REST_TIMEOUT_DEFAULT.value,
            ApiType::Websocket => limits::WEBSOCKET_TIMEOUT_MAX.value,
        },
        timeout_quota_raised: false,
        transfer: if streams { TransferMode::Stream } else { TransferMode::Buffered },
        authorizer,
        waf: api == ApiType::Rest && needs.common.environment == Environment::Production && !internal,
        throttle,
        cache_gb: None,
        authorizer_cache_ttl: None,
    }
}

/// The tasks from the capacity model. The ALB's idle timeout is the shared
/// sizing's ([`sizing::load_balancer_for`]), and its WAF, like every setting
/// a policy requires, comes from [`crate::patterns::settings::configure`],
/// as in `policy cost`.
fn fargate(needs: &Needs, model: &mut Model) {
    let w = &needs.common.workload;
    let snapshot = model.clone();
    if let Some(service) = model.components.service.as_mut() {
        // Room for twice the declared peak, within what one service may run.
        let peak = capacity::tasks_at(&snapshot, service, w.requests_per_month).needed;
        let floor = u64::from(service.tasks.desired.max(service.tasks.min)).max(10);
        let max = (peak.saturating_mul(2)).max(floor).min(u64::from(service.tasks.max));
        service.tasks.max = u32::try_from(max).unwrap_or(service.tasks.max).max(service.tasks.desired);
    }
}

/// `model` with its service allowed to run as many tasks as one service
/// may: the cost curve of the pattern rather than of this sizing, for
/// break-even volumes far from the declared one.
pub fn unbounded(model: &Model) -> Model {
    let mut model = model.clone();
    let most = model.common.account.tasks_per_service.clamp(1, limits::ALB_TARGETS_MAX.value);
    if let Some(service) = model.components.service.as_mut() {
        service.tasks.max = service.tasks.max.max(most);
    }
    model
}

/// Requests in flight at the declared peak (peak rate × average duration).
pub fn peak_concurrency(needs: &Needs) -> Decimal {
    let seconds = Decimal::from(needs.common.workload.avg_duration.as_millis()) / Decimal::from(1000);
    Decimal::from(needs.common.workload.peak_rps) * seconds
}
