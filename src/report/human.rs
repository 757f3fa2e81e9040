//! Human output: miette's graphical diagnostics.

use miette::{GraphicalReportHandler, GraphicalTheme, Report};

/// How to draw diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub color: bool,
    pub width: usize,
}

impl Style {
    /// No colors, fixed width: what tests snapshot and pipes receive.
    pub const PLAIN: Style = Style { color: false, width: 100 };
}

/// Renders one diagnostic as a user sees it.
pub fn render(report: &Report, style: Style) -> String {
    let theme = if style.color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(style.width).with_links(false);
    let mut out = String::new();
    if handler.render_report(&mut out, report.as_ref()).is_err() {
        out = format!("{report}\n");
    }
    out
}
