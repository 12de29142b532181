//! Every policy document of the third-party corpus (`shared/corpus`, beside the crate) parses,
//! in each shape it comes in. Each test is skipped, with the reason printed, when the corpus
//! is absent. `IAM_EVIDENCE_CORPUS` may point at the corpus directory instead (e.g. from a
//! git worktree, where `shared/` is not beside the crate).

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::corpus;
use iam_evidence::policy::{Context, Policy, parse_export_document, statement_applies};
use iam_evidence::primitives::source::pointer_push;
use serde_json::Value;

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

fn read_json(path: &Path) -> Value {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Parses and collects failures as `file: error` instead of stopping at the first.
#[derive(Default)]
struct Outcome {
    parsed: Vec<(String, Policy)>,
    failures: Vec<String>,
}

impl Outcome {
    fn parse(&mut self, file: &str, value: &Value, pointer: &str) {
        match parse_export_document(value, pointer) {
            Ok(policy) => self.parsed.push((file.to_string(), policy)),
            Err(e) => self.failures.push(format!("{file}: {e}")),
        }
    }

    fn assert_all_parsed(&self, at_least: usize) {
        assert!(
            self.failures.is_empty(),
            "{} documents failed:\n{}",
            self.failures.len(),
            self.failures.join("\n")
        );
        assert!(
            self.parsed.len() >= at_least,
            "only {} documents found, expected at least {at_least}",
            self.parsed.len()
        );
        let unknown: Vec<String> = self
            .parsed
            .iter()
            .flat_map(|(file, p)| p.unknown_operators().map(move |c| format!("{file}: {c}")))
            .collect();
        assert!(unknown.is_empty(), "unknown operators: {unknown:#?}");
    }
}

/// Every policy document under an export: `PolicyDocument`, `AssumeRolePolicyDocument`
/// (any case) and `Document` values, with their JSON Pointers.
fn policy_documents<'a>(value: &'a Value, pointer: &str, out: &mut Vec<(String, &'a Value)>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                let p = pointer_push(pointer, key);
                let lower = key.to_ascii_lowercase();
                if lower == "policydocument"
                    || lower == "assumerolepolicydocument"
                    || key == "Document"
                {
                    out.push((p, v));
                } else {
                    policy_documents(v, &p, out);
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                policy_documents(v, &pointer_push(pointer, i), out);
            }
        }
        _ => {}
    }
}

#[test]
fn mamip_managed_policies_parse() {
    let Some(corpus) = corpus() else { return };
    let mut outcome = Outcome::default();
    for path in json_files(&corpus.join("policies/zoph-io__MAMIP__policies")) {
        let value = read_json(&path);
        let file = path.display().to_string();
        match value.pointer("/PolicyVersion/Document") {
            Some(doc) => outcome.parse(&file, doc, "/PolicyVersion/Document"),
            None => outcome
                .failures
                .push(format!("{file}: no /PolicyVersion/Document")),
        }
    }
    outcome.assert_all_parsed(1500);
    // Statement as a single object keeps the pointer of the object.
    let single = outcome
        .parsed
        .iter()
        .flat_map(|(_, p)| &p.statements)
        .filter(|s| s.pointer == "/PolicyVersion/Document/Statement")
        .count();
    assert!(single >= 10, "{single} single-object statements");
}

#[test]
fn mamip_history_sample_parses() {
    let Some(corpus) = corpus() else { return };
    let path = corpus.join("policies/zoph-io__MAMIP__policy-history-sample.jsonl");
    let text = fs::read_to_string(&path).unwrap();
    let mut outcome = Outcome::default();
    for (i, line) in text.lines().enumerate() {
        let value: Value = serde_json::from_str(line).unwrap();
        let file = format!("{} line {}", path.display(), i + 1);
        outcome.parse(&file, &value["Document"], "/Document");
    }
    outcome.assert_all_parsed(1800);
}

#[test]
fn iam_dataset_managed_policies_parse() {
    let Some(corpus) = corpus() else { return };
    let path = corpus.join("policies/iann0036__iam-dataset__managed-policies.jsonl");
    let text = fs::read_to_string(&path).unwrap();
    let mut outcome = Outcome::default();
    for (i, line) in text.lines().enumerate() {
        let value: Value = serde_json::from_str(line).unwrap();
        let file = format!("{} line {}", path.display(), i + 1);
        match value.get("document") {
            Some(doc) => outcome.parse(&file, doc, "/document"),
            None => outcome.failures.push(format!("{file}: no document")),
        }
    }
    outcome.assert_all_parsed(1641);
}

