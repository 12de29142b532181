//! The `get-credential-report` JSON: `{"Content": ..., "ReportFormat": ..., "GeneratedTime": ...}`.
//! `Content` is base64 of the CSV (CLI/API) or the plain CSV text (collectors): both accepted.

use super::credential_csv::{self, LocationStyle, ParsedReport};
use crate::primitives::error::InputError;
use crate::primitives::source::FileRef;
use base64::Engine;
use serde::Deserialize;

#[derive(Deserialize)]
struct Wrapper {
    #[serde(rename = "Content")]
    content: Option<String>,
    #[serde(rename = "GeneratedTime")]
    generated_time: Option<serde_json::Value>,
}

/// Parses a `get-credential-report` JSON file.
pub fn parse(text: &str, file: &FileRef) -> Result<ParsedReport, InputError> {
    let wrapper: Wrapper = serde_json::from_str(text).map_err(|e| {
        InputError::at(
            &file.file,
            format!("line {}, column {}", e.line(), e.column()),
            format!("invalid get-credential-report JSON: {e}"),
        )
    })?;
    let content = wrapper.content.ok_or_else(|| {
        InputError::at(
            &file.file,
            "/Content",
            "expected the report's Content string",
        )
    })?;
    let generated_time = match wrapper.generated_time {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) => {
            Some(crate::primitives::timestamp::parse(&s).ok_or_else(|| {
                InputError::at(
                    &file.file,
                    "/GeneratedTime",
                    format!("expected an ISO 8601 timestamp, found '{s}'"),
                )
            })?)
        }
        Some(other) => {
            return Err(InputError::at(
                &file.file,
                "/GeneratedTime",
                format!("expected an ISO 8601 timestamp string, found {other}"),
            ));
        }
    };
    let csv_text =
        decode_content(&content).map_err(|m| InputError::at(&file.file, "/Content", m))?;
    credential_csv::parse(&csv_text, file, LocationStyle::ContentLine, generated_time)
}

/// The CSV text of `Content`: as is when it already is the CSV, else decoded from base64.
fn decode_content(content: &str) -> Result<String, String> {
    let plain = content.trim_start_matches('\u{feff}');
    if starts_with_header(plain) {
        return Ok(plain.to_string());
    }
    let compact: String = content
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .map_err(|e| {
            format!("expected the CSV text or base64 of it; base64 decoding failed: {e}")
        })?;
    let text = super::text::decode(&bytes).map_err(|(line, _)| {
        format!("base64 decodes to bytes that are not UTF-8 text (Content line {line})")
    })?;
    if !starts_with_header(&text) {
        return Err(
            "base64 decodes to text that is not a credential report (no `user,arn` header)".into(),
        );
    }
    Ok(text.into_owned())
}

fn starts_with_header(text: &str) -> bool {
    credential_csv::looks_like_header(text.lines().next().unwrap_or(""))
}
