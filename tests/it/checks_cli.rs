//! The CIS credential and account checks through the real binary: each fixture under
//! `tests/fixtures/checks/` is audited and the results file is read back line by line.
//!
//! Fixtures (one account each):
//! - `ages/`: boundary ages (rotation 90/91, unused 44/45), `N/A` vs `no_information`, a
//!   timestamp after as-of, a 2025-style root row with a password and an inactive key,
//!   conflicting duplicate rows (`dup`).
//! - `generated/`: a `get-credential-report` wrapper whose `GeneratedTime` is inside a day.
//! - `no-root-row/`: a report without the `<root_account>` row.
//! - `exports/`: report, authorization export and a short password policy.
//! - `no-policy-set/`: the `NoSuchEntity` password-policy answer.
//! - `compliant-policy/`: a password policy that meets both minimums.

use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/checks")
        .join(name)
}

/// Runs `audit FIXTURE --output ... --results ... ARGS` and returns the results lines.
fn audit(name: &str, args: &[&str]) -> Vec<Value> {
    let dir = tempfile::tempdir().unwrap();
    let results = dir.path().join("results.jsonl");
    let output = Command::new(env!("CARGO_BIN_EXE_iam-evidence"))
        .arg("audit")
        .arg(fixture(name))
        .arg("--output")
        .arg(dir.path().join("audit.xlsx"))
        .arg("--results")
        .arg(&results)
        .arg("--quiet")
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "audit {name} {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    std::fs::read_to_string(&results)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The one result of `check` for the resource whose ARN ends with `/name` (or `:root`), and
/// this credential.
fn one<'a>(results: &'a [Value], check: &str, name: &str, credential: Option<&str>) -> &'a Value {
    let suffix = if name == "root" {
        ":root".to_string()
    } else {
        format!("/{name}")
    };
    let found: Vec<&Value> = results
        .iter()
        .filter(|r| {
            r["check_id"] == check
                && r["resource_arn"].as_str().unwrap().ends_with(&suffix)
                && r["credential"].as_str() == credential
        })
        .collect();
    assert_eq!(
        found.len(),
        1,
        "{check} {name} {credential:?}: {found:#?}\nall results: {results:#?}"
    );
    found[0]
}

fn status<'a>(results: &'a [Value], check: &str, name: &str, credential: Option<&str>) -> &'a str {
    one(results, check, name, credential)["status"]
        .as_str()
        .unwrap()
}

fn reason<'a>(results: &'a [Value], check: &str, name: &str, credential: Option<&str>) -> &'a str {
    one(results, check, name, credential)["reason"]
        .as_str()
        .unwrap()
}

fn of_check<'a>(results: &'a [Value], check: &str) -> Vec<&'a Value> {
    results.iter().filter(|r| r["check_id"] == check).collect()
}

const KEY1: Option<&str> = Some("access_key_1");
const PASSWORD: Option<&str> = Some("password");

#[test]
fn key_rotation_boundary_is_90_days_at_the_end_of_the_as_of_day() {
    let r = audit("ages", &["--as-of", "2024-06-06"]);
    assert_eq!(status(&r, "access-key-rotation", "key_90", KEY1), "PASS");
    assert_eq!(
        reason(&r, "access-key-rotation", "key_90", KEY1),
        "access_key_1 last rotated 2024-03-09, 90 days before as-of 2024-06-06 (limit 90)"
    );
    let key_91 = one(&r, "access-key-rotation", "key_91", KEY1);
    assert_eq!(key_91["status"], "FAIL");
    assert_eq!(key_91["severity"], "medium");
    assert_eq!(
        key_91["reason"],
        "access_key_1 last rotated 2024-03-08, 91 days before as-of 2024-06-06 (limit 90)"
    );
    assert_eq!(key_91["source"]["file"], "credential-report.csv");
    assert_eq!(key_91["source"]["location"], "line 4");
    assert!(
        key_91["evidence"]
            .as_str()
            .unwrap()
            .contains("access_key_1_last_rotated=2024-03-08T00:00:00Z")
    );
}

