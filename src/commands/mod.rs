//! One module per subcommand, each with one entry point.

pub mod audit;
pub mod checks;
pub mod report;
pub mod verify;

/// `--version` text and the workbook cover's tool version: the crate version and the commit it
/// was built from, e.g. `0.1.0 (commit 0123456789ab, built from a clean tree)`, or
/// `0.1.0 (commit unknown)`. Set by `build.rs`.
pub const VERSION_LINE: &str = env!("IAM_EVIDENCE_VERSION_LINE");
