//! Spill files: rows the workbook needs later, in an order the sheet order does not allow to
//! write directly, go to anonymous temporary files (deleted by the OS when closed, even after a
//! crash) and are read back once. Memory stays bounded by one line.
//!
//! - Evidence rows arrive per account from the pipeline's sink, while results are written;
//!   the evidence sheets come after the Results sheet.
//! - Findings (non-PASS results) are copied, as their JSON line, into one file per severity
//!   while the Results sheet is streamed; the Findings sheet then reads critical, high,
//!   medium, low in turn: sorted by severity, then account and results order, without a sort.

use crate::evidence::{AccountEvidence, EvidenceSheet, Row};
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Seek, Write};

/// An append-only temporary file of lines.
pub struct LineSpill {
    out: BufWriter<File>,
    lines: u64,
}

impl LineSpill {
    /// A new, empty spill file in the system's temporary folder.
    pub fn new() -> std::io::Result<LineSpill> {
        Ok(LineSpill {
            out: BufWriter::with_capacity(1 << 16, tempfile::tempfile()?),
            lines: 0,
        })
    }

    /// Appends one line (without its newline).
    pub fn push(&mut self, line: &str) -> std::io::Result<()> {
        self.out.write_all(line.as_bytes())?;
        self.out.write_all(b"\n")?;
        self.lines += 1;
        Ok(())
    }

    /// Lines appended so far.
    pub fn lines(&self) -> u64 {
        self.lines
    }

    /// Flushes and returns the lines for reading.
    pub fn finish(self) -> std::io::Result<SpilledLines> {
        let mut file = self.out.into_inner().map_err(|e| e.into_error())?;
        file.rewind()?;
        Ok(SpilledLines {
            file,
            lines: self.lines,
        })
    }
}

/// A finished spill file, read once from the start.
pub struct SpilledLines {
    file: File,
    lines: u64,
}

impl SpilledLines {
    /// How many lines it holds.
    pub fn lines(&self) -> u64 {
        self.lines
    }

    /// Reads the lines back, from the start.
    pub fn reader(&self) -> std::io::Result<std::io::Lines<BufReader<File>>> {
        let mut file = self.file.try_clone()?;
        file.rewind()?;
        Ok(BufReader::with_capacity(1 << 16, file).lines())
    }
}

/// Evidence rows of every account, one spill file per evidence sheet, filled by the pipeline's
/// sink in account order.
pub struct EvidenceSpill {
    sheets: Vec<LineSpill>,
}

impl EvidenceSpill {
    /// Empty spill files, one per evidence sheet.
    pub fn new() -> std::io::Result<EvidenceSpill> {
        let sheets = EvidenceSheet::ALL
            .iter()
            .map(|_| LineSpill::new())
            .collect::<std::io::Result<Vec<_>>>()?;
        Ok(EvidenceSpill { sheets })
    }

    /// Appends one account's rows.
    pub fn append(&mut self, evidence: &AccountEvidence) -> std::io::Result<()> {
        for sheet in EvidenceSheet::ALL {
            let spill = &mut self.sheets[sheet.index()];
            for row in evidence.rows(sheet) {
                spill.push(&serde_json::to_string(row)?)?;
            }
        }
        Ok(())
    }

    /// Appends one row (already serialized as JSON) to a sheet.
    pub fn push_row(&mut self, sheet: EvidenceSheet, row_json: &str) -> std::io::Result<()> {
        self.sheets[sheet.index()].push(row_json)
    }

    /// Flushes every file for reading.
    pub fn finish(self) -> std::io::Result<SpilledEvidence> {
        let sheets = self
            .sheets
            .into_iter()
            .map(LineSpill::finish)
            .collect::<std::io::Result<Vec<_>>>()?;
        Ok(SpilledEvidence { sheets })
    }
}

/// The evidence rows of a finished run, ready for the workbook.
pub struct SpilledEvidence {
    sheets: Vec<SpilledLines>,
}

impl SpilledEvidence {
    /// Rows for one sheet.
    pub fn rows(&self, sheet: EvidenceSheet) -> u64 {
        self.sheets
            .get(sheet.index())
            .map_or(0, SpilledLines::lines)
    }

    /// Reads one sheet's rows back, in account order.
    pub fn reader(
        &self,
        sheet: EvidenceSheet,
    ) -> std::io::Result<impl Iterator<Item = std::io::Result<Row>> + use<>> {
        let lines = match self.sheets.get(sheet.index()) {
            Some(s) => Some(s.reader()?),
            None => None,
        };
        Ok(lines.into_iter().flatten().map(|line| {
            let line = line?;
            serde_json::from_str::<Row>(&line).map_err(std::io::Error::other)
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::Cell;

    #[test]
    fn evidence_round_trips_in_order() {
        let mut spill = EvidenceSpill::new().unwrap();
        let a = AccountEvidence {
            users: vec![vec![Cell::Text("=1+1".into()), Cell::DateTime(0)]],
            roles: vec![],
            mfa_policies: vec![vec![Cell::Bool(true), Cell::Empty, Cell::Count(3)]],
        };
        spill.append(&a).unwrap();
        spill.append(&a).unwrap();
        let done = spill.finish().unwrap();
        assert_eq!(done.rows(EvidenceSheet::Users), 2);
        assert_eq!(done.rows(EvidenceSheet::Roles), 0);
        let users: Vec<Row> = done
            .reader(EvidenceSheet::Users)
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(users, [a.users[0].clone(), a.users[0].clone()]);
        let again: Vec<Row> = done
            .reader(EvidenceSheet::MfaPolicies)
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(again.len(), 2);
    }
}