#[test]
fn as_of_option_means_the_end_of_that_day() {
    // One day earlier, key_91 is 90 days old and passes.
    let r = audit("ages", &["--as-of", "2024-06-05"]);
    assert_eq!(
        reason(&r, "access-key-rotation", "key_91", KEY1),
        "access_key_1 last rotated 2024-03-08, 90 days before as-of 2024-06-05 (limit 90)"
    );
    assert_eq!(status(&r, "access-key-rotation", "key_91", KEY1), "PASS");
}

#[test]
fn unused_boundary_is_45_days_or_more() {
    let r = audit("ages", &["--as-of", "2024-06-06"]);
    assert_eq!(status(&r, "unused-credentials", "used_44", KEY1), "PASS");
    assert_eq!(
        reason(&r, "unused-credentials", "used_44", KEY1),
        "access_key_1 last used 2024-04-23, 44 days before as-of 2024-06-06 (limit 45)"
    );
    // Written with a space instead of `T`, as collectors that stringify datetimes do.
    assert_eq!(status(&r, "unused-credentials", "used_45", KEY1), "FAIL");
    assert_eq!(
        reason(&r, "unused-credentials", "used_45", KEY1),
        "access_key_1 last used 2024-04-23, 45 days before as-of 2024-06-06 (limit 45)"
    );
}

#[test]
fn thresholds_are_changed_by_options() {
    let r = audit(
        "ages",
        &[
            "--as-of",
            "2024-06-06",
            "--max-key-age-days",
            "91",
            "--max-unused-days",
            "46",
        ],
    );
    assert_eq!(
        reason(&r, "access-key-rotation", "key_91", KEY1),
        "access_key_1 last rotated 2024-03-08, 91 days before as-of 2024-06-06 (limit 91)"
    );
    assert_eq!(status(&r, "access-key-rotation", "key_91", KEY1), "PASS");
    assert_eq!(status(&r, "unused-credentials", "used_45", KEY1), "PASS");
    let r = audit("ages", &["--as-of", "2024-06-06", "--max-unused-days", "7"]);
    assert_eq!(status(&r, "unused-credentials", "key_90", KEY1), "PASS");
    assert_eq!(
        status(&r, "unused-credentials", "pw_never", PASSWORD),
        "FAIL"
    );
}

#[test]
fn never_used_credentials_are_aged_from_their_issue() {
    let r = audit("ages", &["--as-of", "2024-06-06"]);
    assert_eq!(
        status(&r, "unused-credentials", "pw_never", PASSWORD),
        "PASS"
    );
    assert_eq!(
        reason(&r, "unused-credentials", "pw_never", PASSWORD),
        "password never used; set 2024-05-25, 12 days before as-of 2024-06-06 (limit 45)"
    );
    assert_eq!(
        reason(&r, "unused-credentials", "future", KEY1),
        "access_key_1 never used; issued 2024-06-10, dated after as-of 2024-06-06, so age 0 (limit 45)"
    );
}

#[test]
fn no_information_is_aged_from_the_later_of_issue_and_2014_10_20() {
    let r = audit("ages", &["--as-of", "2024-06-06"]);
    assert_eq!(
        status(&r, "unused-credentials", "pw_noinfo_new", PASSWORD),
        "PASS"
    );
    assert_eq!(
        reason(&r, "unused-credentials", "pw_noinfo_new", PASSWORD),
        "password never used (no_information); set 2024-05-01, 37 days before as-of 2024-06-06 (limit 45)"
    );
    let old = one(&r, "unused-credentials", "pw_noinfo_old", PASSWORD);
    assert_eq!(old["status"], "FAIL");
    assert_eq!(
        old["reason"],
        "password not used since IAM began tracking sign-ins (no_information); set 2013-05-01, \
         so aged from 2014-10-20, 3518 days before as-of 2024-06-06 (limit 45)"
    );
    assert!(
        old["evidence"]
            .as_str()
            .unwrap()
            .contains("password_last_used=no_information")
    );
}

