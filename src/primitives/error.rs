//! Error types. Every input error names the file, a position (line, column or JSON Pointer)
//! and what was expected, so an auditor can find and fix the export.

use std::path::PathBuf;

/// A problem with one input file: where it is and what was expected there.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{file}: {location}{sep}{message}", sep = if location.is_empty() { "" } else { ": " })]
pub struct InputError {
    /// The file as shown to the user (relative to its PATH argument, `/` separators).
    pub file: String,
    /// `line N`, `line N, column C`, `Content line N`, `sheet S row N`, a JSON Pointer, or empty.
    pub location: String,
    /// What was wrong and what was expected.
    pub message: String,
}

impl InputError {
    /// An error at a position in a file.
    pub fn at(file: &str, location: impl Into<String>, message: impl Into<String>) -> Self {
        InputError {
            file: file.to_string(),
            location: location.into(),
            message: message.into(),
        }
    }

    /// An error about a file as a whole.
    pub fn file(file: &str, message: impl Into<String>) -> Self {
        Self::at(file, "", message)
    }
}

/// Any failure that ends a run (an audit, a report, verify's re-run), with its exit status.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// An input could not be read (exit 1).
    #[error("{0}")]
    Input(#[from] InputError),
    /// Several inputs could not be read (exit 1).
    #[error("{}", .0.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"))]
    Inputs(Vec<InputError>),
    /// A path given on the command line could not be read (exit 1).
    #[error("{path}: {message}")]
    Path {
        /// The path as given.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// A file given by option (the baseline) could not be read (exit 1): named as that option's
    /// file, since its own name may not say what it is.
    #[error("cannot read the {what} {}: {message}", path.display())]
    OptionFile {
        /// What the option names: `baseline`.
        what: &'static str,
        /// The path as given.
        path: PathBuf,
        /// Where in it and what went wrong.
        message: String,
    },
    /// An output file could not be written (exit 1).
    #[error("cannot write {path}: {message}")]
    Output {
        /// The output path.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// Nothing in the inputs was an IAM export (exit 1).
    #[error("no IAM export found in the given paths ({skipped} file(s) skipped as not an export)")]
    NoExports {
        /// How many files were looked at and skipped.
        skipped: usize,
    },
    /// The inputs held optional evidence (password policies, summaries, account lists) but no
    /// credential report and no authorization export (exit 1).
    #[error(
        "{found} optional evidence file(s) found, but no credential report or authorization export ({skipped} file(s) skipped as not an export)"
    )]
    OnlyOptionalEvidence {
        /// Optional evidence files read.
        found: usize,
        /// How many files were looked at and skipped.
        skipped: usize,
    },
}

impl RunError {
    /// The process exit status for this error.
    pub fn exit_code(&self) -> i32 {
        1
    }
}
