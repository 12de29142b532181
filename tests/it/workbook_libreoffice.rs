//! A second consumer opens the workbook: LibreOffice converts it headless. Ignored by default
//! since it needs LibreOffice; when run, a missing LibreOffice is a failure.

use crate::workbook_support::*;
use std::process::Command;

fn soffice() -> Option<String> {
    ["soffice", "libreoffice"].into_iter().find_map(|name| {
        Command::new(name)
            .arg("--version")
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|_| name.to_string())
    })
}

#[test]
#[ignore = "needs LibreOffice: install it (e.g. apt-get install libreoffice-calc), then \
            `cargo test --release -- --ignored libreoffice_converts_the_workbook`"]
fn libreoffice_converts_the_workbook() {
    let soffice = soffice().expect("LibreOffice (soffice or libreoffice) is not on PATH");
    let (xlsx, _) = acme();
    let dir = scratch("workbook-libreoffice");
    // A private profile, so concurrent runs do not share (or lock) one.
    let profile = format!("file://{}", dir.join("profile").display());
    let out = Command::new(&soffice)
        .arg(format!("-env:UserInstallation={profile}"))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&dir)
        .arg(xlsx)
        .output()
        .unwrap();
    let pdf = dir.join("workbook.pdf");
    assert!(
        out.status.success() && pdf.exists(),
        "LibreOffice failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    // At least one page per sheet: no sheet was dropped as unreadable.
    let pages = bytes
        .windows(11)
        .filter(|w| w.starts_with(b"/Type/Page") && w[10] != b's')
        .count();
    assert!(
        pages >= SHEETS.len(),
        "{pages} page(s) for {} sheets",
        SHEETS.len()
    );
}
