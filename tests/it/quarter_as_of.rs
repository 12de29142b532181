//! Issue "no silent mistakes in a quarter's run", the as-of: a `--as-of` after every credential
//! report by more than `--max-export-age-days` warns on stderr and on the cover.

use crate::common::{audit, sheet};
use std::path::Path;

fn cover_cells(run: &crate::common::Run) -> Vec<String> {
    sheet(&run.workbook, "Cover")
        .into_iter()
        .flatten()
        .collect()
}

#[test]
fn an_as_of_in_the_future_warns_on_stderr_and_the_cover() {
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/2025-Q2");
    let run = audit(&[&samples], &["--as-of", "2030-01-01"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // B's report (GeneratedTime 2025-06-30T12:00:00Z) is the latest of the three.
    let warning = "--as-of 2030-01-01 is 1646 days after the latest credential report was \
                   generated (2025-06-30T12:00:00Z, account 222222222222), more than \
                   --max-export-age-days 7: every age is measured to that date; is it right?";
    assert!(
        run.stderr.contains(&format!("warning: {warning}\n")),
        "{}",
        run.stderr
    );
    let cover = cover_cells(&run);
    assert!(cover.iter().any(|c| c == "As-of warnings"), "{cover:?}");
    assert!(cover.iter().any(|c| c == warning), "{cover:?}");
}

#[test]
fn an_as_of_in_the_future_within_a_wider_max_export_age_days_does_not_warn() {
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/2025-Q2");
    let run = audit(
        &[&samples],
        &["--as-of", "2025-07-20", "--max-export-age-days", "30"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        !run.stderr.contains("after the latest credential report"),
        "{}",
        run.stderr
    );
    assert!(!cover_cells(&run).iter().any(|c| c == "As-of warnings"));
    let strict = audit(&[&samples], &["--as-of", "2025-07-20"]);
    assert!(
        strict.stderr.contains(
            "warning: --as-of 2025-07-20 is 20 days after the latest credential report was generated"
        ),
        "{}",
        strict.stderr
    );
}
