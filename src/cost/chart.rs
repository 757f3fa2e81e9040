//! The cost chart: monthly cost against requests per month, log scales,
//! one line per pattern, break-even points marked. SVG, drawn with plotters.

use plotters::prelude::*;

use super::compare::{BreakEven, sample_volumes};
use super::estimate::{CostOptions, Traffic, monthly_total};
use crate::model::{Model, NamedEnum, Pattern};
use crate::patterns;

/// The chart as SVG text.
pub fn svg(models: &[Model], break_evens: &[BreakEven], declared: u64, options: &CostOptions) -> String {
    let volumes = sample_volumes();
    let series: Vec<Series> = models
        .iter()
        .map(|m| {
            let points = volumes
                .iter()
                .map(|r| {
                    let cost = monthly_total(m, options, Traffic::Requests(*r)).as_decimal();
                    (*r as f64, cost.to_string().parse::<f64>().unwrap_or(0.0).max(0.01))
                })
                .collect();
            (m.pattern(), points)
        })
        .collect();
    let y_max = series.iter().flat_map(|(_, p)| p.iter().map(|(_, y)| *y)).fold(1.0, f64::max) * 1.5;
    let y_min = series.iter().flat_map(|(_, p)| p.iter().map(|(_, y)| *y)).fold(f64::MAX, f64::min).max(0.01) / 1.5;

    let mut out = String::new();
    draw(&mut out, &series, break_evens, declared, (y_min, y_max), &options.prices.region);
    out
}

type Series = (Pattern, Vec<(f64, f64)>);

fn short(p: Pattern) -> &'static str {
    patterns::def(p).short_name
}

/// A pattern's colour, the same in every chart.
fn colour(p: Pattern) -> RGBColor {
    let (r, g, b) = patterns::def(p).colour;
    RGBColor(r, g, b)
}

fn draw(
    out: &mut String,
    series: &[Series],
    break_evens: &[BreakEven],
    declared: u64,
    (y_min, y_max): (f64, f64),
    region: &str,
) {
    {
        let root = SVGBackend::with_string(out, (960, 600)).into_drawing_area();
        let _ = root.fill(&WHITE);
        let chart = ChartBuilder::on(&root)
            .caption(format!("Monthly cost by requests per month ({region})"), ("sans-serif", 22))
            .margin(16)
            .x_label_area_size(48)
            .y_label_area_size(80)
            .build_cartesian_2d((1e4f64..1e10f64).log_scale(), (y_min..y_max).log_scale());
        let Ok(mut chart) = chart else { return };
        let _ = chart
            .configure_mesh()
            .x_desc("requests per month")
            .y_desc("monthly cost (USD)")
            .x_label_formatter(&|x| format!("{x:.0e}"))
            .y_label_formatter(&|y| format!("${y:.0}"))
            .draw();
        for (pattern, points) in series {
            let color = colour(*pattern);
            if let Ok(drawn) = chart.draw_series(LineSeries::new(points.iter().copied(), color.stroke_width(2))) {
                drawn
                    .label(pattern.name())
                    .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2)));
            }
        }
        if (1e4..=1e10).contains(&(declared as f64)) {
            let _ = chart.draw_series(LineSeries::new(
                vec![(declared as f64, y_min), (declared as f64, y_max)],
                BLACK.mix(0.4).stroke_width(1),
            ));
            let _ = chart.draw_series(std::iter::once(Text::new(
                "declared workload".to_string(),
                (declared as f64 * 1.1, y_max / 1.6),
                ("sans-serif", 12),
            )));
        }
        for (i, be) in break_evens.iter().enumerate() {
            let cost = be.monthly.as_decimal().to_string().parse::<f64>().unwrap_or(0.0).max(y_min);
            let x = be.requests_per_month as f64;
            let _ = chart.draw_series(std::iter::once(Circle::new((x, cost), 5, BLACK.filled())));
            // Labels alternate above and below, farther for each, so close points stay readable.
            let step = 1.6f64.powi(i as i32 / 2 + 1);
            let y = if i % 2 == 0 { cost * step } else { cost / step };
            let _ = chart.draw_series(std::iter::once(Text::new(
                format!("{:.1e}/mo: {} = {}", x, short(be.between[0]), short(be.between[1])),
                (x * 1.1, y),
                ("sans-serif", 12),
            )));
        }
        let _ = chart.configure_series_labels().background_style(WHITE.mix(0.9)).border_style(BLACK).draw();
        let _ = root.present();
    }
}
