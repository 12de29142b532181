//! The Checks sheet: the catalogue, from the registry (the same metadata as
//! `iam-evidence checks` and docs/checks.md).

use super::cells::{Limits, text};
use super::paged::{Layout, pages};
use crate::checks::{REGISTRY, Thresholds};
use rust_xlsxwriter::{Workbook, Worksheet, XlsxError};

/// Checks sheet columns.
pub const HEADERS: [&str; 13] = [
    "Check ID",
    "Title",
    "Severity",
    "Population",
    "Rationale",
    "Remediation",
    "CIS v1.4-v4.0",
    "CIS v5",
    "CIS v6",
    "CIS v7",
    "Security Hub",
    "Config rule",
    "Control Tower",
];

/// Builds the catalogue sheet.
pub fn sheets(
    workbook: &mut Workbook,
    thresholds: &Thresholds,
    limits: &Limits,
) -> Result<Vec<Worksheet>, XlsxError> {
    let mut checks = REGISTRY.iter();
    pages(
        workbook,
        &Layout {
            name: "Checks",
            headers: &HEADERS,
            wrap: &[1, 3, 4, 5, 12],
            typed: &[],
        },
        REGISTRY.len() as u64,
        limits,
        |_, _| Ok(()),
        |ws, row, w| {
            let Some(check) = checks.next() else {
                return Ok(());
            };
            let m = check.meta;
            let severity = match m.severity_note {
                Some(note) => format!("{} ({note})", m.severity.as_str()),
                None => m.severity.as_str().to_string(),
            };
            let r = &m.references;
            let title = m.title.render(thresholds);
            let cells = [
                m.id,
                &title,
                &severity,
                m.population,
                m.rationale,
                m.remediation,
                r.cis_v1_4_to_v4.unwrap_or("—"),
                r.cis_v5.unwrap_or("—"),
                r.cis_v6.unwrap_or("—"),
                r.cis_v7.unwrap_or("—"),
                r.security_hub.unwrap_or("—"),
                r.config_rule.unwrap_or("—"),
                r.control_tower.unwrap_or("—"),
            ];
            for (col, value) in cells.iter().enumerate() {
                text(ws, row, col as u16, value, w)?;
            }
            Ok(())
        },
    )
}
