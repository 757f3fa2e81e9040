//! The cost chart: monthly cost against requests per month, log scales, one
//! line per pattern in its fixed colour and human name, the proposal's line
//! thicker, the ranges a pattern cannot carry dashed and paler (the reason in
//! the footnote), the declared workload and the break-even points labelled,
//! and a footnote with the assumptions. SVG, drawn with plotters.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use rust_decimal::Decimal;

use super::CostReport;
use super::capacity::peak_share;
use super::carry::{self, Limitation, limitations};
use super::compare::sample_volumes;
use super::estimate::{CostOptions, Pricer, Traffic};
use crate::model::Model;
use crate::patterns::{self, sizing};

const WIDTH: u32 = 1100;
/// The plot's height; the footnote below grows with its lines.
const PLOT_HEIGHT: u32 = 570;
const NOTE_LINE: i32 = 19;
const FONT: &str = "sans-serif";
/// plotters writes a font of `n` points as `n / 1.24` pixels in SVG.
const PX_PER_PT: f64 = 1.0 / 1.24;
/// A character's width over the font size: 0.6 is wider than DejaVu Sans's
/// average (about 0.55 em over mixed text), so a box estimated with it
/// holds the drawn text.
const CHAR_WIDTH: f64 = 0.6;
const LABEL_PT: u32 = 12;
const NOTE_PT: u32 = 13;

/// One pattern's line: points, which of them it carries, and why not.
struct Line {
    model: Model,
    points: Vec<(f64, f64, bool)>,
    limits: Vec<Limitation>,
    /// Where each limitation inside the chart starts: its exact volume and
    /// the cost there, so a ring marks the volume the footnote states, not
    /// the sampled point before it.
    starts: Vec<(f64, f64)>,
    proposed: bool,
}

fn to_f64(d: Decimal) -> f64 {
    d.to_string().parse::<f64>().unwrap_or(0.0)
}

/// The text's box in pixels, `(width, height)`, at `pt` points.
fn text_size(text: &str, pt: u32) -> (i32, i32) {
    let px = f64::from(pt) * PX_PER_PT;
    ((text.chars().count() as f64 * px * CHAR_WIDTH).ceil() as i32, px.ceil() as i32)
}

/// The footnote's lines, each short enough for the picture's width.
fn wrap(notes: &[String]) -> Vec<String> {
    let per_char = f64::from(NOTE_PT) * PX_PER_PT * CHAR_WIDTH;
    let most = ((f64::from(WIDTH) - 48.0) / per_char).floor().max(20.0) as usize;
    let mut out = Vec::new();
    for note in notes {
        let mut line = String::new();
        for word in note.split(' ') {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > most {
                out.push(std::mem::take(&mut line));
                line.push_str("  ");
            }
            if !line.trim().is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        out.push(line);
    }
    out
}

/// The chart as SVG text.
pub fn svg(report: &CostReport, options: &CostOptions) -> String {
    let volumes = sample_volumes();
    let lines: Vec<Line> = report
        .models
        .iter()
        .map(|m| {
            let limits = limitations(m);
            let pricer = Pricer::new(m, options);
            let points = volumes
                .iter()
                .map(|r| {
                    let cost = to_f64(pricer.monthly_total(Traffic::Requests(*r)).as_decimal()).max(0.01);
                    (*r as f64, cost, carry::at(&limits, *r).next().is_none())
                })
                .collect();
            let starts = limits
                .iter()
                .filter(|l| (10_001..=10_000_000_000).contains(&l.from_requests))
                .map(|l| {
                    let cost = pricer.monthly_total(Traffic::Requests(l.from_requests)).as_decimal();
                    (l.from_requests as f64, to_f64(cost).max(0.01))
                })
                .collect();
            Line { model: m.clone(), points, limits, starts, proposed: m.pattern() == report.pattern }
        })
        .collect();
    let notes = wrap(&footnotes(report, options, &lines));
    let height = PLOT_HEIGHT + 14 + NOTE_LINE as u32 * notes.len() as u32;
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (WIDTH, height)).into_drawing_area();
        let _ = root.fill(&WHITE);
        let (upper, lower) = root.split_vertically(PLOT_HEIGHT);
        plot(&upper, report, &lines, y_range(&lines));
        for (i, note) in notes.iter().enumerate() {
            let _ = lower.draw(&Text::new(note.clone(), (24, 10 + NOTE_LINE * i as i32), (FONT, NOTE_PT)));
        }
        let _ = root.present();
    }
    out
}

