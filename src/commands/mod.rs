//! One module per subcommand, each with one entry point.

pub mod audit;
pub mod checks;
pub mod report;
pub mod verify;

/// `--version` text: the crate version.
pub const VERSION_LINE: &str = env!("CARGO_PKG_VERSION");
