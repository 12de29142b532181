//! The results file: one JSON object per tested item, in the stable order
//! (account_id, check_id, resource_arn, credential with null first).

use crate::checks::CheckResult;
use std::io::{BufWriter, Write};

/// Streams results as JSON lines.
pub struct JsonlWriter<W: Write> {
    out: BufWriter<W>,
    lines: u64,
}

impl<W: Write> JsonlWriter<W> {
    /// A writer over `out`.
    pub fn new(out: W) -> Self {
        JsonlWriter {
            out: BufWriter::with_capacity(1 << 16, out),
            lines: 0,
        }
    }

    /// Writes one account's results, already rendered by [`render`] (`lines` of them).
    pub fn write_rendered(&mut self, rendered: &[u8], lines: u64) -> std::io::Result<()> {
        self.out.write_all(rendered)?;
        self.lines += lines;
        Ok(())
    }

    /// Lines written so far.
    pub fn lines(&self) -> u64 {
        self.lines
    }

    /// Flushes and returns the inner writer.
    pub fn finish(self) -> std::io::Result<W> {
        self.out.into_inner().map_err(|e| e.into_error())
    }
}

/// Appends one account's results (already sorted) to `out` as lines of the results file.
pub fn render(results: &[CheckResult], out: &mut Vec<u8>) -> std::io::Result<()> {
    for r in results {
        serde_json::to_writer(&mut *out, r)?;
        out.push(b'\n');
    }
    Ok(())
}

/// A result read back from a results file (owned strings), for the workbook and merging.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct ResultRecord {
    /// Check ID.
    pub check_id: String,
    /// Account.
    pub account_id: String,
    /// Resource.
    pub resource_arn: String,
    /// Credential or null.
    pub credential: Option<String>,
    /// Status.
    pub status: String,
    /// Severity.
    pub severity: String,
    /// Reason.
    pub reason: String,
    /// Source reference.
    pub source: Option<SourceRecord>,
    /// Evidence values.
    #[serde(default)]
    pub evidence: String,
    /// The approved exception, if one applies.
    #[serde(default)]
    pub exception: Option<crate::workflow::exceptions::ExceptionNote>,
    /// `new`, `unchanged` or `changed` against a baseline.
    #[serde(default)]
    pub change: Option<String>,
    /// The baseline's status of a changed result.
    #[serde(default)]
    pub previous_status: Option<String>,
}

/// A source reference read back from a results file.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct SourceRecord {
    /// File.
    pub file: String,
    /// SHA-256.
    pub sha256: String,
    /// Location.
    pub location: String,
}
