//! The Open items sheet, read back from the Q2 sample: every MANUAL and NOT_DETERMINABLE result
//! in results order and nothing else, each with its type and the evidence to request (the
//! collecting command) or the procedure; placed after Findings and before Results; identifying
//! columns frozen and status coloured like the Findings sheet.

use crate::findings_sheet::quarters;
use crate::workbook_support::{col, data_rows, header, results, sheet, sheet_names, sheet_xml};

/// The Open items rows of the Q2 sample, and the header's column of each name.
fn items() -> (Vec<Vec<String>>, impl Fn(&str) -> usize) {
    let (xlsx, _) = &quarters()[1];
    let range = sheet(xlsx, "Open items");
    let h = header(&range);
    (data_rows(&range), move |n: &str| {
        h.iter().position(|x| x == n).unwrap()
    })
}

#[test]
fn open_items_hold_every_manual_and_not_determinable_result_in_results_order() {
    let (_, jsonl) = &quarters()[1];
    let want: Vec<(String, String, String)> = results(jsonl)
        .into_iter()
        .filter(|r| r["status"] == "MANUAL" || r["status"] == "NOT_DETERMINABLE")
        .map(|r| {
            let s = |k: &str| r[k].as_str().unwrap_or_default().to_string();
            (s("check_id"), s("resource_arn"), s("status"))
        })
        .collect();
    assert!(want.len() > 5);
    let (rows, c) = items();
    let got: Vec<(String, String, String)> = rows
        .iter()
        .map(|r| {
            (
                r[c("Check ID")].clone(),
                r[c("Resource")].clone(),
                r[c("Status")].clone(),
            )
        })
        .collect();
    assert_eq!(got, want);
}

#[test]
fn open_items_come_after_findings_and_before_results() {
    let (xlsx, _) = &quarters()[1];
    let names = sheet_names(xlsx);
    let at = |n: &str| names.iter().position(|x| x == n).unwrap();
    assert_eq!(at("Open items"), at("Findings") + 1);
    assert_eq!(at("Results"), at("Open items") + 1);
}

/// The Type and the evidence to request of the open item of `check` on `resource`.
fn ask(check: &str, resource: &str) -> (String, String) {
    let (rows, c) = items();
    let row = rows
        .iter()
        .find(|r| r[c("Check ID")] == check && r[c("Resource")] == resource)
        .unwrap_or_else(|| panic!("no open item {check} {resource}"));
    (
        row[c("Type")].clone(),
        row[c("Evidence to request or procedure")].clone(),
    )
}

#[test]
fn an_account_without_an_authorization_export_is_asked_for_it() {
    // Account C has no authorization export in the samples.
    for check in [
        "mfa-enforced-by-policy",
        "no-full-admin-policies",
        "support-role",
    ] {
        let (kind, text) = ask(check, "arn:aws-us-gov:iam::333333333333:root");
        assert_eq!(kind, "scope limitation");
        assert!(
            text.contains("aws iam get-account-authorization-details"),
            "{check}: {text}"
        );
    }
}

#[test]
fn missing_optional_evidence_is_asked_for_with_its_command() {
    // Account B has no password policy export and no server certificate list.
    let (kind, text) = ask("password-policy", "arn:aws:iam::222222222222:root");
    assert_eq!(kind, "procedure to perform");
    assert!(
        text.contains("aws iam get-account-password-policy"),
        "{text}"
    );
    let (_, text) = ask(
        "expired-server-certificates",
        "arn:aws:iam::222222222222:root",
    );
    assert!(text.contains("aws iam list-server-certificates"), "{text}");
}

#[test]
fn a_user_only_in_the_credential_report_asks_for_a_fresh_authorization_export() {
    let (_, text) = ask(
        "no-user-attached-policies",
        "arn:aws:iam::111111111111:user/erin",
    );
    assert!(
        text.contains("aws iam get-account-authorization-details"),
        "{text}"
    );
}

#[test]
fn federated_trust_asks_for_the_identity_providers_evidence() {
    let (kind, text) = ask(
        "cross-account-role-mfa",
        "arn:aws:iam::222222222222:role/okta-admin",
    );
    assert_eq!(kind, "procedure to perform");
    assert!(text.contains("identity provider"), "{text}");
}

#[test]
fn open_items_freeze_the_identifying_columns_and_colour_the_status() {
    let (xlsx, _) = &quarters()[1];
    let xml = sheet_xml(xlsx, "Open items");
    assert!(xml.contains(
        "<pane xSplit=\"4\" ySplit=\"1\" topLeftCell=\"E2\" activePane=\"bottomRight\" state=\"frozen\"/>"
    ));
    let rows = data_rows(&sheet(xlsx, "Open items")).len();
    let range = sheet(xlsx, "Open items");
    let status = col(&range, "Status");
    assert_eq!(status, 5);
    assert!(
        xml.contains(&format!(
            "<conditionalFormatting sqref=\"F2:F{}\">",
            rows + 1
        )),
        "status column coloured"
    );
    assert!(xml.contains("<formula>\"NOT_DETERMINABLE\"</formula>"));
}
