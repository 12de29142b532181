//! `docs/checks.md` is generated from the check registry and must not drift from it.

#[test]
fn docs_checks_md_matches_the_registry() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/checks.md");
    let committed = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
        .replace("\r\n", "\n");
    let generated = iam_evidence::commands::checks::markdown();
    assert!(
        committed == generated,
        "docs/checks.md differs from the check registry; regenerate it with\n\n    \
         cargo run -- checks --format markdown > docs/checks.md\n\nand commit the result"
    );
}
