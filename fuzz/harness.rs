//! The bodies of the fuzz targets, shared word for word with `tests/it/fuzz_regressions.rs`
//! (both include this file with `#[path]`), so a regression fixture is replayed through
//! exactly the entry points the fuzzer drove.
//!
//! Each function feeds one input through the readers and returns normally whatever the input
//! is. Besides "no panic, no stack overflow, no hang", it asserts that every error is a clean
//! one: it names the input file (or the document's JSON Pointer) and says something.

// Each fuzz target uses one of the entry points below.
#![allow(dead_code)]

use iam_evidence::input::authorization;
use iam_evidence::input::classify::{FileKind, classify};
use iam_evidence::input::credential_csv::{self, LocationStyle};
use iam_evidence::input::credential_report::parse_credential_report;
use iam_evidence::policy::{self, Context, Policy, PolicyError};
use iam_evidence::primitives::error::InputError;
use iam_evidence::primitives::source::FileRef;
use iam_evidence::primitives::timestamp;
use std::io::Write;

/// The file name every reader is given; errors must name it.
pub const FILE: &str = "fuzz";
/// The JSON Pointer every fuzzed policy document is parsed at; errors must start with it.
pub const POINTER: &str = "/x";

/// The file reference the readers cite.
pub fn file() -> FileRef {
    FileRef {
        file: FILE.into(),
        sha256: "x".into(),
    }
}

/// Whether a reader accepted the input, for the regression test's summary.
pub type Outcome = Result<(), String>;

fn input_outcome<T>(result: Result<T, InputError>) -> Outcome {
    match result {
        Ok(_) => Ok(()),
        Err(e) => {
            assert_eq!(e.file, FILE, "error does not name the file: {e}");
            assert!(!e.message.is_empty(), "error says nothing: {e:?}");
            Err(e.to_string())
        }
    }
}

fn policy_outcome(result: &Result<Policy, PolicyError>) -> Outcome {
    match result {
        Ok(policy) => {
            exercise_policy(policy);
            Ok(())
        }
        Err(e) => {
            assert!(
                e.pointer.starts_with(POINTER),
                "error pointer outside the document: {e}"
            );
            assert!(!e.message.is_empty(), "error says nothing: {e:?}");
            Err(e.to_string())
        }
    }
}

/// Credential reports: content classification, the CSV reader, the `get-credential-report`
/// JSON wrapper, the .xlsx reader, and the timestamp parser on every cell-like piece.
///
/// Input that starts with `<` is also taken as the XML of a worksheet (with an optional
/// `<sst` shared-strings part after it) and wrapped into a minimal .xlsx, so the fuzzer
/// reaches the sheet reader without having to forge zip archives.
pub fn credential_report(data: &[u8]) -> Vec<Outcome> {
    let file = file();
    let mut outcomes = Vec::new();
    let _ = classify(data);
    let text = String::from_utf8_lossy(data);
    for piece in text.split([',', '\n', '"']).take(1024) {
        let _ = timestamp::parse(piece);
    }
    outcomes.push(input_outcome(credential_csv::parse(
        &text,
        &file,
        LocationStyle::Line,
        None,
    )));
    for kind in [
        FileKind::CredentialReportCsv,
        FileKind::CredentialReportJson,
        FileKind::CredentialReportXlsx,
    ] {
        outcomes.push(input_outcome(parse_credential_report(kind, data, &file)));
    }
    if data.first() == Some(&b'<') {
        let workbook = wrap_sheet(data);
        let _ = classify(&workbook);
        outcomes.push(input_outcome(parse_credential_report(
            FileKind::CredentialReportXlsx,
            &workbook,
            &file,
        )));
    }
    outcomes
}

/// `get-account-authorization-details`: content classification, the cheap first pass, the
/// full parse (every policy document normalized), and the MFA questions on each statement.
pub fn authorization_details(data: &[u8]) -> Vec<Outcome> {
    let file = file();
    let _ = classify(data);
    let text = String::from_utf8_lossy(data);
    let sniffed = input_outcome(authorization::sniff(&text, &file));
    let parsed = authorization::parse(&text, &file);
    if let Ok(parsed) = &parsed {
        let a = &parsed.authorization;
        let documents = a
            .users
            .iter()
            .flat_map(|u| &u.inline_policies)
            .chain(a.groups.iter().flat_map(|g| &g.inline_policies))
            .chain(a.roles.iter().flat_map(|r| &r.inline_policies))
            .map(|p| &p.document)
            .chain(a.roles.iter().filter_map(|r| r.trust_policy.as_ref()))
            .chain(
                a.policies
                    .iter()
                    .flat_map(|p| &p.versions)
                    .filter_map(|v| v.document.as_ref()),
            );
        for document in documents {
            exercise_policy(document);
        }
    }
    vec![sniffed, input_outcome(parsed)]
}

/// A policy document: the input as a JSON document (object or any other value), and the
/// input as the string value of a document (URL-encoded or JSON text forms).
pub fn policy_document(data: &[u8]) -> Vec<Outcome> {
    let text = String::from_utf8_lossy(data);
    let mut outcomes = Vec::new();
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) {
        outcomes.push(policy_outcome(&policy::parse_export_document(
            &value, POINTER,
        )));
    }
    let string = serde_json::Value::String(text.into_owned());
    outcomes.push(policy_outcome(&policy::parse_export_document(
        &string, POINTER,
    )));
    outcomes
}

/// Asks every question the checks ask of each statement, in each request context.
fn exercise_policy(policy: &Policy) {
    for statement in &policy.statements {
        for context in Context::ALL {
            let applies = policy::statement_applies(statement, context);
            for narrowing in applies.narrowing() {
                let _ = narrowing.to_string();
            }
        }
        let _ = policy::allow_requires_mfa(statement);
        let _ = statement.actions.covers_all_actions();
        let _ = statement.actions.assume_role_actions();
        let _ = statement.resources.is_all();
        let _ = statement
            .resources
            .covers("arn:aws:iam::123456789012:user/alice");
        let _ = statement.sid_label();
        if let Some(principal) = &statement.principal {
            let _ = principal.is_everyone();
        }
    }
}

const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;

const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="credential-report" sheetId="1" r:id="rId1"/></sheets></workbook>"#;

const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;

/// Style 1 is a date-time format, so `s="1"` cells reach the Excel serial date conversion.
const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="22"/></cellXfs></styleSheet>"#;

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>"#;

/// A minimal .xlsx (stored, not deflated) whose first sheet is `data` up to `<sst`, and whose
/// shared strings are the rest.
pub fn wrap_sheet(data: &[u8]) -> Vec<u8> {
    let split = data
        .windows(4)
        .position(|w| w == b"<sst")
        .unwrap_or(data.len());
    let (sheet, strings) = data.split_at(split);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut part = |name: &str, bytes: &[u8]| {
        zip.start_file(name, options).expect("zip part");
        zip.write_all(bytes).expect("zip write");
    };
    part("[Content_Types].xml", CONTENT_TYPES.as_bytes());
    part("_rels/.rels", ROOT_RELS.as_bytes());
    part("xl/workbook.xml", WORKBOOK.as_bytes());
    part("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.as_bytes());
    part("xl/styles.xml", STYLES.as_bytes());
    part("xl/worksheets/sheet1.xml", sheet);
    if !strings.is_empty() {
        part("xl/sharedStrings.xml", strings);
    }
    zip.finish().expect("zip finish").into_inner()
}
