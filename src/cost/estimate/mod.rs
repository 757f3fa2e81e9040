//! The monthly cost of a model: line items per component, priced from the
//! table. Money is exact decimal throughout; a month is 730 hours.

use crate::cost::prices::{PriceId, price_id};
use rust_decimal::Decimal;
use serde::Serialize;

mod api_gateway;
mod balancers;
mod bill;
mod edge;
mod options;
mod queue;

pub use options::CostOptions;

pub use crate::units::Interval;
use super::capacity;
pub(crate) use crate::units::Amount;
use bill::{Bill, Lines, gigabytes, millions};
use crate::model::{
    Architecture, Function, LogSink, Model, Pattern, Scheme, Service, Tracing, VpcLinkVersion,
};
use crate::units::{Money, Size};

/// Hours in the month the prices are counted over.
pub const HOURS_PER_MONTH: u64 = 730;
/// Payload assumed for capacity units when a proposal declares none.
pub const DEFAULT_PAYLOAD: Size = Size::from_bytes(10 * 1024);

fn d(n: u64) -> Decimal {
    Decimal::from(n)
}

/// Which traffic to price.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Traffic {
    /// The proposal's `requests_per_month`.
    Declared,
    /// Zero requests and the minimum tasks: what the service costs standing still.
    Idle,
    /// This many requests a month, with the traffic shape of the proposal
    /// (for charts and margins). Fargate tasks come from the capacity model
    /// at every volume, the declared one too: `tasks.desired` is not read.
    Requests(u64),
}

/// One line of a bill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineItem {
    /// What is charged, in words.
    pub item: String,
    /// The price table entry.
    pub price_id: String,
    /// In JSON, a decimal string to six significant digits (whole units
    /// kept: 1,234,567 requests stay 1234567), e.g. `"4.44444"`.
    #[serde(serialize_with = "super::significant")]
    pub quantity: Decimal,
    /// The unit of `quantity`.
    pub unit: String,
    #[serde(serialize_with = "super::exact")]
    pub unit_price: Money,
    /// The unit of `unit_price`.
    pub price_unit: String,
    #[serde(serialize_with = "super::billed")]
    pub monthly: Money,
}

/// A priced model at one traffic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Estimate {
    pub pattern: Pattern,
    pub requests_per_month: u64,
    pub items: Vec<LineItem>,
    /// The sum of the lines, each rounded to the cent ([`Money::to_cents`]).
    #[serde(serialize_with = "super::billed")]
    pub monthly: Money,
    /// Assumptions this estimate made, and what it could not price.
    pub notes: Vec<String>,
}

/// The price table's item for `a`, of its two.
fn by_arch(a: Architecture, x86: PriceId, arm: PriceId) -> PriceId {
    match a {
        Architecture::X86_64 => x86,
        Architecture::Arm64 => arm,
    }
}

/// Prices `model` at `traffic`, line by line.
pub fn estimate(model: &Model, options: &CostOptions, traffic: Traffic) -> Estimate {
    price(&Pricer::for_one_volume(model, options), traffic, true)
}

/// The monthly total alone: what the `cost.*` facts need, without the lines.
pub fn monthly_total(model: &Model, options: &CostOptions, traffic: Traffic) -> Money {
    Pricer::new(model, options).monthly_total(traffic)
}

/// A model to price at many volumes, with what its bill reads that does
/// not change with the volume worked out once: the break-even search
/// prices hundreds of volumes a model.
pub struct Pricer<'a> {
    model: &'a Model,
    options: &'a CostOptions,
    shape: Option<capacity::Shape>,
    /// The lines that never change with the volume, priced once; `None`
    /// for a model priced at one volume, where that would be a second bill.
    fixed: Option<Decimal>,
    /// A request's duration in seconds, divided once a model: a decimal
    /// division is the costliest arithmetic of the hundreds of bills a
    /// break-even search prices.
    seconds: Decimal,
}

/// Days in the priced month: the model's daily cycle (a peak a day, the
/// environments and tasks it needs started once a day). Divided once.
fn days_per_month() -> Decimal {
    static DAYS: std::sync::LazyLock<Decimal> = std::sync::LazyLock::new(|| d(HOURS_PER_MONTH) / d(24));
    *DAYS
}