#[test]
fn authorization_details_documents_parse() {
    let Some(corpus) = corpus() else { return };
    let mut outcome = Outcome::default();
    for path in json_files(&corpus.join("authorization-details")) {
        let value = read_json(&path);
        let file = path.display().to_string();
        let mut documents = Vec::new();
        policy_documents(&value, "", &mut documents);
        assert!(!documents.is_empty(), "{file}: no policy document found");
        for (pointer, doc) in documents {
            outcome.parse(&format!("{file} {pointer}"), doc, &pointer);
        }
    }
    outcome.assert_all_parsed(300);
}

#[test]
fn authorization_details_semantics_spot_checks() {
    let Some(corpus) = corpus() else { return };
    let path = corpus.join(
        "authorization-details/duo-labs__cloudmapper__iam-get-account-authorization-details.json",
    );
    let value = read_json(&path);

    // BAD_MFA_POLICY: a Deny with NotAction "iam:*" under BoolIfExists MFA false.
    let pointer = "/Policies/1/PolicyVersionList/0/Document";
    let policy = parse_export_document(value.pointer(pointer).unwrap(), pointer).unwrap();
    let deny = policy.statements.iter().find(|s| s.is_deny()).unwrap();
    assert_eq!(deny.pointer, format!("{pointer}/Statement/4"));
    assert_eq!(
        deny.actions.not_action_exemptions(),
        Some(&["iam:*".to_string()][..])
    );
    assert!(deny.resources.is_all() && deny.mentions_mfa_key());
    for ctx in Context::WITHOUT_MFA {
        assert!(statement_applies(deny, ctx).is_always(), "{ctx:?}");
    }

    // bad_role trusts {"AWS": "*"}.
    let pointer = "/RoleDetailList/1/AssumeRolePolicyDocument";
    let trust = parse_export_document(value.pointer(pointer).unwrap(), pointer).unwrap();
    let allow = &trust.statements[0];
    assert!(allow.principal.as_ref().unwrap().is_everyone());
    assert!(allow.actions.covers_assume_role());

    // fixinventory: Statement as a single object.
    let path = corpus
        .join("authorization-details/someengineering__fixinventory__get-account-authorization-details.json");
    let mut documents = Vec::new();
    let value = read_json(&path);
    policy_documents(&value, "", &mut documents);
    let single: Vec<String> = documents
        .iter()
        .filter_map(|(p, d)| parse_export_document(d, p).ok())
        .flat_map(|p| p.statements)
        .map(|s| s.pointer)
        .filter(|p| p.ends_with("/Statement"))
        .collect();
    assert_eq!(single.len(), 2, "{single:?}");
}

#[test]
fn raw_api_url_encoded_documents_parse() {
    let Some(corpus) = corpus() else { return };
    let dir = corpus.join("authorization-details/raw-api-url-encoded");
    let mut outcome = Outcome::default();
    let mut encoded = 0;
    for path in json_files(&dir) {
        let mut value = read_json(&path);
        let file = path.display().to_string();
        // AWS Config results are JSON text inside the recording; decode them in place.
        if let Some(Value::Array(results)) = value.pointer_mut("/data/Results") {
            for result in results.iter_mut() {
                if let Value::String(text) = result {
                    *result = serde_json::from_str(text).unwrap();
                }
            }
        }
        let mut documents = Vec::new();
        policy_documents(&value, "", &mut documents);
        assert!(!documents.is_empty(), "{file}: no policy document found");
        for (pointer, doc) in documents {
            assert!(
                doc.as_str().is_some_and(|s| s.starts_with("%7B")),
                "{file} {pointer}: expected a URL-encoded document"
            );
            encoded += 1;
            outcome.parse(&format!("{file} {pointer}"), doc, &pointer);
        }
    }
    outcome.assert_all_parsed(8);
    assert_eq!(encoded, outcome.parsed.len());

    // GetPolicyVersion keeps whitespace and encodes `*` as %2A.
    let allow_all = read_json(
        &dir.join("cloud-custodian__cloud-custodian__placebo-test_iam_policy_allow_all-iam.GetPolicyVersion_1.json"),
    );
    let pointer = "/data/PolicyVersion/Document";
    let policy = parse_export_document(allow_all.pointer(pointer).unwrap(), pointer).unwrap();
    let everything = &policy.statements[0];
    assert_eq!(everything.sid.as_deref(), Some("Everything"));
    assert!(everything.actions.covers_all_actions() && everything.resources.is_all());
    assert_eq!(
        everything.pointer,
        "/data/PolicyVersion/Document/Statement/0"
    );

    // ListRoles: Roles[].AssumeRolePolicyDocument.
    let roles = read_json(
        &dir.join("cloud-custodian__cloud-custodian__placebo-test_iam_role_has_inline_policy-iam.ListRoles_1.json"),
    );
    let pointer = "/data/Roles/0/AssumeRolePolicyDocument";
    let trust = parse_export_document(roles.pointer(pointer).unwrap(), pointer).unwrap();
    assert_eq!(
        trust.statements[0].principal.as_ref().unwrap().service(),
        ["lambda.amazonaws.com"]
    );
}
