//! The evidence sheets (Users, Roles, MFA policies): the rows [`crate::evidence`] built per
//! account, read back from their spill files and laid out with their types.

use super::cells::{Limits, cell};
use super::paged::{Layout, pages};
use super::spill::SpilledEvidence;
use crate::evidence::EvidenceSheet;
use rust_xlsxwriter::{Workbook, Worksheet, XlsxError};

/// Builds one evidence sheet (and its continuation pages).
pub fn sheets(
    workbook: &mut Workbook,
    sheet: EvidenceSheet,
    evidence: &SpilledEvidence,
    limits: &Limits,
) -> Result<Vec<Worksheet>, XlsxError> {
    let headers = sheet.headers();
    let mut rows = evidence.reader(sheet)?;
    pages(
        workbook,
        &Layout {
            name: sheet.name(),
            headers,
            wrap: sheet.wrap_columns(),
        },
        evidence.rows(sheet),
        limits,
        |_, _| Ok(()),
        |ws, row, w| {
            let cells = rows.next().ok_or_else(|| {
                XlsxError::ParameterError(format!("{} evidence ended early", sheet.name()))
            })??;
            if cells.len() > headers.len() {
                return Err(XlsxError::ParameterError(format!(
                    "{} evidence row has {} cells for {} columns",
                    sheet.name(),
                    cells.len(),
                    headers.len()
                )));
            }
            for (col, value) in cells.iter().enumerate() {
                cell(ws, row, col as u16, value, w)?;
            }
            Ok(())
        },
    )
}
