//! The one error type of policy parsing: where the bad value is, and what was expected.

use std::fmt;

/// A policy document that could not be parsed: where and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    /// RFC 6901 JSON Pointer of the offending value in its file (inside a string-encoded
    /// document, the pointer continues as if the document were inline).
    pub pointer: String,
    /// What was expected there, and what was found when that helps.
    pub message: String,
}

impl PolicyError {
    /// An error at `pointer`.
    pub(crate) fn new(pointer: &str, message: impl Into<String>) -> Self {
        PolicyError {
            pointer: pointer.to_string(),
            message: message.into(),
        }
    }
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.pointer.is_empty() {
            write!(f, "at the document root: {}", self.message)
        } else {
            write!(f, "at {}: {}", self.pointer, self.message)
        }
    }
}

impl std::error::Error for PolicyError {}
