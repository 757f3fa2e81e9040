//! The cost chart's text is readable: on every example proposal
//! (`policy cost --chart`) and needs file (`policy recommend --chart`), no
//! text box overlaps another, none is clipped by the picture's edge, and
//! each marked point's label is nearer its own point than any other point.
//!
//! Boxes are estimated from the SVG alone, as a reader's renderer would lay
//! the text out: each character 0.55 of the font size wide (DejaVu Sans, the
//! usual `sans-serif`, averages about that over mixed text and digits; the
//! chart lays its labels out at 0.6), one font size high, placed by `dy`,
//! `text-anchor` and a `rotate`.

use crate::common;

use common::*;

#[derive(Debug, Clone, Copy)]
struct Box2 {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

impl Box2 {
    fn overlaps(&self, o: &Box2) -> bool {
        // Half a pixel of slack: boxes that touch do not overlap.
        self.x0 < o.x1 - 0.5 && o.x0 < self.x1 - 0.5 && self.y0 < o.y1 - 0.5 && o.y0 < self.y1 - 0.5
    }

    fn distance_to(&self, (px, py): (f64, f64)) -> f64 {
        let dx = (self.x0 - px).max(0.0).max(px - self.x1);
        let dy = (self.y0 - py).max(0.0).max(py - self.y1);
        (dx * dx + dy * dy).sqrt()
    }
}

#[derive(Debug)]
struct Label {
    text: String,
    at: Box2,
}

/// `0.76em`, `0.5ex`, `-0.5ex` in pixels at `size`.
fn dy(value: &str, size: f64) -> f64 {
    if let Some(n) = value.strip_suffix("em") {
        n.parse::<f64>().unwrap() * size
    } else if let Some(n) = value.strip_suffix("ex") {
        // An x-height is about half an em.
        n.parse::<f64>().unwrap() * size * 0.5
    } else {
        value.parse().unwrap_or(0.0)
    }
}

/// Every text of the SVG with its estimated box, and every circle's centre,
/// in document order (`texts`, `points`), and which text follows each
/// circle (the chart draws a marked point, then its label).
struct Drawing {
    width: f64,
    height: f64,
    texts: Vec<Label>,
    points: Vec<(f64, f64)>,
    label_of_point: Vec<Option<usize>>,
    /// The centres of the rings (radius 4) where a line turns dashed.
    rings: Vec<(f64, f64)>,
    /// The y of every point of the patterns' lines (stroke width 2 or 4).
    line_ys: Vec<f64>,
}

fn read(svg: &str) -> Drawing {
    let doc = roxmltree::Document::parse(svg).unwrap();
    let root = doc.root_element();
    let num = |n: roxmltree::Node<'_, '_>, a: &str| n.attribute(a).and_then(|v| v.parse::<f64>().ok());
    let (width, height) = (num(root, "width").unwrap(), num(root, "height").unwrap());
    let mut texts = Vec::new();
    let mut points = Vec::new();
    let mut label_of_point: Vec<Option<usize>> = Vec::new();
    let (mut rings, mut line_ys) = (Vec::new(), Vec::new());
    for n in root.descendants() {
        if n.has_tag_name("circle") {
            points.push((num(n, "cx").unwrap(), num(n, "cy").unwrap()));
            label_of_point.push(None);
            if num(n, "r") == Some(4.0) {
                rings.push((num(n, "cx").unwrap(), num(n, "cy").unwrap()));
            }
        } else if n.has_tag_name("polyline") && matches!(n.attribute("stroke-width"), Some("2" | "4")) {
            let ys = n.attribute("points").unwrap_or_default().split_whitespace();
            line_ys.extend(ys.filter_map(|p| p.split_once(',')).map(|(_, y)| y.parse::<f64>().unwrap()));
        } else if n.has_tag_name("text") {
            let text = n.text().unwrap_or_default().trim().to_string();
            let size = num(n, "font-size").unwrap_or(16.0);
            let (x, y) = (num(n, "x").unwrap(), num(n, "y").unwrap());
            let w = text.chars().count() as f64 * size * 0.55;
            // The baseline, then ascent 0.76 em above it and descent 0.24 em below.
            let baseline = y + dy(n.attribute("dy").unwrap_or("0"), size);
            let (y0, y1) = (baseline - 0.76 * size, baseline + 0.24 * size);
            let x0 = match n.attribute("text-anchor") {
                Some("middle") => x - w / 2.0,
                Some("end") => x - w,
                _ => x,
            };
            let mut at = Box2 { x0, y0, x1: x0 + w, y1 };
            if let Some(rotate) = n.attribute("transform").and_then(|t| t.strip_prefix("rotate(")) {
                let parts: Vec<f64> =
                    rotate.trim_end_matches(')').split(',').map(|p| p.trim().parse().unwrap()).collect();
                assert!(parts[0] == 270.0 || parts[0] == 90.0, "a rotation the test does not read: {rotate}");
                let (cx, cy) = (parts[1], parts[2]);
                // A quarter turn about (cx, cy): x offsets become y offsets.
                let corners = [(at.x0, at.y0), (at.x1, at.y1)].map(|(px, py)| (cx + (py - cy), cy - (px - cx)));
                at = Box2 {
                    x0: corners[0].0.min(corners[1].0),
                    y0: corners[0].1.min(corners[1].1),
                    x1: corners[0].0.max(corners[1].0),
                    y1: corners[0].1.max(corners[1].1),
                };
            }
            if let Some(last) = label_of_point.last_mut()
                && last.is_none()
            {
                *last = Some(texts.len());
            }
            texts.push(Label { text, at });
        }
    }
    Drawing { width, height, texts, points, label_of_point, rings, line_ys }
}

/// `56M`, `1.2B`, `30k` as a number.
fn volume(text: &str) -> Option<f64> {
    let (n, scale) = match text.chars().last()? {
        'k' => (&text[..text.len() - 1], 1e3),
        'M' => (&text[..text.len() - 1], 1e6),
        'B' => (&text[..text.len() - 1], 1e9),
        _ => (text, 1.0),
    };
    n.parse::<f64>().ok().map(|n| n * scale)
}

/// What the chart's axes and footnote say that its drawing contradicts:
/// the lowest cost label above the lowest line, or a ring away from every
/// volume the footnote says a line turns dashed at.
fn contradictions(svg: &str) -> Vec<String> {
    let d = read(svg);
    let mut out = Vec::new();
    // The cost axis' labels: `$…` right of nothing, left of the plot.
    let lowest_label = d
        .texts
        .iter()
        .filter(|t| t.text.starts_with('$') && t.at.x1 < 90.0)
        .map(|t| (t.at.y0 + t.at.y1) / 2.0)
        .fold(f64::MIN, f64::max);
    let lowest_line = d.line_ys.iter().copied().fold(f64::MIN, f64::max);
    if lowest_label < lowest_line - 0.5 {
        out.push(format!("the lowest cost label (y {lowest_label}) is above the lowest line (y {lowest_line})"));
    }
    // The volume axis: pixels from its `10k` and `10B` labels, log scale.
    let centre = |s: &str| d.texts.iter().find(|t| t.text == s).map(|t| (t.at.x0 + t.at.x1) / 2.0);
    let (Some(x4), Some(x10)) = (centre("10k"), centre("10B")) else { return out };
    let at = |x: f64| 10f64.powf(4.0 + 6.0 * (x - x4) / (x10 - x4));
    let footnote: String = d.texts.iter().map(|t| t.text.as_str()).collect::<Vec<_>>().join(" ");
    let dashed_from: Vec<f64> = footnote
        .split("(from ")
        .skip(1)
        .filter_map(|rest| rest.split_once(" requests/mo").and_then(|(v, _)| volume(v)))
        .collect();
    for (x, _) in &d.rings {
        let v = at(*x);
        // The footnote rounds a volume to 2 or 3 digits (5% at most: 1.05M is
        // `1.1M`) and a pixel is about 0.8% of a volume; the sampled point
        // before a limitation, where rings were drawn, is up to 12% off.
        if !dashed_from.iter().any(|f| (v / f - 1.0).abs() <= 0.06) {
            out.push(format!("a ring at {v:.0} requests/mo, where the footnote says none starts: {dashed_from:?}"));
        }
    }
    out
}

/// What is wrong with the drawing's text, in words; empty when readable.
fn problems(svg: &str) -> Vec<String> {
    let d = read(svg);
    let mut out = Vec::new();
    for t in &d.texts {
        let b = t.at;
        if b.x0 < 0.0 || b.y0 < 0.0 || b.x1 > d.width || b.y1 > d.height {
            out.push(format!("clipped: {:?} at {b:?}", t.text));
        }
    }
    for (i, a) in d.texts.iter().enumerate() {
        for b in &d.texts[i + 1..] {
            if a.at.overlaps(&b.at) {
                out.push(format!("overlap: {:?} {:?} and {:?} {:?}", a.text, a.at, b.text, b.at));
            }
        }
    }
    for (p, label) in d.label_of_point.iter().enumerate() {
        let Some(label) = label else {
            out.push(format!("the point at {:?} has no label", d.points[p]));
            continue;
        };
        let t = &d.texts[*label];
        let own = t.at.distance_to(d.points[p]);
        for (q, other) in d.points.iter().enumerate() {
            if q != p && t.at.distance_to(*other) <= own {
                out.push(format!("{:?} is nearer the point at {other:?} than its own at {:?}", t.text, d.points[p]));
            }
        }
    }
    out
}

fn proposals() -> Vec<String> {
    let mut out = Vec::new();
    for dir in ["examples", "examples/breaks_on_purpose", "examples/imported"] {
        for e in std::fs::read_dir(dir).unwrap() {
            let path = e.unwrap().path();
            if path.to_string_lossy().ends_with(".arch.yaml") {
                out.push(path.display().to_string());
            }
        }
    }
    out.sort();
    out
}

fn needs_files() -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir("examples")
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .filter(|p| p.ends_with(".needs.yaml"))
        .collect();
    out.sort();
    out
}

