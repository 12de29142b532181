//! The Summary sheet: per check, and per account and check, how many items were tested and
//! how many of each status. Numbers are values, not formulas.

use super::cells::{TABLE_ROW_LIMIT, Widths, print_setup, table_or_filter, text};
use crate::checks::REGISTRY;
use crate::output::meta::RunRecord;
use rust_xlsxwriter::{Worksheet, XlsxError};

const HEADERS: [&str; 10] = [
    "Account",
    "Check ID",
    "Title",
    "Severity",
    "Tested",
    "Pass",
    "Fail",
    "Partial",
    "Manual",
    "Not determinable",
];

/// Builds the summary sheet: an "all accounts" row per check, then one row per account and check.
pub fn sheet(record: &RunRecord) -> Result<Worksheet, XlsxError> {
    let mut ws = Worksheet::new();
    ws.set_name("Summary")?;
    let mut w = Widths::new(&HEADERS);
    let totals = record.totals_by_check();
    let mut row = 1u32;
    let mut put = |ws: &mut Worksheet,
                   account: &str,
                   counts: &[u64; 5],
                   check: &crate::checks::CheckMeta,
                   row: u32|
     -> Result<(), XlsxError> {
        text(ws, row, 0, account, &mut w)?;
        text(ws, row, 1, check.id, &mut w)?;
        text(ws, row, 2, check.title, &mut w)?;
        text(ws, row, 3, check.severity.as_str(), &mut w)?;
        ws.write_number(row, 4, counts.iter().sum::<u64>() as f64)?;
        for (i, c) in counts.iter().enumerate() {
            ws.write_number(row, 5 + i as u16, *c as f64)?;
        }
        Ok(())
    };
    for check in REGISTRY {
        let counts = totals.get(check.meta.id).copied().unwrap_or_default();
        put(&mut ws, "(all accounts)", &counts, check.meta, row)?;
        row += 1;
    }
    for account in &record.accounts {
        for check in REGISTRY {
            let counts = account
                .counts
                .get(check.meta.id)
                .copied()
                .unwrap_or_default();
            put(&mut ws, &account.account_id, &counts, check.meta, row)?;
            row += 1;
        }
    }
    table_or_filter(&mut ws, &HEADERS, row - 1, TABLE_ROW_LIMIT)?;
    w.apply(&mut ws)?;
    print_setup(&mut ws, true)?;
    Ok(ws)
}
