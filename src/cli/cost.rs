//! `policy cost`: the line items, totals and the other patterns side by side.

use std::path::{Path, PathBuf};

use archpolicy::cost::{self, CostOptions, CostReport, Estimate, Prices};
use archpolicy::load;
use archpolicy::model::NamedEnum;
use rust_decimal::Decimal;

use super::output::{Exit, print_error, print_load_failure, print_reports, print_stdout};

/// The cost options of a run: `--pricing` and `--free-tier`.
pub fn options(pricing: Option<&Path>, free_tier: bool) -> Option<CostOptions> {
    let prices = match pricing {
        None => match Prices::embedded() {
            Ok(prices) => prices,
            Err(failure) => {
                print_reports(&failure.reports());
                return None;
            }
        },
        Some(path) => match Prices::from_path(path) {
            Ok(prices) => prices,
            Err(failure) => {
                print_reports(&failure.reports());
                return None;
            }
        },
    };
    Some(CostOptions { prices, free_tier })
}

pub fn run(paths: &[PathBuf], pricing: Option<&Path>, free_tier: bool, json: bool, chart: Option<&Path>) -> Exit {
    let Some(options) = options(pricing, free_tier) else {
        return Exit::Error;
    };
    let files = match load::discover(paths) {
        Ok(files) => files,
        Err(error) => {
            print_error(error);
            return Exit::Error;
        }
    };
    if chart.is_some() && files.len() != 1 {
        print_error(archpolicy::policy::PolicyError::Param {
            message: format!("`--chart` draws one proposal, and {} were given", files.len()),
            help: "name one proposal file".into(),
        });
        return Exit::Error;
    }
    let mut exit = Exit::Ok;
    let mut reports = Vec::new();
    for file in &files {
        match load::load_file(file) {
            Ok(proposal) => reports.push(cost::report(&proposal, &options)),
            Err(failure) => {
                print_load_failure(&failure);
                exit = Exit::Error;
            }
        }
    }
    if let (Some(path), Some(report)) = (chart, reports.first()) {
        let svg = report.chart_svg(&options);
        if let Err(e) = std::fs::write(path, svg) {
            print_error(archpolicy::cost::ChartError {
                path: path.display().to_string(),
                reason: e.to_string().to_lowercase(),
            });
            return Exit::Error;
        }
    }
    if json {
        let value = if reports.len() == 1 && files.len() == 1 {
            serde_json::to_value(&reports[0]).unwrap_or_default()
        } else {
            serde_json::to_value(&reports).unwrap_or_default()
        };
        exit.max(print_stdout(&format!("{}\n", serde_json::to_string_pretty(&value).unwrap_or_default())))
    } else {
        let text: Vec<String> = reports.iter().map(table).collect();
        exit.max(print_stdout(&text.join("\n")))
    }
}

/// Money to the cent, for tables.
fn cents(m: archpolicy::units::Money) -> String {
    format!("${:.2}", m.as_decimal().round_dp(2))
}

fn quantity(q: Decimal) -> String {
    let rounded = if q >= Decimal::from(100) { q.round_dp(0) } else { q.round_dp(4) };
    let text = rounded.normalize().to_string();
    // Thousands separators for the integer part.
    let (int, frac) = text.split_once('.').map_or((text.as_str(), None), |(i, f)| (i, Some(f)));
    let mut grouped = String::new();
    for (i, c) in int.chars().rev().enumerate() {
        if i > 0 && i % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let int: String = grouped.chars().rev().collect();
    match frac {
        Some(f) => format!("{int}.{f}"),
        None => int,
    }
}

fn items_table(estimate: &Estimate, out: &mut String) {
    let rows: Vec<[String; 4]> = estimate
        .items
        .iter()
        .map(|i| {
            [
                i.item.clone(),
                format!("{} {}", quantity(i.quantity), i.unit),
                format!("{} / {}", i.unit_price, i.price_unit),
                cents(i.monthly),
            ]
        })
        .collect();
    let header = ["item".to_string(), "quantity".into(), "unit price".into(), "monthly".into()];
    let width = |c: usize| rows.iter().chain(std::iter::once(&header)).map(|r| r[c].chars().count()).max().unwrap_or(0);
    let (w0, w1, w2, w3) = (width(0), width(1), width(2), width(3));
    for row in std::iter::once(&header).chain(rows.iter()) {
        out.push_str(&format!("  {:<w0$}  {:>w1$}  {:>w2$}  {:>w3$}\n", row[0], row[1], row[2], row[3]));
    }
    if estimate.items.is_empty() {
        out.push_str("  (nothing is charged)\n");
    }
}

fn table(report: &CostReport) -> String {
    let mut out = format!("{} ({}) {}\n", report.name, report.pattern.name(), report.file);
    out.push_str(&format!(
        "prices: {} (read {}); free tier: {}; a month is 730 hours\n\n",
        report.prices,
        report.prices_read,
        if report.free_tier { "on" } else { "off" }
    ));
    out.push_str(&format!(
        "at the declared workload ({} requests a month):\n",
        quantity(Decimal::from(report.declared.requests_per_month))
    ));
    items_table(&report.declared, &mut out);
    out.push_str(&format!("  total: {} a month\n\n", cents(report.declared.monthly)));
    out.push_str("at zero traffic (minimum tasks, hourly items):\n");
    items_table(&report.idle, &mut out);
    out.push_str(&format!("  total: {} a month\n\n", cents(report.idle.monthly)));
    out.push_str(&format!("one million more requests add {}\n\n", cents(report.per_million_requests)));
    out.push_str("the same workload on each pattern (same service sizing):\n");
    let w = report.comparison.iter().map(|c| c.pattern.name().len()).max().unwrap_or(0);
    out.push_str(&format!("  {:<w$}  {:>12}  {:>12}  {:>16}\n", "pattern", "monthly", "idle", "per 1M requests"));
    for c in &report.comparison {
        let mut marks = Vec::new();
        if c.cheapest {
            marks.push("cheapest");
        }
        if c.proposed {
            marks.push("proposed");
        }
        let marks = if marks.is_empty() { String::new() } else { format!("  <- {}", marks.join(", ")) };
        out.push_str(&format!(
            "  {:<w$}  {:>12}  {:>12}  {:>16}{marks}\n",
            c.pattern.name(),
            cents(c.monthly),
            cents(c.idle_monthly),
            cents(c.per_million_requests)
        ));
    }
    if !report.break_evens.is_empty() {
        out.push_str("\nbreak-even points (10^4 to 10^10 requests a month):\n");
        for b in &report.break_evens {
            out.push_str(&format!(
                "  {} = {} at {} requests a month ({} each)\n",
                b.between[0].name(),
                b.between[1].name(),
                quantity(Decimal::from(b.requests_per_month)),
                cents(b.monthly)
            ));
        }
    }
    let mut notes: Vec<&String> = report.declared.notes.iter().chain(&report.idle.notes).collect();
    notes.dedup();
    if !notes.is_empty() {
        out.push_str("\nnotes:\n");
        let mut seen = Vec::new();
        for n in notes {
            if !seen.contains(&n) {
                out.push_str(&format!("  - {n}\n"));
                seen.push(n);
            }
        }
    }
    out
}
