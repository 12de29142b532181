//! `iam-evidence`: parse arguments, dispatch, map errors to exit codes.

use clap::Parser;
use iam_evidence::cli::{Cli, Command};
use iam_evidence::commands;

fn main() {
    let cli = Cli::parse();
    let code = match &cli.command {
        Command::Audit(args) => commands::audit::run(args),
        Command::Checks(args) => commands::checks::run(args),
        Command::Verify(args) => commands::verify::run(args),
        Command::Report(args) => commands::report::run(args),
    };
    std::process::exit(code);
}
