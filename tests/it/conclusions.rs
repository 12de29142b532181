//! The Summary's drafted conclusions, read back from the Q2 sample: one per row from its
//! counts, the reviewer's column beside it left empty.

use crate::findings_sheet::quarters;
use crate::workbook_support::{col, data_rows, sheet};

/// The conclusion the rule gives for these counts, written out here independently.
fn rule(pass: u64, fail: u64, partial: u64, manual: u64, not_determinable: u64) -> String {
    let (decided, exceptions, open) = (
        pass + fail + partial,
        fail + partial,
        manual + not_determinable,
    );
    let mut parts = Vec::new();
    if exceptions > 0 {
        parts.push(format!("{exceptions} exceptions noted, see Findings"));
    } else if decided > 0 {
        parts.push(format!("No exceptions noted in {decided} items"));
    }
    if open > 0 {
        parts.push(format!("{open} items not determinable, see Open items"));
    }
    if parts.is_empty() {
        "No items tested".to_string()
    } else {
        parts.join("; ")
    }
}

#[test]
fn every_summary_row_drafts_its_conclusion_from_its_counts() {
    let (xlsx, _) = &quarters()[1];
    let range = sheet(xlsx, "Summary");
    let c = |n: &str| col(&range, n);
    let (drafted, reviewer) = (c("Conclusion (drafted)"), c("Reviewer conclusion"));
    assert_eq!(
        reviewer,
        drafted + 1,
        "the reviewer's column is beside the draft"
    );
    let mut cases = [0usize; 4];
    for r in data_rows(&range) {
        let n = |name: &str| r[c(name)].parse::<u64>().unwrap();
        let counts = (
            n("Pass"),
            n("Fail"),
            n("Partial"),
            n("Manual"),
            n("Not determinable"),
        );
        let want = rule(counts.0, counts.1, counts.2, counts.3, counts.4);
        assert_eq!(r[drafted], want, "{r:?}");
        assert_eq!(r.get(reviewer).map_or("", String::as_str), "", "{r:?}");
        let (exceptions, open) = (counts.1 + counts.2, counts.3 + counts.4);
        let case = match (exceptions > 0, open > 0) {
            (false, false) => 0,
            (true, false) => 1,
            (false, true) => 2,
            (true, true) => 3,
        };
        cases[case] += 1;
    }
    // The sample has rows of each kind: all passed, exceptions only, open items only, both.
    assert!(cases.iter().all(|n| *n > 0), "{cases:?}");
}

#[test]
fn the_drafts_name_the_sheets_to_see() {
    let (xlsx, _) = &quarters()[1];
    let range = sheet(xlsx, "Summary");
    let (check, account, drafted) = (
        col(&range, "Check ID"),
        col(&range, "Account"),
        col(&range, "Conclusion (drafted)"),
    );
    let row = |a: &str, k: &str| {
        data_rows(&range)
            .into_iter()
            .find(|r| r[account] == a && r[check] == k)
            .unwrap()[drafted]
            .clone()
    };
    // Account A's root user has MFA; account C has no authorization export.
    assert_eq!(
        row("111111111111", "root-mfa"),
        "No exceptions noted in 1 items"
    );
    assert_eq!(
        row("333333333333", "support-role"),
        "1 items not determinable, see Open items"
    );
    assert_eq!(
        row("(all accounts)", "console-user-mfa"),
        "3 exceptions noted, see Findings"
    );
}