#[test]
fn every_chart_of_the_examples_is_readable() {
    let dir = tempfile::tempdir().unwrap();
    let mut wrong = Vec::new();
    let runs = proposals().into_iter().map(|p| ("cost", p)).chain(needs_files().into_iter().map(|n| ("recommend", n)));
    let mut charts = 0;
    for (i, (command, input)) in runs.enumerate() {
        let path = dir.path().join(format!("{i}.svg"));
        let out = policy(&[command, &input, "--chart", &path.display().to_string()]);
        assert!(out.status.code().is_some_and(|c| c <= 1), "{command} {input}: {}", stderr(&out));
        let svg = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{command} {input}: {e}"));
        charts += 1;
        wrong.extend(problems(&svg).into_iter().map(|p| format!("{command} {input}: {p}")));
        wrong.extend(contradictions(&svg).into_iter().map(|p| format!("{command} {input}: {p}")));
    }
    assert!(charts >= 14, "{charts} charts");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_checks_catch_overlap_clipping_and_a_label_nearer_another_point() {
    let svg = |body: &str| format!(r#"<svg width="200" height="100" xmlns="http://www.w3.org/2000/svg">{body}</svg>"#);
    let text = |x: u32, y: u32, s: &str| format!(r#"<text x="{x}" y="{y}" dy="0.76em" font-size="10">{s}</text>"#);
    let circle = |x: u32, y: u32| format!(r#"<circle cx="{x}" cy="{y}" r="5"/>"#);
    assert!(problems(&svg(&(text(10, 10, "alone") + &text(10, 40, "apart")))).is_empty());
    // Boxes 27.5 and 33 px wide at about the same height, 20 px apart.
    assert!(
        problems(&svg(&(text(10, 10, "first") + &text(30, 12, "second")))).iter().any(|p| p.starts_with("overlap"))
    );
    // 19 characters × 5.5 px from x = 100 end at 204.5, past the 200 px edge.
    assert!(problems(&svg(&text(100, 10, "declared: 5.3B/mo.."))).iter().any(|p| p.starts_with("clipped")));
    // Two dots, each label drawn beside the other's dot: swapped.
    let swapped = circle(20, 20) + &text(120, 60, "a") + &circle(120, 50) + &text(20, 30, "b");
    assert!(problems(&svg(&swapped)).iter().any(|p| p.contains("nearer the point")));
    let right = circle(20, 20) + &text(20, 30, "a") + &circle(120, 50) + &text(120, 60, "b");
    assert!(problems(&svg(&right)).is_empty(), "{:?}", problems(&svg(&right)));
}

#[test]
fn y_labels_reach_below_the_lowest_line() {
    // Lines around $33 a month: a label below them, not only $100 and up.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.svg");
    let out = policy(&["cost", "examples/scenario_a_saas_api.arch.yaml", "--chart", &path.display().to_string()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let svg = std::fs::read_to_string(&path).unwrap();
    let d = read(&svg);
    let y_labels: Vec<&Label> = d.texts.iter().filter(|t| t.text.starts_with('$') && t.at.x1 < 100.0).collect();
    assert!(y_labels.len() >= 3, "{:?}", y_labels.iter().map(|t| &t.text).collect::<Vec<_>>());
}

#[test]
fn the_footnote_states_the_sizing_used() {
    // Scenario A made latency-sensitive: recommend sizes its Fargate
    // candidates from the Lambda function's work (512 MiB, 0.289 vCPU a
    // request: 3 on a 1 vCPU task), not the model's 10 per vCPU, and keeps
    // 60 environments warm; the footnote says so.
    let dir = tempfile::tempdir().unwrap();
    let needs = common::latency_sensitive_scenario_a(dir.path());
    let path = dir.path().join("a.svg");
    let out = policy(&["recommend", needs.to_str().unwrap(), "--chart", path.to_str().unwrap()]);
    assert!(out.status.code().is_some_and(|c| c <= 1), "{}", stderr(&out));
    let d = read(&std::fs::read_to_string(&path).unwrap());
    let footnote: String = d.texts.iter().map(|t| t.text.as_str()).collect::<Vec<_>>().join(" ");
    let footnote = footnote.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(!footnote.contains("10 requests per vCPU"), "{footnote}");
    assert!(
        footnote.contains("requests at once: Fargate+APIGW 3 per 1 vCPU task, Fargate+ALB 3 per 1 vCPU task."),
        "{footnote}"
    );
    assert!(footnote.contains("60 provisioned environments"), "{footnote}");
}

#[test]
fn the_checks_catch_a_label_above_the_lowest_line_and_a_ring_off_its_volume() {
    let axis = r#"<text x="86" y="520" text-anchor="middle" font-size="10">10k</text><text x="1086" y="520" text-anchor="middle" font-size="10">10B</text>"#;
    let svg =
        |body: &str| format!(r#"<svg width="1200" height="600" xmlns="http://www.w3.org/2000/svg">{axis}{body}</svg>"#);
    let label = |y: u32| format!(r#"<text x="76" y="{y}" dy="0.5ex" text-anchor="end" font-size="10">$1</text>"#);
    let line = r#"<polyline stroke-width="2" points="86,300 500,480 "/>"#;
    assert!(contradictions(&svg(&(label(500) + line))).is_empty());
    assert!(contradictions(&svg(&(label(440) + line))).iter().any(|p| p.contains("lowest cost label")));
    // 10k at 86 and 10B at 1086: 56M is at 86 + 1000 × log10(5600) / 6 = 711.
    let note = r#"<text x="24" y="580" font-size="10">Dashed X: beyond (from 56M requests/mo).</text>"#;
    let ring = |x: u32| format!(r#"<circle cx="{x}" cy="400" r="4"/>"#);
    assert!(contradictions(&svg(&(label(500) + line + note + &ring(711)))).is_empty());
    // 50M, the sampled point before it, is 8 px left.
    assert!(contradictions(&svg(&(label(500) + line + note + &ring(703)))).iter().any(|p| p.contains("a ring at")));
}
