//! proptest strategies that build valid models of each pattern: every value
//! inside AWS's limits and every cross-component rule kept, so each
//! generated model must load.

#![allow(dead_code)]

use std::collections::BTreeMap;

use archpolicy::model::limits::{self, FARGATE_SIZES_TABLE};
use archpolicy::model::*;
use archpolicy::units::{Date, Duration, Percent, Size, Vcpu};
use proptest::prelude::*;

fn secs(range: std::ops::RangeInclusive<u64>) -> impl Strategy<Value = Duration> {
    range.prop_map(Duration::from_secs)
}

/// Names and free text, including spellings YAML would otherwise read as
/// other types, to exercise quoting on the way out and back.
pub fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z][a-z0-9-]{0,20}",
        Just("yes".to_string()),
        Just("null".to_string()),
        Just("1.50".to_string()),
        Just("007".to_string()),
        Just("a: b # c".to_string()),
        Just("@platform".to_string()),
        "[ -~]{1,30}",
    ]
}

/// Text that says something: a name, a waiver's reason or approver is
/// never blank (the loader's own rule, `untrusted::is_blank`).
pub fn said() -> impl Strategy<Value = String> {
    text().prop_filter("not blank", |t| !archpolicy::untrusted::is_blank(t))
}

pub fn workload() -> impl Strategy<Value = Workload> {
    (
        0u64..=10_000_000_000,
        1u64..=120_000,
        0u64..=3_600_000,
        1u32..=100_000,
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        proptest::option::of((1u64..=1_000_000).prop_map(Size::from_bytes)),
        proptest::option::of(0u64..=10_000_000_000),
        proptest::option::of((1u64..=1 << 34).prop_map(Size::from_bytes)),
        proptest::option::of((1u64..=86_400_000).prop_map(Duration::from_millis)),
        (any::<bool>(), proptest::option::of((1u64..=86_400).prop_map(Duration::from_secs))),
    )
        .prop_map(
            |(
                requests,
                avg,
                extra,
                peak,
                websockets,
                streaming,
                latency_sensitive,
                avg_payload,
                minutes,
                max_payload,
                connection_duration,
                (asynchronous, completion_deadline),
            )| Workload {
                requests_per_month: requests,
                avg_duration: Duration::from_millis(avg),
                max_request_duration: Duration::from_millis(avg + extra),
                // At least the month's average rate (a lower peak is refused).
                peak_rps: peak.max(
                    u32::try_from(requests.div_ceil(archpolicy::model::limits::workload::SECONDS_PER_MONTH))
                        .unwrap_or(u32::MAX),
                ),
                websockets,
                streaming,
                latency_sensitive,
                avg_payload,
                connection_minutes_per_month: minutes,
                clients: minutes.map(|m| m % 10_000 + 1),
                peak_hours_per_month: minutes.map(|m| m % 730 + 1),
                // At most Fargate's 16 vCPU for the whole request (a larger one is refused).
                cpu_time_per_request: connection_duration
                    .map(|d| Duration::from_millis((d.as_millis() % 2_000 + 1).min(16 * avg))),
                egress_per_month: max_payload.map(|p| Size::from_bytes(p.as_bytes().saturating_mul(1000))),
                max_payload,
                connection_duration,
                response: if asynchronous { ResponseMode::Async } else { ResponseMode::Sync },
                // At least the longest job (a shorter deadline is refused).
                completion_deadline: completion_deadline.map(|d: Duration| d.max(Duration::from_millis(avg + extra))),
            },
        )
}

/// The account's quotas: AWS's defaults, or raised.
pub fn account() -> impl Strategy<Value = Account> {
    prop_oneof![
        Just(archpolicy::model::components::defaults::account()),
        (1_000u32..=100_000, 10_000u32..=100_000, 5_000u32..=100_000, 5_000u32..=100_000).prop_map(
            |(lambda_concurrency, rate, burst, tasks_per_service)| Account {
                lambda_concurrency,
                api_throttle: Throttle { rate, burst },
                tasks_per_service,
            }
        ),
    ]
}

fn one_of<T: Clone + std::fmt::Debug + 'static>(items: &'static [T]) -> impl Strategy<Value = T> {
    proptest::sample::select(items)
}

