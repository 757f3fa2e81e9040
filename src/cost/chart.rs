//! The cost chart: monthly cost against requests per month, log scales, one
//! line per pattern in its fixed colour and human name, the proposal's line
//! thicker, the ranges a pattern cannot carry dashed and paler (the reason in
//! the footnote), the declared workload and the break-even points labelled,
//! and a footnote with the assumptions. SVG, drawn with plotters.

use plotters::coord::Shift;
use plotters::prelude::*;
use rust_decimal::Decimal;

use super::CostReport;
use super::capacity::peak_share;
use super::carry::{self, Limitation, limitations};
use super::compare::sample_volumes;
use super::estimate::{CostOptions, Traffic, monthly_total};
use crate::model::Model;
use crate::patterns::{self, sizing};

const WIDTH: u32 = 1100;
const HEIGHT: u32 = 720;
const FONT: &str = "sans-serif";

/// One pattern's line: points, which of them it carries, and why not.
struct Line {
    model: Model,
    points: Vec<(f64, f64, bool)>,
    limits: Vec<Limitation>,
    proposed: bool,
}

fn to_f64(d: Decimal) -> f64 {
    d.to_string().parse::<f64>().unwrap_or(0.0)
}

/// The chart as SVG text.
pub fn svg(report: &CostReport, options: &CostOptions) -> String {
    let volumes = sample_volumes();
    let lines: Vec<Line> = report
        .models
        .iter()
        .map(|m| {
            let limits = limitations(m);
            let points = volumes
                .iter()
                .map(|r| {
                    let cost = to_f64(monthly_total(m, options, Traffic::Requests(*r)).as_decimal()).max(0.01);
                    (*r as f64, cost, carry::at(&limits, *r).next().is_none())
                })
                .collect();
            Line { model: m.clone(), points, limits, proposed: m.pattern() == report.pattern }
        })
        .collect();
    let costs = lines.iter().flat_map(|l| l.points.iter().map(|p| p.1));
    let y_max = costs.clone().fold(1.0, f64::max) * 3.0;
    let y_min = costs.fold(f64::MAX, f64::min).max(0.01) / 3.0;
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (WIDTH, HEIGHT)).into_drawing_area();
        let _ = root.fill(&WHITE);
        let (upper, lower) = root.split_vertically(HEIGHT - 150);
        plot(&upper, report, &lines, (y_min, y_max));
        footnote(&lower, report, options, &lines);
        let _ = root.present();
    }
    out
}

/// `10k`, `1M`, `1B` requests.
pub fn volume_label(x: f64) -> String {
    let (value, suffix) = match x {
        x if x >= 1e9 => (x / 1e9, "B"),
        x if x >= 1e6 => (x / 1e6, "M"),
        x if x >= 1e3 => (x / 1e3, "k"),
        x => (x, ""),
    };
    let digits = if value >= 10.0 || (value - value.round()).abs() < 0.05 { 0 } else { 1 };
    format!("{value:.digits$}{suffix}")
}

/// `$0.01`, `$1`, `$1k`, `$1.5M`.
pub fn money_label(y: f64) -> String {
    match y {
        y if y >= 1e6 => format!("${}", volume_label(y)),
        y if y >= 1e3 => format!("${}", volume_label(y)),
        y if y >= 1.0 => format!("${}", volume_label(y)),
        y if y >= 0.1 => format!("${y:.1}"),
        y => format!("${y:.2}"),
    }
}

fn colour(line: &Line) -> RGBColor {
    let (r, g, b) = patterns::def(line.model.pattern()).colour;
    RGBColor(r, g, b)
}

fn legend_name(line: &Line) -> String {
    let def = patterns::def(line.model.pattern());
    let mut name = def.title.to_string();
    if line.proposed {
        name.push_str(" (proposed)");
    }
    if line.limits.iter().any(|l| l.from_requests == 0) {
        name.push_str(" (cannot carry it: dashed)");
    }
    name
}

