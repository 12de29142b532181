//! The policy checks over the third-party authorization exports of the corpus (`shared/corpus`
//! beside the crate, or `IAM_EVIDENCE_CORPUS`): no panic, every result well formed and cited,
//! and the verdicts an auditor would expect on the documents whose intent is known. Skipped,
//! with the reason printed, when the corpus is absent.

use crate::common::{Run, audit, corpus};
use std::path::{Path, PathBuf};

const CHECKS: [&str; 3] = [
    "mfa-enforced-by-policy",
    "cross-account-role-mfa",
    "no-full-admin-policies",
];
const STATUSES: [&str; 5] = ["PASS", "FAIL", "PARTIAL", "MANUAL", "NOT_DETERMINABLE"];
const CLOUDMAPPER: &str = "duo-labs__cloudmapper__iam-get-account-authorization-details.json";

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file())
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

fn policy_results(run: &Run) -> Vec<&serde_json::Value> {
    run.results
        .iter()
        .filter(|r| CHECKS.contains(&r["check_id"].as_str().unwrap_or_default()))
        .collect()
}

#[test]
fn every_authorization_export_runs_without_panic_and_results_are_well_formed() {
    let Some(root) = corpus() else { return };
    let dir = root.join("authorization-details");
    let mut read = 0;
    let mut seen = std::collections::BTreeSet::new();
    for f in files(&dir)
        .into_iter()
        .chain(files(&dir.join("raw-api-url-encoded")))
    {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        let run = audit(&[&f], &["--quiet"]);
        assert!(
            run.code == 0 || run.code == 1,
            "{name}: exit {}: {}",
            run.code,
            run.stderr
        );
        assert!(!run.stderr.contains("panicked"), "{name}: {}", run.stderr);
        if run.code != 0 {
            continue;
        }
        read += 1;
        let results = policy_results(&run);
        for r in results {
            seen.insert(r["check_id"].as_str().unwrap_or_default().to_string());
            let status = r["status"].as_str().unwrap_or_default();
            assert!(STATUSES.contains(&status), "{name}: {r}");
            assert!(
                !r["reason"].as_str().unwrap_or_default().is_empty(),
                "{name}: {r}"
            );
            if let Some(src) = r["source"].as_object() {
                assert_eq!(src["file"], name.as_str(), "{name}: {r}");
                let location = src["location"].as_str().unwrap_or_default();
                assert!(location.starts_with('/'), "{name}: {r}");
            } else {
                let resource = r["resource_arn"].as_str().unwrap_or_default();
                assert!(resource.ends_with(":root"), "{name}: {r}");
            }
        }
    }
    assert!(read >= 10, "only {read} authorization exports were read");
    assert_eq!(seen.len(), CHECKS.len(), "checks with results: {seen:?}");
}