/// A gateway whose settings AWS accepts; `with_authorizer` forces one.
pub fn gateway(with_authorizer: bool) -> impl Strategy<Value = Gateway> {
    (
        one_of(&[ApiType::Rest, ApiType::Http, ApiType::Websocket]),
        one_of(&[EndpointType::Regional, EndpointType::Edge, EndpointType::Private]),
        any::<bool>(),
        any::<bool>(),
        0.0f64..=1.0,
        one_of(&[Authorizer::None, Authorizer::Lambda, Authorizer::Jwt, Authorizer::Iam, Authorizer::Cognito]),
        any::<bool>(),
        proptest::option::of((1u32..=10_000, 1u32..=5_000)),
        proptest::option::of(proptest::sample::select(CacheSize::OFFERED.to_vec())),
    )
        .prop_map(move |(api, endpoint, raised, stream, fraction, authorizer, waf, throttle, cache)| {
            let endpoint = if api == ApiType::Rest { endpoint } else { EndpointType::Regional };
            let transfer = if api == ApiType::Rest && stream { TransferMode::Stream } else { TransferMode::Buffered };
            let raised = raised && api == ApiType::Rest && endpoint != EndpointType::Edge;
            let ceiling = limits::integration_timeout_ceiling(api, endpoint, raised, transfer).value.as_millis();
            let min = limits::INTEGRATION_TIMEOUT_MIN.value.as_millis();
            let timeout = min + ((ceiling - min) as f64 * fraction) as u64;
            let authorizer =
                if with_authorizer && authorizer == Authorizer::None { Authorizer::Lambda } else { authorizer };
            // Each API type's own authorizers: JWT is HTTP's, a Cognito user pool REST's.
            let authorizer = match (api, authorizer) {
                (ApiType::Rest, Authorizer::Jwt) => Authorizer::Cognito,
                (ApiType::Http, Authorizer::Cognito) => Authorizer::Jwt,
                (ApiType::Websocket, Authorizer::Jwt | Authorizer::Cognito) => Authorizer::Lambda,
                (_, a) => a,
            };
            Gateway {
                api,
                endpoint,
                integration_timeout: Duration::from_millis(timeout),
                timeout_quota_raised: raised,
                transfer,
                authorizer,
                waf: waf && api == ApiType::Rest,
                throttle: throttle.map(|(rate, burst)| Throttle { rate, burst }),
                cache_gb: cache
                    .filter(|_| api == ApiType::Rest && transfer == TransferMode::Buffered)
                    .and_then(|gb| CacheSize::new(rust_decimal::Decimal::from_str_exact(gb).ok()?)),
                authorizer_cache_ttl: throttle
                    .filter(|_| api != ApiType::Websocket)
                    .map(|(rate, _)| Duration::from_secs(u64::from(rate) % 3601)),
            }
        })
}

pub fn function() -> impl Strategy<Value = Function> {
    (
        proptest::sample::select(<Runtime as NamedEnum>::TYPE.values),
        128u64..=10_240,
        secs(1..=900),
        one_of(&[Architecture::X86_64, Architecture::Arm64]),
        0u32..=100,
        any::<bool>(),
        512u64..=10_240,
        proptest::option::of(one_of(&[SubnetKind::Private, SubnetKind::Public])),
    )
        .prop_map(|(runtime, memory, timeout, architecture, pc, snapstart, storage, vpc)| {
            let runtime = Runtime::from_name(runtime).unwrap();
            // SnapStart only where the runtime has it, without provisioned concurrency, with 512 MB of /tmp at most.
            let snapstart = snapstart && runtime.info().snapstart;
            Function {
                runtime,
                memory: Size::from_mib(memory),
                timeout,
                architecture,
                provisioned_concurrency: if snapstart { 0 } else { pc },
                snapstart,
                ephemeral_storage: Size::from_mib(if snapstart { storage.min(512) } else { storage }),
                vpc: vpc.map(|subnets| FunctionVpc { subnets }),
            }
        })
}

/// A CPU and memory pair from Fargate's table.
pub fn fargate_size() -> impl Strategy<Value = (Vcpu, Size)> {
    (0..FARGATE_SIZES_TABLE.value.len(), 0u64..64).prop_map(|(row, step)| {
        let row = FARGATE_SIZES_TABLE.value[row];
        if row.cpu == Vcpu::from_millis(250) {
            return (row.cpu, [512, 1024, 2048].map(Size::from_mib)[step as usize % 3]);
        }
        let steps = (row.max.as_bytes() - row.min.as_bytes()) / row.step.as_bytes() + 1;
        let memory = row.min.as_bytes() + (step % steps) * row.step.as_bytes();
        (row.cpu, Size::from_bytes(memory))
    })
}