/// Whole decades around every cost drawn, at least two of them, so that
/// the axis labels a value below the lowest line and above the highest.
fn y_range(lines: &[Line]) -> (f64, f64) {
    let costs = lines.iter().flat_map(|l| l.points.iter().map(|p| p.1));
    let high = costs.clone().fold(0.01, f64::max);
    let low = costs.fold(f64::MAX, f64::min).clamp(0.01, high);
    let bottom = (low / 1.5).log10().floor();
    let top = (high * 1.2).log10().ceil().max(bottom + 2.0);
    // A hair beyond the decades: plotters labels the powers of ten inside
    // the range from ceil(ln(start) / ln(10)), which rounds 10^-2 to -1.9999…
    // and dropped the bottom decade's label ($0.01 under a line at $0.03).
    (10f64.powf(bottom) * (1.0 - 1e-9), 10f64.powf(top) * (1.0 + 1e-9))
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
    let mut name = patterns::title_of(&line.model).to_string();
    if line.proposed {
        name.push_str(" (proposed)");
    }
    if line.limits.iter().any(|l| l.from_requests == 0) {
        name.push_str(" (cannot carry it: dashed)");
    }
    name
}

/// A text placed near its point, in pixels.
struct Annotation {
    text: String,
    anchor: (i32, i32),
    colour: RGBColor,
    /// How the point is marked: a dot (a break-even), a ring (where a line
    /// turns dashed), or not at all (the declared volume's line).
    marker: Marker,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Marker {
    Dot,
    Ring,
    None,
}

/// A box in pixels: left, top, right, bottom.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Rect(i32, i32, i32, i32);

impl Rect {
    fn overlaps(&self, o: &Rect) -> bool {
        self.0 < o.2 && o.0 < self.2 && self.1 < o.3 && o.1 < self.3
    }

    fn grown(&self, by: i32) -> Rect {
        Rect(self.0 - by, self.1 - by, self.2 + by, self.3 + by)
    }

