//! The largest numbers a workload may declare: not AWS's limits but what
//! the cost model counts exactly (every product of them fits its decimals,
//! 28 digits, and its counts, 64 bits), each far above any one service. A
//! larger value is refused when the proposal or needs file loads, naming the
//! bound, rather than priced or shown wrong.

use crate::units::{Duration, Size};

/// `requests_per_month`: 10^15, a month at 380 million requests a second.
pub const MAX_REQUESTS_PER_MONTH: u64 = 1_000_000_000_000_000;
/// `connection_minutes_per_month`: 10^15.
pub const MAX_CONNECTION_MINUTES_PER_MONTH: u64 = 1_000_000_000_000_000;
/// `peak_hours_per_month`: the 730 hours of the month the prices count.
pub const MAX_PEAK_HOURS_PER_MONTH: u64 = 730;
/// `peak_hours_per_month`: at least an hour; a peak that lasts no time
/// carries none of the month's requests (say nothing for the default).
pub const MIN_PEAK_HOURS_PER_MONTH: u64 = 1;
/// Seconds in the month the prices count (730 hours).
pub const SECONDS_PER_MONTH: u64 = 730 * 3600;
/// `clients`: 10^12.
pub const MAX_CLIENTS: u64 = 1_000_000_000_000;
/// `peak_rps`: 10^9 requests a second.
pub const MAX_PEAK_RPS: u32 = 1_000_000_000;
/// `avg_duration`, `max_request_duration`, `connection_duration`: a month (730 hours).
pub const MAX_DURATION: Duration = Duration::from_mins(730 * 60);
/// `avg_payload`, `max_payload`: 1 TiB.
pub const MAX_PAYLOAD: Size = Size::from_gib(1024);
/// `egress_per_month`: 1 EiB (2^60 bytes).
pub const MAX_EGRESS_PER_MONTH: Size = Size::from_gib(1024 * 1024 * 1024);

/// The largest value of a workload number, in its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    Count(u64),
    Duration(Duration),
    Size(Size),
}

impl Bound {
    /// The bound as messages show it: counts grouped by thousands
    /// (`1,000,000,000,000,000`), durations and sizes canonical (`730h`, `1TiB`).
    pub fn shown(self) -> String {
        match self {
            Bound::Count(n) => crate::units::grouped(&n.to_string()),
            Bound::Duration(d) => d.to_string(),
            Bound::Size(s) => s.to_string(),
        }
    }
}

/// Every bounded workload number, by key: the one table the loader
/// checks against (`model::validate`) and tests read.
pub const BOUNDS: &[(&str, Bound)] = &[
    ("requests_per_month", Bound::Count(MAX_REQUESTS_PER_MONTH)),
    ("peak_rps", Bound::Count(MAX_PEAK_RPS as u64)),
    ("connection_minutes_per_month", Bound::Count(MAX_CONNECTION_MINUTES_PER_MONTH)),
    ("clients", Bound::Count(MAX_CLIENTS)),
    ("peak_hours_per_month", Bound::Count(MAX_PEAK_HOURS_PER_MONTH)),
    ("avg_duration", Bound::Duration(MAX_DURATION)),
    ("max_request_duration", Bound::Duration(MAX_DURATION)),
    ("connection_duration", Bound::Duration(MAX_DURATION)),
    ("cpu_time_per_request", Bound::Duration(MAX_DURATION)),
    ("avg_payload", Bound::Size(MAX_PAYLOAD)),
    ("max_payload", Bound::Size(MAX_PAYLOAD)),
    ("egress_per_month", Bound::Size(MAX_EGRESS_PER_MONTH)),
];

/// The bound of the workload number `key`.
pub fn bound(key: &str) -> Option<Bound> {
    BOUNDS.iter().find(|(k, _)| *k == key).map(|(_, b)| *b)
}
