//! API Gateway's charges: REST and HTTP API requests over their tiers
//! (an HTTP API metered in 512 KB units), WebSocket messages in 32 KB
//! units and connection minutes, and a stage cache by the hour.

use crate::cost::prices::{PriceId, price_id};
use crate::units::Amount;
use super::{Bill, DEFAULT_PAYLOAD, HOURS_PER_MONTH};
use crate::model::{ApiType, Gateway, Model};

pub(super) fn gateway<N: Amount>(bill: &mut Bill<'_, N>, model: &Model, g: &Gateway, r: N) {
    match g.api {
        ApiType::Rest => {
            let ids = [
                price_id!("apigw.rest.requests.tier1"),
                price_id!("apigw.rest.requests.tier2"),
                price_id!("apigw.rest.requests.tier3"),
                price_id!("apigw.rest.requests.tier4"),
            ];
            bill.tiered("REST API requests", &ids, r, "requests");
        }
        ApiType::Http => {
            // HTTP APIs meter requests in 512 KB units.
            let payload = model.common.workload.avg_payload.unwrap_or(DEFAULT_PAYLOAD).as_bytes();
            let units = payload.div_ceil(512 * 1024).max(1);
            if units > 1 {
                bill.note(format_args!("HTTP API requests are metered in 512 KB units: each request counts {units} times"));
            }
            bill.tiered(
                "HTTP API requests",
                &[price_id!("apigw.http.requests.tier1"), price_id!("apigw.http.requests.tier2")],
                r * N::of(units),
                "requests",
            );
        }
        ApiType::Websocket => websocket(bill, model, r),
    }
    if let Some(cache) = g.cache_gb {
        let id = PriceId::find(&format!("apigw.cache.{}", cache.gb())).filter(|&id| bill.prices.priced(id).is_some());
        if let Some(id) = id {
            bill.fixed(|| format!("API cache ({cache}) hours"), id, N::of(HOURS_PER_MONTH), "hours", 1);
        } else {
            bill.note(format_args!("the price table has no price for a {cache} API cache: it is not priced"));
        }
    }
}

/// WebSocket messages, both ways (a request and its response), metered in
/// 32 KB units, over their two tiers; and connection minutes.
fn websocket<N: Amount>(bill: &mut Bill<'_, N>, model: &Model, r: N) {
    // `avg_payload` is a request and its response together: half each way.
    let payload = model.common.workload.avg_payload.unwrap_or(DEFAULT_PAYLOAD).as_bytes();
    let units = payload.div_ceil(2).div_ceil(32 * 1024).max(1);
    if units > 1 {
        bill.note(format_args!("WebSocket messages are metered in 32 KB units: each message counts {units} times"));
    }
    let messages = r * N::of(2 * units);
    let ids = [price_id!("apigw.websocket.messages"), price_id!("apigw.websocket.messages.tier2")];
    bill.tiered("WebSocket messages (sent and received)", &ids, messages, "messages");
    let minutes = model.common.workload.connection_minutes_per_month.unwrap_or(0);
    if minutes == 0 {
        bill.note("no `workload.connection_minutes_per_month`: WebSocket connection minutes are not priced");
    }
    let scaled = if model.common.workload.requests_per_month == 0 {
        N::of(minutes)
    } else {
        // Scaled by the volume's share of the declared one: minutes × requests would pass 28 digits.
        N::of(minutes).saturating_mul(r / N::of(model.common.workload.requests_per_month))
    };
    bill.add(
        || String::from("WebSocket connection minutes"),
        price_id!("apigw.websocket.connection_minutes"),
        scaled,
        "minutes",
        1_000_000,
    );
}