impl<'a> Pricer<'a> {
    /// `model` priced with `options`.
    pub fn new(model: &'a Model, options: &'a CostOptions) -> Pricer<'a> {
        let mut pricer = Pricer::for_one_volume(model, options);
        pricer.fixed = Some(bill(&pricer, 0, false, Lines::Fixed).total);
        pricer
    }

    fn for_one_volume(model: &'a Model, options: &'a CostOptions) -> Pricer<'a> {
        let shape = model.service().map(|s| capacity::Shape::of(model, s));
        Pricer { model, options, shape, fixed: None, seconds: crate::patterns::sizing::request_seconds(model) }
    }

    /// The monthly total at `traffic`, without the lines: from the bounds
    /// of an interval bill where they hold one whole cent alone (nearly
    /// always, at half the arithmetic), or from the exact bill.
    pub fn monthly_total(&self, traffic: Traffic) -> Money {
        self.bounds(requests_at(self.model, traffic)).exact_total().unwrap_or_else(|| self.exact_total(traffic))
    }

    /// The cost of one more million requests than the declared workload,
    /// whose total is `monthly`.
    pub fn per_million_requests_above(&self, monthly: Money) -> Money {
        let more = self.monthly_total(Traffic::Requests(self.model.common.workload.requests_per_month.saturating_add(1_000_000)));
        Money::from_decimal((more.as_decimal() - monthly.as_decimal()).max(Decimal::ZERO))
    }

    internal! {
        /// The monthly total at `traffic`, from the exact bill alone.
        fn exact_total(&self, traffic: Traffic) -> Money {
            price(self, traffic, false).monthly
        }
    }

    internal! {
        /// Bounds of the monthly total at `requests` a month: the same bill
        /// in [`Interval`]s. The exact total lies within them (the property
        /// `an_interval_bill_holds_the_exact_bill`).
        fn bounds(&self, requests: u64) -> Interval {
            match self.fixed {
                Some(fixed) => {
                    bill::<Interval>(self, requests, false, Lines::ByVolume).total.saturating_add(Interval::exact(fixed))
                }
                None => bill::<Interval>(self, requests, false, Lines::All).total,
            }
        }
    }
}

/// The requests a month `traffic` prices.
fn requests_at(model: &Model, traffic: Traffic) -> u64 {
    match traffic {
        Traffic::Declared => model.common.workload.requests_per_month,
        Traffic::Idle => 0,
        Traffic::Requests(n) => n,
    }
}

fn price(pricer: &Pricer<'_>, traffic: Traffic, itemized: bool) -> Estimate {
    let model = pricer.model;
    let requests = requests_at(model, traffic);
    let mut bill = match pricer.fixed {
        // The sum of lines rounded to the cent is exact in any order.
        Some(fixed) if !itemized => {
            let mut bill = bill::<Decimal>(pricer, requests, false, Lines::ByVolume);
            bill.total = bill.total.saturating_add(fixed);
            bill
        }
        _ => bill(pricer, requests, itemized, Lines::All),
    };
    let monthly = Money::from_decimal(bill.total);
    let (items, notes) = (std::mem::take(&mut bill.items), std::mem::take(&mut bill.notes));
    Estimate { pattern: model.pattern(), requests_per_month: requests, items, monthly, notes }
}

