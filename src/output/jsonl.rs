//! The results file: one JSON object per tested item, in the stable order
//! (account_id, check_id, resource_arn, credential with null first).

use crate::checks::frameworks;
use crate::workflow::Annotated;
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
/// Each line ends with the check's framework references (`frameworks`), whatever the run's
/// `--framework` options.
pub fn render(results: &[Annotated], out: &mut Vec<u8>) -> std::io::Result<()> {
    for r in results {
        serde_json::to_writer(&mut *out, r)?;
        if let Some(references) = frameworks::references_json(r.result.check_id)
            && out.last() == Some(&b'}')
        {
            out.pop();
            out.extend_from_slice(b",\"frameworks\":");
            out.extend_from_slice(references.as_bytes());
            out.push(b'}');
        }
        out.push(b'\n');
    }
    Ok(())
}
