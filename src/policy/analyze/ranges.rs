//! The values a fact can take in any proposal that loads: AWS's limits the
//! model enforces (src/model/limits.rs; a proposal outside them does not
//! load), and the signs of unsigned quantities. A property test
//! (tests/it/policy_analysis.rs) checks every generated and example proposal
//! against this table: a range wider than the truth only makes the analysis
//! quieter, a narrower one would make it wrong.

use rust_decimal::Decimal;

use crate::facts::schema::{self, FactType};
use crate::model::limits;
use crate::units::{Duration, Size};

fn ms(d: Duration) -> Decimal {
    Decimal::from(d.as_millis())
}

fn bytes(s: Size) -> Decimal {
    Decimal::from(s.as_bytes())
}

/// The least and the greatest value of `path` (inclusive), where known.
pub(crate) fn range(path: &str) -> (Option<Decimal>, Option<Decimal>) {
    let known = match path {
        "function.timeout" => (ms(limits::LAMBDA_TIMEOUT_MIN.value), ms(limits::LAMBDA_TIMEOUT_MAX.value)),
        "function.memory" => (bytes(limits::LAMBDA_MEMORY_MIN.value), bytes(limits::LAMBDA_MEMORY_MAX.value)),
        "function.ephemeral_storage" => (bytes(limits::LAMBDA_TMP_MIN.value), bytes(limits::LAMBDA_TMP_MAX.value)),
        "load_balancer.idle_timeout" => {
            (ms(limits::ALB_IDLE_TIMEOUT_MIN.value), ms(limits::ALB_IDLE_TIMEOUT_MAX.value))
        }
        _ => return (unsigned(path).then_some(Decimal::ZERO), None),
    };
    (Some(known.0), Some(known.1))
}

/// Facts that are never negative: durations, sizes and vCPU are unsigned,
/// and so are these counts.
fn unsigned(path: &str) -> bool {
    const COUNTS: &[&str] =
        &["service.tasks.min", "service.tasks.desired", "service.tasks.max", "function.provisioned_concurrency"];
    COUNTS.contains(&path)
        || schema::lookup(path).is_some_and(|d| matches!(d.ty, FactType::Duration | FactType::Size | FactType::Vcpu))
}

/// The facts this table bounds, for the test that checks it.
pub fn bounded_facts() -> impl Iterator<Item = (&'static str, Option<Decimal>, Option<Decimal>)> {
    schema::SCHEMA.iter().map(|d| d.path).filter_map(|p| {
        let (lo, hi) = range(p);
        (lo.is_some() || hi.is_some()).then_some((p, lo, hi))
    })
}
