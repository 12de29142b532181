//! `iam-evidence`: parse arguments, dispatch, map errors to exit codes.
//!
//! Exit status: 0 done; 1 an input could not be read or an output written; 2 bad usage (from
//! the argument parser); 3 `verify` found a mismatch; 130 interrupted.

use clap::Parser;
use iam_evidence::cli::{Cli, Command};
use iam_evidence::commands;

fn main() {
    iam_evidence::primitives::memory::fix_mmap_threshold();
    let cli = Cli::parse();
    let outcome = match &cli.command {
        Command::Audit(args) => commands::audit::run(args),
        Command::Checks(args) => commands::checks::run(args),
        Command::Verify(args) => commands::verify::run(args),
        Command::Report(args) => commands::report::run(args),
    };
    let code = match outcome {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("{e}");
            e.exit_code()
        }
    };
    std::process::exit(code);
}
