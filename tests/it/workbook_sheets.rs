//! The workbook of the fixture accounts, read back: sheet order, the whole population, findings,
//! summary counts, typed evidence cells, the reviewer drop-down, formula safety, and the
//! table, freeze and print setup of every data sheet.

use crate::workbook_support::*;
use calamine::{Data, Reader, Xlsx, open_workbook};
use std::collections::BTreeMap;

const DATA_SHEETS: [&str; 11] = [
    "Summary",
    "Population",
    "Findings",
    "Open items",
    "Results",
    "Users",
    "Roles",
    "Privileged access",
    "MFA policies",
    "Inputs",
    "Checks",
];

#[test]
fn sheets_come_in_the_documented_order() {
    let (xlsx, _) = acme();
    assert_eq!(sheet_names(xlsx), SHEETS);
    assert!(SHEETS.iter().all(|s| s.chars().count() <= 31));
}

#[test]
fn results_sheet_holds_every_line_of_the_results_file() {
    let (xlsx, jsonl) = acme();
    let lines = results(jsonl);
    let rows = data_rows(&sheet(xlsx, "Results"));
    assert_eq!(rows.len(), lines.len());
    for (row, line) in rows.iter().zip(&lines) {
        assert_eq!(row[0], line["account_id"].as_str().unwrap());
        assert_eq!(row[2], line["check_id"].as_str().unwrap());
        assert_eq!(row[3], line["resource_arn"].as_str().unwrap());
        assert_eq!(row[5], line["status"].as_str().unwrap());
        // Account-level rows with nothing to cite have a null source: empty cells.
        assert_eq!(row[10], line["source"]["sha256"].as_str().unwrap_or(""));
    }
}

fn severity_rank(s: &str) -> usize {
    ["critical", "high", "medium", "low"]
        .iter()
        .position(|x| *x == s)
        .unwrap_or(4)
}

#[test]
fn findings_are_the_fail_and_partial_results_by_severity_then_account() {
    let (xlsx, jsonl) = acme();
    let mut expected: Vec<serde_json::Value> = results(jsonl)
        .into_iter()
        .filter(|r| r["status"] == "FAIL" || r["status"] == "PARTIAL")
        .collect();
    // Stable: within a severity, the results order (account, check, resource).
    expected.sort_by_key(|r| severity_rank(r["severity"].as_str().unwrap()));
    let range = sheet(xlsx, "Findings");
    let rows = data_rows(&range);
    assert!(!rows.is_empty());
    assert_eq!(rows.len(), expected.len());
    let (sev, acc, check, res, status, reason) = (
        col(&range, "Severity"),
        col(&range, "Account"),
        col(&range, "Check ID"),
        col(&range, "Resource"),
        col(&range, "Status"),
        col(&range, "Reason"),
    );
    let sha = col(&range, "Source SHA-256 (prefix)");
    let remediation = col(&range, "Remediation");
    for (row, want) in rows.iter().zip(&expected) {
        assert_eq!(row[sev], want["severity"].as_str().unwrap());
        assert_eq!(row[acc], want["account_id"].as_str().unwrap());
        assert_eq!(row[check], want["check_id"].as_str().unwrap());
        assert_eq!(row[res], want["resource_arn"].as_str().unwrap());
        assert_eq!(row[status], want["status"].as_str().unwrap());
        assert_eq!(row[reason], want["reason"].as_str().unwrap());
        match want["source"]["sha256"].as_str() {
            Some(full) => assert!(full.starts_with(&row[sha]) && row[sha].len() == 16),
            None => assert_eq!(row.get(sha).map_or("", String::as_str), ""),
        }
        assert!(
            !row[remediation].is_empty(),
            "remediation from the registry"
        );
    }
    assert_eq!(rows[0][sev], "critical", "critical first");
    // Reviewer columns exist and are empty.
    for name in [
        "Disposition",
        "Owner",
        "Reviewer",
        "Due date",
        "Reviewer comment",
    ] {
        let c = col(&range, name);
        assert!(rows.iter().all(|r| r.get(c).is_none_or(|v| v.is_empty())));
    }
}

