//! Every form a credential report arrives in reads to the same results, with the location
//! form its format calls for.

use crate::common::{Run, audit, fixture};

const ALICE: &str = "arn:aws:iam::123456789012:user/alice";
const BOB: &str = "arn:aws:iam::123456789012:user/ops/bob";
const ROOT: &str = "arn:aws:iam::123456789012:root";

fn baseline() -> Vec<(String, String, String, String)> {
    let run = audit(&[&fixture("reports/plain.csv")], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.verdicts()
}

fn same_as_plain(name: &str) -> Run {
    let run = audit(&[&fixture(&format!("reports/{name}"))], &[]);
    assert_eq!(run.code, 0, "{name}: {}", run.stderr);
    assert_eq!(
        run.verdicts(),
        baseline(),
        "{name} reads differently from plain.csv"
    );
    run
}

#[test]
fn plain_csv_without_trailing_newline() {
    let run = same_as_plain("plain.csv");
    assert_eq!(run.status("console-user-mfa", ALICE), "PASS");
    assert_eq!(run.status("console-user-mfa", BOB), "FAIL");
    assert_eq!(
        run.one("console-user-mfa", BOB)["source"]["location"],
        "line 4"
    );
}

#[test]
fn trailing_newline() {
    same_as_plain("trailing_newline.csv");
}

#[test]
fn utf8_bom_and_crlf() {
    let run = same_as_plain("bom_crlf.csv");
    assert_eq!(
        run.one("console-user-mfa", BOB)["source"]["location"],
        "line 4"
    );
}

#[test]
fn upper_case_booleans() {
    same_as_plain("upper_case_booleans.csv");
}

#[test]
fn dates_with_z() {
    same_as_plain("z_dates.csv");
}

#[test]
fn dates_with_space_instead_of_t() {
    same_as_plain("space_dates.csv");
}

#[test]
fn fractional_seconds() {
    same_as_plain("fractional_seconds.csv");
}

#[test]
fn columns_matched_by_name_with_extra_columns() {
    same_as_plain("reordered_extra_columns.csv");
}

#[test]
fn get_credential_report_json_with_base64_content() {
    let run = same_as_plain("get_credential_report_base64.json");
    assert_eq!(
        run.one("console-user-mfa", BOB)["source"]["location"],
        "Content line 4"
    );
    let meta: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(run.dir.path().join("out.jsonl.meta.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(meta["accounts"][0]["as_of"], "2024-06-01T09:30:00Z");
    assert_eq!(meta["accounts"][0]["as_of_rule"], "generated-time");
}

#[test]
fn get_credential_report_json_with_plain_content() {
    let run = same_as_plain("get_credential_report_plain_content.json");
    assert_eq!(
        run.one("root-mfa", ROOT)["source"]["location"],
        "Content line 2"
    );
}

#[test]
fn excel_resaved_xlsx() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("credential-report.xlsx");
    let text = std::fs::read_to_string(fixture("reports/plain.csv")).unwrap();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("credential-report").unwrap();
    for (r, line) in text.lines().enumerate() {
        for (c, cell) in line.split(',').enumerate() {
            match cell {
                "true" | "false" => ws
                    .write_boolean(r as u32, c as u16, cell == "true")
                    .unwrap(),
                _ => ws.write_string(r as u32, c as u16, cell).unwrap(),
            };
        }
    }
    wb.save(&path).unwrap();
    let run = audit(&[&path], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.verdicts(), baseline());
    assert_eq!(
        run.one("console-user-mfa", BOB)["source"]["location"],
        "sheet credential-report row 4"
    );
}

#[test]
fn latest_timestamp_is_the_as_of_without_generated_time() {
    let run = audit(&[&fixture("reports/plain.csv")], &[]);
    let meta: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(run.dir.path().join("out.jsonl.meta.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(meta["accounts"][0]["as_of"], "2024-05-31T12:00:00Z");
    assert_eq!(meta["accounts"][0]["as_of_rule"], "latest-timestamp");
}

#[test]
fn as_of_option_is_end_of_day_for_every_account() {
    let run = audit(
        &[&fixture("reports/get_credential_report_base64.json")],
        &["--as-of", "2024-06-06"],
    );
    let meta: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(run.dir.path().join("out.jsonl.meta.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(meta["accounts"][0]["as_of"], "2024-06-07T00:00:00Z");
    assert_eq!(meta["accounts"][0]["as_of_rule"], "option");
}

#[test]
fn partition_comes_from_the_arns() {
    let run = audit(&[&fixture("reports/partition_us_gov.csv")], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.status("root-mfa", "arn:aws-us-gov:iam::123456789012:root"),
        "PASS"
    );
}

#[test]
fn sentinels_are_typed_not_strings() {
    use iam_evidence::input::credential_csv::{LocationStyle, parse};
    use iam_evidence::model::Dated;
    let text = std::fs::read_to_string(fixture("reports/plain.csv")).unwrap();
    let file = iam_evidence::primitives::source::FileRef {
        file: "plain.csv".into(),
        sha256: "x".into(),
    };
    let report = parse(&text, &file, LocationStyle::Line, None)
        .unwrap()
        .report;
    let bob = report.user(BOB).unwrap().first();
    assert_eq!(bob.fields.password_last_used, Dated::NoInformation);
    assert_eq!(bob.fields.access_keys[1].last_rotated, Dated::NotApplicable);
    let root = report.root.as_ref().unwrap().first();
    assert_eq!(root.fields.password_last_changed, Dated::NotSupported);
}