pub fn service(auths: &'static [ServiceAuth]) -> impl Strategy<Value = Service> {
    (
        fargate_size(),
        (0u32..=50, 0u32..=50, 1u32..=5_000),
        one_of(&[Architecture::X86_64, Architecture::Arm64]),
        one_of(&[SubnetKind::Private, SubnetKind::Public]),
        any::<bool>(),
        any::<bool>(),
        one_of(auths),
        prop_oneof![Just(20u64), 21u64..=200],
    )
        .prop_map(|((cpu, memory), (a, b, max), architecture, subnets, public_ip, spot, auth, storage)| {
            let min = a.min(max);
            let desired = (min + b).min(max);
            Service {
                cpu,
                memory,
                tasks: Tasks { min, desired, max },
                architecture,
                subnets,
                public_ip,
                spot,
                auth,
                ephemeral_storage: Size::from_gib(storage),
                concurrency_per_task: (storage > 20).then(|| u32::try_from(storage % 50).unwrap_or(0) + 1),
                // An image of a few hundred MiB when the storage is odd, none declared otherwise.
                image_size: (storage % 2 == 1).then(|| Size::from_mib(storage * 7)),
            }
        })
}

pub fn load_balancer(scheme: Scheme) -> impl Strategy<Value = LoadBalancer> {
    (secs(1..=4_000), any::<bool>()).prop_map(move |(idle_timeout, waf)| LoadBalancer { scheme, idle_timeout, waf })
}

pub fn network() -> impl Strategy<Value = Network> {
    (1u8..=6, 0u8..=12, any::<bool>()).prop_map(|(az_count, nat_gateways, vpc_endpoints)| Network {
        az_count,
        nat_gateways,
        vpc_endpoints,
    })
}

pub fn data() -> impl Strategy<Value = Vec<DataStore>> {
    proptest::collection::vec(
        (proptest::sample::select(<DataKind as NamedEnum>::TYPE.values), any::<bool>()).prop_map(|(kind, proxy)| {
            let kind = DataKind::from_name(kind).unwrap();
            DataStore { kind, proxy: proxy && matches!(kind, DataKind::Rds | DataKind::Aurora) }
        }),
        0..4,
    )
}

pub fn waivers() -> impl Strategy<Value = Vec<Waiver>> {
    proptest::collection::vec(
        ("[a-z][a-z-]{0,15}", said(), 2000u16..=2100, 1u8..=12, 1u8..=28, said()).prop_map(
            |(policy, reason, y, m, d, approved_by)| Waiver {
                policy,
                reason,
                expires: Date::new(y, m, d).unwrap(),
                approved_by,
            },
        ),
        0..3,
    )
}