#[test]
fn a_timestamp_after_as_of_is_age_zero() {
    let r = audit("ages", &["--as-of", "2024-06-06"]);
    assert_eq!(status(&r, "access-key-rotation", "future", KEY1), "PASS");
    assert_eq!(
        reason(&r, "access-key-rotation", "future", KEY1),
        "access_key_1 last rotated 2024-06-10, dated after as-of 2024-06-06, so age 0 (limit 90)"
    );
}

#[test]
fn generated_time_inside_a_day_is_the_exact_as_of() {
    // GeneratedTime 2024-06-06T12:00:00Z: keys rotated on the same day 2024-03-07, two seconds
    // apart, fall either side of 91 days.
    let r = audit("generated", &[]);
    assert_eq!(
        reason(&r, "access-key-rotation", "early", KEY1),
        "access_key_1 last rotated 2024-03-07, 91 days before as-of 2024-06-06T12:00:00Z (limit 90)"
    );
    assert_eq!(status(&r, "access-key-rotation", "early", KEY1), "FAIL");
    assert_eq!(
        reason(&r, "access-key-rotation", "late", KEY1),
        "access_key_1 last rotated 2024-03-07, 90 days before as-of 2024-06-06T12:00:00Z (limit 90)"
    );
    assert_eq!(status(&r, "access-key-rotation", "late", KEY1), "PASS");
    assert_eq!(
        one(&r, "access-key-rotation", "late", KEY1)["source"]["location"],
        "Content line 4"
    );
    // --as-of overrides GeneratedTime: the end of 2024-06-06 makes both 91 days.
    let r = audit("generated", &["--as-of", "2024-06-06"]);
    assert_eq!(status(&r, "access-key-rotation", "late", KEY1), "FAIL");
}

#[test]
fn inactive_root_key_fails_root_access_keys() {
    let r = audit("ages", &["--as-of", "2024-06-06"]);
    let root = one(&r, "root-access-keys", "root", None);
    assert_eq!(root["status"], "FAIL");
    assert_eq!(root["severity"], "critical");
    assert_eq!(root["resource_arn"], "arn:aws:iam::111122223333:root");
    assert_eq!(
        root["reason"],
        "a root access key exists: access_key_1 inactive, last rotated 2019-03-04, last used 2020-01-15 \
         (an inactive key can be re-activated; delete it)"
    );
    assert_eq!(root["source"]["location"], "line 2");
}

#[test]
fn root_is_excluded_from_every_per_user_check() {
    // The root row has `password_enabled=true` (2025 form) and a key: still not a user.
    let r = audit("ages", &["--as-of", "2024-06-06"]);
    for check in [
        "access-key-rotation",
        "unused-credentials",
        "single-active-access-key",
    ] {
        assert!(
            of_check(&r, check)
                .iter()
                .all(|x| !x["resource_arn"].as_str().unwrap().ends_with(":root")),
            "{check} tested root"
        );
    }
}

#[test]
fn populations_are_exactly_the_active_keys_and_enabled_passwords() {
    let r = audit("ages", &["--as-of", "2024-06-06"]);
    let keys = |check: &str| -> Vec<String> {
        of_check(&r, check)
            .iter()
            .map(|x| {
                format!(
                    "{} {}",
                    x["resource_arn"]
                        .as_str()
                        .unwrap()
                        .rsplit('/')
                        .next()
                        .unwrap(),
                    x["credential"].as_str().unwrap_or("-")
                )
            })
            .collect()
    };
    assert_eq!(
        keys("access-key-rotation"),
        [
            "dup access_key_1",
            "future access_key_1",
            "key_90 access_key_1",
            "key_91 access_key_1",
            "two_keys access_key_1",
            "two_keys access_key_2",
            "used_44 access_key_1",
            "used_45 access_key_1",
        ]
    );
    assert_eq!(
        keys("single-active-access-key"),
        [
            "dup -",
            "future -",
            "key_90 -",
            "key_91 -",
            "two_keys -",
            "used_44 -",
            "used_45 -",
        ]
    );
    assert_eq!(keys("unused-credentials").len(), 11);
    assert_eq!(
        status(&r, "single-active-access-key", "two_keys", None),
        "FAIL"
    );
    assert_eq!(
        status(&r, "single-active-access-key", "key_90", None),
        "PASS"
    );
}

