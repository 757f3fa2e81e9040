//! The readers of each section of a proposal: which keys it has, which are
//! required, their defaults, and the checks that run as soon as a value is
//! read (so limit errors come with shape errors elsewhere in the file).

use super::super::{Common, Components};
use super::super::components::*;
use super::super::enums::*;
use super::super::err::LoadError;
use super::super::limits;
use super::super::origins::Origin;
use super::super::validate;
use super::{Decoder, Section};
use crate::yaml::Value;

/// The longest lists a proposal may hold.
pub const MAX_DATA_STORES: usize = 100;
pub const MAX_WAIVERS: usize = 1_000;
pub const MAX_TAGS: usize = 256;

impl Decoder {
    /// Reads `component` into `into`; false when it is missing or did not
    /// decode (the errors are recorded). `scheme` is a load balancer's default.
    pub fn component(
        &mut self,
        top: &mut Section<'_>,
        component: Component,
        scheme: Scheme,
        into: &mut Components,
    ) -> bool {
        match component {
            Component::Gateway => into.gateway = self.gateway(top),
            Component::Function => into.function = self.function(top),
            Component::Service => {
                // Behind a gateway that authorizes, the gateway is the service's auth unless it says otherwise.
                let authorized = into.gateway.as_ref().is_some_and(|g| g.authorizer != Authorizer::None);
                into.service = self.service(top, authorized.then_some(ServiceAuth::Gateway));
            }
            Component::LoadBalancer => into.load_balancer = self.load_balancer(top, scheme),
            Component::VpcLink => into.vpc_link = self.vpc_link(top),
            Component::FunctionUrl => into.function_url = self.function_url(top),
            Component::Queue => into.queue = self.queue(top),
        }
        into.has(component)
    }

    pub fn tags(&mut self, top: &mut Section<'_>) -> Option<Tags> {
        let mut tags = Tags::new();
        let Some(mut section) = self.optional_section(top, "tags")? else {
            return Some(tags);
        };
        if section.entries.len() > MAX_TAGS {
            self.error(LoadError::TooMany {
                message: format!("{} tags; a proposal may have {MAX_TAGS} at most", section.entries.len()),
                span: section.span,
                help: "keep the tags policies read".into(),
            });
            return None;
        }
        let mut ok = true;
        for (key, node) in section.entries {
            let path = format!("tags.{}", key.name);
            let value: Option<String> = self.decode(path.clone(), &path, node);
            match value {
                Some(v) => {
                    tags.insert(key.name.clone(), v);
                }
                None => ok = false,
            }
        }
        section.take_all();
        self.finish(section);
        ok.then_some(tags)
    }

    pub fn workload(&mut self, top: &mut Section<'_>) -> Option<Workload> {
        let mut s = self.required_section(
            top,
            "workload",
            "{ requests_per_month: 1000000, avg_duration: 100ms, max_request_duration: 5s, peak_rps: 50 }",
        )?;
        let requests_per_month = self.required(&mut s, "requests_per_month", "1000000");
        let avg_duration = self.required(&mut s, "avg_duration", "100ms");
        let max_request_duration = self.required(&mut s, "max_request_duration", "5s");
        let peak_rps = self.required(&mut s, "peak_rps", "50");
        let websockets = self.optional(&mut s, "websockets", false, None);
        let streaming = self.optional(&mut s, "streaming", false, None);
        let latency_sensitive = self.optional(&mut s, "latency_sensitive", false, None);
        let avg_payload = self.maybe(&mut s, "avg_payload");
        let connection_minutes = self.maybe(&mut s, "connection_minutes_per_month");
        let max_payload = self.maybe(&mut s, "max_payload");
        let connection_duration = self.maybe(&mut s, "connection_duration");
        let egress_per_month = self.maybe(&mut s, "egress_per_month");
        let clients = self.maybe(&mut s, "clients");
        let peak_hours_per_month = self.maybe(&mut s, "peak_hours_per_month");
        let cpu_time_per_request = self.maybe(&mut s, "cpu_time_per_request");
        let response = self.optional(&mut s, "response", defaults::response(), None);
        let completion_deadline = self.maybe(&mut s, "completion_deadline");
        self.finish(s);
        let workload = Workload {
            requests_per_month: requests_per_month?,
            avg_duration: avg_duration?,
            max_request_duration: max_request_duration?,
            peak_rps: peak_rps?,
            websockets: websockets?,
            streaming: streaming?,
            latency_sensitive: latency_sensitive?,
            avg_payload: avg_payload?,
            connection_minutes_per_month: connection_minutes?,
            max_payload: max_payload?,
            connection_duration: connection_duration?,
            egress_per_month: egress_per_month?,
            clients: clients?,
            peak_hours_per_month: peak_hours_per_month?,
            cpu_time_per_request: cpu_time_per_request?,
            response: response?,
            completion_deadline: completion_deadline?,
        };
        validate::workload(&mut self.validator(), &workload);
        Some(workload)
    }