/// A pattern and its components.
pub fn components() -> impl Strategy<Value = (Pattern, Components)> {
    prop_oneof![
        (gateway(false), function()).prop_map(|(gateway, function)| {
            let components = Components { gateway: Some(gateway), function: Some(function), ..Components::default() };
            (Pattern::LambdaApiGateway, components)
        }),
        (
            // Internet-facing, or internal for callers inside the VPC (issue 28).
            prop_oneof![Just(Scheme::InternetFacing), Just(Scheme::Internal)].prop_flat_map(load_balancer),
            service(&[
                ServiceAuth::Library,
                ServiceAuth::Sidecar,
                ServiceAuth::Mesh,
                ServiceAuth::AlbOidc,
                ServiceAuth::AlbCognito,
                ServiceAuth::None
            ])
        )
            .prop_map(|(load_balancer, service)| {
                let components =
                    Components { load_balancer: Some(load_balancer), service: Some(service), ..Components::default() };
                (Pattern::FargateAlb, components)
            }),
        (any::<bool>(), gateway(false), gateway(true)).prop_flat_map(|(gateway_auth, open, guarded)| {
            let gateway = if gateway_auth { guarded } else { open };
            let auths: &'static [ServiceAuth] = if gateway_auth {
                &[ServiceAuth::Gateway, ServiceAuth::Library, ServiceAuth::AlbOidc]
            } else {
                &[
                    ServiceAuth::Library,
                    ServiceAuth::Sidecar,
                    ServiceAuth::Mesh,
                    ServiceAuth::AlbCognito,
                    ServiceAuth::None,
                ]
            };
            let versions: &'static [VpcLinkVersion] = match gateway.api {
                ApiType::Http => &[VpcLinkVersion::V2],
                ApiType::Websocket => &[VpcLinkVersion::V1],
                ApiType::Rest => &[VpcLinkVersion::V1, VpcLinkVersion::V2],
            };
            (Just(gateway), one_of(versions), load_balancer(Scheme::Internal), service(auths)).prop_map(
                |(gateway, version, load_balancer, service)| {
                    let components = Components {
                        gateway: Some(gateway),
                        vpc_link: Some(VpcLink { version }),
                        load_balancer: Some(load_balancer),
                        service: Some(service),
                        ..Components::default()
                    };
                    (Pattern::FargateApiGateway, components)
                },
            )
        }),
        (function(), function_url()).prop_map(|(mut function, mut url)| {
            // A URL streams only from a function outside a VPC.
            if function.vpc.is_some() {
                url.invoke_mode = InvokeMode::Buffered;
            }
            // Provisioned concurrency counts toward the reserved concurrency, within it.
            if let Some(reserved) = url.reserved_concurrency {
                function.provisioned_concurrency = function.provisioned_concurrency.min(reserved);
            }
            let components = Components { function_url: Some(url), function: Some(function), ..Components::default() };
            (Pattern::LambdaFunctionUrl, components)
        }),
        // Lambda behind an ALB, internet-facing or internal (issue 28).
        (prop_oneof![Just(Scheme::InternetFacing), Just(Scheme::Internal)].prop_flat_map(load_balancer), function())
            .prop_map(|(load_balancer, function)| {
                let components = Components {
                    load_balancer: Some(load_balancer),
                    function: Some(function),
                    ..Components::default()
                };
                (Pattern::LambdaAlb, components)
            }),
        // An API that enqueues (REST or HTTP, buffered), a queue, a worker (issue 28).
        queue_worker(),
        fargate_queue_worker(),
    ]
}

/// `fargate_queue_worker`: the same API that enqueues, a queue read by the
/// tasks themselves (no event source mapping: at most 10 messages a
/// receive, no batching window, no mapping concurrency), and the service.
fn fargate_queue_worker() -> impl Strategy<Value = (Pattern, Components)> {
    (queue_worker(), service(&[ServiceAuth::Library, ServiceAuth::Sidecar, ServiceAuth::Mesh, ServiceAuth::None]))
        .prop_map(|((_, mut components), service)| {
            if let Some(queue) = components.queue.as_mut() {
                queue.batch_size = queue.batch_size % 10 + 1;
                queue.batching_window = Duration::ZERO;
                queue.max_concurrency = None;
            }
            components.function = None;
            components.service = Some(service);
            (Pattern::FargateQueueWorker, components)
        })
}

/// `queue_worker`: an API that enqueues (REST or HTTP, buffered), a queue whose
/// visibility timeout covers the worker's timeout, and the worker.
fn queue_worker() -> impl Strategy<Value = (Pattern, Components)> {
    (gateway(false), function(), queue()).prop_map(|(mut gateway, function, mut queue)| {
        if gateway.api == ApiType::Websocket {
            gateway.api = ApiType::Http;
            gateway.authorizer = Authorizer::Jwt;
            gateway.integration_timeout = gateway.integration_timeout.min(limits::HTTP_TIMEOUT_MAX.value);
        }
        if gateway.transfer == TransferMode::Stream {
            gateway.transfer = TransferMode::Buffered;
            gateway.integration_timeout = gateway.integration_timeout.min(limits::REST_TIMEOUT_DEFAULT.value);
        }
        // Lambda refuses a mapping whose function outlasts the visibility timeout.
        queue.visibility_timeout = queue.visibility_timeout.max(function.timeout);
        let components = Components {
            gateway: Some(gateway),
            queue: Some(queue),
            function: Some(function),
            ..Components::default()
        };
        (Pattern::QueueWorker, components)
    })
}