#[test]
fn conflicting_duplicate_rows_are_not_determinable_in_each_credential_check() {
    let r = audit("ages", &["--as-of", "2024-06-06"]);
    for (check, credential) in [
        ("access-key-rotation", KEY1),
        ("unused-credentials", KEY1),
        ("single-active-access-key", None),
    ] {
        let dup = one(&r, check, "dup", credential);
        assert_eq!(dup["status"], "NOT_DETERMINABLE", "{check}");
        assert_eq!(
            dup["reason"],
            "the credential report has conflicting rows for this user (line 12 and line 13)"
        );
        assert_eq!(dup["source"]["location"], "line 12");
        assert_eq!(dup["evidence_sources"][0]["location"], "line 13");
    }
}

#[test]
fn account_without_a_root_row() {
    let r = audit("no-root-row", &[]);
    let root = one(&r, "root-access-keys", "root", None);
    assert_eq!(root["status"], "NOT_DETERMINABLE");
    assert_eq!(
        root["reason"],
        "the credential report has no <root_account> row; root access keys unknown"
    );
    assert_eq!(status(&r, "access-key-rotation", "solo", KEY1), "PASS");
}

#[test]
fn account_without_a_password_policy_export_is_manual() {
    let r = audit("no-root-row", &[]);
    let p = one(&r, "password-policy", "root", None);
    assert_eq!(p["status"], "MANUAL");
    assert_eq!(p["source"], Value::Null);
    assert!(
        p["reason"]
            .as_str()
            .unwrap()
            .contains("collect `aws iam get-account-password-policy`")
    );
}

#[test]
fn short_password_policy_names_each_shortfall() {
    let r = audit("exports", &[]);
    let p = one(&r, "password-policy", "root", None);
    assert_eq!(p["status"], "FAIL");
    assert_eq!(
        p["reason"],
        "password policy falls short: MinimumPasswordLength 8 is below 14; \
         PasswordReusePrevention not set (required >= 24)"
    );
    assert_eq!(p["source"]["file"], "password-policy.json");
    assert_eq!(p["source"]["location"], "/PasswordPolicy");
    // With lower minimums only the missing reuse prevention remains.
    let r = audit("exports", &["--min-password-length", "8"]);
    assert_eq!(
        reason(&r, "password-policy", "root", None),
        "password policy falls short: PasswordReusePrevention not set (required >= 24)"
    );
}

#[test]
fn no_password_policy_set_fails_and_a_compliant_one_passes() {
    let r = audit("no-policy-set", &[]);
    let p = one(&r, "password-policy", "root", None);
    assert_eq!(p["status"], "FAIL");
    assert!(
        p["reason"]
            .as_str()
            .unwrap()
            .starts_with("no password policy is set (NoSuchEntity)")
    );
    let r = audit("compliant-policy", &[]);
    assert_eq!(
        reason(&r, "password-policy", "root", None),
        "MinimumPasswordLength 16 (required >= 14); PasswordReusePrevention 24 (required >= 24)"
    );
    assert_eq!(status(&r, "password-policy", "root", None), "PASS");
}

