//! Load balancers: an ALB's hours and capacity units (LCU), the NLB of a v1
//! VPC link and its NLCU, from the average load the workload puts on them.

use rust_decimal::Decimal;

use super::{Bill, DEFAULT_PAYLOAD, HOURS_PER_MONTH, d, seconds_per_month};
use crate::model::Model;
use crate::patterns;

/// Average requests per second, concurrent requests, and GB per hour through a load balancer.
fn load(model: &Model, r: Decimal, seconds: Decimal) -> (Decimal, Decimal, Decimal) {
    let rps = r / seconds_per_month();
    let connections = match model.common.workload.connection_minutes_per_month {
        Some(m) if model.common.workload.websockets && model.common.workload.requests_per_month > 0 => {
            d(m).saturating_mul(r / d(model.common.workload.requests_per_month)) / d(HOURS_PER_MONTH * 60)
        }
        _ => Decimal::ZERO,
    };
    let concurrent = (rps * seconds).max(connections);
    let payload = model.common.workload.avg_payload.unwrap_or(DEFAULT_PAYLOAD).as_gib_decimal();
    let gb_per_hour = rps * d(3600) * payload;
    (rps, concurrent, gb_per_hour)
}

/// An ALB's hours and capacity units at the average load.
pub(super) fn alb(bill: &mut Bill<'_>, model: &Model, r: Decimal, public: bool) {
    let which = if public { "internet-facing" } else { "internal" };
    bill.fixed(|| format!("ALB hours ({which})"), "alb.hour", d(HOURS_PER_MONTH), "hours", Decimal::ONE);
    // LCU: the largest of new connections (25/s), active connections (3,000),
    // processed bytes (1 GB/h, 0.4 GB/h for a Lambda target); each request is
    // taken as a new connection.
    let (rps, concurrent, gb_per_hour) = load(model, r, bill.seconds);
    let bytes_lcu = match patterns::path_rules(model).lcu_gb_per_hour_tenths {
        Some(tenths) => gb_per_hour * d(10) / d(tenths.value.into()),
        None => gb_per_hour,
    };
    let lcu = (rps / d(25)).max(concurrent / d(3000)).max(bytes_lcu);
    bill.add(
        || String::from("ALB capacity units (LCU, at average load)"),
        "alb.lcu",
        lcu * d(HOURS_PER_MONTH),
        "LCU-hours",
        Decimal::ONE,
    );
    if model.common.workload.avg_payload.is_none() {
        bill.note("no `workload.avg_payload`: capacity units assume 10 KiB per request");
    }
}

/// The NLB of a v1 VPC link: hours and capacity units at the average load.
pub(super) fn nlb(bill: &mut Bill<'_>, model: &Model, r: Decimal) {
    bill.fixed(|| String::from("NLB hours (for the v1 VPC link)"), "nlb.hour", d(HOURS_PER_MONTH), "hours", Decimal::ONE);
    // NLCU for TCP: 800 new flows/s, 100,000 active flows, 1 GB/h.
    let (rps, concurrent, gb_per_hour) = load(model, r, bill.seconds);
    let nlcu = (rps / d(800)).max(concurrent / d(100_000)).max(gb_per_hour);
    bill.add(
        || String::from("NLB capacity units (NLCU, at average load)"),
        "nlb.nlcu",
        nlcu * d(HOURS_PER_MONTH),
        "NLCU-hours",
        Decimal::ONE,
    );
}