    fn distance_to(&self, (x, y): (i32, i32)) -> f64 {
        let dx = f64::from((self.0 - x).max(0).max(x - self.2));
        let dy = f64::from((self.1 - y).max(0).max(y - self.3));
        (dx * dx + dy * dy).sqrt()
    }
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
    let mut annotations = Vec::new();
    let declared = report.declared.requests_per_month as f64;
    let (xs, ys) = chart.plotting_area().get_pixel_range();
    if (1e4..=1e10).contains(&declared) {
        let _ = chart.draw_series(DashedLineSeries::new(
            vec![(declared, y_min), (declared, y_max)],
            4,
            4,
            BLACK.mix(0.6).stroke_width(1),
        ));
        let (x, _) = chart.backend_coord(&(declared, y_min));
        annotations.push(Annotation {
            text: format!("declared: {} requests/mo", volume_label(declared)),
            anchor: (x, ys.end - 2),
            colour: BLACK,
            marker: Marker::None,
        });
    }
    for line in lines {
        annotations.extend(draw_line(&mut chart, line));
    }
    let short = |p| patterns::def(p).short_name;
    for be in &report.break_evens {
        let cost = to_f64(be.monthly.as_decimal()).max(y_min);
        let x = be.requests_per_month as f64;
        annotations.push(Annotation {
            text: format!(
                "break-even: {} = {} at {}/mo, {}",
                short(be.between[0]),
                short(be.between[1]),
                volume_label(x),
                money_label(cost)
            ),
            anchor: chart.backend_coord(&(x, cost)),
            colour: BLACK,
            marker: Marker::Dot,
        });
    }
    let annotations = merge_close(annotations);
    let legend = legend(area, lines, (xs.start + 10, ys.start + 10));
    let bounds = Rect(xs.start + 2, ys.start + 2, xs.end - 2, ys.end - 2);
    let placed = place(&annotations, bounds, &[legend]);
    // Unmarked texts first, then each marked point followed by its label,
    // so a reader of the SVG can pair them.
    let order = annotations.iter().enumerate().filter(|(_, a)| a.marker == Marker::None);
    let order = order.chain(annotations.iter().enumerate().filter(|(_, a)| a.marker != Marker::None));
    for (i, a) in order {
        match a.marker {
            Marker::Dot => {
                let _ = area.draw(&Circle::new(a.anchor, 5, BLACK.filled()));
            }
            Marker::Ring => {
                let _ = area.draw(&Circle::new(a.anchor, 4, a.colour.stroke_width(2)));
            }
            Marker::None => {}
        }
        let c = placed[i];
        let hpos = align(&c, a.anchor);
        let x = match hpos {
            HPos::Left => c.0,
            HPos::Right => c.2,
            HPos::Center => (c.0 + c.2) / 2,
        };
        let font = (FONT, LABEL_PT).into_font().color(&a.colour).pos(Pos::new(hpos, VPos::Top));
        let _ = area.draw(&Text::new(a.text.clone(), (x, c.1), font));
    }
}

/// The legend in the plot's upper left corner, drawn by hand so that its box
/// is known to the label layout; returns that box.
fn legend(area: &DrawingArea<SVGBackend<'_>, Shift>, lines: &[Line], (x, y): (i32, i32)) -> Rect {
    let row = 18;
    let names: Vec<String> = lines.iter().map(legend_name).collect();
    let widest = names.iter().map(|n| text_size(n, NOTE_PT).0).max().unwrap_or(0);
    let rect = Rect(x, y, x + 44 + widest + 10, y + 8 + row * names.len() as i32);
    let _ = area.draw(&Rectangle::new([(rect.0, rect.1), (rect.2, rect.3)], WHITE.mix(0.9).filled()));
    let _ = area.draw(&Rectangle::new([(rect.0, rect.1), (rect.2, rect.3)], BLACK.stroke_width(1)));
    for (i, (line, name)) in lines.iter().zip(names).enumerate() {
        let top = y + 6 + row * i as i32;
        let width = if line.proposed { 4 } else { 2 };
        let middle = top + row / 2 - 2;
        let _ = area.draw(&PathElement::new(vec![(x + 8, middle), (x + 36, middle)], colour(line).stroke_width(width)));
        let _ = area.draw(&Text::new(name, (x + 44, top), (FONT, NOTE_PT)));
    }
    rect
}

/// Marked points closer than a label's height share one marker and one
/// label (no label could be nearer one than the other): a break-even's dot
/// wins over a ring, and texts of different colours are drawn in black.
fn merge_close(annotations: Vec<Annotation>) -> Vec<Annotation> {
    let mut out: Vec<Annotation> = Vec::new();
    for a in annotations {
        let close = |b: &Annotation| {
            b.marker != Marker::None && (b.anchor.0 - a.anchor.0).abs() <= 10 && (b.anchor.1 - a.anchor.1).abs() <= 10
        };
        match out.iter_mut().find(|b| a.marker != Marker::None && close(b)) {
            Some(b) => {
                if a.marker == Marker::Dot && b.marker != Marker::Dot {
                    b.text = format!("{}; {}", a.text, b.text);
                    b.anchor = a.anchor;
                    b.marker = Marker::Dot;
                } else {
                    b.text = format!("{}; {}", b.text, a.text);
                }
                if b.colour != a.colour {
                    b.colour = BLACK;
                }
            }
            None => out.push(a),
        }
    }
    out
}

/// The placement with the fewest labels that break a rule, over a few
/// orders of placing them (greedy placement depends on the order).
fn place(annotations: &[Annotation], bounds: Rect, obstacles: &[Rect]) -> Vec<Rect> {
    let rank = |a: &Annotation| match a.marker {
        Marker::Dot => 0,
        Marker::Ring => 1,
        Marker::None => 2,
    };
    let mut by_kind: Vec<usize> = (0..annotations.len()).collect();
    by_kind.sort_by_key(|&i| (rank(&annotations[i]), annotations[i].anchor.0));
    let mut orders = vec![by_kind.clone(), by_kind.iter().rev().copied().collect()];
    let mut by_right = by_kind.clone();
    by_right.sort_by_key(|&i| (rank(&annotations[i]), -annotations[i].anchor.0));
    orders.push(by_right);
    let mut by_height = by_kind;
    by_height.sort_by_key(|&i| (rank(&annotations[i]), annotations[i].anchor.1));
    orders.push(by_height);
    let mut best: Option<(usize, Vec<Rect>)> = None;
    for order in orders {
        let (broken, placed) = place_in(annotations, bounds, obstacles, &order);
        if best.as_ref().is_none_or(|(b, _)| broken < *b) {
            best = Some((broken, placed));
        }
        if broken == 0 {
            break;
        }
    }
    best.map(|(_, p)| p).unwrap_or_default()
}

/// Where each annotation's text goes (its top left corner): the nearest
/// spot to its point, around it at growing distances, that lies inside the
/// plot, covers no other text, point or the legend, and is nearer its own
/// point than any other marked point, in `order`; and how many labels
/// found no such spot.
fn place_in(annotations: &[Annotation], bounds: Rect, obstacles: &[Rect], order: &[usize]) -> (usize, Vec<Rect>) {
    let points: Vec<(usize, (i32, i32))> =
        annotations.iter().enumerate().filter(|(_, a)| a.marker != Marker::None).map(|(i, a)| (i, a.anchor)).collect();
    let mut taken: Vec<Rect> = obstacles.to_vec();
    taken.extend(points.iter().map(|(_, (x, y))| Rect(x - 6, y - 6, x + 6, y + 6)));
    let mut placed = vec![Rect(0, 0, 0, 0); annotations.len()];
    let mut broken = 0;
    for &i in order {
        let a = &annotations[i];
        let (w, h) = text_size(&a.text, LABEL_PT);
        let (ax, ay) = a.anchor;
        let mut candidates = Vec::new();
        for r in [5, 9, 14, 20, 28, 38, 50, 64, 80, 100, 125, 150, 180, 220, 260] {
            for (x, y) in [
                (ax + r, ay - r - h),
                (ax + r, ay + r),
                (ax - r - w, ay - r - h),
                (ax - r - w, ay + r),
                (ax - w / 2, ay - r - h),
                (ax - w / 2, ay + r),
                (ax + r, ay - h / 2),
                (ax - r - w, ay - h / 2),
            ] {
                candidates.push(Rect(x, y, x + w, y + h));
            }
        }
        candidates.sort_by(|p, q| p.distance_to(a.anchor).total_cmp(&q.distance_to(a.anchor)));
        let inside = |c: &Rect| c.0 >= bounds.0 && c.1 >= bounds.1 && c.2 <= bounds.2 && c.3 <= bounds.3;
        let free = |c: &Rect| {
            let own = Rect(ax - 6, ay - 6, ax + 6, ay + 6);
            taken.iter().all(|t| (a.marker != Marker::None && *t == own) || !c.grown(2).overlaps(t))
        };
        // The drawn text may be narrower than its estimate: it is aligned on
        // the side that faces its point, and the rule must hold for a text
        // down to 0.8 of the estimate (0.48 em a character) too.
        let nearest = |c: &Rect| {
            let cut = (c.2 - c.0) / 5;
            let narrow = match align(c, a.anchor) {
                HPos::Left => Rect(c.0, c.1, c.2 - cut, c.3),
                HPos::Right => Rect(c.0 + cut, c.1, c.2, c.3),
                HPos::Center => Rect(c.0 + cut / 2, c.1, c.2 - cut / 2, c.3),
            };
            a.marker == Marker::None
                || [c, &narrow]
                    .iter()
                    .all(|b| points.iter().all(|&(j, p)| j == i || b.distance_to(p) > b.distance_to(a.anchor) + 2.0))
        };
        let good = candidates.iter().find(|c| inside(c) && free(c) && nearest(c));
        broken += usize::from(good.is_none());
        let chosen = good
            .or_else(|| candidates.iter().find(|c| inside(c) && free(c)))
            .or_else(|| candidates.iter().find(|c| inside(c)))
            .copied()
            .unwrap_or(candidates[0]);
        // The own point stays an obstacle for other labels, but not its box.
        taken.push(chosen);
        placed[i] = chosen;
    }
    (broken, placed)
}

/// A label left of its point is drawn right-aligned, one above or below it
/// centred, so that its edge next to the point is where the layout put it
/// whatever the font's real widths.
fn align(c: &Rect, (ax, _): (i32, i32)) -> HPos {
    if c.2 < ax {
        HPos::Right
    } else if c.0 < ax {
        HPos::Center
    } else {
        HPos::Left
    }
}

type Chart<'a, 'b> = ChartContext<
    'a,
    SVGBackend<'b>,
    Cartesian2d<plotters::coord::combinators::LogCoord<f64>, plotters::coord::combinators::LogCoord<f64>>,
>;

/// The carried ranges solid, the others dashed and pale; returns a ringed
/// annotation where a line turns dashed inside the chart. Points of several
/// lines that turn dashed at the same place share one annotation.
fn draw_line(chart: &mut Chart<'_, '_>, line: &Line) -> Vec<Annotation> {
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
    let mut out = Vec::new();
    for (carried, run) in runs {
        let _ = if carried {
            chart.draw_series(LineSeries::new(run.clone(), color.stroke_width(width)))
        } else {
            chart.draw_series(DashedLineSeries::new(run.clone(), 8, 6, color.mix(0.45).stroke_width(width)))
        };
        if !carried && let Some(first) = run.first().filter(|p| p.0 > 1e4) {
            let inside = run.get(1).map_or(first.0, |p| p.0);
            let capacity = carry::at(&line.limits, inside as u64).all(|l| l.capacity);
            let what = if capacity { "beyond tasks.max" } else { "cannot carry it" };
            // The ring sits where the first limitation of this range starts.
            let start = line
                .starts
                .iter()
                .filter(|(x, _)| *x > first.0 && *x <= inside)
                .min_by(|a, b| a.0.total_cmp(&b.0))
                .unwrap_or(first);
            out.push(Annotation {
                text: format!("{} {what}", patterns::def(line.model.pattern()).short_name),
                anchor: chart.backend_coord(start),
                colour: color,
                marker: Marker::Ring,
            });
        }
    }
    out
}

/// Region, price table, free tier, sizing, and why each dashed range is dashed.
fn footnotes(report: &CostReport, options: &CostOptions, lines: &[Line]) -> Vec<String> {
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
            "Sizing: Fargate tasks for the peaks (peak/average {}) {} a month, and for the requests left the rest of the month; {} Lambda: {}.",
            ratio.round_dp(1).normalize(),
            match report
                .models
                .first()
                .map_or(Decimal::new(1825, 1), |m| (peak_share(m) * Decimal::from(730)).round_dp(1))
                .normalize()
            {
                one if one == Decimal::ONE => "1 hour".to_string(),
                hours => format!("{hours} hours"),
            },
            at_once(lines),
            lambda_sizing(lines)
        ),
    ];
    notes.push(
        "A ring marks where a line turns dashed (the volumes a pattern cannot carry, or beyond its capacity); a dot marks a break-even.".into(),
    );
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
    notes
}