fn plot(area: &DrawingArea<SVGBackend<'_>, Shift>, report: &CostReport, lines: &[Line], (y_min, y_max): (f64, f64)) {
    let chart = ChartBuilder::on(area)
        .caption(format!("Monthly cost by requests per month: {}", report.name.terminal()), (FONT, 22))
        .margin(16)
        .x_label_area_size(44)
        .y_label_area_size(70)
        .build_cartesian_2d((1e4f64..1e10f64).log_scale(), (y_min..y_max).log_scale());
    let Ok(mut chart) = chart else { return };
    let _ = chart
        .configure_mesh()
        .x_desc("requests per month")
        .y_desc(format!("monthly cost ({})", report.currency.terminal()))
        .x_label_formatter(&|x| volume_label(*x))
        .y_label_formatter(&|y| money_label(*y))
        .label_style((FONT, 13))
        .light_line_style(WHITE.mix(0.0))
        .draw();
    for line in lines {
        draw_line(&mut chart, line);
    }
    let declared = report.declared.requests_per_month as f64;
    if (1e4..=1e10).contains(&declared) {
        let _ = chart.draw_series(DashedLineSeries::new(
            vec![(declared, y_min), (declared, y_max)],
            4,
            4,
            BLACK.mix(0.6).stroke_width(1),
        ));
        let _ = chart.draw_series(std::iter::once(Text::new(
            format!("declared: {} requests/mo", volume_label(declared)),
            (declared * 1.08, y_min * 1.3),
            (FONT, 13),
        )));
    }
    for (i, be) in report.break_evens.iter().enumerate() {
        let cost = to_f64(be.monthly.as_decimal()).max(y_min);
        let x = be.requests_per_month as f64;
        let _ = chart.draw_series(std::iter::once(Circle::new((x, cost), 5, BLACK.filled())));
        // Labels alternate above and below, farther for each, so close points stay readable.
        let step = 2.2f64.powi(i as i32 / 2 + 1);
        let y = if i % 2 == 0 { cost * step } else { cost / step };
        let short = |p| patterns::def(p).short_name;
        let _ = chart.draw_series(std::iter::once(Text::new(
            format!(
                "break-even: {} = {} at {}/mo, {}",
                short(be.between[0]),
                short(be.between[1]),
                volume_label(x),
                money_label(cost)
            ),
            (x * 1.15, y),
            (FONT, 12),
        )));
    }
    let _ = chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .label_font((FONT, 13))
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .draw();
}

type Chart<'a, 'b> = ChartContext<
    'a,
    SVGBackend<'b>,
    Cartesian2d<plotters::coord::combinators::LogCoord<f64>, plotters::coord::combinators::LogCoord<f64>>,
>;

/// The carried ranges solid, the others dashed and pale; a legend entry in
/// the pattern's colour and name.
fn draw_line(chart: &mut Chart<'_, '_>, line: &Line) {
    let color = colour(line);
    let width = if line.proposed { 4 } else { 2 };
    let mut runs: Vec<(bool, Vec<(f64, f64)>)> = Vec::new();
    for (x, y, carried) in &line.points {
        match runs.last_mut() {
            Some((c, run)) if c == carried => run.push((*x, *y)),
            Some((_, run)) => {
                // Join the runs at the boundary.
                let last = *run.last().unwrap_or(&(*x, *y));
                runs.push((*carried, vec![last, (*x, *y)]));
            }
            None => runs.push((*carried, vec![(*x, *y)])),
        }
    }
    let mut labelled = false;
    for (carried, run) in runs {
        let drawn = if carried {
            chart.draw_series(LineSeries::new(run.clone(), color.stroke_width(width)))
        } else {
            chart.draw_series(DashedLineSeries::new(run.clone(), 8, 6, color.mix(0.45).stroke_width(width)))
        };
        if let (Ok(drawn), false) = (drawn, labelled) {
            labelled = true;
            drawn
                .label(legend_name(line))
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], color.stroke_width(width)));
        }
        if !carried && let Some(first) = run.first().filter(|p| p.0 > 1e4) {
            let inside = run.get(1).map_or(first.0, |p| p.0) as u64;
            let capacity = carry::at(&line.limits, inside).all(|l| l.capacity);
            let what = if capacity { "beyond tasks.max" } else { "cannot carry it" };
            let _ = chart.draw_series(std::iter::once(Text::new(
                format!("{} {what} from here", patterns::def(line.model.pattern()).short_name),
                (first.0 * 1.1, first.1 / 1.6),
                (FONT, 12).into_font().color(&color),
            )));
        }
    }
}

/// Region, price table, free tier, sizing, and why each dashed range is dashed.
fn footnote(area: &DrawingArea<SVGBackend<'_>, Shift>, report: &CostReport, options: &CostOptions, lines: &[Line]) {
    let prices = &options.prices;
    let ratio = report.models.first().map(sizing::peak_ratio).unwrap_or(Decimal::ONE);
    let mut notes = vec![
        format!(
            "{}, on-demand prices in {} read {} ({}); free tier {}; a month is 730 hours.",
            prices.region,
            prices.currency,
            prices.read,
            prices.file,
            if options.free_tier { "on" } else { "off" }
        ),
        format!(
            "Sizing: Fargate tasks for the average load, and for the peaks (peak/average {}) {} hours a month; {} requests per vCPU at once unless declared. Lambda: the function's memory and timeout.",
            ratio.round_dp(1).normalize(),
            report
                .models
                .first()
                .map_or(Decimal::new(1825, 1), |m| (peak_share(m) * Decimal::from(730)).round_dp(1))
                .normalize(),
            sizing::CONCURRENCY_PER_VCPU
        ),
    ];
    for line in lines {
        for l in &line.limits {
            let from = if l.from_requests == 0 {
                "at every volume".to_string()
            } else {
                format!("from {} requests/mo", volume_label(l.from_requests as f64))
            };
            if l.from_requests <= 10_000_000_000 {
                notes.push(format!(
                    "Dashed {}: {} ({from}).",
                    patterns::def(line.model.pattern()).short_name,
                    l.reason
                ));
            }
        }
    }
    for (i, note) in notes.iter().take(7).enumerate() {
        let _ = area.draw(&Text::new(note.clone(), (24, 10 + 19 * i as i32), (FONT, 13)));
    }
}