fn bill<'p, N: Amount>(pricer: &Pricer<'p>, requests: u64, itemized: bool, lines: Lines) -> Bill<'p, N> {
    let (model, options) = (pricer.model, pricer.options);
    let mut bill = Bill {
        prices: &options.prices,
        itemized,
        lines,
        seconds: N::exact(pricer.seconds),
        items: Vec::new(),
        notes: Vec::new(),
        total: N::ZERO,
    };
    let r = N::of(requests);
    // Traffic-proportional volumes scale from the declared workload.
    let scale = if model.common.workload.requests_per_month == 0 {
        if requests == 0 { N::ZERO } else { N::ONE }
    } else {
        r / N::of(model.common.workload.requests_per_month)
    };
    if let Some(g) = model.gateway() {
        api_gateway::gateway(&mut bill, model, g, r);
        edge::authorizer(&mut bill, model, g, r);
        if g.waf {
            edge::waf(&mut bill, "API Gateway stage", r);
        }
        edge::private_endpoint(&mut bill, model, g, r);
        // A REST API that streams from a Lambda proxy invokes it with
        // InvokeWithResponseStream: Lambda charges the streamed bytes.
        let streams = crate::patterns::payload::function_streams(model) == Some("gateway.transfer");
        if streams && model.function().is_some() && model.queue().is_none() {
            edge::streamed_bytes(&mut bill, model, r);
        }
    }
    // Each component has its own charges, so any pattern's bill is the sum
    // of its components' (and a new pattern of known components needs no
    // change here).
    if let Some(url) = model.function_url() {
        edge::function_url(&mut bill, model, url, r);
    }
    if let Some(q) = model.queue() {
        queue::sqs(&mut bill, model, q, r, options.free_tier);
    }
    if let Some(f) = model.function() {
        lambda(&mut bill, model, f, r, options.free_tier);
        snapstart(&mut bill, model, f, scale);
    }
    // The tasks at this volume, counted once for every line that needs them
    // (none of the fixed lines does).
    let tasks = model
        .service()
        .zip(pricer.shape)
        .map(|(s, shape)| (s, if lines == Lines::Fixed { capacity::Tasks::NONE } else { shape.tasks_in::<N>(requests) }));
    if let Some((s, tasks)) = &tasks {
        if let (true, Some(shape)) = (bill.itemized, pricer.shape) {
            fargate_notes(&mut bill, model, s, &shape.tasks_at(requests));
        }
        fargate(&mut bill, s, tasks);
        image_pulls(&mut bill, model, s, tasks, scale);
    }
    if let Some(lb) = model.load_balancer() {
        let public = lb.scheme == Scheme::InternetFacing;
        balancers::alb(&mut bill, model, r, public);
        if lb.waf {
            edge::waf(&mut bill, "ALB", r);
        }
        if public {
            let azs = N::of(u64::from(model.common.network.az_count));
            public_ips(&mut bill, "public ALB addresses (one per AZ)", azs, true);
        }
    }
    if model.vpc_link().is_some_and(|link| link.version == VpcLinkVersion::V1) {
        balancers::nlb(&mut bill, model, r);
    }
    if let Some((s, tasks)) = &tasks
        && s.public_ip
    {
        public_ips(&mut bill, "task addresses (one per task)", tasks.average, false);
    }
    let nat = N::of(u64::from(model.common.network.nat_gateways));
    bill.fixed(|| String::from("NAT gateway hours"), price_id!("nat.hour"), nat * N::of(HOURS_PER_MONTH), "hours", 1);
    public_ips(&mut bill, "NAT gateway addresses", nat, true);
    edge::egress(&mut bill, model, scale);
    observability(&mut bill, model, r, scale);
    bill
}

/// Public IPv4 addresses by the hour: `fixed` when their count never
/// changes with the volume (a NAT gateway's, not a task's).
fn public_ips<N: Amount>(bill: &mut Bill<'_, N>, what: &str, count: N, fixed: bool) {
    let label = || format!("public IPv4 {what}");
    let hours = count * N::of(HOURS_PER_MONTH);
    if fixed {
        bill.fixed(label, price_id!("ipv4.hour"), hours, "address-hours", 1);
    } else {
        bill.add(label, price_id!("ipv4.hour"), hours, "address-hours", 1);
    }
}

fn lambda<N: Amount>(bill: &mut Bill<'_, N>, model: &Model, f: &Function, r: N, free_tier: bool) {
    let free_requests = if free_tier { N::of(bill.prices.quantity_of(price_id!("lambda.free_tier.requests"))) } else { N::ZERO };
    // Behind a queue the function is invoked once per batch of messages.
    let invocations = model.queue().map_or(r, |q| (r / N::of(u64::from(q.batch_size.max(1)))).ceil());
    bill.add(
        || String::from("Lambda requests"),
        price_id!("lambda.requests"),
        (invocations - free_requests).max(N::ZERO),
        "requests",
        1_000_000,
    );
    let seconds = bill.seconds;
    let memory = N::gib(f.memory);
    let gb_seconds = r * seconds * memory;
    let mut on_demand = gb_seconds;
    if f.provisioned_concurrency > 0 {
        let pc = N::of(u64::from(f.provisioned_concurrency));
        bill.fixed(
            || format!("provisioned concurrency ({} × {})", f.provisioned_concurrency, f.memory),
            by_arch(f.architecture, price_id!("lambda.provisioned.x86"), price_id!("lambda.provisioned.arm")),
            pc * memory * N::of(HOURS_PER_MONTH * 3600),
            "GB-seconds",
            1,
        );
        // The share of requests that provisioned environments serve: all of them
        // while average concurrency stays within what is provisioned.
        // Never above one (a decimal's quotient is below one already; an
        // interval's may straddle the bound).
        let concurrency = r * seconds / N::of(HOURS_PER_MONTH * 3600);
        let share = if concurrency.surely_at_most(pc) { N::ONE } else { (pc / concurrency).min(N::ONE) };
        bill.add(
            || String::from("Lambda compute on provisioned environments"),
            by_arch(f.architecture, price_id!("lambda.provisioned_execution.x86"), price_id!("lambda.provisioned_execution.arm")),
            gb_seconds * share,
            "GB-seconds",
            1,
        );
        on_demand = gb_seconds * (N::ONE - share);
        bill.note("provisioned environments serve requests up to the provisioned concurrency, at average load");
    }
    let free_compute = if free_tier { N::of(bill.prices.quantity_of(price_id!("lambda.free_tier.compute"))) } else { N::ZERO };
    let ids = match f.architecture {
        Architecture::X86_64 => [price_id!("lambda.compute.x86"), price_id!("lambda.compute.x86.tier2"), price_id!("lambda.compute.x86.tier3")],
        Architecture::Arm64 => [price_id!("lambda.compute.arm"), price_id!("lambda.compute.arm.tier2"), price_id!("lambda.compute.arm.tier3")],
    };
    let what = if bill.itemized { format!("Lambda compute ({} {})", f.memory, f.architecture) } else { String::new() };
    bill.tiered_per(
        &what,
        &ids,
        (on_demand - free_compute).max(N::ZERO),
        "GB-seconds",
        1,
        |n| format!("{} GB-s", millions(n)),
    );
}

