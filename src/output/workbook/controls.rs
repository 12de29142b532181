//! The Controls sheet (with `--framework`): the results filed under each control of the
//! frameworks asked for. One row per control that some check maps to, with the checks, their
//! counts by status, a drafted conclusion and an empty reviewer column; then one row per check
//! the framework's source does not map ("not mapped by AWS"), so no check is left out.

use super::cells::{Kind, Limits, Widths, number, text};
use super::conclusion;
use super::paged::{Layout, Pages, pages};
use crate::checks::frameworks::{self, Framework};
use crate::output::error::OutputError;
use crate::output::meta::RunRecord;
use rust_xlsxwriter::Worksheet;
use std::collections::BTreeMap;

/// Controls sheet columns.
pub const HEADERS: [&str; 13] = [
    "Framework",
    "Control",
    "Source",
    "Checks",
    "Tested",
    "Pass",
    "Fail",
    "Partial",
    "Manual",
    "Not determinable",
    "Conclusion (drafted)",
    "Reviewer conclusion",
    "Reviewer",
];

const FIRST_COUNT_COL: u16 = 4;

/// One row: a control (or an unmapped check) and the checks filed under it.
struct Row {
    framework: Framework,
    control: &'static str,
    checks: Vec<&'static str>,
}

fn rows(selected: &[Framework]) -> Vec<Row> {
    let mut out = Vec::new();
    for &framework in selected {
        let (controls, not_mapped) = frameworks::controls(framework);
        out.extend(controls.into_iter().map(|c| Row {
            framework,
            control: c.id,
            checks: c.checks,
        }));
        out.extend(not_mapped.into_iter().map(|check| Row {
            framework,
            control: framework.not_mapped_label(),
            checks: vec![check],
        }));
    }
    out
}

/// The counts by status over `checks`.
fn counts(totals: &BTreeMap<&'static str, [u64; 5]>, checks: &[&str]) -> [u64; 5] {
    let mut sum = [0u64; 5];
    for counts in checks.iter().filter_map(|c| totals.get(c)) {
        for (s, c) in sum.iter_mut().zip(counts) {
            *s += c;
        }
    }
    sum
}

fn put(
    ws: &mut Worksheet,
    row: u32,
    r: &Row,
    counts: &[u64; 5],
    w: &mut Widths,
) -> Result<(), OutputError> {
    text(ws, row, 0, r.framework.title(), w)?;
    text(ws, row, 1, r.control, w)?;
    text(ws, row, 2, r.framework.source().workbook_label(), w)?;
    text(ws, row, 3, &r.checks.join(", "), w)?;
    number(ws, row, FIRST_COUNT_COL, counts.iter().sum::<u64>(), w)?;
    for (i, c) in counts.iter().enumerate() {
        number(ws, row, FIRST_COUNT_COL + 1 + i as u16, *c, w)?;
    }
    text(ws, row, 10, &conclusion::draft(counts), w)?;
    Ok(())
}

/// Builds the Controls sheet for the run's `--framework` options; none without them.
pub fn sheets(
    book: &Pages<'_>,
    record: &RunRecord,
    limits: &Limits,
) -> Result<Vec<Worksheet>, OutputError> {
    if record.options.frameworks.is_empty() {
        return Ok(Vec::new());
    }
    let rows = rows(&record.options.frameworks);
    let totals = record.totals_by_check();
    let typed: Vec<(u16, Kind)> = (FIRST_COUNT_COL..FIRST_COUNT_COL + 6)
        .map(|c| (c, Kind::Count))
        .collect();
    let mut next = rows.iter();
    pages(
        book,
        &Layout {
            name: "Controls",
            headers: &HEADERS,
            wrap: &[3, 10, 11],
            typed: &typed,
        },
        rows.len() as u64,
        limits,
        |_, _| Ok(()),
        |ws, row, w| match next.next() {
            Some(r) => put(ws, row, r, &counts(&totals, &r.checks), w),
            None => Ok(()),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::frameworks::Source;

    #[test]
    fn every_registered_check_has_a_row_in_each_framework_mapped_or_not() {
        for framework in Framework::ALL {
            let rows = rows(&[framework]);
            for check in crate::checks::REGISTRY {
                assert!(
                    rows.iter().any(|r| r.checks.contains(&check.meta.id)),
                    "{} missing from {}",
                    check.meta.id,
                    framework.name()
                );
            }
        }
    }

    #[test]
    fn unmapped_checks_are_listed_as_not_mapped_by_aws() {
        let rows = rows(&[Framework::Nist80053R5]);
        let row = rows
            .iter()
            .find(|r| r.checks == ["mfa-enforced-by-policy"])
            .unwrap();
        assert_eq!(row.control, "not mapped by AWS");
    }

    #[test]
    fn a_controls_counts_add_up_over_its_checks() {
        let mut totals = BTreeMap::new();
        totals.insert("root-mfa", [1, 2, 0, 0, 1]);
        totals.insert("root-hardware-mfa", [0, 1, 1, 3, 0]);
        assert_eq!(
            counts(&totals, &["root-mfa", "root-hardware-mfa", "absent"]),
            [1, 3, 1, 3, 1]
        );
    }

    #[test]
    fn this_projects_mappings_are_labelled_for_review() {
        assert_eq!(
            Source::IamEvidence.workbook_label(),
            "iam-evidence mapping: review before relying on it"
        );
        assert_eq!(Source::Aws.workbook_label(), "AWS conformance pack");
    }
}
