//! A report as a PDF: title, scope, period and notes, the chart (the same
//! plotters drawing as the PNG, embedded as an image), then every table,
//! on as many A4 pages as it takes. Text uses the PDF standard fonts
//! (Helvetica), which every reader carries, so nothing is embedded for it.

use meridian_core::report::{stamp, Report, Table};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str};

use super::chart;
use crate::error::ApiError;

const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 40.0;
const REGULAR: Name<'static> = Name(b"F1");
const BOLD: Name<'static> = Name(b"F2");
const IMAGE: Name<'static> = Name(b"Im1");

/// Text in the standard fonts' WinAnsi encoding: Latin-1 as is, anything
/// else as '?' (an ellipsis as three dots).
fn win_ansi(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '…' => out.extend_from_slice(b"..."),
            ' '..='~' | '\u{a0}'..='\u{ff}' => out.push(c as u32 as u8),
            _ => out.push(b'?'),
        }
    }
    out
}

/// Cuts `s` to what fits in `width` points at `size` (Helvetica averages
/// about half an em per character).
fn fit(s: &str, width: f32, size: f32) -> String {
    let max = ((width / (size * 0.5)) as usize).max(3);
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        s.chars().take(max - 1).chain(['…']).collect()
    }
}

/// Pages being laid out top to bottom.
struct Layout {
    pages: Vec<(Content, bool)>,
    y: f32,
}

impl Layout {
    fn new() -> Self {
        let mut l = Self { pages: Vec::new(), y: 0.0 };
        l.page();
        l
    }

    fn page(&mut self) {
        self.pages.push((Content::new(), false));
        self.y = PAGE_H - MARGIN;
    }

    /// Room for `h` more points, else a new page.
    fn need(&mut self, h: f32) {
        if self.y - h < MARGIN {
            self.page();
        }
    }

    fn content(&mut self) -> &mut Content {
        &mut self.pages.last_mut().expect("a layout always has a page").0
    }

    fn text(&mut self, x: f32, font: Name<'_>, size: f32, s: &str) {
        let y = self.y;
        let bytes = win_ansi(s);
        self.content().begin_text().set_font(font, size).next_line(x, y).show(Str(&bytes)).end_text();
    }

    fn line(&mut self, font: Name<'_>, size: f32, s: &str) {
        self.need(size * 1.5);
        self.y -= size * 1.4;
        self.text(MARGIN, font, size, s);
    }

    fn table(&mut self, t: &Table) {
        let cols = t.columns.len().max(1) as f32;
        let col_w = (PAGE_W - 2.0 * MARGIN) / cols;
        self.need(60.0);
        self.y -= 10.0;
        self.line(BOLD, 12.0, &t.title);
        let row = |l: &mut Self, cells: &[String], font: Name<'_>| {
            l.need(14.0);
            l.y -= 13.0;
            for (i, c) in cells.iter().enumerate() {
                l.text(MARGIN + i as f32 * col_w, font, 8.5, &fit(c, col_w - 4.0, 8.5));
            }
        };
        row(self, &t.columns, BOLD);
        if t.rows.is_empty() {
            self.line(REGULAR, 9.0, "(no rows)");
        }
        for r in &t.rows {
            row(self, r, REGULAR);
        }
    }

    /// The chart image scaled to the text width.
    fn image(&mut self, w: u32, h: u32) {
        // The text width, or less for a chart taller than a page (a top 100).
        let tallest = PAGE_H - 2.0 * MARGIN - 10.0;
        let mut width = PAGE_W - 2.0 * MARGIN;
        let mut height = width * h as f32 / w as f32;
        if height > tallest {
            (width, height) = (tallest * w as f32 / h as f32, tallest);
        }
        self.need(height + 10.0);
        self.y -= height + 10.0;
        let y = self.y;
        self.pages.last_mut().expect("a page").1 = true;
        self.content().save_state().transform([width, 0.0, 0.0, height, MARGIN, y]).x_object(IMAGE).restore_state();
    }
}