#[test]
fn cloudmapper_star_trust_fails_and_its_users_have_no_mfa_deny() {
    let Some(root) = corpus() else { return };
    let run = audit(
        &[&root.join("authorization-details").join(CLOUDMAPPER)],
        &["--quiet"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);

    let bad_role = run.one(
        "cross-account-role-mfa",
        "arn:aws:iam::123456789012:role/bad_role",
    );
    assert_eq!(bad_role["status"], "FAIL", "{bad_role}");
    assert_eq!(bad_role["severity"], "high");
    assert!(
        bad_role["reason"]
            .as_str()
            .unwrap()
            .contains("{\"AWS\": \"*\"} (any AWS principal)"),
        "{bad_role}"
    );
    // Service-trust roles are not in the population.
    let roles = run
        .results
        .iter()
        .filter(|r| r["check_id"] == "cross-account-role-mfa")
        .count();
    assert_eq!(roles, 1);

    // Users with `aws` in the account field are tested under the file's account, keyed by
    // their ARN as written.
    for user in ["USER", "USER_WITH_BAD_INLINE_POLICY"] {
        let r = run.one(
            "mfa-enforced-by-policy",
            &format!("arn:aws:iam::aws:user/{user}"),
        );
        assert_eq!(r["account_id"], "123456789012", "{r}");
        assert_eq!(r["status"], "FAIL", "{r}");
        assert!(
            r["reason"]
                .as_str()
                .unwrap()
                .contains("AmazonEC2RoleforSSM"),
            "{r}"
        );
    }

    assert_eq!(
        run.status(
            "no-full-admin-policies",
            "arn:aws:iam::123456789012:role/bad_role#inline:dostuff"
        ),
        "FAIL"
    );
    // BAD_MFA_POLICY is attached nowhere (AttachmentCount 0): not in the population.
    assert!(
        run.results
            .iter()
            .all(|r| r["resource_arn"] != "arn:aws:iam::123456789012:policy/BAD_MFA_POLICY")
    );
}

#[test]
fn cloudmapper_mfa_not_action_deny_attached_to_a_user_is_partial() {
    // The corpus document verbatim, plus one attachment of its BAD_MFA_POLICY to USER: its
    // Deny exempts `iam:*`, a wildcard beyond MFA self-service.
    let Some(root) = corpus() else { return };
    let text = std::fs::read_to_string(root.join("authorization-details").join(CLOUDMAPPER))
        .expect("read cloudmapper export");
    let mut doc: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let users = doc["UserDetailList"].as_array_mut().expect("users");
    let user = users
        .iter_mut()
        .find(|u| u["UserName"] == "USER")
        .expect("USER");
    user["AttachedManagedPolicies"]
        .as_array_mut()
        .expect("attachments")
        .push(serde_json::json!({
            "PolicyName": "BAD_MFA_POLICY",
            "PolicyArn": "arn:aws:iam::123456789012:policy/BAD_MFA_POLICY"
        }));
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("cloudmapper-with-attachment.json");
    std::fs::write(&path, serde_json::to_string_pretty(&doc).expect("JSON")).expect("write");

    let run = audit(&[&path], &["--quiet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let r = run.one("mfa-enforced-by-policy", "arn:aws:iam::aws:user/USER");
    assert_eq!(r["status"], "PARTIAL", "{r}");
    let reason = r["reason"].as_str().unwrap();
    assert!(reason.contains("\"iam:*\" (a wildcard)"), "{reason}");
    assert!(
        reason.contains("BlockAnyAccessOtherThanAboveUnlessSignedInWithMFA"),
        "{reason}"
    );
    // Now attached, the policy is in use and tested (it grants no `*` on `*`).
    assert_eq!(
        run.status(
            "no-full-admin-policies",
            "arn:aws:iam::123456789012:policy/BAD_MFA_POLICY"
        ),
        "PASS"
    );
}

#[test]
fn fixinventory_boundary_arn_that_does_not_parse_is_missing() {
    let Some(root) = corpus() else { return };
    let file = root
        .join("authorization-details")
        .join("someengineering__fixinventory__get-account-authorization-details.json");
    let run = audit(&[&file], &["--quiet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let test_user = run
        .results
        .iter()
        .find(|r| {
            r["check_id"] == "mfa-enforced-by-policy"
                && r["resource_arn"]
                    .as_str()
                    .unwrap_or_default()
                    .ends_with(":user/test_user")
        })
        .expect("test_user result");
    assert_eq!(test_user["status"], "NOT_DETERMINABLE", "{test_user}");
    assert!(
        test_user["reason"]
            .as_str()
            .unwrap()
            .contains("ARN does not parse"),
        "{test_user}"
    );
}

#[test]
fn cloudsplaining_administrators_are_listed_with_how_they_hold_it() {
    let Some(root) = corpus() else { return };
    let file =
        root.join("authorization-details/salesforce__cloudsplaining__example-authz-details.json");
    let run = audit(&[&file], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // No credential report: one account row, naming what is missing.
    let rows: Vec<_> = run
        .results
        .iter()
        .filter(|r| r["check_id"] == "privileged-user-mfa")
        .collect();
    assert_eq!(rows.len(), 1, "{rows:#?}");
    assert_eq!(rows[0]["status"], "NOT_DETERMINABLE");
    assert!(
        rows[0]["reason"]
            .as_str()
            .unwrap_or_default()
            .contains("credential report"),
        "{}",
        rows[0]
    );
    let sheet = crate::common::sheet(&run.workbook, "Privileged access");
    let col = |name: &str| sheet[0].iter().position(|h| h == name).unwrap();
    let listed: Vec<(String, String)> = sheet[1..]
        .iter()
        .map(|r| (r[col("ARN")].clone(), r[col("How granted")].clone()))
        .collect();
    let admin = "arn:aws:iam::aws:policy/AdministratorAccess";
    let arn = |res: &str| format!("arn:aws:iam::012345678901:{res}");
    assert_eq!(
        listed,
        [
            (arn("group/admin"), admin.to_string()),
            (
                arn("user/obama"),
                format!("{admin}\n{admin} via group admin")
            ),
            (
                arn("user/userwithlotsofpermissions"),
                format!("{admin} via group admin")
            ),
        ]
    );
}
