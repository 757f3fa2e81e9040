//! A bill: line items priced from the table and summed to the cent, or
//! only the total, or only the lines of one kind (a [`Pricer`] prices the
//! lines that never change with the volume once).

use rust_decimal::Decimal;

use crate::units::Amount;
use super::{LineItem, d};
use crate::cost::prices::{PriceId, Prices};
use crate::units::Money;
#[cfg(doc)]
use super::Pricer;

pub(super) struct Bill<'p, N> {
    pub(super) prices: &'p Prices,
    /// Whether to keep the line items, or only the total (for facts).
    pub(super) itemized: bool,
    /// Which lines to price: all of them, or one kind (a [`Pricer`] prices
    /// the lines that never change with the volume once).
    pub(super) lines: Lines,
    /// A request's duration in seconds (the [`Pricer`]'s, divided once).
    pub(super) seconds: N,
    pub(super) items: Vec<LineItem>,
    pub(super) notes: Vec<String>,
    pub(super) total: N,
}

/// The lines a bill prices, by whether their quantity changes with the volume.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Lines {
    All,
    /// Hours and months: the same at every volume.
    Fixed,
    ByVolume,
}

impl<N: Amount> Bill<'_, N> {
    /// Adds `quantity` (in `unit`) priced at `price_id`, whose price is per
    /// `per` of the unit, a quantity that changes with the volume priced.
    /// The label is built only when the bill keeps its lines.
    pub(super) fn add(&mut self, item: impl FnOnce() -> String, price_id: PriceId, quantity: N, unit: &str, per: u64) {
        if self.lines != Lines::Fixed {
            self.line(item, price_id, quantity, unit, per);
        }
    }

    /// Adds a line whose quantity is the same at every volume (hours, months):
    /// a [`Pricer`] prices it once for all volumes. The `Pricer`'s property
    /// test holds its totals to the itemized bill's, which prices all lines.
    pub(super) fn fixed(&mut self, item: impl FnOnce() -> String, price_id: PriceId, quantity: N, unit: &str, per: u64) {
        if self.lines != Lines::ByVolume {
            self.line(item, price_id, quantity, unit, per);
        }
    }

    /// A line priced from the table's entry for `price_id` (the line costs
    /// nothing where a table lacks it).
    fn line(&mut self, item: impl FnOnce() -> String, price_id: PriceId, quantity: N, unit: &str, per: u64) {
        let priced = self.prices.priced(price_id);
        if quantity.surely_at_most(N::ZERO) {
            return;
        }
        // An interval's quantity may reach below zero, where no line is.
        let quantity = quantity.max(N::ZERO);
        let unit_price = priced.map_or(N::ZERO, |p| N::known(p.exact, p.bounds));
        let amount = quantity.per_unit(per).saturating_mul(unit_price);
        // The total is the sum of the lines as billed, to the cent, as an
        // invoice's is: the lines a report shows add up to its total
        // (docs/cost.md, "Rounding").
        // Saturating: a price table's prices are bounded when it is read
        // (`MAX_PRICE`), and a bill never panics past that either.
        self.total = self.total.saturating_add(amount.billed());
        if !self.itemized {
            return;
        }
        let (Some(quantity), Some(amount)) = (quantity.as_exact(), amount.as_exact()) else { return };
        self.items.push(LineItem {
            item: item(),
            price_id: price_id.name().to_string(),
            quantity: quantity.normalize(),
            unit: unit.to_string(),
            unit_price: priced.and_then(|p| p.item.price).unwrap_or(Money::ZERO),
            price_unit: priced.map(|p| p.item.unit.clone()).unwrap_or_default(),
            monthly: Money::from_decimal(amount),
        });
    }

    /// Notes what the bill assumed; a bill priced for its total only writes
    /// nothing (so `format_args!` rather than `format!` at the call sites).
    pub(super) fn note(&mut self, note: impl std::fmt::Display) {
        if !self.itemized {
            return;
        }
        let note = note.to_string();
        if !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }

    /// Prices `count` requests over tiers priced per million (`ids` in order, each with `up_to` but the last).
    pub(super) fn tiered(&mut self, what: &str, ids: &[PriceId], count: N, unit: &str) {
        self.tiered_per(what, ids, count, unit, 1_000_000, millions);
    }

    /// Prices `count` units over tiers, each price per `per` units; `bound` writes a tier's bound.
    pub(super) fn tiered_per(
        &mut self,
        what: &str,
        ids: &[PriceId],
        count: N,
        unit: &str,
        per: u64,
        bound: fn(Decimal) -> String,
    ) {
        let mut below = N::ZERO;
        let mut below_label = Decimal::ZERO;
        for (i, id) in ids.iter().enumerate() {
            let top = self.prices.priced(*id).and_then(|p| p.item.up_to);
            let upper = match top {
                Some(t) if i + 1 < ids.len() => N::of(t),
                _ => N::UNBOUNDED,
            };
            let in_tier = (count.min(upper) - below).max(N::ZERO);
            // Labels are written only for a bill that keeps its lines: the
            // break-even search prices hundreds of totals a proposal.
            let label = || match (i, top.map(d)) {
                (0, Some(t)) => format!("{what} (first {})", bound(t)),
                (_, Some(t)) if i + 1 < ids.len() => format!("{what} (up to {})", bound(t)),
                _ if ids.len() > 1 => format!("{what} (over {})", bound(below_label)),
                _ => what.to_string(),
            };
            self.add(label, *id, in_tier, unit, per);
            // An interval that may pass the tier's top goes on to the next
            // (where the exact count would price nothing).
            if count.surely_at_most(upper) {
                break;
            }
            below = upper;
            below_label = top.map_or(Decimal::MAX, d);
        }
    }
}

pub(super) fn millions(n: Decimal) -> String {
    let m = n / d(1_000_000);
    if m >= d(1000) { format!("{}B", (m / d(1000)).normalize()) } else { format!("{}M", m.normalize()) }
}

pub(super) fn gigabytes(n: Decimal) -> String {
    if n >= d(1_000_000) {
        format!("{} PB", (n / d(1_000_000)).normalize())
    } else if n >= d(1024) {
        format!("{} TB", (n / d(1024)).round_dp(1).normalize())
    } else {
        format!("{} GB", n.normalize())
    }
}

