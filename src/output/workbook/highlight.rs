//! Status and severity cells coloured by conditional formatting: one rule per value over the
//! whole column, with the [`super::palette`] colours. The rules are stored once per sheet, so
//! they cost nothing per cell (unlike a format on each cell).

use super::palette::Swatch;
use rust_xlsxwriter::{
    ConditionalFormatCell, ConditionalFormatCellRule, Format, Worksheet, XlsxError,
};

/// Colours the cells of column `col` in data rows 1..=`rows` that equal one of `values` with
/// that value's swatch.
pub fn colour_column(
    ws: &mut Worksheet,
    col: u16,
    rows: u32,
    values: &[(&str, Swatch)],
) -> Result<(), XlsxError> {
    if rows == 0 {
        return Ok(());
    }
    for (value, swatch) in values {
        let format = Format::new()
            .set_background_color(swatch.fill)
            .set_font_color(swatch.font);
        let rule = ConditionalFormatCell::new()
            .set_rule(ConditionalFormatCellRule::EqualTo(*value))
            .set_format(format);
        ws.add_conditional_format(1, col, rows, col, &rule)?;
    }
    Ok(())
}
