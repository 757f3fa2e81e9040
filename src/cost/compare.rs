//! The same workload on the other patterns, with the same service sizing,
//! and the request volumes at which two patterns cost the same.

use rust_decimal::Decimal;
use serde::Serialize;

use super::estimate::{CostOptions, Traffic, monthly_total};
use crate::model::components::defaults;
use crate::model::limits::{self, FARGATE_SIZES_TABLE};
use crate::model::*;
use crate::units::{Duration, Money, Size, Vcpu};

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

fn service_for(memory: Size, architecture: Architecture, gateway_auth: bool) -> Service {
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

fn gateway_for(model: &Model) -> Gateway {
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

fn load_balancer_for(model: &Model, scheme: Scheme, current: Option<&LoadBalancer>) -> LoadBalancer {
    let idle = current.map(|lb| lb.idle_timeout).unwrap_or_else(|| {
        let secs = whole_seconds_up(model.workload.max_request_duration).clamp(60, 4_000);
        Duration::from_secs(secs)
    });
    LoadBalancer { scheme, idle_timeout: idle, waf: current.is_some_and(|lb| lb.waf) }
}

fn vpc_link_for(api: ApiType) -> VpcLink {
    VpcLink { version: if api == ApiType::Websocket { VpcLinkVersion::V1 } else { VpcLinkVersion::V2 } }
}

/// The proposal's workload on `to`, sized like the proposal's compute.
/// `None` when the result would not load (it is checked like any proposal).
pub fn alternative(model: &Model, to: Pattern) -> Option<Model> {
    if model.pattern() == to {
        return Some(model.clone());
    }
    let memory = model.function().map(|f| f.memory).or_else(|| model.service().map(|s| s.memory))?;
    let architecture = model
        .function()
        .map(|f| f.architecture)
        .or_else(|| model.service().map(|s| s.architecture))
        .unwrap_or(Architecture::X86_64);
    let gateway = model.gateway().cloned().unwrap_or_else(|| gateway_for(model));
    let has_authorizer = gateway.authorizer != Authorizer::None;
    let components = match to {
        Pattern::LambdaApiGateway => {
            let timeout = whole_seconds_up(model.workload.max_request_duration).clamp(1, 900);
            let memory = Size::from_mib(memory.as_mib().clamp(128, 10_240));
            Components::LambdaApiGateway(LambdaApiGateway {
                gateway,
                function: Function {
                    runtime: Runtime::ProvidedAl2023,
                    memory,
                    timeout: Duration::from_secs(timeout),
                    architecture,
                    provisioned_concurrency: 0,
                    snapstart: false,
                    ephemeral_storage: defaults::lambda_storage(),
                    vpc: Some(FunctionVpc { subnets: SubnetKind::Private }),
                },
            })
        }
        Pattern::FargateAlb => {
            let service = match model.service() {
                Some(s) => Service {
                    auth: if s.auth == ServiceAuth::Gateway { ServiceAuth::Library } else { s.auth },
                    ..s.clone()
                },
                None => service_for(memory, architecture, false),
            };
            Components::FargateAlb(FargateAlb {
                load_balancer: load_balancer_for(model, Scheme::InternetFacing, model.load_balancer()),
                service,
            })
        }
        Pattern::FargateApiGateway => {
            let service = match model.service() {
                Some(s) => s.clone(),
                None => service_for(memory, architecture, has_authorizer),
            };
            Components::FargateApiGateway(FargateApiGateway {
                vpc_link: vpc_link_for(gateway.api),
                gateway,
                load_balancer: load_balancer_for(model, Scheme::Internal, model.load_balancer()),
                service,
            })
        }
    };
    let candidate = Model { components, waivers: Vec::new(), ..model.clone() };
    // Only a model AWS would accept is compared: load what was built.
    let text = serde_saphyr::to_string(&candidate).ok()?;
    crate::model::load_str("alternative.arch.yaml", &text).ok().map(|p| p.model)
}

/// Two patterns cost the same at this volume.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BreakEven {
    pub between: [Pattern; 2],
    pub requests_per_month: u64,
    pub monthly: Money,
}

/// The request volumes charted: 10^4 to 10^10, twenty points a decade.
pub fn sample_volumes() -> Vec<u64> {
    (0..=120).map(|i| volume_at(f64::from(i) / 20.0 + 4.0)).collect()
}

fn volume_at(log10: f64) -> u64 {
    10f64.powf(log10).round() as u64
}

fn cost_at(model: &Model, options: &CostOptions, requests: u64) -> Decimal {
    monthly_total(model, options, Traffic::Requests(requests)).as_decimal()
}

/// Where the cost curves of each pair of models cross between 10^4 and 10^10 requests.
pub fn break_evens(models: &[Model], options: &CostOptions) -> Vec<BreakEven> {
    let volumes = sample_volumes();
    let mut found = Vec::new();
    for (i, a) in models.iter().enumerate() {
        for b in &models[i + 1..] {
            let diff = |r: u64| cost_at(a, options, r) - cost_at(b, options, r);
            for pair in volumes.windows(2) {
                let (lo, hi) = (pair[0], pair[1]);
                let (dlo, dhi) = (diff(lo), diff(hi));
                if dlo.is_zero() || dlo.is_sign_negative() == dhi.is_sign_negative() || dhi.is_zero() {
                    continue;
                }
                // Bisect in log space to the nearest request.
                let (mut l, mut h) = ((lo as f64).log10(), (hi as f64).log10());
                for _ in 0..48 {
                    let mid = (l + h) / 2.0;
                    if diff(volume_at(mid)).is_sign_negative() == dlo.is_sign_negative() {
                        l = mid;
                    } else {
                        h = mid;
                    }
                }
                let at = volume_at(h);
                found.push(BreakEven {
                    between: [a.pattern(), b.pattern()],
                    requests_per_month: at,
                    monthly: Money::from_decimal(cost_at(a, options, at)),
                });
            }
        }
    }
    found.sort_by_key(|b| b.requests_per_month);
    found
}