/// The requests each line's tasks serve at once, as they were sized (a
/// declared `concurrency_per_task`, the work each request holds, or the
/// model's 10 per vCPU), e.g. `requests at once: Fargate+ALB 3 per 1 vCPU
/// task.`
fn at_once(lines: &[Line]) -> String {
    let each: Vec<String> = lines
        .iter()
        .filter_map(|l| {
            let s = l.model.service()?;
            let n = sizing::concurrency_per_task(s).normalize();
            Some(format!("{} {n} per {} vCPU task", patterns::def(l.model.pattern()).short_name, s.cpu.as_decimal()))
        })
        .collect();
    if each.is_empty() { String::new() } else { format!("requests at once: {}.", each.join(", ")) }
}

/// What sized each Lambda line: its memory and timeout, and the environments
/// kept warm when it has provisioned concurrency.
fn lambda_sizing(lines: &[Line]) -> String {
    let warm: Vec<String> = lines
        .iter()
        .filter_map(|l| l.model.function().map(|f| f.provisioned_concurrency).filter(|n| *n > 0))
        .map(|n| format!("{n} provisioned environments"))
        .collect();
    if warm.is_empty() {
        "the function's memory and timeout".into()
    } else {
        format!("the function's memory and timeout, {}", warm.join(", "))
    }
}
