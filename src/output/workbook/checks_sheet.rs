//! The Checks sheet: the catalogue, from the registry.

use super::cells::{TABLE_ROW_LIMIT, Widths, print_setup, table_or_filter, text};
use crate::checks::REGISTRY;
use rust_xlsxwriter::{Worksheet, XlsxError};

const HEADERS: [&str; 13] = [
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
pub fn sheet() -> Result<Worksheet, XlsxError> {
    let mut ws = Worksheet::new();
    ws.set_name("Checks")?;
    let mut w = Widths::new(&HEADERS);
    for (i, check) in REGISTRY.iter().enumerate() {
        let m = check.meta;
        let row = i as u32 + 1;
        let severity = match m.severity_note {
            Some(note) => format!("{} ({note})", m.severity.as_str()),
            None => m.severity.as_str().to_string(),
        };
        let r = &m.references;
        let cells = [
            m.id,
            m.title,
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
            text(&mut ws, row, col as u16, value, &mut w)?;
        }
    }
    table_or_filter(&mut ws, &HEADERS, REGISTRY.len() as u32, TABLE_ROW_LIMIT)?;
    w.apply(&mut ws)?;
    print_setup(&mut ws, true)?;
    Ok(ws)
}
