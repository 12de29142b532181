//! Printing: every sheet prints legibly. Landscape; the header row repeated on every page
//! (every sheet but the cover has its header in row 1); a page header with the client, the
//! workpaper's title and the as-of; a footer with the sheet name and "Page X of N".
//!
//! Text is never shrunk below [`MIN_SCALE`] percent (11-point text prints at 8.25 points, 10-point chart labels at 7.5): a
//! sheet narrow enough to fit one page width at that scale is fitted to the page width (never
//! enlarged), a wider one prints at [`MIN_SCALE`] across as many pages as it needs, its long
//! text wrapped in capped columns (see `cells::Widths`), page after page across before going
//! down.

use crate::output::meta::RunRecord;
use rust_xlsxwriter::{Worksheet, XlsxError};

/// The smallest print scale, in percent.
pub const MIN_SCALE: u16 = 75;

/// The title in every page header.
pub const TITLE: &str = "IAM evidence workpaper";

/// The page header's as-of when the accounts do not share one.
pub const AS_OF_PER_ACCOUNT: &str = "as-of per account: see the cover";

/// Excel's longest header or footer, in UTF-16 code units.
pub const MAX_HEADER_LEN: usize = 255;

/// The footer: sheet name on the left, page number and count on the right.
const FOOTER: &str = "&L&A&RPage &P of &N";

/// Pixels one landscape page width holds at 100%: letter paper (the narrowest of letter and
/// A4), 11 inches less the default margins of 0.7 inch each side, at 96 pixels an inch.
const PAGE_WIDTH_PX: u32 = (11 * 96) - (2 * 96 * 7 / 10);

/// How much wider than Excel LibreOffice lays out the same columns, in percent (measured on the
/// sample workbook's cover with Carlito, Calibri's metric twin: 7%).
const LIBREOFFICE_WIDER: u32 = 108;

/// Fits the sheet to one page width when its columns (`width_px` pixels at 100%) fit one page
/// at [`MIN_SCALE`] or more, in Excel and in LibreOffice; otherwise prints it at
/// [`MIN_SCALE`]. (A sheet that never comes here prints at 100%.)
pub fn fit_if_narrow(ws: &mut Worksheet, width_px: u32) {
    if width_px * LIBREOFFICE_WIDER * u32::from(MIN_SCALE) <= PAGE_WIDTH_PX * 100 * 100 {
        ws.set_print_fit_to_pages(1, 0);
    } else {
        ws.set_print_scale(MIN_SCALE);
    }
}

/// Sets up `ws` for printing with the page header `header` (see [`page_header`]); its scale is
/// [`fit_if_narrow`]'s.
pub fn apply(ws: &mut Worksheet, header: &str) -> Result<(), XlsxError> {
    ws.set_landscape();
    // Over, then down: a wide sheet's rows print all their columns on consecutive pages.
    ws.set_page_order(false);
    ws.set_header(header);
    ws.set_footer(FOOTER);
    if ws.name() != "Cover" {
        ws.set_repeat_rows(0, 0)?;
    }
    Ok(())
}

/// The page header of `record`'s workbook: client on the left, title in the centre, as-of on
/// the right.
pub fn page_header(record: &RunRecord) -> String {
    let client = record.options.engagement.client.as_deref().unwrap_or("");
    header_text(client, &as_of_text(record))
}

/// The as-of every account shares (`--as-of` as given), else [`AS_OF_PER_ACCOUNT`].
pub fn as_of_text(record: &RunRecord) -> String {
    if let Some(day) = &record.options.as_of {
        return format!("as-of {day} (end of day, UTC)");
    }
    let mut as_ofs = record.accounts.iter().map(|a| a.as_of.as_deref());
    match as_ofs.next() {
        Some(Some(first)) if as_ofs.all(|a| a == Some(first)) => format!("as-of {first}"),
        _ => AS_OF_PER_ACCOUNT.to_string(),
    }
}

/// `&L<left>&C<TITLE>&R<right>`, each text with `&` escaped as `&&`, cut to
/// [`MAX_HEADER_LEN`]: the right part and the title are kept whole, the left part is cut.
pub fn header_text(left: &str, right: &str) -> String {
    let fixed = format!(
        "&C{}&R{}",
        escape_cut(TITLE, usize::MAX),
        escape_cut(right, usize::MAX)
    );
    let budget = MAX_HEADER_LEN.saturating_sub(2 + fixed.encode_utf16().count());
    format!("&L{}{fixed}", escape_cut(left, budget))
}

/// `text` with `&` doubled, as much of it as fits `budget` UTF-16 code units (never half an
/// escape).
fn escape_cut(text: &str, budget: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let len = if c == '&' { 2 } else { c.len_utf16() };
        if used + len > budget {
            break;
        }
        used += len;
        out.push(c);
        if c == '&' {
            out.push('&');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ampersands_are_doubled() {
        assert_eq!(
            header_text("Smith & Sons", "as-of x"),
            "&LSmith && Sons&CIAM evidence workpaper&Ras-of x"
        );
    }

    #[test]
    fn a_long_client_is_cut_to_excels_limit_without_splitting_an_escape() {
        for client in [
            "x".repeat(400),
            "&".repeat(400),
            "é&".repeat(300),
            "😀".repeat(200),
        ] {
            let header = header_text(&client, "as-of 2025-06-30T10:00:00Z");
            let len = header.encode_utf16().count();
            assert!(
                (MAX_HEADER_LEN - 1..=MAX_HEADER_LEN).contains(&len),
                "{len}"
            );
            let left = header.trim_start_matches("&L").split("&C").next().unwrap();
            let run = left.chars().rev().take_while(|c| *c == '&').count();
            assert_eq!(run % 2, 0, "{left}");
            assert!(header.ends_with("&Ras-of 2025-06-30T10:00:00Z"));
        }
    }

    #[test]
    fn a_narrow_sheet_fits_the_page_width_and_a_wide_one_keeps_the_scale() {
        let mut narrow = Worksheet::new();
        fit_if_narrow(&mut narrow, 1000);
        let mut wide = Worksheet::new();
        fit_if_narrow(&mut wide, 2000);
        let xml = |ws: &mut Worksheet| {
            apply(ws, "&Lx").unwrap();
            let mut book = rust_xlsxwriter::Workbook::new();
            book.push_worksheet(std::mem::take(ws));
            let bytes = book.save_to_buffer().unwrap();
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
            let mut s = String::new();
            std::io::Read::read_to_string(
                &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
                &mut s,
            )
            .unwrap();
            s
        };
        let narrow = xml(&mut narrow);
        assert!(narrow.contains("fitToPage=\"1\""), "{narrow}");
        let wide = xml(&mut wide);
        assert!(!wide.contains("fitToPage"), "{wide}");
        assert!(wide.contains("scale=\"75\""), "{wide}");
    }
}
