//! `policy cost`: the line items, totals and the other patterns side by side.

use std::path::{Path, PathBuf};

use crate::cost::{CostOptions, CostReport, Estimate, Prices};
use crate::load;
use crate::model::NamedEnum;
use crate::untrusted::Untrusted;
use crate::walk::FoundFile;
use rust_decimal::Decimal;

use super::output::{Exit, print_error, print_reports};
use super::parallel::{self, Layout};

/// The cost options of a run: `--pricing` and `--free-tier`.
pub fn options(pricing: Option<&Path>, free_tier: bool) -> Option<CostOptions> {
    let read = match pricing {
        None => Prices::embedded().map(|prices| CostOptions { prices, free_tier }),
        Some(path) => CostOptions::from_price_file(path),
    };
    match read {
        Ok(options) => Some(CostOptions { free_tier, ..options }),
        Err(failure) => {
            print_reports(&failure.reports());
            None
        }
    }
}

/// `chart`: the `--chart` file, and whether `--force` replaces it.
pub fn run(
    paths: &[PathBuf],
    policies: &super::PolicyArgs,
    pricing: Option<&Path>,
    free_tier: bool,
    json: bool,
    chart: Option<(&Path, bool)>,
) -> Exit {
    let Some(options) = options(pricing, free_tier) else {
        return Exit::Error;
    };
    let Some(set) = policies.load() else {
        return Exit::Error;
    };
    let run = crate::policy::RunOptions { cost: &options, today: crate::units::Date::today() };
    let priced = |proposal: &crate::model::Proposal| crate::recommend::cost_report(proposal, &options, &set, &run);
    let files = match load::discover(paths) {
        Ok(files) => files,
        Err(errors) => {
            errors.into_iter().for_each(print_error);
            return Exit::Error;
        }
    };
    if let Some(exit) = chart.and_then(|(path, force)| draw_chart(path, force, &files, pricing, &options, &priced)) {
        return exit;
    }
    let layout = match (json, files.len()) {
        (false, _) => Layout::Tables,
        (true, 1) => Layout::JsonSingle,
        (true, _) => Layout::JsonArray,
    };
    // Streamed as `check` streams: every core, file order, bounded memory.
    parallel::render_files(&files, &layout, |file| {
        let report = priced(&load::load_found(file)?);
        Ok(if json { serde_json::to_string_pretty(&report).unwrap_or_default() } else { table(&report) })
    })
}

/// Draws `--chart` for the one proposal of the run; `Some` exit when the run
/// stops here. The chart never overwrites an input of the run.
fn draw_chart(
    path: &Path,
    force: bool,
    files: &[FoundFile],
    pricing: Option<&Path>,
    options: &CostOptions,
    priced: &dyn Fn(&crate::model::Proposal) -> CostReport,
) -> Option<Exit> {
    let chart_error = |reason: String| crate::cost::ChartError { path: path.display().to_string(), reason };
    if files.len() != 1 {
        print_error(crate::policy::PolicyError::Param {
            message: format!("`--chart` draws one proposal, and {} were given", files.len()),
            help: "name one proposal file".into(),
        });
        return Some(Exit::Error);
    }
    let same = |input: &Path| match (path.canonicalize(), input.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if let Some(input) = files.iter().map(FoundFile::path).chain(pricing).find(|input| same(input)) {
        print_error(chart_error(format!("it is the input `{}`; name a new `.svg` file", input.display())));
        return Some(Exit::Error);
    }
    // A proposal that does not load is reported with the others' output.
    let proposal = load::load_found(&files[0]).ok()?;
    let svg = priced(&proposal).chart_svg(options);
    super::output::write_output(path, svg.as_bytes(), force).err()
}

/// Money to the cent, for tables: rounded as the JSON and the facts are.
fn cents(m: crate::units::Money) -> String {
    format!("${}", crate::cost::billed_text(m))
}

fn quantity(q: Decimal) -> String {
    let rounded = if q >= Decimal::from(100) { q.round_dp(0) } else { q.round_dp(4) };
    let text = rounded.normalize().to_string();
    // Thousands separators for the integer part.
    let (int, frac) = text.split_once('.').map_or((text.as_str(), None), |(i, f)| (i, Some(f)));
    let int = crate::units::grouped(int);
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

/// The patterns side by side, each with why it is not marked cheapest.
fn comparison_table(report: &CostReport, out: &mut String) {
    out.push_str("the same workload on each pattern (sized from the workload; the cheapest of those that carry it):\n");
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
        if c.beyond_capacity.is_some() {
            marks.push("beyond capacity");
        }
        if !c.cannot_carry.is_empty() {
            marks.push("cannot carry it");
        }
        if !c.denied_by.is_empty() {
            marks.push("denied by the policies");
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
    for c in &report.comparison {
        let reasons: Vec<&Untrusted> = c.cannot_carry.iter().chain(&c.beyond_capacity).chain(&c.denied_by).collect();
        if reasons.is_empty() && c.settings.is_empty() && c.not_cheapest.is_none() {
            continue;
        }
        out.push_str(&format!("  {}:\n", c.pattern.name()));
        if let Some(why) = &c.not_cheapest {
            out.push_str(&format!("    not marked: {why}\n"));
        }
        for reason in reasons {
            out.push_str(&format!("    - {}\n", reason.terminal()));
        }
        if !c.settings.is_empty() {
            out.push_str(&format!("    set for the policies: {}\n", c.settings.join(", ")));
        }
    }
}

fn table(report: &CostReport) -> String {
    let mut out = format!("{} ({}) {}\n", report.name.terminal(), report.pattern.name(), report.file.terminal());
    out.push_str(&format!(
        "prices: {} (read {}); free tier: {}; a month is 730 hours\n\n",
        report.prices.terminal(),
        report.prices_read.terminal(),
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
    comparison_table(report, &mut out);
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
                out.push_str(&format!("  - {}\n", Untrusted::new(n.as_str()).terminal()));
                seen.push(n);
            }
        }
    }
    out
}
