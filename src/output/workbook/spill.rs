//! Spill files: rows the workbook writes later than they arrive go to anonymous temporary files
//! (deleted by the OS when closed, even after a crash) and are read back once, so memory stays
//! bounded by one row.
//!
//! Rows are stored as the cells the sheet will show, in a compact binary form (a row's byte
//! length, then per cell a tag and its value), so reading them back costs no parsing beyond a
//! UTF-8 check:
//! - a data sheet holds back the rows of its current page until the page passes the table
//!   limit (see [`super::stream`]);
//! - findings (non-PASS results) wait in one file per severity for the Findings sheet, which
//!   comes first in the workbook but is sorted by severity.

use crate::output::evidence_rows::Cell;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, Write};

/// One cell of a spilled row, borrowed from the row being written or read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CellRef<'a> {
    /// Nothing to show.
    Empty,
    /// Text; always written as a string.
    Text(&'a str),
    /// A boolean.
    Bool(bool),
    /// A count.
    Count(u64),
    /// An instant, as Unix seconds (UTC).
    DateTime(i64),
}

impl<'a> From<&'a Cell> for CellRef<'a> {
    fn from(cell: &'a Cell) -> Self {
        match cell {
            Cell::Empty => CellRef::Empty,
            Cell::Text(s) => CellRef::Text(s),
            Cell::Bool(b) => CellRef::Bool(*b),
            Cell::Count(n) => CellRef::Count(*n),
            Cell::DateTime(t) => CellRef::DateTime(*t),
        }
    }
}

const EMPTY: u8 = 0;
const TEXT: u8 = 1;
const BOOL: u8 = 2;
const COUNT: u8 = 3;
const DATE_TIME: u8 = 4;

/// An append-only temporary file of rows.
pub struct RowSpill {
    out: BufWriter<File>,
    buf: Vec<u8>,
    rows: u64,
}

impl RowSpill {
    /// A new, empty spill file in the system's temporary folder.
    pub fn new() -> std::io::Result<RowSpill> {
        Ok(RowSpill {
            out: BufWriter::with_capacity(1 << 16, tempfile::tempfile()?),
            buf: Vec::new(),
            rows: 0,
        })
    }

    /// Appends one row.
    pub fn push(&mut self, cells: &[CellRef<'_>]) -> std::io::Result<()> {
        self.buf.clear();
        for cell in cells {
            match *cell {
                CellRef::Empty => self.buf.push(EMPTY),
                CellRef::Text(s) => {
                    self.buf.push(TEXT);
                    self.buf.extend_from_slice(&length(s.len())?.to_le_bytes());
                    self.buf.extend_from_slice(s.as_bytes());
                }
                CellRef::Bool(b) => self.buf.extend_from_slice(&[BOOL, u8::from(b)]),
                CellRef::Count(n) => {
                    self.buf.push(COUNT);
                    self.buf.extend_from_slice(&n.to_le_bytes());
                }
                CellRef::DateTime(t) => {
                    self.buf.push(DATE_TIME);
                    self.buf.extend_from_slice(&t.to_le_bytes());
                }
            }
        }
        self.out.write_all(&length(self.buf.len())?.to_le_bytes())?;
        self.out.write_all(&self.buf)?;
        self.rows += 1;
        Ok(())
    }

    /// Rows appended so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Flushes and returns the rows for reading, from the start; the spill is empty again.
    pub fn drain(&mut self) -> std::io::Result<SpilledRows> {
        let rows = std::mem::replace(self, RowSpill::new()?);
        let mut file = rows.out.into_inner().map_err(|e| e.into_error())?;
        file.rewind()?;
        Ok(SpilledRows {
            input: BufReader::with_capacity(1 << 16, file),
            left: rows.rows,
            buf: Vec::new(),
        })
    }
}

fn length(n: usize) -> std::io::Result<u32> {
    u32::try_from(n).map_err(|_| std::io::Error::other("spilled row over 4 GiB"))
}

/// A drained spill file, read once from the start.
pub struct SpilledRows {
    input: BufReader<File>,
    left: u64,
    buf: Vec<u8>,
}

impl SpilledRows {
    /// Rows not read yet.
    pub fn left(&self) -> u64 {
        self.left
    }