/// SnapStart on Python and .NET: the cached snapshot of the published
/// version for the whole month (function memory × seconds), and one restore
/// of the function's memory for each execution environment resumed. The
/// model resumes the environments the peak needs (peak rate × average
/// duration, at this volume) once a day. Java's SnapStart has no charge
/// (aws-facts.md, SnapStart prices).
fn snapstart<N: Amount>(bill: &mut Bill<'_, N>, model: &Model, f: &Function, scale: N) {
    use crate::model::RuntimeFamily;
    if !f.snapstart || !matches!(f.runtime.family(), RuntimeFamily::Python | RuntimeFamily::Dotnet) {
        return;
    }
    let memory = N::gib(f.memory);
    bill.fixed(
        || format!("SnapStart snapshot cache ({}, one published version)", f.memory),
        price_id!("lambda.snapstart.cache"),
        memory * N::of(HOURS_PER_MONTH * 3600),
        "GB-seconds",
        1,
    );
    let peak = N::of(u64::from(model.common.workload.peak_rps)).saturating_mul(scale).saturating_mul(bill.seconds).ceil();
    let restores = peak.saturating_mul(N::exact(days_per_month()));
    bill.add(
        || String::from("SnapStart restores (the peak's environments, once a day)"),
        price_id!("lambda.snapstart.restore"),
        restores.saturating_mul(memory),
        "GB",
        1,
    );
    bill.note("SnapStart restores are estimated as the environments the peak needs, resumed once a day");
}

/// What tasks move to start: each task the peak runs pulls its image once a
/// day (a scale-out through the daily peak, or a deployment), through the
/// route `Service::image_pull` finds; and CloudWatch logs the tasks send
/// (`awslogs` goes out through the task's interface). Through the VPC's
/// endpoints: an interface endpoint per AZ for `ecr.api`, `ecr.dkr` and,
/// for CloudWatch logs, `logs`, by the hour, and the logs by the GB (image
/// layers come from S3 through its gateway endpoint, free; manifests are
/// small). Through a NAT gateway: the images and the logs by the GB (its
/// hours are the NAT gateway's own line).
fn image_pulls<N: Amount>(
    bill: &mut Bill<'_, N>,
    model: &Model,
    s: &Service,
    tasks: &capacity::Tasks<N>,
    scale: N,
) {
    use crate::model::ImagePull;
    let o = &model.common.observability;
    let logs = match (o.logs, o.logs_per_month) {
        (LogSink::Cloudwatch, Some(volume)) => N::gib(volume) * scale,
        _ => N::ZERO,
    };
    let pulls = || tasks.peak * N::exact(days_per_month());
    match s.image_pull(&model.common.network) {
        ImagePull::VpcEndpoints => {
            let endpoints: u64 = if o.logs == LogSink::Cloudwatch { 3 } else { 2 };
            let azs = u64::from(model.common.network.az_count);
            bill.fixed(
                || format!("VPC interface endpoints for the tasks ({endpoints} × {azs} AZs)"),
                price_id!("vpce.hour"),
                N::of(endpoints * azs * HOURS_PER_MONTH),
                "AZ-hours",
                1,
            );
            let ids = [price_id!("vpce.data"), price_id!("vpce.data.tier2"), price_id!("vpce.data.tier3")];
            bill.tiered_per("CloudWatch logs through the Logs endpoint", &ids, logs, "GB", 1, gigabytes);
        }
        ImagePull::NatGateway => {
            let image = s.image_size.map_or(N::ZERO, |size| N::gib(size) * pulls());
            if s.image_size.is_none() {
                bill.note("no `service.image_size`: image pulls through the NAT gateway are not priced");
            }
            bill.add(|| String::from("image pulls through NAT gateways"), price_id!("nat.data"), image, "GB", 1);
            bill.add(|| String::from("CloudWatch logs through NAT gateways"), price_id!("nat.data"), logs, "GB", 1);
        }
        ImagePull::Internet => {}
        ImagePull::None => {
            bill.note(
                "the tasks have no route to ECR (no NAT gateway, no VPC endpoints): nothing priced for image pulls",
            );
        }
    }
}

