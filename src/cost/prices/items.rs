//! The items a bill reads from the price table: each id with its kind and
//! unit, the tiers, the most a price may be, and [`PriceId`], an item by
//! its place in the list, checked when the program is built.

use crate::units::Money;

/// The most an item may cost a unit. No AWS price is near it (the dearest
/// unit here, an hour of the largest API cache, is a few dollars); a price
/// near the largest decimal (about 7.9 × 10^28) made a bill overflow. The
/// largest quantities the model's workload bounds allow are about 10^20
/// units (GB of logs at a break-even volume), so a line stays far below
/// it; a line or a total that would pass it saturates.
pub(super) const MAX_PRICE: Money = Money::from_whole_dollars(10_000);

/// What kind of value an item holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Price,
    Percent,
    Quantity,
}

/// Every item the model reads: id, kind, unit.
pub(super) const ITEMS: &[(&str, Kind, &str)] = &[
    ("lambda.requests", Kind::Price, "1M requests"),
    ("lambda.compute.x86", Kind::Price, "GB-second"),
    ("lambda.compute.x86.tier2", Kind::Price, "GB-second"),
    ("lambda.compute.x86.tier3", Kind::Price, "GB-second"),
    ("lambda.compute.arm", Kind::Price, "GB-second"),
    ("lambda.compute.arm.tier2", Kind::Price, "GB-second"),
    ("lambda.compute.arm.tier3", Kind::Price, "GB-second"),
    ("lambda.provisioned.x86", Kind::Price, "GB-second"),
    ("lambda.provisioned.arm", Kind::Price, "GB-second"),
    ("lambda.provisioned_execution.x86", Kind::Price, "GB-second"),
    ("lambda.provisioned_execution.arm", Kind::Price, "GB-second"),
    ("lambda.snapstart.cache", Kind::Price, "GB-second"),
    ("lambda.snapstart.restore", Kind::Price, "GB"),
    ("lambda.stream.bytes", Kind::Price, "GB"),
    ("lambda.free_tier.requests", Kind::Quantity, "requests"),
    ("lambda.free_tier.compute", Kind::Quantity, "GB-second"),
    ("apigw.rest.requests.tier1", Kind::Price, "1M requests"),
    ("apigw.rest.requests.tier2", Kind::Price, "1M requests"),
    ("apigw.rest.requests.tier3", Kind::Price, "1M requests"),
    ("apigw.rest.requests.tier4", Kind::Price, "1M requests"),
    ("apigw.http.requests.tier1", Kind::Price, "1M requests"),
    ("apigw.http.requests.tier2", Kind::Price, "1M requests"),
    ("apigw.websocket.messages", Kind::Price, "1M messages"),
    ("apigw.websocket.messages.tier2", Kind::Price, "1M messages"),
    ("apigw.websocket.connection_minutes", Kind::Price, "1M connection-minutes"),
    ("apigw.cache.0.5", Kind::Price, "hour"),
    ("apigw.cache.1.6", Kind::Price, "hour"),
    ("apigw.cache.6.1", Kind::Price, "hour"),
    ("apigw.cache.13.5", Kind::Price, "hour"),
    ("apigw.cache.28.4", Kind::Price, "hour"),
    ("apigw.cache.58.2", Kind::Price, "hour"),
    ("apigw.cache.118", Kind::Price, "hour"),
    ("apigw.cache.237", Kind::Price, "hour"),
    ("sqs.standard.requests", Kind::Price, "1M requests"),
    ("sqs.fifo.requests", Kind::Price, "1M requests"),
    ("sqs.free_tier.requests", Kind::Quantity, "requests"),
    ("waf.web_acl", Kind::Price, "month"),
    ("waf.rule", Kind::Price, "month"),
    ("waf.requests", Kind::Price, "1M requests"),
    ("vpce.hour", Kind::Price, "AZ-hour"),
    ("vpce.data", Kind::Price, "GB"),
    ("vpce.data.tier2", Kind::Price, "GB"),
    ("vpce.data.tier3", Kind::Price, "GB"),
    ("fargate.vcpu.x86", Kind::Price, "vCPU-hour"),
    ("fargate.memory.x86", Kind::Price, "GB-hour"),
    ("fargate.vcpu.arm", Kind::Price, "vCPU-hour"),
    ("fargate.memory.arm", Kind::Price, "GB-hour"),
    ("fargate.storage", Kind::Price, "GB-hour"),
    ("fargate.spot_discount", Kind::Percent, "discount"),
    ("alb.hour", Kind::Price, "hour"),
    ("alb.lcu", Kind::Price, "LCU-hour"),
    ("nlb.hour", Kind::Price, "hour"),
    ("nlb.nlcu", Kind::Price, "NLCU-hour"),
    ("nat.hour", Kind::Price, "hour"),
    ("nat.data", Kind::Price, "GB"),
    ("transfer.out.tier1", Kind::Price, "GB"),
    ("transfer.out.tier2", Kind::Price, "GB"),
    ("transfer.out.tier3", Kind::Price, "GB"),
    ("transfer.out.tier4", Kind::Price, "GB"),
    ("ipv4.hour", Kind::Price, "hour"),
    ("logs.ingestion", Kind::Price, "GB"),
    ("logs.storage", Kind::Price, "GB-month"),
    ("xray.traces", Kind::Price, "1M traces"),
];

/// Items priced in tiers: each but the last has `up_to`, in the counted unit.
pub(super) const TIERED: &[&[&str]] = &[
    &["lambda.compute.x86", "lambda.compute.x86.tier2", "lambda.compute.x86.tier3"],
    &["lambda.compute.arm", "lambda.compute.arm.tier2", "lambda.compute.arm.tier3"],
    &["apigw.websocket.messages", "apigw.websocket.messages.tier2"],
    &["vpce.data", "vpce.data.tier2", "vpce.data.tier3"],
    &["transfer.out.tier1", "transfer.out.tier2", "transfer.out.tier3", "transfer.out.tier4"],
    &[
        "apigw.rest.requests.tier1",
        "apigw.rest.requests.tier2",
        "apigw.rest.requests.tier3",
        "apigw.rest.requests.tier4",
    ],
    &["apigw.http.requests.tier1", "apigw.http.requests.tier2"],
];


/// An item the model reads, by its place in [`ITEMS`]: what a bill's line
/// names its price by. [`price_id!`] makes one from a name, checked when
/// the program is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PriceId(pub(super) usize);

impl PriceId {
    /// The item named `name`; evaluated in a constant ([`price_id!`]), an
    /// unknown name stops the build.
    pub(crate) const fn named(name: &str) -> PriceId {
        let mut i = 0;
        while i < ITEMS.len() {
            if crate::model::runtimes::str_eq(ITEMS[i].0, name) {
                return PriceId(i);
            }
            i += 1;
        }
        panic!("not an item of the price table (ITEMS in src/cost/prices/items.rs)")
    }

    /// The item named `name`, at run time (a name built from a value).
    pub(crate) fn find(name: &str) -> Option<PriceId> {
        ITEMS.iter().position(|(id, _, _)| *id == name).map(PriceId)
    }

    /// The item's id in the table.
    pub(crate) fn name(self) -> &'static str {
        ITEMS[self.0].0
    }
}

/// The [`PriceId`] of an item, by name, checked when the program is built.
macro_rules! price_id {
    ($name:literal) => {
        const { $crate::cost::prices::PriceId::named($name) }
    };
}
pub(crate) use price_id;