    pub fn gateway(&mut self, top: &mut Section<'_>) -> Option<Gateway> {
        let mut s = self.required_section(top, "gateway", "{ api: rest }")?;
        let api: Option<ApiType> = self.required(&mut s, "api", "rest");
        let endpoint = self.optional(&mut s, "endpoint", defaults::endpoint(), None);
        let transfer = self.optional(&mut s, "transfer", defaults::transfer(), None);
        let default_timeout = match (api, transfer) {
            (Some(ApiType::Http), _) => limits::HTTP_TIMEOUT_MAX,
            (Some(ApiType::Websocket), _) => limits::WEBSOCKET_TIMEOUT_MAX,
            // A stream may run past 29 s without a raised quota (AWS's page says so).
            (Some(ApiType::Rest), Some(TransferMode::Stream)) => limits::REST_STREAM_TIMEOUT_MAX,
            (Some(ApiType::Rest) | None, _) => limits::REST_TIMEOUT_DEFAULT,
        };
        let integration_timeout =
            self.optional(&mut s, "integration_timeout", default_timeout.value, Some(default_timeout.source));
        let timeout_quota_raised = self.optional(&mut s, "timeout_quota_raised", false, None);
        let authorizer = self.optional(&mut s, "authorizer", defaults::authorizer(), None);
        let waf = self.optional(&mut s, "waf", false, None);
        let throttle = self.throttle(&mut s);
        let cache_gb = self.maybe(&mut s, "cache_gb");
        let authorizer_cache_ttl = self.maybe(&mut s, "authorizer_cache_ttl");
        self.finish(s);
        let gateway = Gateway {
            api: api?,
            endpoint: endpoint?,
            integration_timeout: integration_timeout?,
            timeout_quota_raised: timeout_quota_raised?,
            transfer: transfer?,
            authorizer: authorizer?,
            waf: waf?,
            throttle: throttle?,
            cache_gb: cache_gb?,
            authorizer_cache_ttl: authorizer_cache_ttl?,
        };
        validate::gateway(&mut self.validator(), &gateway);
        Some(gateway)
    }

    pub fn throttle(&mut self, gateway: &mut Section<'_>) -> Option<Option<Throttle>> {
        let Some(mut s) = self.optional_section(gateway, "throttle")? else {
            return Some(None);
        };
        let rate = self.required(&mut s, "rate", "1000");
        let burst = self.required(&mut s, "burst", "2000");
        self.finish(s);
        Some(Some(Throttle { rate: rate?, burst: burst? }))
    }