fn count_text(n: Decimal) -> String {
    n.round_dp(2).normalize().to_string()
}

/// What a Fargate line assumed, in words: for a bill that keeps its lines.
fn fargate_notes<N: Amount>(bill: &mut Bill<'_, N>, model: &Model, s: &Service, tasks: &capacity::TaskCount) {
    if tasks.beyond_capacity() {
        bill.note(format_args!(
            "beyond the service's capacity: the peaks need {} tasks and `tasks.max` is {}; priced at {}",
            tasks.needed, s.tasks.max, s.tasks.max
        ));
    }
    let exact = capacity::peak_share(model) * d(HOURS_PER_MONTH);
    let hours = exact.round_dp(1).normalize();
    if model.queue().is_some() {
        bill.note("behind the queue the tasks scale on its backlog: priced for the month's work (jobs a second × `avg_duration` ÷ the jobs a task runs at once), at least `tasks.min`");
    } else if let Some(declared) = model.common.workload.peak_hours_per_month.filter(|h| d(*h) > exact) {
        // The bound of docs/cost.md: the peak cannot serve more than the month's requests.
        bill.note(format_args!(
            "`peak_hours_per_month` {declared} h counted as {hours} h: the month's requests last that long at `peak_rps`"
        ));
    }
    if tasks.peak > tasks.base {
        let plural = |n: u64| if n == 1 { "" } else { "s" };
        let per = if hours == Decimal::ONE { "hour" } else { "hours" };
        bill.note(format_args!(
            "Fargate runs {} task{} off the peak and {} through the peaks ({hours} {per} a month)",
            tasks.base,
            plural(tasks.base),
            tasks.peak
        ));
    }
}

fn fargate<N: Amount>(bill: &mut Bill<'_, N>, s: &Service, tasks: &capacity::Tasks<N>) {
    let task_hours = tasks.average * N::of(HOURS_PER_MONTH);
    let count = tasks.average.as_exact().filter(|_| bill.itemized).map(count_text).unwrap_or_default();
    let spot = if s.spot { N::ONE - N::exact(bill.prices.percent_of(price_id!("fargate.spot_discount"))) } else { N::ONE };
    let suffix = if s.spot { ", Spot" } else { "" };
    if s.spot {
        bill.note("Fargate Spot is priced at its largest discount; the real discount varies");
    }
    bill.add(
        || format!("Fargate vCPU ({count} × {}{suffix})", s.cpu),
        by_arch(s.architecture, price_id!("fargate.vcpu.x86"), price_id!("fargate.vcpu.arm")),
        task_hours * N::exact(s.cpu.as_decimal()) * spot,
        "vCPU-hours",
        1,
    );
    bill.add(
        || format!("Fargate memory ({count} × {}{suffix})", s.memory),
        by_arch(s.architecture, price_id!("fargate.memory.x86"), price_id!("fargate.memory.arm")),
        task_hours * N::gib(s.memory) * spot,
        "GB-hours",
        1,
    );
    let extra = (N::gib(s.ephemeral_storage) - N::of(20)).max(N::ZERO);
    bill.add(
        || String::from("Fargate ephemeral storage above 20 GB"),
        price_id!("fargate.storage"),
        extra * task_hours,
        "GB-hours",
        1,
    );
}

fn observability<N: Amount>(bill: &mut Bill<'_, N>, model: &Model, r: N, scale: N) {
    let o = &model.common.observability;
    if let (LogSink::Cloudwatch, Some(volume)) = (o.logs, o.logs_per_month) {
        let gb = N::gib(volume) * scale;
        bill.add(|| String::from("CloudWatch Logs ingestion"), price_id!("logs.ingestion"), gb, "GB", 1);
        bill.add(
            || String::from("CloudWatch Logs storage (one month kept)"),
            price_id!("logs.storage"),
            gb,
            "GB-months",
            1,
        );
    }
    if let (Tracing::Xray, Some(sampling)) = (o.tracing, o.trace_sampling) {
        bill.add(
            || String::from("X-Ray traces recorded"),
            price_id!("xray.traces"),
            r * N::exact(sampling.fraction()),
            "traces",
            1_000_000,
        );
    }
}
