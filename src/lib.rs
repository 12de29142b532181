//! iam-evidence: offline audit of AWS IAM exports into an audit-ready workpaper.
//!
//! Data flows one way: [`discover`] walks the inputs, [`scan`] hashes and classifies each file
//! by content and finds its account, [`plan`] groups files into accounts, [`load`] parses one
//! account into the typed [`model`], [`checks`] turn an account into results, and [`output`]
//! writes the results file and the workbook in a stable order. [`pipeline`] runs the stages.

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

pub mod archive;
pub mod arn;
pub mod asof;
pub mod baseline;
pub mod checks;
pub mod cli;
pub mod commands;
pub mod discover;
pub mod error;
pub mod evidence;
pub mod exceptions;
pub mod input;
pub mod load;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod plan;
pub mod policy;
pub mod progress;
pub mod scan;
pub mod source;
pub mod threads;
pub mod timestamp;
