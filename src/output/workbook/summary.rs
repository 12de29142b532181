//! The Summary sheet: per check over all accounts, then per account and check, how many items
//! were tested and how many of each status, a drafted conclusion ([`super::conclusion`]) with
//! an empty column for the reviewer's, and a chart of the statuses per check. Numbers are
//! values, not formulas. "Excepted" counts the non-PASS results covered by a live approved
//! exception.

use super::cells::{Kind, Limits, number, text};
use super::conclusion::draft;
use super::paged::{Layout, Pages, pages};
use crate::checks::{CheckMeta, REGISTRY};
use crate::output::error::OutputError;
use crate::output::meta::RunRecord;
use rust_xlsxwriter::{
    Chart, ChartFormat, ChartLegendPosition, ChartSolidFill, ChartType, Worksheet, XlsxError,
};

/// Summary sheet columns.
pub const HEADERS: [&str; 14] = [
    "Account",
    "Account name",
    "Check ID",
    "Title",
    "Severity",
    "Tested",
    "Pass",
    "Fail",
    "Partial",
    "Manual",
    "Not determinable",
    "Excepted",
    "Conclusion (drafted)",
    "Reviewer conclusion",
];

/// The label of the all-accounts rows.
pub const ALL_ACCOUNTS: &str = "(all accounts)";

/// Status columns (Pass .. Not determinable) and their chart colours.
const STATUS_SERIES: [(&str, u32); 5] = [
    ("Pass", 0x2E7D32),
    ("Fail", 0xC62828),
    ("Partial", 0xEF6C00),
    ("Manual", 0x1565C0),
    ("Not determinable", 0x757575),
];
const CHECK_COL: u16 = 2;
const TESTED_COL: u16 = 5;
const FIRST_STATUS_COL: u16 = 6;
const EXCEPTED_COL: u16 = 11;
const CONCLUSION_COL: u16 = 12;
const REVIEWER_COL: u16 = 13;

fn put(
    ws: &mut Worksheet,
    row: u32,
    (account, account_name): (&str, &str),
    (check, title): (&CheckMeta, &str),
    counts: &[u64; 5],
    excepted: u64,
    w: &mut super::cells::Widths,
) -> Result<(), XlsxError> {
    text(ws, row, 0, account, w)?;
    text(ws, row, 1, account_name, w)?;
    text(ws, row, CHECK_COL, check.id, w)?;
    text(ws, row, CHECK_COL + 1, title, w)?;
    text(ws, row, CHECK_COL + 2, check.severity.as_str(), w)?;
    number(ws, row, TESTED_COL, counts.iter().sum::<u64>(), w)?;
    for (i, c) in counts.iter().enumerate() {
        number(ws, row, FIRST_STATUS_COL + i as u16, *c, w)?;
    }
    number(ws, row, EXCEPTED_COL, excepted, w)?;
    text(ws, row, CONCLUSION_COL, &draft(counts), w)?;
    w.see_len(usize::from(REVIEWER_COL), 40);
    Ok(())
}

fn chart(checks: u32) -> Chart {
    let mut chart = Chart::new(ChartType::BarStacked);
    for (i, (name, color)) in STATUS_SERIES.iter().enumerate() {
        let col = FIRST_STATUS_COL + i as u16;
        chart
            .add_series()
            .set_name(*name)
            .set_categories(("Summary", 1, CHECK_COL, checks, CHECK_COL))
            .set_values(("Summary", 1, col, checks, col))
            .set_format(ChartFormat::new().set_solid_fill(ChartSolidFill::new().set_color(*color)));
    }
    chart.title().set_name("Results per check, all accounts");
    chart.x_axis().set_name("Tested items");
    chart.y_axis().set_reverse();
    chart.legend().set_position(ChartLegendPosition::Bottom);
    chart.set_width(760).set_height(160 + 30 * checks);
    chart
}

/// Builds the summary sheet: an "all accounts" row per check, then one row per account and
/// check, and the chart beside them.
pub fn sheets(
    book: &Pages<'_>,
    record: &RunRecord,
    limits: &Limits,
) -> Result<Vec<Worksheet>, OutputError> {
    let totals = record.totals_by_check();
    let excepted = record.excepted_by_check();
    let checks = REGISTRY.len();
    let titles: Vec<String> = REGISTRY
        .iter()
        .map(|c| c.meta.title.render(&record.options.thresholds))
        .collect();
    let total = (checks * (record.accounts.len() + 1)) as u64;
    let mut i = 0usize;
    let mut sheets = pages(
        book,
        &Layout {
            name: "Summary",
            headers: &HEADERS,
            wrap: &[],
            typed: &[
                (TESTED_COL, Kind::Count),
                (FIRST_STATUS_COL, Kind::Count),
                (FIRST_STATUS_COL + 1, Kind::Count),
                (FIRST_STATUS_COL + 2, Kind::Count),
                (FIRST_STATUS_COL + 3, Kind::Count),
                (FIRST_STATUS_COL + 4, Kind::Count),
                (EXCEPTED_COL, Kind::Count),
            ],
        },
        total,
        limits,
        |_, _| Ok(()),
        |ws, row, w| {
            let check = (REGISTRY[i % checks].meta, titles[i % checks].as_str());
            let block = i / checks;
            i += 1;
            if block == 0 {
                let counts = totals.get(check.0.id).copied().unwrap_or_default();
                let ex = excepted.get(check.0.id).copied().unwrap_or(0);
                Ok(put(ws, row, (ALL_ACCOUNTS, ""), check, &counts, ex, w)?)
            } else {
                let account = &record.accounts[block - 1];
                let counts = account.counts.get(check.0.id);
                let ex = account.excepted.get(check.0.id).copied().unwrap_or(0);
                let id = (
                    account.account_id.as_str(),
                    account.name.as_deref().unwrap_or(""),
                );
                Ok(put(ws, row, id, check, &counts, ex, w)?)
            }
        },
    )?;
    if let Some(first) = sheets.first_mut() {
        let chart = chart(checks as u32);
        let col = HEADERS.len() as u16 + 1;
        first.insert_chart(1, col, &chart)?;
        // Print the chart too: LibreOffice prints only the cell range unless told.
        let chart_rows = 2 + (160 + 30 * checks as u32) / 20;
        let rows_on_page = total.min(u64::from(limits.max_rows.saturating_sub(1))) as u32;
        first.set_print_area(0, 0, rows_on_page.max(chart_rows), col + 12)?;
    }
    Ok(sheets)
}
