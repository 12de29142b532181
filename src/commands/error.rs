//! Why a command did not succeed, as printed on stderr, and the exit status it maps to
//! (`main` maps it once).

use crate::primitives::error::RunError;
use std::path::PathBuf;

/// Exit status when `verify` finds that a workbook does not match its inputs.
pub const MISMATCH: i32 = 3;

/// How many differences a mismatch report prints before "... and N more".
const SHOWN: usize = 20;

/// A command's failure.
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    /// An input could not be read or an output could not be written (exit 1). Each line of
    /// it (one per unreadable or conflicting input) is prefixed `error: `.
    #[error("{}", every_line_an_error(&.0.to_string()))]
    Run(#[from] RunError),
    /// `verify` was asked for something its workbook cannot re-perform (exit 2).
    #[error("error: {0}")]
    Usage(String),
    /// `verify`: the workbook does not match its inputs (exit 3).
    #[error("{}", mismatch_report(workbook, (*results, *inputs), differences))]
    Mismatch {
        /// The workbook verified.
        workbook: PathBuf,
        /// How many results differ.
        results: usize,
        /// How many inputs differ.
        inputs: usize,
        /// Each difference, one line each: results first, then inputs.
        differences: Vec<String>,
    },
}

impl CommandError {
    /// The process exit status.
    pub fn exit_code(&self) -> i32 {
        match self {
            CommandError::Run(e) => e.exit_code(),
            CommandError::Mismatch { .. } => MISMATCH,
            CommandError::Usage(_) => 2,
        }
    }
}

/// `error: ` before each line, so that no line of a multi-line error reads as a continuation.
fn every_line_an_error(text: &str) -> String {
    text.lines()
        .map(|l| format!("error: {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `MISMATCH: W does not match its inputs (R result(s) and I input(s) differ):` and the first
/// differences, one per line.
fn mismatch_report(
    workbook: &std::path::Path,
    (results, inputs): (usize, usize),
    differences: &[String],
) -> String {
    let mut out = format!(
        "MISMATCH: {} does not match its inputs ({results} result(s) and {inputs} input(s) differ):",
        workbook.display(),
    );
    for d in differences.iter().take(SHOWN) {
        out.push_str(&format!("\n  {d}"));
    }
    if differences.len() > SHOWN {
        out.push_str(&format!("\n  ... and {} more", differences.len() - SHOWN));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::primitives::error::InputError;

    #[test]
    fn a_mismatch_lists_twenty_differences_then_the_rest_as_a_count() {
        let e = CommandError::Mismatch {
            workbook: "q2.xlsx".into(),
            results: 22,
            inputs: 1,
            differences: (1..=23).map(|i| format!("result {i} is new")).collect(),
        };
        let text = e.to_string();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "MISMATCH: q2.xlsx does not match its inputs (22 result(s) and 1 input(s) differ):"
        );
        assert_eq!(lines[1], "  result 1 is new");
        assert_eq!(lines[20], "  result 20 is new");
        assert_eq!(lines[21], "  ... and 3 more");
        assert_eq!(lines.len(), 22);
        assert_eq!(e.exit_code(), 3);
    }

    #[test]
    fn every_line_of_several_input_errors_has_the_error_prefix() {
        let e = CommandError::from(RunError::Inputs(vec![
            InputError::file("a.csv", "conflicts with b.csv: keep one in the inputs"),
            InputError::file("c.csv", "conflicts with d.csv: keep one in the inputs"),
        ]));
        assert_eq!(
            e.to_string(),
            "error: a.csv: conflicts with b.csv: keep one in the inputs\n\
             error: c.csv: conflicts with d.csv: keep one in the inputs"
        );
        assert_eq!(e.exit_code(), 1);
    }

    #[test]
    fn an_input_error_prints_with_error_prefix_and_exits_1() {
        let e = CommandError::from(RunError::NoExports { skipped: 2 });
        assert_eq!(
            e.to_string(),
            "error: no IAM export found in the given paths (2 file(s) skipped as not an export)"
        );
        assert_eq!(e.exit_code(), 1);
    }
}