#[test]
fn summary_numbers_are_the_counts_of_the_results() {
    let (xlsx, jsonl) = acme();
    // (account or "(all accounts)", check) -> [pass, fail, partial, manual, not determinable]
    let mut want: BTreeMap<(String, String), [u64; 5]> = BTreeMap::new();
    for r in results(jsonl) {
        let i = ["PASS", "FAIL", "PARTIAL", "MANUAL", "NOT_DETERMINABLE"]
            .iter()
            .position(|s| r["status"] == *s)
            .unwrap();
        let check = r["check_id"].as_str().unwrap().to_string();
        for account in [r["account_id"].as_str().unwrap(), "(all accounts)"] {
            want.entry((account.to_string(), check.clone()))
                .or_default()[i] += 1;
        }
    }
    let range = sheet(xlsx, "Summary");
    assert_eq!(
        header(&range),
        [
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
            "Reviewer conclusion"
        ]
    );
    let mut seen = 0;
    for row in range.rows().skip(1) {
        let key = (cell_text(&row[0]), cell_text(&row[2]));
        let counts = want.get(&key).copied().unwrap_or_default();
        let nums: Vec<f64> = row[5..12]
            .iter()
            .map(|d| match d {
                Data::Float(f) => *f,
                other => panic!("{key:?}: not a number value: {other:?}"),
            })
            .collect();
        assert_eq!(nums[0], counts.iter().sum::<u64>() as f64, "{key:?} tested");
        for i in 0..5 {
            assert_eq!(nums[1 + i], counts[i] as f64, "{key:?} status {i}");
        }
        assert_eq!(nums[6], 0.0, "excepted");
        seen += usize::from(want.contains_key(&key));
    }
    assert_eq!(
        seen,
        want.len(),
        "every (account, check) with results has a row"
    );
    // Values, not formulas; and the chart is there.
    assert!(!sheet_xml(xlsx, "Summary").contains("<f>"));
    assert!(
        part_names(xlsx)
            .iter()
            .any(|p| p.starts_with("xl/charts/chart"))
    );
}

#[test]
fn evidence_dates_are_dates_booleans_are_booleans_and_sentinels_are_words() {
    let (xlsx, _) = acme();
    let users = sheet(xlsx, "Users");
    let created = col(&users, "Created (UTC)");
    let mfa = col(&users, "MFA active");
    let last_used = col(&users, "Password last used (UTC)");
    let key_used = col(&users, "Key 1 last used (UTC)");
    let enabled = col(&users, "Password enabled");
    let user = col(&users, "User");
    let rows: Vec<&[Data]> = users.rows().skip(1).collect();
    // 7 rows for 111122223333 (root, 5 users, erin twice) and 2 for 444455556666.
    assert_eq!(rows.len(), 9);
    for row in &rows {
        assert!(
            matches!(row[created], Data::DateTime(_)),
            "{:?}",
            row[created]
        );
        assert!(matches!(row[mfa], Data::Bool(_)));
    }
    let by_user = |name: &str| {
        rows.iter()
            .find(|r| cell_text(&r[user]) == name)
            .unwrap_or_else(|| panic!("no row for {name}"))
    };
    assert_eq!(
        cell_text(&by_user("bob")[last_used]),
        "no information (never used, or not since Oct 2014)"
    );
    assert_eq!(cell_text(&by_user("bob")[key_used]), "never used");
    assert_eq!(
        cell_text(&by_user("<root_account>")[enabled]),
        "not supported"
    );
    assert!(matches!(by_user("alice")[last_used], Data::DateTime(_)));
    let erin: Vec<_> = rows
        .iter()
        .filter(|r| cell_text(&r[user]) == "erin")
        .collect();
    assert_eq!(erin.len(), 2, "conflicting rows are both listed");
    assert!(cell_text(&erin[0][col(&users, "Note")]).contains("conflicting rows"));
}

