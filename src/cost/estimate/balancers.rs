//! Load balancers: an ALB's hours and capacity units (LCU), the NLB of a v1
//! VPC link and its NLCU, from the average load the workload puts on them.

use crate::cost::prices::price_id;
use crate::units::Amount;
use super::{Bill, DEFAULT_PAYLOAD, HOURS_PER_MONTH};
use crate::model::Model;
use crate::patterns;

/// Average requests per second, concurrent requests, and GB per hour through a load balancer.
fn load<N: Amount>(model: &Model, r: N, seconds: N) -> (N, N, N) {
    let rps = r / N::of(HOURS_PER_MONTH * 3600);
    let connections = match model.common.workload.connection_minutes_per_month {
        Some(m) if model.common.workload.websockets && model.common.workload.requests_per_month > 0 => {
            N::of(m).saturating_mul(r / N::of(model.common.workload.requests_per_month)) / N::of(HOURS_PER_MONTH * 60)
        }
        _ => N::ZERO,
    };
    let concurrent = (rps * seconds).max(connections);
    let payload = N::gib(model.common.workload.avg_payload.unwrap_or(DEFAULT_PAYLOAD));
    let gb_per_hour = rps * N::of(3600) * payload;
    (rps, concurrent, gb_per_hour)
}

/// An ALB's hours and capacity units at the average load.
pub(super) fn alb<N: Amount>(bill: &mut Bill<'_, N>, model: &Model, r: N, public: bool) {
    let which = if public { "internet-facing" } else { "internal" };
    bill.fixed(|| format!("ALB hours ({which})"), price_id!("alb.hour"), N::of(HOURS_PER_MONTH), "hours", 1);
    // LCU: the largest of new connections (25/s), active connections (3,000),
    // processed bytes (1 GB/h, 0.4 GB/h for a Lambda target); each request is
    // taken as a new connection.
    let (rps, concurrent, gb_per_hour) = load(model, r, bill.seconds);
    let bytes_lcu = match patterns::path_rules(model).lcu_gb_per_hour_tenths {
        Some(tenths) => gb_per_hour * N::of(10) / N::of(tenths.value.into()),
        None => gb_per_hour,
    };
    let lcu = (rps / N::of(25)).max(concurrent / N::of(3000)).max(bytes_lcu);
    bill.add(
        || String::from("ALB capacity units (LCU, at average load)"),
        price_id!("alb.lcu"),
        lcu * N::of(HOURS_PER_MONTH),
        "LCU-hours",
        1,
    );
    if model.common.workload.avg_payload.is_none() {
        bill.note("no `workload.avg_payload`: capacity units assume 10 KiB per request");
    }
}

/// The NLB of a v1 VPC link: hours and capacity units at the average load.
pub(super) fn nlb<N: Amount>(bill: &mut Bill<'_, N>, model: &Model, r: N) {
    bill.fixed(|| String::from("NLB hours (for the v1 VPC link)"), price_id!("nlb.hour"), N::of(HOURS_PER_MONTH), "hours", 1);
    // NLCU for TCP: 800 new flows/s, 100,000 active flows, 1 GB/h.
    let (rps, concurrent, gb_per_hour) = load(model, r, bill.seconds);
    let nlcu = (rps / N::of(800)).max(concurrent / N::of(100_000)).max(gb_per_hour);
    bill.add(
        || String::from("NLB capacity units (NLCU, at average load)"),
        price_id!("nlb.nlcu"),
        nlcu * N::of(HOURS_PER_MONTH),
        "NLCU-hours",
        1,
    );
}
