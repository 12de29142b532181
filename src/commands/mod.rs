//! One module per subcommand, each with one entry point.

pub mod audit;
pub mod checks;
pub mod report;
pub mod verify;
