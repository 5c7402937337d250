//! A report's chart drawn with plotters: horizontal bars, one per label, as
//! SVG text or PNG bytes. Text is laid out with DejaVu Sans compiled into the
//! binary (plotters' `ab_glyph` font support), so no system font is looked
//! up: the PNG looks the same on a headless server as on a desktop.

use std::sync::OnceLock;

use meridian_core::report::{number, Chart};
use plotters::prelude::*;
use plotters::style::FontStyle;

use crate::error::{ApiError, ApiErrorKind};

static FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
/// The family name the font is registered under (not a system name, so a
/// missing registration shows as an error, not as another font).
const FAMILY: &str = "meridian-dejavu-sans";
const WIDTH: u32 = 900;
const BAR: u32 = 26;
const TOP: u32 = 56;
const BOTTOM: u32 = 40;
const LABEL_W: i32 = 260;
/// Longest label drawn; the table beside the chart has the full text.
const LABEL_CHARS: usize = 36;

fn font() -> Result<(), ApiError> {
    static DONE: OnceLock<bool> = OnceLock::new();
    let ok = *DONE.get_or_init(|| plotters::style::register_font(FAMILY, FontStyle::Normal, FONT).is_ok());
    if ok {
        Ok(())
    } else {
        Err(internal("the embedded chart font does not load"))
    }
}

fn internal(detail: impl Into<String>) -> ApiError {
    ApiError::new(ApiErrorKind::Internal, detail)
}

/// The chart's size in pixels: a bar per label, room for a "no data" line.
pub fn size(chart: &Chart) -> (u32, u32) {
    (WIDTH, TOP + BAR * (chart.labels.len().max(2) as u32) + BOTTOM)
}

fn clip(s: &str) -> String {
    if s.chars().count() <= LABEL_CHARS {
        s.to_owned()
    } else {
        s.chars().take(LABEL_CHARS - 1).chain(['…']).collect()
    }
}

/// The axis end: the fixed maximum, else the largest value rounded up to
/// 1, 2 or 5 times a power of ten.
fn axis_max(chart: &Chart) -> f64 {
    if let Some(m) = chart.max {
        return m;
    }
    let top = chart.values.iter().copied().filter(|v| v.is_finite()).fold(0.0, f64::max);
    if top <= 0.0 {
        return 1.0;
    }
    let p = 10f64.powf(top.log10().floor());
    [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * p).find(|&v| v >= top).unwrap_or(10.0 * p)
}

fn draw<DB: DrawingBackend>(root: DrawingArea<DB, plotters::coord::Shift>, chart: &Chart) -> Result<(), ApiError> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| internal(format!("cannot draw the chart: {e}"));
    let (w, h) = root.dim_in_pixel();
    root.fill(&WHITE).map_err(err)?;
    let title = (FAMILY, 20).into_font().color(&BLACK);
    let text = (FAMILY, 14).into_font().color(&BLACK);
    let small = (FAMILY, 12).into_font().color(&RGBColor(80, 80, 80));
    root.draw_text(&chart.title, &title, (16, 14)).map_err(err)?;
    let (x0, x1) = (LABEL_W + 16, w as i32 - 80);
    let (y0, y1) = (TOP as i32, h as i32 - BOTTOM as i32);
    let max = axis_max(chart);
    let x_of = |v: f64| x0 + ((v.clamp(0.0, max) / max) * f64::from(x1 - x0)) as i32;
    // Grid lines and their values, at fifths of the axis.
    for i in 0..=5 {
        let v = max * f64::from(i) / 5.0;
        let x = x_of(v);
        root.draw(&PathElement::new(vec![(x, y0 - 4), (x, y1)], RGBColor(220, 220, 220))).map_err(err)?;
        let label = format!("{}{}", number(v, 2), if chart.unit == "%" { "%" } else { "" });
        root.draw_text(&label, &small, (x - 10, y1 + 8)).map_err(err)?;
    }
    if chart.labels.is_empty() {
        root.draw_text("No data in this period", &text, (x0 + 10, y0 + 14)).map_err(err)?;
    }
    for (i, (label, &value)) in chart.labels.iter().zip(&chart.values).enumerate() {
        let y = y0 + (i as u32 * BAR) as i32;
        root.draw_text(&clip(label), &text, (16, y + 5)).map_err(err)?;
        let bar = Rectangle::new(
            [(x0, y + 4), (x_of(value).max(x0 + 1), y + BAR as i32 - 4)],
            RGBColor(52, 101, 164).filled(),
        );
        root.draw(&bar).map_err(err)?;
        root.draw_text(&number(value, 3), &small, (x_of(value) + 6, y + 7)).map_err(err)?;
    }
    root.draw(&PathElement::new(vec![(x0, y0 - 4), (x0, y1)], BLACK)).map_err(err)?;
    root.present().map_err(err)
}

