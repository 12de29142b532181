//! The integration tests, as one crate: one binary to link instead of one per file, and the
//! shared helpers (`common`, `workbook_support`) compiled once. Each module was a separate
//! `tests/*.rs` file; `cargo test --test it MODULE` runs one of them.

mod common;
mod workbook_support;

mod archives;
mod authorization_forms;
mod bad_inputs;
mod checks_cli;
mod checks_docs;
mod cli;
mod corpus;
mod distribution;
mod end_to_end;
mod foundation_checks;
mod fuzz_regressions;
mod input_forms;
mod policy_checks_corpus;
mod policy_checks_cross_account;
mod policy_checks_full_admin;
mod policy_checks_mfa;
mod policy_checks_seeds;
mod policy_corpus;
mod policy_decisions;
mod policy_properties;
mod report;
mod vendored_xlsxwriter;
mod verify;
mod workbook_libreoffice;
mod workbook_limits;
mod workbook_reproducible;
mod workbook_sheets;
mod workbook_truncation;
mod workflow;