#[test]
fn user_attached_policies_are_listed_and_a_boundary_is_not_a_grant() {
    let r = audit("exports", &[]);
    assert_eq!(
        status(&r, "no-user-attached-policies", "alice", None),
        "PASS"
    );
    let bob = one(&r, "no-user-attached-policies", "bob", None);
    assert_eq!(bob["status"], "FAIL");
    assert_eq!(bob["severity"], "low");
    assert_eq!(
        bob["reason"],
        "2 policies attached directly to the user: managed ReadOnlyAccess \
         (arn:aws:iam::aws:policy/ReadOnlyAccess); inline s3-scratch"
    );
    assert_eq!(bob["source"]["file"], "authorization-details.json");
    assert_eq!(bob["source"]["location"], "/UserDetailList/1");
    assert_eq!(
        bob["evidence_sources"][1]["location"],
        "/UserDetailList/1/UserPolicyList/0"
    );
    assert_eq!(
        status(&r, "no-user-attached-policies", "carol", None),
        "PASS"
    );
    assert!(
        reason(&r, "no-user-attached-policies", "carol", None)
            .contains("permissions boundary arn:aws:iam::444455556666:policy/developer-boundary is not a grant")
    );
}

#[test]
fn user_only_in_the_credential_report_is_not_determinable_for_attached_policies() {
    let r = audit("exports", &[]);
    let newcomer = one(&r, "no-user-attached-policies", "newcomer", None);
    assert_eq!(newcomer["status"], "NOT_DETERMINABLE");
    assert!(
        newcomer["reason"]
            .as_str()
            .unwrap()
            .starts_with("user not in the authorization details export")
    );
    assert_eq!(newcomer["source"]["file"], "credential-report.csv");
    assert_eq!(of_check(&r, "no-user-attached-policies").len(), 4);
}

#[test]
fn no_authorization_export_is_one_account_row() {
    let r = audit("ages", &["--as-of", "2024-06-06"]);
    let rows = of_check(&r, "no-user-attached-policies");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["resource_arn"], "arn:aws:iam::111122223333:root");
    assert_eq!(rows[0]["status"], "NOT_DETERMINABLE");
    assert_eq!(
        rows[0]["reason"],
        "no authorization details export for this account in the inputs"
    );
    assert_eq!(rows[0]["source"], Value::Null);
}

/// The title cells of a check in the workbook's Checks, Summary and Findings sheets.
fn workbook_titles(args: &[&str], check: &str) -> Vec<String> {
    use calamine::{Reader, Xlsx, open_workbook};
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("audit.xlsx");
    let output = Command::new(env!("CARGO_BIN_EXE_iam-evidence"))
        .arg("audit")
        .arg(fixture("ages"))
        .arg("--output")
        .arg(&xlsx)
        .arg("--results")
        .arg(dir.path().join("results.jsonl"))
        .args(["--quiet", "--as-of", "2024-06-06"])
        .args(args)
        .output()
        .unwrap();
    assert!(output.status.code() != Some(2), "audit failed");
    let mut wb: Xlsx<_> = open_workbook(&xlsx).unwrap();
    let mut titles = Vec::new();
    // (sheet, check ID column, title column)
    for (sheet, id_col, title_col) in [("Checks", 0, 1), ("Summary", 2, 3), ("Findings", 4, 13)] {
        let range = wb.worksheet_range(sheet).unwrap();
        for row in range.rows().skip(1) {
            if row[id_col] == *check {
                titles.push(format!("{sheet}: {}", row[title_col]));
            }
        }
    }
    titles.dedup();
    titles
}

#[test]
fn workbook_titles_state_the_key_age_and_unused_limits_in_force() {
    let t = workbook_titles(
        &["--max-key-age-days", "30", "--max-unused-days", "7"],
        "access-key-rotation",
    );
    assert!(t.len() >= 3, "{t:?}");
    for title in &t {
        assert!(
            title.ends_with("Active access keys are rotated every 30 days or less"),
            "{title}"
        );
    }
    let t = workbook_titles(&["--max-unused-days", "7"], "unused-credentials");
    assert!(t.iter().any(|x| x.starts_with("Checks: ")), "{t:?}");
    assert!(t.iter().any(|x| x.starts_with("Summary: ")), "{t:?}");
    for title in &t {
        assert!(
            title.ends_with("Credentials unused for 7 days or more are disabled"),
            "{title}"
        );
    }
}

