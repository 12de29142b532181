//! The Checks sheet: the catalogue, from the registry (the same metadata as
//! `iam-evidence checks` and docs/checks.md), with each framework's controls in a column whose
//! header says where the mapping comes from, and below it the CIS IAM section item by item.

use super::cells::{Limits, text};
use super::paged::{Layout, Pages, pages, rows_per_page};
use crate::checks::cis_section::{CIS_IAM_SECTION, Coverage};
use crate::checks::frameworks::{self, Framework};
use crate::checks::{REGISTRY, Thresholds};
use crate::output::error::OutputError;
use rust_xlsxwriter::{Format, FormatAlign, Worksheet, XlsxError};

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

/// The frameworks of the reference columns after [`HEADERS`]: those with their own tables
/// (the CIS versions already have columns of their own).
fn mapped_frameworks() -> impl Iterator<Item = Framework> {
    Framework::ALL
        .into_iter()
        .filter(|f| f.source() != frameworks::Source::Cis)
}

/// A reference column's header: the framework and where its mapping comes from.
fn framework_header(f: Framework) -> String {
    format!("{} ({})", f.title(), f.source().workbook_label())
}

/// Builds the catalogue sheet.
pub fn sheets(
    book: &Pages<'_>,
    thresholds: &Thresholds,
    limits: &Limits,
) -> Result<Vec<Worksheet>, OutputError> {
    let mut checks = REGISTRY.iter();
    let framework_headers: Vec<String> = mapped_frameworks().map(framework_header).collect();
    let headers: Vec<&str> = HEADERS
        .iter()
        .copied()
        .chain(framework_headers.iter().map(String::as_str))
        .collect();
    let wrap: Vec<u16> = [1, 3, 4, 5, 12]
        .into_iter()
        .chain(HEADERS.len() as u16..headers.len() as u16)
        .collect();
    let mut sheets = pages(
        book,
        &Layout {
            name: "Checks",
            headers: &headers,
            wrap: &wrap,
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
            for (i, f) in mapped_frameworks().enumerate() {
                let controls = frameworks::reference(m, f).controls;
                let value = if controls.is_empty() {
                    "—".to_string()
                } else {
                    controls.join(", ")
                };
                text(ws, row, (HEADERS.len() + i) as u16, &value, w)?;
            }
            Ok(())
        },
    )?;
    let last_rows = (REGISTRY.len() as u32 - 1) % rows_per_page(limits) + 1;
    if let Some(ws) = sheets.last_mut() {
        cis_section(ws, last_rows + 2, limits)?;
    }
    Ok(sheets)
}

/// Headers of the CIS IAM section table below the catalogue.
pub const CIS_HEADERS: [&str; 5] = [
    "CIS v3.0 / v6.0",
    "CIS IAM section item",
    "Covered by",
    "Manual procedure",
    "Command to request",
];

/// Below the catalogue, from row `first`: every item of the CIS IAM section and the check
/// that covers it, or the manual procedure and command (the table of docs/checks.md).
fn cis_section(ws: &mut Worksheet, first: u32, limits: &Limits) -> Result<(), XlsxError> {
    if first + 2 + CIS_IAM_SECTION.len() as u32 > limits.max_rows {
        return Ok(());
    }
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    ws.write_string_with_format(
        first,
        0,
        "The CIS AWS Foundations IAM section (v3.0 section 1, v6.0 section 2), item by item",
        &bold,
    )?;
    for (col, h) in CIS_HEADERS.iter().enumerate() {
        ws.write_string_with_format(first + 1, col as u16, *h, &bold)?;
    }
    for (i, item) in CIS_IAM_SECTION.iter().enumerate() {
        let row = first + 2 + i as u32;
        let (check, procedure, command) = match item.coverage {
            Coverage::Check(id) => (id, "—", "—"),
            Coverage::Manual { procedure, command } => ("manual", procedure, command),
        };
        let numbers = format!("{} / {}", item.v3, item.v6.unwrap_or("—"));
        for (col, value) in [numbers.as_str(), item.title, check, procedure, command]
            .iter()
            .enumerate()
        {
            ws.write_string_with_format(row, col as u16, *value, &wrap)?;
        }
    }
    Ok(())
}