    pub fn function(&mut self, top: &mut Section<'_>) -> Option<Function> {
        let mut s = self.required_section(top, "function", "{ runtime: python3.13, memory: 512MiB, timeout: 10s }")?;
        let runtime = self.required(&mut s, "runtime", "python3.13");
        let memory = self.required(&mut s, "memory", "512MiB");
        let timeout = self.required(&mut s, "timeout", "10s");
        let architecture = self.optional(&mut s, "architecture", defaults::architecture(), None);
        let provisioned_concurrency = self.optional(&mut s, "provisioned_concurrency", 0, None);
        let snapstart = self.optional(&mut s, "snapstart", false, None);
        let ephemeral_storage = self.optional(
            &mut s,
            "ephemeral_storage",
            limits::LAMBDA_TMP_MIN.value,
            Some(limits::LAMBDA_TMP_MIN.source),
        );
        if let Some(t) = timeout {
            validate::lambda_timeout(&mut self.validator(), t);
        }
        if let Some(m) = memory {
            validate::lambda_memory(&mut self.validator(), m);
        }
        if let Some(e) = ephemeral_storage {
            validate::lambda_storage(&mut self.validator(), e);
        }
        let vpc = match self.optional_section(&mut s, "vpc") {
            Some(Some(mut v)) => {
                let subnets = self.required(&mut v, "subnets", "private");
                self.finish(v);
                subnets.map(|subnets| Some(FunctionVpc { subnets }))
            }
            Some(None) => Some(None),
            None => None,
        };
        self.finish(s);
        let function = Function {
            runtime: runtime?,
            memory: memory?,
            timeout: timeout?,
            architecture: architecture?,
            provisioned_concurrency: provisioned_concurrency?,
            snapstart: snapstart?,
            ephemeral_storage: ephemeral_storage?,
            vpc: vpc?,
        };
        validate::function(&mut self.validator(), &function);
        Some(function)
    }

    /// The service; `auth` may be left out when `default_auth` is given.
    pub fn service(&mut self, top: &mut Section<'_>, default_auth: Option<ServiceAuth>) -> Option<Service> {
        let mut s = self.required_section(
            top,
            "service",
            "{ cpu: 1, memory: 2GiB, tasks: { min: 2, desired: 2, max: 4 }, auth: library }",
        )?;
        let cpu = self.required(&mut s, "cpu", "1");
        let memory = self.required(&mut s, "memory", "2GiB");
        let tasks = match self.required_section(&mut s, "tasks", "{ min: 2, desired: 2, max: 4 }") {
            Some(mut t) => {
                let min = self.required(&mut t, "min", "2");
                let desired = self.required(&mut t, "desired", "2");
                let max = self.required(&mut t, "max", "4");
                self.finish(t);
                match (min, desired, max) {
                    (Some(min), Some(desired), Some(max)) => {
                        let tasks = Tasks { min, desired, max };
                        validate::tasks(&mut self.validator(), &tasks);
                        Some(tasks)
                    }
                    _ => None,
                }
            }
            None => None,
        };
        let architecture = self.optional(&mut s, "architecture", defaults::architecture(), None);
        let subnets = self.optional(&mut s, "subnets", defaults::subnets(), None);
        let public_ip = self.optional(&mut s, "public_ip", false, None);
        let spot = self.optional(&mut s, "spot", false, None);
        let auth = match default_auth {
            Some(default) => self.optional(&mut s, "auth", default, None),
            None => self.required(&mut s, "auth", "library"),
        };
        let ephemeral_storage = self.optional(
            &mut s,
            "ephemeral_storage",
            limits::FARGATE_STORAGE_DEFAULT.value,
            Some(limits::FARGATE_STORAGE_DEFAULT.source),
        );
        if let Some(e) = ephemeral_storage {
            validate::fargate_storage(&mut self.validator(), e);
        }
        if let (Some(cpu), Some(memory)) = (cpu, memory) {
            validate::fargate_size(&mut self.validator(), cpu, memory);
        }
        let concurrency_per_task = self.maybe(&mut s, "concurrency_per_task");
        let image_size = self.maybe(&mut s, "image_size");
        if let Some(Some(n)) = concurrency_per_task {
            validate::concurrency_per_task(&mut self.validator(), n);
        }
        self.finish(s);
        let service = Service {
            cpu: cpu?,
            memory: memory?,
            tasks: tasks?,
            architecture: architecture?,
            subnets: subnets?,
            public_ip: public_ip?,
            spot: spot?,
            auth: auth?,
            ephemeral_storage: ephemeral_storage?,
            concurrency_per_task: concurrency_per_task?,
            image_size: image_size?,
        };
        Some(service)
    }