#[test]
fn workbook_titles_state_the_default_limits_without_options() {
    let t = workbook_titles(&[], "access-key-rotation");
    assert!(t.iter().any(|x| x.starts_with("Checks: ")), "{t:?}");
    for title in &t {
        assert!(title.ends_with("rotated every 90 days or less"), "{title}");
    }
    let checks = Command::new(env!("CARGO_BIN_EXE_iam-evidence"))
        .arg("checks")
        .output()
        .unwrap();
    let listing = String::from_utf8_lossy(&checks.stdout);
    assert!(listing.contains("Credentials unused for 45 days or more are disabled"));
}

#[test]
fn checks_sheet_lists_every_cis_iam_item_with_its_check_or_manual_command() {
    use calamine::{Reader, Xlsx, open_workbook};
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("audit.xlsx");
    let output = Command::new(env!("CARGO_BIN_EXE_iam-evidence"))
        .arg("audit")
        .arg(fixture("ages"))
        .arg("--output")
        .arg(&xlsx)
        .arg("--results")
        .arg(dir.path().join("results.jsonl"))
        .args(["--quiet", "--as-of", "2024-06-06"])
        .output()
        .unwrap();
    assert!(output.status.code() != Some(2), "audit failed");
    let mut wb: Xlsx<_> = open_workbook(&xlsx).unwrap();
    let rows: Vec<Vec<String>> = wb
        .worksheet_range("Checks")
        .unwrap()
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    let registry = iam_evidence::checks::REGISTRY.len();
    assert_eq!(
        rows[registry + 1].iter().filter(|c| !c.is_empty()).count(),
        0
    );
    assert!(rows[registry + 2][0].starts_with("The CIS AWS Foundations IAM section"));
    let items: Vec<&Vec<String>> = rows[registry + 4..].iter().collect();
    assert_eq!(items.len(), 22);
    let item = |n: &str| {
        items
            .iter()
            .find(|r| r[0] == n)
            .unwrap_or_else(|| panic!("no CIS item {n}: {items:?}"))
    };
    assert_eq!(item("1.6 / 2.5")[2], "root-hardware-mfa");
    assert_eq!(item("1.17 / 2.16")[2], "support-role");
    assert_eq!(item("1.19 / 2.18")[2], "expired-server-certificates");
    assert_eq!(item("1.3 / —")[2], "manual");
    let analyzer = item("1.20 / 2.19");
    assert_eq!(analyzer[2], "manual");
    assert_eq!(
        analyzer[4],
        "aws accessanalyzer list-analyzers --region REGION"
    );
}

#[test]
fn checks_command_lists_the_new_cis_checks() {
    let out = Command::new(env!("CARGO_BIN_EXE_iam-evidence"))
        .arg("checks")
        .output()
        .unwrap();
    let listing = String::from_utf8_lossy(&out.stdout);
    for (id, cis) in [
        ("root-hardware-mfa", "1.6 / 2.5"),
        ("root-usage", "1.7 / 2.6"),
        ("no-initial-setup-keys", "1.11 / 2.10"),
        ("support-role", "1.17 / 2.16"),
        ("cloudshell-full-access", "1.22 / 2.21"),
        ("expired-server-certificates", "1.19 / 2.18"),
    ] {
        let line = listing
            .lines()
            .find(|l| l.starts_with(&format!("{id} ")))
            .unwrap_or_else(|| panic!("{id} not listed:\n{listing}"));
        assert!(line.contains(cis), "{line}");
    }
    assert!(listing.contains("Root user not used in the last 90 days"));
}