/// A queue and its event source mapping as AWS takes them: a FIFO queue's
/// batches of 10 at most and no batching window, a window of 1 s at least
/// for batches above 10.
pub fn queue() -> impl Strategy<Value = Queue> {
    (
        one_of(&[QueueType::Standard, QueueType::Fifo]),
        secs(0..=43_200),
        secs(60..=1_209_600),
        proptest::option::of(1u32..=1_000),
        1u32..=10_000,
        secs(0..=300),
        proptest::option::of(2u32..=1_000),
    )
        .prop_map(|(kind, visibility_timeout, retention, max_receives, batch, window, max_concurrency)| {
            let fifo = kind == QueueType::Fifo;
            let batch_size = if fifo { batch % 10 + 1 } else { batch };
            let batching_window = if fifo {
                Duration::ZERO
            } else if batch_size > 10 {
                window.max(Duration::from_secs(1))
            } else {
                window
            };
            Queue { kind, visibility_timeout, retention, max_receives, batch_size, batching_window, max_concurrency }
        })
}

/// A function URL as AWS takes it: WAF only through CloudFront, CloudFront
/// only with IAM auth, CORS within its lists' limits.
pub fn function_url() -> impl Strategy<Value = FunctionUrl> {
    let methods = proptest::sample::subsequence(vec!["GET", "PUT", "HEAD", "POST", "PATCH", "DELETE"], 0..=6);
    let origins = proptest::collection::vec("https://[a-z]{1,8}\\.example\\.com", 0..4);
    let cors = proptest::option::of((origins, methods, any::<bool>(), secs(0..=86_400)).prop_map(
        |(allow_origins, methods, allow_credentials, max_age)| Cors {
            allow_origins,
            allow_methods: methods.into_iter().map(String::from).collect(),
            allow_headers: Vec::new(),
            expose_headers: Vec::new(),
            allow_credentials,
            max_age,
        },
    ));
    (
        one_of(&[UrlAuth::AwsIam, UrlAuth::None]),
        one_of(&[InvokeMode::Buffered, InvokeMode::ResponseStream]),
        proptest::option::of(1u32..=100),
        any::<bool>(),
        any::<bool>(),
        cors,
    )
        .prop_map(|(auth, invoke_mode, reserved_concurrency, cloudfront, waf, cors)| {
            let cloudfront = cloudfront && auth == UrlAuth::AwsIam;
            FunctionUrl { auth, invoke_mode, reserved_concurrency, cloudfront, waf: waf && cloudfront, cors }
        })
}

pub fn model() -> impl Strategy<Value = Model> {
    (
        said(),
        components(),
        proptest::sample::select(Environment::ALL.to_vec()),
        proptest::collection::btree_map("[a-z][a-z_]{0,10}", text(), 0..4),
        workload(),
        network(),
        data(),
        (
            one_of(&[LogSink::Cloudwatch, LogSink::Firelens, LogSink::None]),
            one_of(&[Tracing::Xray, Tracing::Otel, Tracing::None]),
            proptest::option::of((0u64..=1 << 40).prop_map(Size::from_bytes)),
            proptest::option::of(
                (0i64..=10_000).prop_map(|n| Percent::from_fraction(rust_decimal::Decimal::new(n, 4))),
            ),
        ),
        (waivers(), account()),
    )
        .prop_map(
            |(
                name,
                (pattern, components),
                environment,
                tags,
                workload,
                network,
                data,
                (logs, tracing, volume, sampling),
                (waivers, account),
            )| {
                // A queue's callers accept 202, and a body fits one SQS message.
                let workload = match components.queue {
                    Some(_) => Workload {
                        response: ResponseMode::Async,
                        max_payload: workload.max_payload.map(|p| p.min(Size::from_mib(1))),
                        ..workload
                    },
                    None => workload,
                };
                // An ALB spans two Availability Zones at least.
                let network = match components.load_balancer {
                    Some(_) => Network { az_count: network.az_count.max(2), ..network },
                    None => network,
                };
                Model {
                    pattern,
                    common: Common {
                        name,
                        environment,
                        tags: tags.into_iter().collect::<BTreeMap<_, _>>(),
                        workload,
                        network,
                        data,
                        observability: Observability {
                            logs,
                            tracing,
                            logs_per_month: volume,
                            trace_sampling: sampling,
                        },
                        account,
                    },
                    components,
                    waivers,
                    import: None,
                }
            },
        )
}
