//! One module per subcommand, each with one entry point returning `Result<(), CommandError>`;
//! `main` prints the error and maps it to the exit status.

pub mod audit;
pub mod checks;
pub mod error;
pub mod report;
pub mod verify;

pub use error::CommandError;
