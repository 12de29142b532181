//! The integration tests, as one crate: one binary to link instead of one per file, and the
//! shared helpers (`common`, `workbook_support`) compiled once. Each module was a separate
//! `tests/*.rs` file; `cargo test --test it MODULE` runs one of them.

mod common;
mod workbook_support;

mod account_names;
mod archives;
mod authorization_forms;
mod bad_inputs;
mod checks_cli;
mod checks_docs;
mod cli;
mod conclusions;
mod controls_sheet;
mod corpus;
mod distribution;
mod end_to_end;
mod engagement;
mod findings_sheet;
mod foundation_checks;
mod frameworks;
mod fuzz_regressions;
mod input_edges;
mod input_forms;
mod module_layers;
mod open_items;
mod org_coverage;
mod policy_checks_corpus;
mod policy_checks_cross_account;
mod policy_checks_full_admin;
mod policy_checks_mfa;
mod policy_checks_seeds;
mod policy_corpus;
mod policy_decisions;
mod policy_properties;
mod population_sheet;
mod printing;
mod quarter_as_of;
mod quarter_keep_going;
mod quarter_messages;
mod report;
mod run_summary;
mod vendored_xlsxwriter;
mod verify;
mod verify_merged;
mod workbook_libreoffice;
mod workbook_limits;
mod workbook_reproducible;
mod workbook_sheets;
mod workbook_truncation;
mod workflow;

/// With `autotests = false`, cargo builds no file it is not told about: a test file left in
/// `tests/` or not declared above would silently never run.
#[test]
fn every_test_file_is_a_module_of_this_crate() {
    let tests = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let rs = |dir: &std::path::Path| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".rs"))
            .collect();
        names.sort();
        names
    };
    let stray = rs(&tests);
    assert!(
        stray.is_empty(),
        "{stray:?} in tests/ would not run: move them into tests/it/ and declare them in main.rs"
    );
    let main = std::fs::read_to_string(tests.join("it/main.rs")).unwrap();
    let undeclared: Vec<String> = rs(&tests.join("it"))
        .into_iter()
        .filter(|n| n != "main.rs" && !main.contains(&format!("\nmod {};", &n[..n.len() - 3])))
        .collect();
    assert!(
        undeclared.is_empty(),
        "{undeclared:?} in tests/it/ are not declared in main.rs, so they would not run"
    );
}
