//! The evidence sheets (Users, Roles, MFA policies): the rows [`crate::evidence`] built per
//! account, read back from their spill files and laid out with their types.

use super::cells::{Kind, Limits, cell};
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
            typed: typed_columns(sheet),
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

/// The columns of an evidence sheet that hold dates, booleans or counts (see
/// [`crate::evidence`] for how each row is built).
fn typed_columns(sheet: EvidenceSheet) -> &'static [(u16, Kind)] {
    match sheet {
        EvidenceSheet::Users => &[
            (3, Kind::Date),
            (4, Kind::Flag),
            (5, Kind::Date),
            (6, Kind::Date),
            (7, Kind::Flag),
            (8, Kind::Flag),
            (9, Kind::Date),
            (10, Kind::Date),
            (11, Kind::Flag),
            (12, Kind::Date),
            (13, Kind::Date),
        ],
        EvidenceSheet::Roles => &[
            (7, Kind::Flag),
            (8, Kind::Flag),
            (9, Kind::Count),
            (10, Kind::Count),
        ],
        EvidenceSheet::MfaPolicies => &[],
    }
}
