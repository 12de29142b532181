//! Text longer than Excel's cell limit is cut with the marker; the results file keeps it.

use crate::workbook_support::*;

const MARKER_TAIL: &str = " characters; full text in the results file]";

#[test]
fn a_statement_longer_than_a_cell_is_truncated_with_the_marker() {
    let dir = scratch("workbook-truncation");
    let input = dir.join("input");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::copy(
        fixtures().join("acme/111122223333/credential-report.csv"),
        input.join("credential-report.csv"),
    )
    .unwrap();
    // An MFA deny whose NotAction list runs past 32,767 characters of JSON.
    let actions: Vec<String> = (0..2500)
        .map(|i| format!("service{i:04}:ExemptedAction"))
        .collect();
    let doc = serde_json::json!({
        "UserDetailList": [{"UserName": "alice", "Arn": "arn:aws:iam::111122223333:user/alice",
            "GroupList": [], "AttachedManagedPolicies": [],
            "UserPolicyList": [{"PolicyName": "long-mfa-deny", "PolicyDocument": {"Version": "2012-10-17",
                "Statement": [{"Sid": "Long", "Effect": "Deny", "NotAction": actions, "Resource": "*",
                    "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}]}}]}],
        "GroupDetailList": [], "RoleDetailList": [], "Policies": []
    });
    std::fs::write(
        input.join("authorization-details.json"),
        serde_json::to_vec(&doc).unwrap(),
    )
    .unwrap();
    let out = dir.join("out");
    std::fs::create_dir_all(&out).unwrap();
    let (xlsx, _) = audit(&input, &out);

    let sheet = sheet(&xlsx, "MFA policies");
    let rows = data_rows(&sheet);
    assert_eq!(rows.len(), 1);
    let json = &rows[0][col(&sheet, "MFA statements (JSON)")];
    assert_eq!(json.chars().count(), 32_767);
    let full_len = serde_json::to_string(
        &doc["UserDetailList"][0]["UserPolicyList"][0]["PolicyDocument"]["Statement"][0],
    )
    .unwrap()
    .chars()
    .count();
    let dropped = full_len
        - json
            .find("… [truncated: ")
            .map(|i| json[..i].chars().count())
            .unwrap();
    assert!(
        json.ends_with(&format!("… [truncated: {dropped}{MARKER_TAIL}")),
        "{}",
        &json[json.len() - 100..]
    );
}