    pub fn load_balancer(&mut self, top: &mut Section<'_>, scheme: Scheme) -> Option<LoadBalancer> {
        let mut s = self.required_section(top, "load_balancer", "{ idle_timeout: 60s }")?;
        let scheme = self.optional(&mut s, "scheme", scheme, None);
        let idle_timeout = self.optional(
            &mut s,
            "idle_timeout",
            limits::ALB_IDLE_TIMEOUT_DEFAULT.value,
            Some(limits::ALB_IDLE_TIMEOUT_DEFAULT.source),
        );
        let waf = self.optional(&mut s, "waf", false, None);
        self.finish(s);
        if let Some(t) = idle_timeout {
            validate::idle_timeout(&mut self.validator(), t);
        }
        Some(LoadBalancer { scheme: scheme?, idle_timeout: idle_timeout?, waf: waf? })
    }

    pub fn vpc_link(&mut self, top: &mut Section<'_>) -> Option<VpcLink> {
        let mut s = self.required_section(top, "vpc_link", "{ version: v2 }")?;
        let version = self.required(&mut s, "version", "v2");
        self.finish(s);
        Some(VpcLink { version: version? })
    }

    pub fn function_url(&mut self, top: &mut Section<'_>) -> Option<FunctionUrl> {
        let mut s = self.required_section(top, "function_url", "{ auth: aws_iam }")?;
        let auth = self.required(&mut s, "auth", "aws_iam");
        let invoke_mode =
            self.optional(&mut s, "invoke_mode", defaults::invoke_mode(), Some(limits::function_url::INVOKE_MODES));
        let reserved_concurrency = self.maybe(&mut s, "reserved_concurrency");
        let cloudfront = self.optional(&mut s, "cloudfront", false, None);
        let waf = self.optional(&mut s, "waf", false, None);
        let cors = match self.optional_section(&mut s, "cors") {
            Some(Some(mut c)) => {
                let allow_origins = self.optional(&mut c, "allow_origins", Vec::new(), None);
                let allow_methods = self.optional(&mut c, "allow_methods", Vec::new(), None);
                let allow_headers = self.optional(&mut c, "allow_headers", Vec::new(), None);
                let expose_headers = self.optional(&mut c, "expose_headers", Vec::new(), None);
                let allow_credentials = self.optional(&mut c, "allow_credentials", false, None);
                let max_age = self.optional(&mut c, "max_age", defaults::cors_max_age(), None);
                self.finish(c);
                (|| {
                    Some(Some(Cors {
                        allow_origins: allow_origins?,
                        allow_methods: allow_methods?,
                        allow_headers: allow_headers?,
                        expose_headers: expose_headers?,
                        allow_credentials: allow_credentials?,
                        max_age: max_age?,
                    }))
                })()
            }
            Some(None) => Some(None),
            None => None,
        };
        self.finish(s);
        let url = FunctionUrl {
            auth: auth?,
            invoke_mode: invoke_mode?,
            reserved_concurrency: reserved_concurrency?,
            cloudfront: cloudfront?,
            waf: waf?,
            cors: cors?,
        };
        validate::function_url(&mut self.validator(), &url);
        Some(url)
    }

