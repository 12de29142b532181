//! Source references: where a result's evidence came from, so a reviewer can re-perform it.

use serde::Serialize;
use std::sync::Arc;

/// One input file as cited by results: its display path and SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FileRef {
    /// Path relative to the PATH argument it was found under, `/` separators.
    pub file: Arc<str>,
    /// Lower-case hex SHA-256 of the file's bytes.
    pub sha256: Arc<str>,
}

impl FileRef {
    /// A source reference at `location` in this file.
    pub fn at(&self, location: impl Into<String>) -> SourceRef {
        SourceRef {
            file: self.file.clone(),
            sha256: self.sha256.clone(),
            location: location.into(),
        }
    }
}

/// A position in an input file: file, hash and location (`line N`, a JSON Pointer, ...).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
pub struct SourceRef {
    /// Path relative to its PATH argument, `/` separators.
    #[serde(serialize_with = "ser_arc")]
    pub file: Arc<str>,
    /// Lower-case hex SHA-256 of the whole file.
    #[serde(serialize_with = "ser_arc")]
    pub sha256: Arc<str>,
    /// `line N`, `Content line N`, `sheet NAME row N`, or an RFC 6901 JSON Pointer.
    pub location: String,
}

fn ser_arc<S: serde::Serializer>(value: &Arc<str>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(value)
}

/// Appends one RFC 6901 reference token to a JSON Pointer (escaping `~` and `/`).
pub fn pointer_push(base: &str, token: impl std::fmt::Display) -> String {
    let token = token.to_string();
    let escaped = token.replace('~', "~0").replace('/', "~1");
    format!("{base}/{escaped}")
}

impl std::fmt::Display for SourceRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.file, self.location)
    }
}