#[test]
fn roles_carry_a_trust_summary() {
    let (xlsx, _) = acme();
    let roles = sheet(xlsx, "Roles");
    let rows = data_rows(&roles);
    let find = |name: &str| {
        rows.iter()
            .find(|r| r[col(&roles, "Role")] == name)
            .unwrap_or_else(|| panic!("no role {name}"))
    };
    let audit = find("CrossAccountAudit");
    assert_eq!(
        audit[col(&roles, "Trusted principals (Allow)")],
        "AWS: arn:aws:iam::999988887777:root"
    );
    assert_eq!(audit[col(&roles, "MFA condition")], "true");
    assert_eq!(audit[col(&roles, "External ID condition")], "true");
    assert!(audit[col(&roles, "Conditions")].contains("Bool aws:MultiFactorAuthPresent"));
    assert_eq!(
        audit[col(&roles, "Source location")],
        "/RoleDetailList/0/AssumeRolePolicyDocument"
    );
    let ec2 = find("ec2-app");
    assert_eq!(
        ec2[col(&roles, "Trusted principals (Allow)")],
        "Service: ec2.amazonaws.com"
    );
    assert_eq!(ec2[col(&roles, "MFA condition")], "false");
    let okta = find("OktaAdmins");
    assert!(okta[col(&roles, "Trusted principals (Allow)")].starts_with("Federated: "));
}

#[test]
fn privileged_access_lists_who_holds_full_admin_and_how() {
    let (xlsx, _) = acme();
    let range = sheet(xlsx, "Privileged access");
    let c = |name: &str| col(&range, name);
    let rows: Vec<&[Data]> = range.rows().skip(1).collect();
    let text = |row: &[Data], name: &str| cell_text(&row[c(name)]);
    // 111122223333: group Admins and the four users holding AdministratorAccess, sorted by
    // type then ARN; 444455556666 has no authorization export.
    let listed: Vec<(String, String)> = rows
        .iter()
        .map(|r| (text(r, "Type"), text(r, "ARN")))
        .collect();
    let arn = |res: &str| format!("arn:aws:iam::111122223333:{res}");
    assert_eq!(
        listed,
        [
            ("group".to_string(), arn("group/Admins")),
            (
                "user".to_string(),
                arn("user/=HYPERLINK(\"http://x\",\"y\")")
            ),
            ("user".to_string(), arn("user/alice")),
            ("user".to_string(), arn("user/bob")),
            ("user".to_string(), arn("user/erin")),
        ]
    );
    assert!(rows.iter().all(|r| text(r, "Account") == "111122223333"));
    assert!(
        rows.iter()
            .all(|r| text(r, "Privileges") == "full administrative")
    );
    let admin = "arn:aws:iam::aws:policy/AdministratorAccess";
    assert_eq!(text(rows[0], "How granted"), admin);
    assert_eq!(text(rows[0], "Console password"), "");
    assert_eq!(text(rows[1], "How granted"), admin);
    assert_eq!(
        text(rows[1], "Source location"),
        "/UserDetailList/2",
        "the entity's entry"
    );

    let alice = rows[2];
    assert_eq!(
        text(alice, "How granted"),
        format!("{admin} via group Admins")
    );
    assert_eq!(text(alice, "Permissions boundary"), "none");
    assert_eq!(alice[c("Console password")], Data::Bool(true));
    assert_eq!(alice[c("MFA active")], Data::Bool(false));
    assert_eq!(text(alice, "Active access keys"), "access_key_1");
    assert!(matches!(
        alice[c("Password last used (UTC)")],
        Data::DateTime(_)
    ));
    assert!(matches!(
        alice[c("Access key last used (UTC)")],
        Data::DateTime(_)
    ));
    assert_eq!(text(alice, "Who may assume (trusted principals)"), "");

    let bob = rows[3];
    assert_eq!(bob[c("MFA active")], Data::Bool(true));
    assert_eq!(text(bob, "Active access keys"), "none");
    assert_eq!(text(bob, "Access key last used (UTC)"), "no active key");
    let erin = rows[4];
    assert!(
        text(erin, "Console password").starts_with("conflicting rows in the credential report"),
        "{}",
        text(erin, "Console password")
    );
}