    /// The account's quotas: AWS's defaults unless raised (or lowered) here.
    pub fn account(&mut self, top: &mut Section<'_>) -> Option<Account> {
        let Some(mut s) = self.optional_section(top, "account")? else {
            self.account_defaults();
            return Some(defaults::account());
        };
        let lambda_concurrency = self.optional(
            &mut s,
            "lambda_concurrency",
            limits::LAMBDA_CONCURRENCY_DEFAULT.value,
            Some(limits::LAMBDA_CONCURRENCY_DEFAULT.source),
        );
        let api_throttle = match self.optional_section(&mut s, "api_throttle") {
            Some(Some(mut t)) => {
                let rate = self.optional(
                    &mut t,
                    "rate",
                    limits::API_THROTTLE_RATE.value,
                    Some(limits::API_THROTTLE_RATE.source),
                );
                let burst = self.optional(
                    &mut t,
                    "burst",
                    limits::API_THROTTLE_BURST.value,
                    Some(limits::API_THROTTLE_BURST.source),
                );
                self.finish(t);
                rate.zip(burst).map(|(rate, burst)| Throttle { rate, burst })
            }
            Some(None) => {
                self.origins.insert(
                    "account.api_throttle.rate".into(),
                    Origin::Default(Some(limits::API_THROTTLE_RATE.source)),
                );
                self.origins.insert(
                    "account.api_throttle.burst".into(),
                    Origin::Default(Some(limits::API_THROTTLE_BURST.source)),
                );
                Some(defaults::api_throttle())
            }
            None => None,
        };
        let tasks_per_service = self.optional(
            &mut s,
            "tasks_per_service",
            limits::TASKS_PER_SERVICE_MAX.value,
            Some(limits::TASKS_PER_SERVICE_MAX.source),
        );
        self.finish(s);
        let account = Account {
            lambda_concurrency: lambda_concurrency?,
            api_throttle: api_throttle?,
            tasks_per_service: tasks_per_service?,
        };
        validate::account(&mut self.validator(), &account);
        Some(account)
    }

    /// The sources of the account's defaults, for a proposal without `account`.
    fn account_defaults(&mut self) {
        let sourced = [
            ("account.lambda_concurrency", limits::LAMBDA_CONCURRENCY_DEFAULT.source),
            ("account.api_throttle.rate", limits::API_THROTTLE_RATE.source),
            ("account.api_throttle.burst", limits::API_THROTTLE_BURST.source),
            ("account.tasks_per_service", limits::TASKS_PER_SERVICE_MAX.source),
        ];
        for (path, source) in sourced {
            self.origins.insert(path.into(), Origin::Default(Some(source)));
        }
    }

    pub fn network(&mut self, top: &mut Section<'_>) -> Option<Network> {
        let Some(mut s) = self.optional_section(top, "network")? else {
            self.origins.insert("network.az_count".into(), Origin::Default(None));
            self.origins.insert("network.nat_gateways".into(), Origin::Default(None));
            self.origins.insert("network.vpc_endpoints".into(), Origin::Default(None));
            return Some(defaults::network());
        };
        let az_count = self.optional(&mut s, "az_count", defaults::az_count(), None);
        let nat_gateways = self.optional(&mut s, "nat_gateways", 0, None);
        let vpc_endpoints = self.optional(&mut s, "vpc_endpoints", false, None);
        self.finish(s);
        let network = Network { az_count: az_count?, nat_gateways: nat_gateways?, vpc_endpoints: vpc_endpoints? };
        validate::network(&mut self.validator(), &network);
        Some(network)
    }

    pub fn observability(&mut self, top: &mut Section<'_>) -> Option<Observability> {
        let Some(mut s) = self.optional_section(top, "observability")? else {
            self.origins.insert("observability.logs".into(), Origin::Default(None));
            self.origins.insert("observability.tracing".into(), Origin::Default(None));
            return Some(defaults::observability());
        };
        let logs = self.optional(&mut s, "logs", defaults::logs(), None);
        let tracing = self.optional(&mut s, "tracing", defaults::tracing(), None);
        let logs_per_month = self.maybe(&mut s, "logs_per_month");
        let trace_sampling = self.maybe(&mut s, "trace_sampling");
        self.finish(s);
        let observability = Observability {
            logs: logs?,
            tracing: tracing?,
            logs_per_month: logs_per_month?,
            trace_sampling: trace_sampling?,
        };
        validate::observability(&mut self.validator(), &observability);
        Some(observability)
    }

