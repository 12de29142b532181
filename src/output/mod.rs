//! Writers: the results JSONL and its metadata sidecar, and the workbook. Both outputs are
//! written to temporary files beside their targets and renamed only when the run succeeds.
//! [`read_back`] reads them back (a baseline, a workbook's pages); [`error`] says what failed.

pub mod atomic;
pub mod error;
pub mod evidence_jsonl;
pub mod evidence_rows;
pub mod jsonl;
pub mod meta;
pub mod population;
pub mod read_back;
pub mod workbook;