    /// Reads the next row; `None` after the last one.
    pub fn next_row(&mut self) -> std::io::Result<Option<Vec<CellRef<'_>>>> {
        if self.left == 0 {
            return Ok(None);
        }
        let mut len = [0u8; 4];
        self.input.read_exact(&mut len)?;
        self.buf.resize(u32::from_le_bytes(len) as usize, 0);
        self.input.read_exact(&mut self.buf)?;
        self.left -= 1;
        let mut cells = Vec::new();
        let mut rest: &[u8] = &self.buf;
        while let Some((&tag, tail)) = rest.split_first() {
            let (cell, tail) = match tag {
                EMPTY => (CellRef::Empty, tail),
                TEXT => {
                    let (n, tail) = take(tail, 4)?;
                    let n = u32::from_le_bytes(n.try_into().map_err(corrupt)?) as usize;
                    let (text, tail) = take(tail, n)?;
                    let text = std::str::from_utf8(text).map_err(corrupt)?;
                    (CellRef::Text(text), tail)
                }
                BOOL => {
                    let (b, tail) = take(tail, 1)?;
                    (CellRef::Bool(b[0] != 0), tail)
                }
                COUNT => {
                    let (n, tail) = take(tail, 8)?;
                    let n = u64::from_le_bytes(n.try_into().map_err(corrupt)?);
                    (CellRef::Count(n), tail)
                }
                DATE_TIME => {
                    let (t, tail) = take(tail, 8)?;
                    let t = i64::from_le_bytes(t.try_into().map_err(corrupt)?);
                    (CellRef::DateTime(t), tail)
                }
                other => return Err(corrupt(format!("unknown cell tag {other}"))),
            };
            cells.push(cell);
            rest = tail;
        }
        Ok(Some(cells))
    }
}

fn take(bytes: &[u8], n: usize) -> std::io::Result<(&[u8], &[u8])> {
    if bytes.len() < n {
        return Err(corrupt("row ends inside a cell"));
    }
    Ok(bytes.split_at(n))
}

fn corrupt(e: impl std::fmt::Display) -> std::io::Error {
    std::io::Error::other(format!("spill file unreadable: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_round_trip_in_order_with_their_types() {
        let mut spill = RowSpill::new().unwrap();
        let first = [
            CellRef::Text("=1+1"),
            CellRef::Empty,
            CellRef::Bool(true),
            CellRef::Count(u64::MAX),
            CellRef::DateTime(-1),
            CellRef::Text(""),
            CellRef::Text("é… [truncated]"),
        ];
        spill.push(&first).unwrap();
        spill.push(&[]).unwrap();
        spill.push(&[CellRef::Bool(false)]).unwrap();
        assert_eq!(spill.rows(), 3);
        let mut rows = spill.drain().unwrap();
        assert_eq!(spill.rows(), 0, "draining empties the spill");
        let mut seen: Vec<Vec<String>> = Vec::new();
        while let Some(cells) = rows.next_row().unwrap() {
            seen.push(cells.iter().map(|c| format!("{c:?}")).collect());
        }
        let want: Vec<Vec<String>> = vec![
            first.iter().map(|c| format!("{c:?}")).collect(),
            vec![],
            vec![format!("{:?}", CellRef::Bool(false))],
        ];
        assert_eq!(seen, want);
        assert_eq!(rows.left(), 0);
    }

    #[test]
    fn a_drained_spill_takes_new_rows() {
        let mut spill = RowSpill::new().unwrap();
        spill.push(&[CellRef::Count(1)]).unwrap();
        let _ = spill.drain().unwrap();
        spill.push(&[CellRef::Count(2)]).unwrap();
        let mut rows = spill.drain().unwrap();
        assert_eq!(rows.next_row().unwrap().unwrap(), [CellRef::Count(2)]);
        assert!(rows.next_row().unwrap().is_none());
    }
}