    /// A list of mappings, each read by `item`.
    pub fn list<'a, T>(
        &mut self,
        top: &mut Section<'a>,
        key: &'static str,
        max: usize,
        mut item: impl FnMut(&mut Self, Section<'a>) -> Option<T>,
    ) -> Option<Vec<T>> {
        let Some((k, node)) = top.take(key) else {
            return Some(Vec::new());
        };
        self.origins.insert(key.to_string(), Origin::Declared(k.span));
        let items = match &node.value {
            Value::Null => return Some(Vec::new()),
            Value::Seq(items) => items,
            _ => {
                self.error(LoadError::WrongType {
                    what: format!("`{key}`"),
                    expected: "a list".into(),
                    found: node.value.describe(),
                    span: node.span,
                    help: format!("write each entry of `{key}` on its own line, starting with `- `"),
                });
                return None;
            }
        };
        if items.len() > max {
            self.error(LoadError::TooMany {
                message: format!("`{key}` has {} entries; a proposal may have {max} at most", items.len()),
                span: node.span,
                help: "a proposal describes one service: split it, or keep the list to what the service uses".into(),
            });
            return None;
        }
        let mut out = Vec::with_capacity(items.len());
        let mut ok = true;
        for (i, node) in items.iter().enumerate() {
            let path = format!("{key}[{i}]");
            self.origins.insert(path.clone(), Origin::Declared(node.span));
            match self.section(node, &path, node.span).and_then(|s| item(self, s)) {
                Some(value) => out.push(value),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    pub fn data(&mut self, top: &mut Section<'_>) -> Option<Vec<DataStore>> {
        self.list(top, "data", MAX_DATA_STORES, |this, mut s| {
            let kind = this.required(&mut s, "kind", "dynamodb");
            let proxy = this.optional(&mut s, "proxy", false, None);
            let path = s.path.clone();
            this.finish(s);
            let store = DataStore { kind: kind?, proxy: proxy? };
            validate::data_store(&mut this.validator(), &store, &path);
            Some(store)
        })
    }

    pub fn waivers(&mut self, top: &mut Section<'_>) -> Option<Vec<Waiver>> {
        self.list(top, "waivers", MAX_WAIVERS, |this, mut s| {
            let policy = this.required(&mut s, "policy", "idle-cost");
            let reason = this.required_text(&mut s, "reason", "\"launch quarter\"");
            let expires = this.required(&mut s, "expires", "2027-03-31");
            let approved_by = this.required_text(&mut s, "approved_by", "\"@platform\"");
            this.finish(s);
            Some(Waiver { policy: policy?, reason: reason?, expires: expires?, approved_by: approved_by? })
        })
    }

    /// `import`: the template the proposal stands on. The loader has merged
    /// the template's values in already (src/load/imported.rs); this reads
    /// the section for the model, and reports its shape.
    pub fn import(&mut self, top: &mut Section<'_>) -> Option<Option<ImportRef>> {
        let Some(mut s) = self.optional_section(top, "import")? else {
            return Some(None);
        };
        let from = self.required_text(&mut s, "from", "template.yaml");
        let select = self.required_text(&mut s, "select", "OrdersFunction");
        let parameters = self.maybe(&mut s, "parameters");
        let parameter_defaults = self.optional(&mut s, "parameter_defaults", false, None);
        self.finish(s);
        Some(Some(ImportRef {
            from: from?,
            select: select?,
            parameters: parameters?,
            parameter_defaults: parameter_defaults?,
        }))
    }

    /// The sections a proposal and a needs file share, in the order they are
    /// read: name, environment, tags, workload, network, data,
    /// observability, account.
    pub fn common(&mut self, top: &mut Section<'_>) -> Option<Common> {
        let name = self.required_name(top, "name", "orders-api");
        let environment: Option<Environment> = self.required(top, "environment", "production");
        let tags = self.tags(top);
        let workload = self.workload(top);
        let network = self.network(top);
        let data = self.data(top);
        let observability = self.observability(top);
        let account = self.account(top);
        Some(Common {
            name: name?,
            environment: environment?,
            tags: tags?,
            workload: workload?,
            network: network?,
            data: data?,
            observability: observability?,
            account: account?,
        })
    }
}