/// The chart as an SVG document.
pub fn svg(chart: &Chart) -> Result<String, ApiError> {
    font()?;
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, size(chart)).into_drawing_area();
        draw(root, chart)?;
    }
    Ok(out)
}

/// The chart as 8-bit RGB pixels, row by row, and its size.
pub fn rgb(chart: &Chart) -> Result<(Vec<u8>, (u32, u32)), ApiError> {
    font()?;
    let (w, h) = size(chart);
    let mut buf = vec![0u8; (w * h * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
        draw(root, chart)?;
    }
    Ok((buf, (w, h)))
}

/// The chart as a PNG file.
pub fn png(chart: &Chart) -> Result<Vec<u8>, ApiError> {
    let (pixels, (w, h)) = rgb(chart)?;
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    let err = |e: png::EncodingError| internal(format!("cannot encode the chart as PNG: {e}"));
    let mut writer = enc.write_header().map_err(err)?;
    writer.write_image_data(&pixels).map_err(err)?;
    writer.finish().map_err(err)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(values: &[f64], max: Option<f64>) -> Chart {
        Chart {
            title: "Availability (%)".into(),
            unit: "%".into(),
            labels: values.iter().enumerate().map(|(i, _)| format!("device-{i}")).collect(),
            values: values.to_vec(),
            max,
        }
    }

    /// Pixels of the bar colour in the row through the middle of bar `i`.
    fn bar_pixels(c: &Chart, i: u32) -> usize {
        let (pixels, (w, _)) = rgb(c).expect("draws");
        let y = TOP + i * BAR + BAR / 2;
        let row = &pixels[(y * w * 3) as usize..((y + 1) * w * 3) as usize];
        row.chunks(3).filter(|p| p == &[52, 101, 164]).count()
    }

    #[test]
    fn bars_are_as_long_as_their_share_of_the_axis() {
        let c = chart(&[100.0, 50.0, 0.0], Some(100.0));
        let full = bar_pixels(&c, 0);
        let half = bar_pixels(&c, 1);
        let axis = (WIDTH as i32 - 80 - (LABEL_W + 16)) as usize;
        assert!(full.abs_diff(axis) <= 2, "{full} of {axis}");
        assert!(half.abs_diff(axis / 2) <= 2, "{half} of {}", axis / 2);
        assert!(bar_pixels(&c, 2) <= 2);
    }

    #[test]
    fn axes_round_up_and_outputs_are_well_formed() {
        assert_eq!(axis_max(&chart(&[3.5, 12.25], None)), 20.0);
        assert_eq!(axis_max(&chart(&[0.0], None)), 1.0);
        assert_eq!(axis_max(&chart(&[70.0], Some(100.0))), 100.0);
        let svg = svg(&chart(&[95.833], Some(100.0))).expect("svg");
        assert!(svg.starts_with("<svg") && svg.contains("device-0") && svg.contains("95.833"), "{svg}");
        let png = png(&chart(&[], None)).expect("png");
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
        assert_eq!(size(&chart(&[], None)), (WIDTH, TOP + 2 * BAR + BOTTOM));
    }
}