#[test]
fn mfa_policies_are_listed_where_attached() {
    let (xlsx, _) = acme();
    let sheet = sheet(xlsx, "MFA policies");
    let rows = data_rows(&sheet);
    let places: Vec<(String, String, String)> = rows
        .iter()
        .map(|r| {
            (
                r[col(&sheet, "Policy")].clone(),
                r[col(&sheet, "Attached as")].clone(),
                r[col(&sheet, "Attached to")].clone(),
            )
        })
        .collect();
    let has =
        |p: &str, how: &str, to: &str| places.iter().any(|(a, b, c)| a == p && b == how && c == to);
    assert!(has("RequireMFA", "permissions boundary", "carol"));
    assert!(has("RequireMFA", "attached", "Admins"));
    assert!(has("bob-self-service-mfa", "inline", "bob"));
    assert!(has("deny-without-mfa", "inline", "OktaAdmins"));
    assert!(!places.iter().any(|(p, _, _)| p == "AdministratorAccess"));
    assert_eq!(rows.len(), 4);
    let group = rows
        .iter()
        .find(|r| r[col(&sheet, "Attached to")] == "Admins")
        .unwrap();
    assert_eq!(group[col(&sheet, "Group members")], "alice\nbob\nerin");
    // The default version (v2) is the one shown, not v1.
    assert!(
        group[col(&sheet, "MFA statements (Sid, effect)")]
            .contains("BlockMostAccessUnlessSignedInWithMFA (Deny)")
    );
    assert!(group[col(&sheet, "Source location")].ends_with("/PolicyVersionList/0"));
}

#[test]
fn findings_have_the_disposition_drop_down() {
    let (xlsx, _) = acme();
    let xml = sheet_xml(xlsx, "Findings");
    let start = xml
        .find("<dataValidation type=\"list\"")
        .expect("a list data validation");
    let dv = &xml[start..xml[start..].find("</dataValidation>").unwrap() + start];
    assert!(dv.contains(
        "<formula1>\"Open,Remediated,Risk accepted,Compensating control,False positive,Not applicable\"</formula1>"
    ));
    let rows = data_rows(&sheet(xlsx, "Findings")).len();
    assert!(dv.contains(&format!("sqref=\"H2:H{}\"", rows + 1)), "{dv}");
    assert!(xml.contains("<dataValidation type=\"date\""), "due date");
}

#[test]
fn text_from_the_inputs_is_never_a_formula() {
    let (xlsx, _) = acme();
    let name = "=HYPERLINK(\"http://x\",\"y\")";
    let users = sheet(xlsx, "Users");
    let user = col(&users, "User");
    let cell = users
        .rows()
        .skip(1)
        .map(|r| r[user].clone())
        .find(|d| cell_text(d) == name)
        .expect("the user is listed");
    assert_eq!(cell, Data::String(name.to_string()));
    let findings = data_rows(&sheet(xlsx, "Findings"));
    assert!(findings.iter().any(|r| r.iter().any(|c| c.ends_with(name))));
    for s in SHEETS {
        let xml = sheet_xml(xlsx, s);
        assert!(
            !xml.contains("<f>") && !xml.contains("<f "),
            "{s} has a formula"
        );
    }
}

