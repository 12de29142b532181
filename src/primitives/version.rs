//! The version line `--version`, the cover and the results sidecar show.

/// `0.1.0 (commit 0123456789ab)`: the crate version and the commit it was built from.
pub const VERSION_LINE: &str = env!("IAM_EVIDENCE_VERSION_LINE");
