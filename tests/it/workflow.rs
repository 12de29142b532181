//! The quarterly workflow end to end on the two-quarter scenario in `samples/`: Q1 audited on
//! its own, then Q2 against Q1 as the baseline (results file or workbook) with
//! `samples/exceptions.csv`. The expected changes and exception standings are the ones
//! samples/README.md describes; bad exception files are refused naming the line and column.

use crate::common::{Run, audit, fixture, sheet, sheet_names};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

fn samples(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(rel)
}

fn text(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

/// The Q1 run, whose results file and workbook are Q2's baseline.
fn q1() -> Run {
    let run = audit(&[&samples("2025-Q1")], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.results.len(), 101, "Q1: A 37, B 37, C 27");
    run
}

/// Q2 against a baseline, with the sample exceptions.
fn q2(baseline: &Path) -> Run {
    let exceptions = samples("exceptions.csv");
    let run = audit(
        &[&samples("2025-Q2")],
        &[
            "--baseline",
            text(baseline),
            "--exceptions",
            text(&exceptions),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.results.len(),
        108,
        "Q2: A 42, B 38, C 26, and the org-coverage rows of the two listed accounts with no exports"
    );
    run
}

fn meta(run: &Run) -> Value {
    serde_json::from_str(
        &std::fs::read_to_string(run.dir.path().join("out.jsonl.meta.json")).unwrap(),
    )
    .unwrap()
}

fn s(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

const A: &str = "111111111111";
const B: &str = "222222222222";
const C: &str = "333333333333";
const A_ROOT: &str = "arn:aws:iam::111111111111:root";
const B_ROOT: &str = "arn:aws:iam::222222222222:root";
const C_ROOT: &str = "arn:aws-us-gov:iam::333333333333:root";
/// The two accounts Q2's organization account list names and no export covers (their only
/// rows are `org-coverage`, new against Q1, which had no list).
const D: &str = "555555555555";
const E: &str = "666666666666";
const D_ROOT: &str = "arn:aws:iam::555555555555:root";
const E_ROOT: &str = "arn:aws:iam::666666666666:root";
const ERIN: &str = "arn:aws:iam::111111111111:user/erin";
const GRACE: &str = "arn:aws:iam::222222222222:user/grace";
const HEIDI: &str = "arn:aws:iam::222222222222:user/heidi";
const NICK: &str = "arn:aws-us-gov:iam::333333333333:user/nick";
const LEO: &str = "arn:aws-us-gov:iam::333333333333:user/leo";
const SAAS: &str = "arn:aws:iam::222222222222:role/saas-monitoring";

/// Every result that is not unchanged: (account, check, resource, credential, change,
/// previous_status), in results-file order. Unchanged results carry no previous status.
fn changes(run: &Run) -> Vec<(String, String, String, String, String, String)> {
    let mut out = Vec::new();
    for r in &run.results {
        let change = s(&r["change"]);
        assert!(
            ["new", "unchanged", "changed"].contains(&change.as_str()),
            "{r}"
        );
        assert_eq!(
            r.get("previous_status").is_some_and(|p| !p.is_null()),
            change == "changed",
            "{r}"
        );
        if change != "unchanged" {
            out.push((
                s(&r["account_id"]),
                s(&r["check_id"]),
                s(&r["resource_arn"]),
                s(&r["credential"]),
                change,
                s(&r["previous_status"]),
            ));
        }
    }
    out
}

fn expected_changes() -> Vec<(String, String, String, String, String, String)> {
    [
        (A, "console-user-mfa", ERIN, "", "new", ""),
        (A, "export-completeness", A_ROOT, "", "changed", "PASS"),
        (A, "mfa-enforced-by-policy", ERIN, "", "new", ""),
        (A, "no-user-attached-policies", ERIN, "", "new", ""),
        (A, "org-coverage", A_ROOT, "", "new", ""),
        (A, "unused-credentials", ERIN, "password", "new", ""),
        (B, "console-user-mfa", GRACE, "", "changed", "FAIL"),
        (B, "console-user-mfa", HEIDI, "", "changed", "PASS"),
        (B, "org-coverage", B_ROOT, "", "new", ""),
        (C, "org-coverage", C_ROOT, "", "new", ""),
        (D, "org-coverage", D_ROOT, "", "new", ""),
        (E, "org-coverage", E_ROOT, "", "new", ""),
    ]
    .iter()
    .map(|t| {
        (
            t.0.to_string(),
            t.1.to_string(),
            t.2.to_string(),
            t.3.to_string(),
            t.4.to_string(),
            t.5.to_string(),
        )
    })
    .collect()
}

fn expected_gone() -> Value {
    json!([
        {"account_id": C, "check_id": "console-user-mfa", "resource_arn": NICK,
         "credential": null, "previous": "FAIL", "outcome": "resolved"},
        {"account_id": C, "check_id": "unused-credentials", "resource_arn": NICK,
         "credential": "password", "previous": "PASS", "outcome": "removed"},
    ])
}

/// (line, standing, results) of each exceptions entry in the sidecar.
fn standings(run: &Run) -> Vec<(u64, String, u64)> {
    meta(run)["exceptions"]
        .as_array()
        .expect("exceptions in the sidecar")
        .iter()
        .map(|e| {
            (
                e["line"].as_u64().unwrap(),
                s(&e["standing"]),
                e["results"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// Column index by header name.
fn col(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
}

#[test]
fn q2_against_q1_shows_every_kind_of_change_and_each_exception_standing() {
    let q1 = q1();
    let run = q2(&q1.jsonl);

    // Changes: erin joined, grace enrolled MFA, heidi lost hers; nick left.
    assert_eq!(changes(&run), expected_changes());
    let changes_meta = &meta(&run)["changes"];
    assert_eq!(
        changes_meta["counts"],
        json!({"new": 9, "unchanged": 96, "changed": 3, "resolved": 1, "removed": 1})
    );
    assert_eq!(changes_meta["gone"], expected_gone());
    assert!(
        s(&changes_meta["baseline"]).ends_with("out.jsonl"),
        "{changes_meta}"
    );

    // Exceptions: line 4 applies, line 5 has expired, line 6 matches nothing.
    assert_eq!(
        standings(&run),
        [
            (4, "applied".into(), 1),
            (5, "expired".into(), 0),
            (6, "stale".into(), 0)
        ]
    );
    let saas = run.one("cross-account-role-mfa", SAAS);
    assert_eq!(
        saas["status"], "FAIL",
        "an excepted finding keeps its status"
    );
    assert_eq!(
        saas["exception"],
        json!({
            "line": 4,
            "reason": "Monitoring vendor assumes this read-only role from its own account with an ExternalId; a vendor's service cannot present MFA (RISK-2025-014)",
            "approved_by": "Dana Whitfield (CISO)",
            "approval_date": "2025-04-15",
            "expiry_date": "2025-12-31",
        })
    );
    let leo = run.one("console-user-mfa", LEO);
    assert_eq!(leo["status"], "FAIL");
    assert!(leo.get("exception").is_none_or(Value::is_null), "{leo}");
    let excepted: Vec<&Value> = run
        .results
        .iter()
        .filter(|r| r.get("exception").is_some_and(|e| !e.is_null()))
        .collect();
    assert_eq!(excepted.len(), 1, "{excepted:#?}");

    // The workbook says the same.
    let wb = &run.workbook;
    let names = sheet_names(wb);
    assert!(
        names.iter().any(|n| n == "Exceptions") && names.iter().any(|n| n == "Changes"),
        "{names:?}"
    );

    let ex = sheet(wb, "Exceptions");
    let (line, standing, covered) = (
        col(&ex[0], "Line"),
        col(&ex[0], "Standing"),
        col(&ex[0], "Results covered"),
    );
    let rows: Vec<(&str, &str, &str)> = ex[1..]
        .iter()
        .map(|r| {
            (
                r[line].as_str(),
                r[standing].split(' ').next().unwrap(),
                r[covered].as_str(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("4", "applied", "1"),
            ("5", "expired", "0"),
            ("6", "stale", "0")
        ]
    );

    let ch = sheet(wb, "Changes");
    let c = |n: &str| col(&ch[0], n);
    let rows: Vec<(String, String, String, String, String, String)> = ch[1..]
        .iter()
        .map(|r| {
            (
                r[c("Account")].clone(),
                r[c("Check ID")].clone(),
                r[c("Resource")].clone(),
                r[c("Credential")].clone(),
                r[c("Change")].clone(),
                r[c("Previous status")].clone(),
            )
        })
        .collect();
    let mut expected = expected_changes();
    expected.push((
        C.into(),
        "console-user-mfa".into(),
        NICK.into(),
        String::new(),
        "resolved".into(),
        "FAIL".into(),
    ));
    expected.push((
        C.into(),
        "unused-credentials".into(),
        NICK.into(),
        "password".into(),
        "removed".into(),
        "PASS".into(),
    ));
    assert_eq!(rows, expected);

    let summary = sheet(wb, "Summary");
    let (acct, check, fail, exc) = (
        col(&summary[0], "Account"),
        col(&summary[0], "Check ID"),
        col(&summary[0], "Fail"),
        col(&summary[0], "Excepted"),
    );
    for r in &summary[1..] {
        let expected = if r[check] == "cross-account-role-mfa"
            && (r[acct] == B || r[acct] == "(all accounts)")
        {
            "1"
        } else {
            "0"
        };
        assert_eq!(r[exc], expected, "{r:?}");
        if r[check] == "cross-account-role-mfa" && r[acct] == B {
            assert_eq!(r[fail], "4", "the excepted finding still counts as FAIL");
        }
    }

    let findings = sheet(wb, "Findings");
    let (res, exception, status) = (
        col(&findings[0], "Resource"),
        col(&findings[0], "Exception"),
        col(&findings[0], "Status"),
    );
    for r in &findings[1..] {
        if r[res] == SAAS {
            assert_eq!(r[status], "FAIL");
            assert!(
                r[exception].contains("Dana Whitfield (CISO)")
                    && r[exception].contains("2025-12-31")
                    && r[exception].contains("exceptions line 4"),
                "{r:?}"
            );
        } else {
            assert_eq!(r[exception], "", "{r:?}");
        }
    }

    let cover: Vec<String> = sheet(wb, "Cover").into_iter().flatten().collect();
    assert!(
        cover
            .iter()
            .any(|c| c.contains("1 applied") && c.contains("1 expired") && c.contains("1 stale")),
        "{cover:?}"
    );
    assert!(
        cover
            .iter()
            .any(|c| c.contains("9 new, 3 changed, 96 unchanged; 1 resolved, 1 removed")),
        "{cover:?}"
    );
}

#[test]
fn a_workbook_baseline_gives_the_same_changes() {
    let q1 = q1();
    let from_jsonl = q2(&q1.jsonl);
    let from_xlsx = q2(&q1.workbook);
    assert_eq!(changes(&from_xlsx), expected_changes());
    assert_eq!(changes(&from_xlsx), changes(&from_jsonl));
    let (a, b) = (meta(&from_jsonl), meta(&from_xlsx));
    assert_eq!(a["changes"]["counts"], b["changes"]["counts"]);
    assert_eq!(b["changes"]["gone"], expected_gone());
    assert!(s(&b["changes"]["baseline"]).ends_with("out.xlsx"));
    assert_eq!(
        std::fs::read(&from_jsonl.jsonl).unwrap(),
        std::fs::read(&from_xlsx.jsonl).unwrap(),
        "the results file does not depend on the baseline's form"
    );
}

#[test]
fn an_exception_applies_through_its_expiry_day() {
    // leo's entry expires on 2025-03-31, account C's Q1 as-of day (08:30 UTC): it applies.
    let exceptions = samples("exceptions.csv");
    let run = audit(&[&samples("2025-Q1")], &["--exceptions", text(&exceptions)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.one("console-user-mfa", LEO)["exception"]["line"], 5);
    assert_eq!(run.one("console-user-mfa", LEO)["status"], "FAIL");
    assert_eq!(
        standings(&run),
        [
            (4, "applied".into(), 1),
            (5, "applied".into(), 1),
            (6, "stale".into(), 0)
        ]
    );

    // With --as-of the day is the same for every account: the last day applies, the next not.
    let file = fixture("workflow/expires-2025-07-01.csv");
    let root_b = "arn:aws:iam::222222222222:root";
    let on_the_day = audit(
        &[&samples("2025-Q2")],
        &["--exceptions", text(&file), "--as-of", "2025-07-01"],
    );
    assert_eq!(on_the_day.code, 0, "{}", on_the_day.stderr);
    assert_eq!(on_the_day.one("root-mfa", root_b)["status"], "FAIL");
    assert_eq!(on_the_day.one("root-mfa", root_b)["exception"]["line"], 3);
    assert_eq!(standings(&on_the_day), [(3, "applied".into(), 1)]);

    let day_after = audit(
        &[&samples("2025-Q2")],
        &["--exceptions", text(&file), "--as-of", "2025-07-02"],
    );
    assert_eq!(day_after.code, 0, "{}", day_after.stderr);
    let root = day_after.one("root-mfa", root_b);
    assert_eq!(root["status"], "FAIL");
    assert!(root.get("exception").is_none_or(Value::is_null), "{root}");
    assert_eq!(standings(&day_after), [(3, "expired".into(), 0)]);
}

#[test]
fn bad_exception_entries_exit_1_naming_the_line_and_column() {
    for (name, location, message) in [
        (
            "bad-date.csv",
            "line 4, column expiry_date",
            "invalid date '31/12/2025'",
        ),
        (
            "unknown-check.csv",
            "line 3, column check_id",
            "unknown check 'console-users-mfa'",
        ),
        ("missing-column.csv", "line 1", "lacks column reason"),
        ("short-row.csv", "line 2, column expiry_date", "empty cell"),
        ("empty-reason.csv", "line 3, column reason", "empty cell"),
        (
            "account-as-number.csv",
            "line 2, column account",
            "found '1.11111E+11' (a spreadsheet turned the ID into a number",
        ),
        (
            "resource-not-arn.csv",
            "line 3, column resource",
            "expected an ARN as the results name the resource",
        ),
    ] {
        let file = fixture(&format!("workflow/{name}"));
        let run = audit(&[&samples("2025-Q2")], &["--exceptions", text(&file)]);
        assert_eq!(run.code, 1, "{name}: {}", run.stderr);
        assert!(
            run.stderr.contains(name)
                && run.stderr.contains(location)
                && run.stderr.contains(message),
            "{name}: {}",
            run.stderr
        );
        assert!(!run.workbook.exists() && !run.jsonl.exists(), "{name}");
    }
}

#[test]
fn samples_readme_lists_the_same_changes() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/README.md")).unwrap();
    let section = readme
        .split("## Quarter over quarter")
        .nth(1)
        .expect("a Quarter over quarter section");
    let listed: Vec<(String, String, String, String)> = section
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let kind = *cells.get(1)?;
            ["new", "changed", "resolved", "removed"]
                .contains(&kind)
                .then(|| {
                    let account = match cells[2] {
                        "A" => A,
                        "B" => B,
                        "D" => D,
                        "E" => E,
                        _ => C,
                    };
                    (
                        account.to_string(),
                        cells[3].to_string(),
                        cells[4].to_string(),
                        kind.to_string(),
                    )
                })
        })
        .collect();
    let user = |arn: &str| arn.rsplit(['/', ':']).next().unwrap().to_string();
    let mut expected: Vec<(String, String, String, String)> = expected_changes()
        .into_iter()
        .map(|c| (c.0, c.1, user(&c.2), c.4))
        .collect();
    expected.push((
        C.into(),
        "console-user-mfa".into(),
        "nick".into(),
        "resolved".into(),
    ));
    expected.push((
        C.into(),
        "unused-credentials".into(),
        "nick".into(),
        "removed".into(),
    ));
    assert_eq!(listed, expected);
}

#[test]
fn exception_entries_that_match_nothing_are_warned_with_the_near_match_in_letter_case() {
    let file = fixture("workflow/letter-case.csv");
    let run = audit(&[&samples("2025-Q2")], &["--exceptions", text(&file)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "letter-case.csv line 2: exception matched no result (console-user-mfa 111111111111 \
             arn:aws:iam::111111111111:user/BOB); did you mean arn:aws:iam::111111111111:user/bob?"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "letter-case.csv line 3: exception matched no result (console-user-mfa 111111111111 \
             arn:aws:iam::111111111111:user/nobody)\n"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("exceptions: 0 applied, 0 expired, 2 matched nothing"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_sample_exceptions_are_counted_on_stderr() {
    let exceptions = samples("exceptions.csv");
    let run = audit(&[&samples("2025-Q2")], &["--exceptions", text(&exceptions)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("exceptions: 1 applied, 1 expired, 1 matched nothing"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_later_quarter_as_baseline_warns_naming_both_as_of_instants() {
    let q2 = audit(&[&samples("2025-Q2")], &[]);
    assert_eq!(q2.code, 0, "{}", q2.stderr);
    let run = audit(&[&samples("2025-Q1")], &["--baseline", text(&q2.jsonl)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("is later than this run for 3 account(s) (111111111111: baseline 2025-06-30T10:00:00Z, this run 2025-03-31T10:00:00Z;"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_same_quarter_workbook_as_baseline_warns() {
    let q2 = audit(&[&samples("2025-Q2")], &[]);
    let run = audit(&[&samples("2025-Q2")], &["--baseline", text(&q2.workbook)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("is of the same quarter as this run for 3 account(s)"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_baseline_with_other_thresholds_warns_naming_both_values() {
    let q1 = q1();
    let run = audit(
        &[&samples("2025-Q2")],
        &["--baseline", text(&q1.jsonl), "--max-unused-days", "30"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("was run with --max-unused-days 45, this run with 30"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("quarter"), "{}", run.stderr);
}
