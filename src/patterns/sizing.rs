//! Sizing the components of an alternative from the model it is built from:
//! the same memory and architecture, a timeout for the longest request.

use crate::model::components::defaults;
use crate::model::limits::{self, FARGATE_SIZES_TABLE};
use crate::model::{
    ApiType, Architecture, Authorizer, EndpointType, Function, FunctionVpc, Gateway, LoadBalancer, Model, Runtime,
    Scheme, Service, ServiceAuth, SubnetKind, Tasks, TransferMode,
};
use crate::units::{Duration, Size, Vcpu};

/// The memory and architecture of the model's compute.
pub(super) fn compute_of(model: &Model) -> Option<(Size, Architecture)> {
    match (model.function(), model.service()) {
        (Some(f), _) => Some((f.memory, f.architecture)),
        (None, Some(s)) => Some((s.memory, s.architecture)),
        (None, None) => None,
    }
}

/// The smallest Fargate size with at least `memory`.
fn fargate_size_for(memory: Size) -> (Vcpu, Size) {
    for row in FARGATE_SIZES_TABLE.value {
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

/// A service of the smallest Fargate size with `memory`, two to ten tasks.
pub(super) fn service_for(memory: Size, architecture: Architecture, gateway_auth: bool) -> Service {
    let (cpu, memory) = fargate_size_for(memory);
    Service {
        cpu,
        memory,
        tasks: Tasks { min: 2, desired: 2, max: 10 },
        architecture,
        subnets: SubnetKind::Private,
        public_ip: false,
        spot: false,
        auth: if gateway_auth { ServiceAuth::Gateway } else { ServiceAuth::Library },
        ephemeral_storage: defaults::task_storage(),
    }
}

/// A function with `memory`, in a VPC's private subnets, whose timeout covers
/// the longest request.
pub(super) fn function_for(model: &Model, memory: Size, architecture: Architecture) -> Function {
    let timeout = whole_seconds_up(model.workload.max_request_duration).clamp(1, 900);
    Function {
        runtime: Runtime::PROVIDED_AL2023,
        memory: Size::from_mib(memory.as_mib().clamp(128, 10_240)),
        timeout: Duration::from_secs(timeout),
        architecture,
        provisioned_concurrency: 0,
        snapstart: false,
        ephemeral_storage: defaults::lambda_storage(),
        vpc: Some(FunctionVpc { subnets: SubnetKind::Private }),
    }
}

/// A Regional REST API (a WebSocket API for WebSocket clients) with the
/// API's default timeout.
pub(super) fn gateway_for(model: &Model) -> Gateway {
    let api = if model.workload.websockets { ApiType::Websocket } else { ApiType::Rest };
    let timeout = match api {
        ApiType::Websocket => limits::WEBSOCKET_TIMEOUT_MAX.value,
        _ => limits::REST_TIMEOUT_DEFAULT.value,
    };
    Gateway {
        api,
        endpoint: EndpointType::Regional,
        integration_timeout: timeout,
        timeout_quota_raised: false,
        transfer: TransferMode::Buffered,
        authorizer: Authorizer::None,
        waf: false,
        throttle: None,
        cache_gb: None,
    }
}

/// The load balancer the model had, with `scheme`, or one whose idle timeout
/// covers the longest request.
pub(super) fn load_balancer_for(model: &Model, scheme: Scheme) -> LoadBalancer {
    let current = model.load_balancer();
    let idle = current.map(|lb| lb.idle_timeout).unwrap_or_else(|| {
        let secs = whole_seconds_up(model.workload.max_request_duration).clamp(60, 4_000);
        Duration::from_secs(secs)
    });
    LoadBalancer { scheme, idle_timeout: idle, waf: current.is_some_and(|lb| lb.waf) }
}