#[test]
fn data_sheets_are_tables_with_frozen_headers_and_print_setup() {
    let (xlsx, _) = acme();
    let workbook = part(xlsx, "xl/workbook.xml");
    for s in DATA_SHEETS {
        let xml = sheet_xml(xlsx, s);
        assert!(xml.contains("<tablePart "), "{s}: table");
        // Findings and Open items also freeze their identifying columns (see findings_sheet).
        let pane = match s {
            "Findings" => {
                "<pane xSplit=\"6\" ySplit=\"1\" topLeftCell=\"G2\" activePane=\"bottomRight\" state=\"frozen\"/>"
            }
            "Open items" => {
                "<pane xSplit=\"4\" ySplit=\"1\" topLeftCell=\"E2\" activePane=\"bottomRight\" state=\"frozen\"/>"
            }
            _ => {
                "<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"
            }
        };
        assert!(xml.contains(pane), "{s}: frozen header");
        assert!(xml.contains("orientation=\"landscape\""), "{s}: landscape");
        // The scale: tests/it/printing.rs.
        assert!(
            xml.contains("<oddFooter>&amp;L&amp;A&amp;RPage &amp;P of &amp;N</oddFooter>"),
            "{s}: footer"
        );
        assert!(xml.contains("<col "), "{s}: widths");
        let quoted = if s.contains(' ') {
            format!("'{s}'")
        } else {
            s.to_string()
        };
        assert!(
            workbook.contains(&format!(">{quoted}!$1:$1</definedName>")),
            "{s}: header row repeated"
        );
        // Excel rejects a sheet with two <row> elements of one number.
        let mut rows: Vec<&str> = xml
            .match_indices("<row r=\"")
            .map(|(i, _)| &xml[i..i + 16])
            .collect();
        let n = rows.len();
        rows.dedup();
        assert_eq!(rows.len(), n, "{s}: duplicate row element");
    }
}

#[test]
fn cover_states_scope_options_and_how_to_re_perform() {
    let (xlsx, _) = acme();
    let cover = sheet(xlsx, "Cover");
    let text: Vec<String> = cover.rows().flat_map(|r| r.iter().map(cell_text)).collect();
    let all = text.join("\n");
    for needle in [
        "iam-evidence 0.1.0",
        "2 account(s) in partition(s) aws, aws-us-gov",
        "1 skipped (not an export)",
        "Input digest (SHA-256)",
        "Max access key age (--max-key-age-days)",
        "Service and resource control policies",
        "latest timestamp in the credential report",
        "iam-evidence audit ",
    ] {
        assert!(all.contains(needle), "cover lacks {needle:?}");
    }
    // The machine-readable options: a cell named RunOptions holding the options as JSON.
    let wb: Xlsx<_> = open_workbook(xlsx).unwrap();
    let (_, target) = wb
        .defined_names()
        .iter()
        .find(|(n, _)| n == "RunOptions")
        .expect("RunOptions is defined")
        .clone();
    let cell_ref = target.trim_start_matches("Cover!").replace('$', "");
    let row: u32 = cell_ref[1..].parse().unwrap();
    let value = cover.get_value((row - 1, 1)).map(cell_text).unwrap();
    let options: serde_json::Value = serde_json::from_str(&value).unwrap();
    assert_eq!(options["max_key_age_days"], 90);
    assert_eq!(options["max_unused_days"], 45);
    assert_eq!(options["keep_going"], false);
    assert!(part(xlsx, "docProps/custom.xml").contains("iam-evidence run options"));
}

#[test]
fn inputs_list_every_file_with_its_hash() {
    let (xlsx, _) = acme();
    let inputs = sheet(xlsx, "Inputs");
    let rows = data_rows(&inputs);
    assert_eq!(rows.len(), 4);
    let readme = rows
        .iter()
        .find(|r| r[0] == "README.txt")
        .expect("skipped files are listed");
    assert_eq!(readme[col(&inputs, "Disposition")], "skipped");
    assert!(rows.iter().all(|r| r[col(&inputs, "SHA-256")].len() == 64));
}
