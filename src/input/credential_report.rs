//! The credential report in any of its three forms (CSV, `get-credential-report` JSON, .xlsx).

use crate::input::classify::FileKind;
use crate::input::text::decode_text;
use crate::input::{credential_csv, credential_json, credential_xlsx};
use crate::primitives::error::InputError;
use crate::primitives::source::FileRef;

/// Parses any of the three credential report forms.
pub fn parse_credential_report(
    kind: FileKind,
    bytes: &[u8],
    file: &FileRef,
) -> Result<credential_csv::ParsedReport, InputError> {
    match kind {
        FileKind::CredentialReportXlsx => credential_xlsx::parse(bytes, file),
        FileKind::CredentialReportJson => credential_json::parse(&decode_text(bytes, file)?, file),
        _ => credential_csv::parse(
            &decode_text(bytes, file)?,
            file,
            credential_csv::LocationStyle::Line,
            None,
        ),
    }
}
