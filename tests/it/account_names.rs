//! Account names: an organization account list names each account, and every sheet that shows
//! an account ID shows its name beside it (empty when no list names the account).

use crate::common::{audit, fixture, raw, sheet};
use std::path::Path;

/// An organization list naming one of the two fixture accounts (111122223333) and not the other.
fn org_list(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("list-accounts.json");
    std::fs::write(
        &path,
        r#"{"Accounts": [
          {"Id": "111122223333", "Name": "acme-payments", "State": "ACTIVE",
           "Arn": "arn:aws:organizations::111122223333:account/o-abc/111122223333"}
        ]}"#,
    )
    .unwrap();
    path
}

/// The column of `name` in a sheet's header.
fn col(rows: &[Vec<String>], name: &str) -> usize {
    rows[0]
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no {name} column in {:?}", rows[0]))
}

#[test]
fn every_sheet_with_an_account_id_shows_the_lists_name_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let org = org_list(dir.path());
    let run = audit(
        &[&fixture("workbook/acme")],
        &["--org-accounts", org.to_str().unwrap()],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    for name in [
        "Results",
        "Users",
        "Roles",
        "Privileged access",
        "MFA policies",
    ] {
        let rows = sheet(&run.workbook, name);
        let (id, label) = (col(&rows, "Account"), col(&rows, "Account name"));
        assert_eq!(label, id + 1, "{name}: the name is beside the ID");
        let mut seen = 0;
        for row in &rows[1..] {
            let want = if row[id] == "111122223333" {
                "acme-payments"
            } else {
                ""
            };
            assert_eq!(row[label], want, "{name}: {row:?}");
            seen += usize::from(!want.is_empty());
        }
        if ["Summary", "Population", "Findings", "Results", "Users"].contains(&name) {
            assert!(seen > 0, "{name} shows no named account");
        }
    }
}

#[test]
fn without_an_organization_list_the_name_column_is_empty() {
    let run = audit(&[&fixture("workbook/acme")], &[]);
    let rows = sheet(&run.workbook, "Results");
    let label = col(&rows, "Account name");
    assert!(rows[1..].iter().all(|r| r[label].is_empty()));
}

#[test]
fn a_merge_shows_the_names_each_part_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let org = org_list(dir.path());
    let one = audit(
        &[&fixture("workbook/acme")],
        &["--org-accounts", org.to_str().unwrap()],
    );
    let merged = dir.path().join("merged.xlsx");
    let (code, _, err) = raw(&[
        "report",
        "--from-results",
        one.jsonl.to_str().unwrap(),
        "-o",
        merged.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    for name in ["Results", "Users"] {
        assert_eq!(sheet(&merged, name), sheet(&one.workbook, name), "{name}");
    }
}