/// The report as PDF bytes.
pub fn render(report: &Report) -> Result<Vec<u8>, ApiError> {
    let (pixels, (w, h)) = chart::rgb(&report.chart)?;
    let mut l = Layout::new();
    l.line(BOLD, 18.0, &report.title);
    l.y -= 4.0;
    l.line(REGULAR, 10.0, &format!("Scope: {}", report.scope));
    l.line(REGULAR, 10.0, &format!("Period: {}", report.period()));
    l.line(REGULAR, 10.0, &format!("Generated: {}", stamp(report.generated_at)));
    for n in &report.notes {
        l.line(BOLD, 10.0, n);
    }
    l.image(w, h);
    for t in &report.tables {
        l.table(t);
    }

    let mut pdf = Pdf::new();
    let (catalog, tree, regular, bold, image) = (Ref::new(1), Ref::new(2), Ref::new(3), Ref::new(4), Ref::new(5));
    let page_ids: Vec<(Ref, Ref)> =
        (0..l.pages.len() as i32).map(|i| (Ref::new(6 + 2 * i), Ref::new(7 + 2 * i))).collect();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids(page_ids.iter().map(|p| p.0)).count(page_ids.len() as i32);
    pdf.type1_font(regular).base_font(Name(b"Helvetica")).encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(bold).base_font(Name(b"Helvetica-Bold")).encoding_predefined(Name(b"WinAnsiEncoding"));
    let packed = miniz_oxide::deflate::compress_to_vec_zlib(&pixels, 6);
    let mut img = pdf.image_xobject(image, &packed);
    img.filter(Filter::FlateDecode);
    img.width(w as i32).height(h as i32).bits_per_component(8);
    img.color_space().device_rgb();
    img.finish();
    for ((content, has_image), (page_id, content_id)) in l.pages.into_iter().zip(&page_ids) {
        let mut page = pdf.page(*page_id);
        page.media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H)).parent(tree).contents(*content_id);
        let mut res = page.resources();
        res.fonts().pair(REGULAR, regular).pair(BOLD, bold);
        if has_image {
            res.x_objects().pair(IMAGE, image);
        }
        res.finish();
        page.finish();
        let bytes = content.finish();
        pdf.stream(*content_id, &bytes);
    }
    Ok(pdf.finish())
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use meridian_core::report::{Chart, Report, ReportKind, Scope, Table, ValidReport};

    use super::*;

    #[test]
    fn text_outside_latin1_is_replaced_and_cells_are_cut() {
        assert_eq!(win_ansi("aé…✓"), [b'a', 0xe9, b'.', b'.', b'.', b'?']);
        assert_eq!(fit("short", 100.0, 10.0), "short");
        // 40 pt at 10 pt holds about 8 characters: 7 and an ellipsis.
        assert_eq!(fit("a much longer cell than fits", 40.0, 10.0), "a much …");
    }

    #[test]
    fn long_tables_and_tall_charts_flow_onto_more_pages() {
        let t = |h| Utc.with_ymd_and_hms(2026, 11, 23, h, 0, 0).single().expect("valid");
        let v = ValidReport { kind: ReportKind::Top, from: t(0), to: t(12), scope: Scope::All, top_n: 100 };
        let mut r = Report::new(&v, "all devices".into(), t(13));
        let mut table = Table::new("Many", &["device", "value"]);
        table.rows = (0..150).map(|i| vec![format!("dev{i}"), i.to_string()]).collect();
        r.tables.push(table);
        r.chart = Chart {
            title: "tall".into(),
            unit: "ms".into(),
            labels: (0..100).map(|i| format!("dev{i}")).collect(),
            values: (0..100).map(f64::from).collect(),
            max: None,
        };
        let pdf = render(&r).expect("renders");
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.starts_with("%PDF-"));
        // The header, the chart on a page of its own (scaled to fit), 150 rows on three more.
        let pages = text.matches("/Type /Page").count() - text.matches("/Type /Pages").count();
        assert!(pages >= 4, "{pages} pages");
    }
}
