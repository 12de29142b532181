//! iam-evidence: offline audit of AWS IAM exports into an audit-ready workpaper.
//!
//! Data flows one way, and the folders show it:
//!
//! - [`stages`]: discover the inputs, scan (hash, classify by content, find the account), plan
//!   the accounts, load one account, and the pipeline that runs them;
//! - [`input`] reads each export form into the typed [`model`] (policies into [`policy`]);
//! - [`checks`] turn one account into results;
//! - [`output`] writes the results file, its sidecars and the workbook in a stable order;
//! - [`workflow`] (exceptions, baseline) annotates results beside the pipeline;
//! - [`commands`] are the subcommands, [`cli`] their arguments;
//! - [`primitives`] (ARNs, timestamps, as-of, sources, digests, errors) serve every layer.
//!
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::unreachable,
        clippy::todo,
        clippy::unimplemented
    )
)]

pub mod checks;
pub mod cli;
pub mod commands;
pub mod input;
pub mod model;
pub mod output;
pub mod policy;
pub mod primitives;
pub mod stages;
pub mod workflow;
