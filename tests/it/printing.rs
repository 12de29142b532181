//! Printing: every sheet of the sample workbook prints landscape, with the header row repeated,
//! a page header and footer, and text no smaller than 7 points.
//!
//! The text size is measured, not assumed: LibreOffice prints the workbook to PDF, and
//! `pdftotext -bbox` (poppler) gives every word's box. A word's box height is the font's
//! ascent plus descent at the printed size, so it is proportional to the printed font size with
//! a factor that depends on the font LibreOffice substitutes for Calibri. That factor is
//! measured in the same conversion: a calibration workbook holds 11-point text printed at
//! 100%. A word's printed size is then its box height / (calibration height / 11).

use crate::common::{audit, skip};
use crate::workbook_support::{part, scratch, sheet_names, sheet_xml};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The smallest printed text size allowed, in points.
const MIN_POINTS: f64 = 7.0;

fn sample_q2() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/2025-Q2")
}

/// The Q2 sample's workbook with an engagement.
fn q2() -> crate::common::Run {
    let run = audit(
        &[&sample_q2()],
        &[
            "--client",
            "Acme Corp",
            "--period",
            "FY2025",
            "--prepared-by",
            "J. Doe",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    run
}

/// Whether `program flag` runs.
fn on_path(program: &str, flag: &str) -> bool {
    Command::new(program)
        .arg(flag)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// One word of `pdftotext -bbox`: its page (0-based), box top and bottom, and text.
struct Word {
    page: usize,
    y_min: f64,
    y_max: f64,
    text: String,
}

/// The value of `name="..."` in `tag`.
fn attribute(tag: &str, name: &str) -> f64 {
    let start = tag.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
    tag[start..start + tag[start..].find('"').unwrap()]
        .parse()
        .unwrap()
}

/// Every word of `pdf`, by `pdftotext -bbox`.
fn words(pdf: &Path) -> Vec<Word> {
    let out = Command::new("pdftotext")
        .arg("-bbox")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pdftotext failed on {}",
        pdf.display()
    );
    let html = String::from_utf8(out.stdout).unwrap();
    let mut page = 0;
    let mut words = Vec::new();
    for (i, chunk) in html.split("<page ").enumerate().skip(1) {
        page = i - 1;
        for w in chunk.split("<word ").skip(1) {
            let tag_end = w.find('>').unwrap();
            words.push(Word {
                page,
                y_min: attribute(&w[..tag_end], "yMin"),
                y_max: attribute(&w[..tag_end], "yMax"),
                text: w[tag_end + 1..w.find("</word>").unwrap()].to_string(),
            });
        }
    }
    assert!(
        page > 0 || !words.is_empty(),
        "no pages in {}",
        pdf.display()
    );
    words
}

/// A page's sheet, from its footer (the lowest line: "SHEET Page X of N").
fn footer_sheet(words: &[&Word]) -> String {
    let bottom = words.iter().map(|w| w.y_min).fold(f64::MIN, f64::max);
    let line: Vec<&str> = words
        .iter()
        .filter(|w| (w.y_min - bottom).abs() < 0.5)
        .map(|w| w.text.as_str())
        .collect();
    let line = line.join(" ").replace("&amp;", "&");
    let end = line
        .rfind(" Page ")
        .unwrap_or_else(|| panic!("no footer: {line}"));
    line[..end].to_string()
}

/// Writes the calibration workbook: 11-point text printed at 100%.
fn calibration(path: &Path) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.write_string(0, 0, "Calibration 11 point text").unwrap();
    ws.set_landscape();
    book.save(path).unwrap();
}

/// Converts `files` to PDF in `dir` with LibreOffice (a private profile, so concurrent runs
/// neither share nor lock one).
fn to_pdf(dir: &Path, files: &[&Path]) {
    let profile = format!("file://{}", dir.join("profile").display());
    let out = Command::new("soffice")
        .arg(format!("-env:UserInstallation={profile}"))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir)
        .args(files)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "LibreOffice failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn every_printed_page_of_every_sheet_has_text_of_at_least_7_points() {
    if !on_path("soffice", "--version") || !on_path("pdftotext", "-v") {
        skip("LibreOffice (soffice) or poppler (pdftotext) is not on PATH");
        return;
    }
    let run = q2();
    let dir = scratch("printing");
    let workbook = dir.join("q2.xlsx");
    std::fs::copy(&run.workbook, &workbook).unwrap();
    let reference = dir.join("calibration.xlsx");
    calibration(&reference);
    to_pdf(&dir, &[&workbook, &reference]);

    let reference = words(&dir.join("calibration.pdf"));
    let per_point = reference
        .iter()
        .map(|w| w.y_max - w.y_min)
        .fold(f64::MAX, f64::min)
        / 11.0;
    assert!(
        per_point > 0.5 && per_point < 2.0,
        "calibration: {per_point}"
    );

    let words = words(&dir.join("q2.pdf"));
    let mut pages: BTreeMap<usize, Vec<&Word>> = BTreeMap::new();
    for w in &words {
        pages.entry(w.page).or_default().push(w);
    }
    let mut smallest: BTreeMap<String, f64> = BTreeMap::new();
    for (page, words) in &pages {
        let sheet = footer_sheet(words);
        let points = words
            .iter()
            .map(|w| w.y_max - w.y_min)
            .fold(f64::MAX, f64::min)
            / per_point;
        assert!(
            points >= MIN_POINTS,
            "page {} ({sheet}) prints text at {points:.2} points",
            page + 1
        );
        let entry = smallest.entry(sheet).or_insert(f64::MAX);
        *entry = entry.min(points);
    }
    eprintln!("smallest printed text per sheet (points): {smallest:.2?}");
    let names = sheet_names(&run.workbook);
    let printed: Vec<&String> = smallest.keys().collect();
    for name in &names {
        assert!(
            printed.contains(&name),
            "{name} printed no page: {printed:?}"
        );
    }
}

#[test]
fn every_sheet_is_set_up_to_print_landscape_with_header_footer_and_titles() {
    let run = q2();
    let workbook = part(&run.workbook, "xl/workbook.xml");
    for (i, name) in sheet_names(&run.workbook).iter().enumerate() {
        let xml = sheet_xml(&run.workbook, name);
        assert!(xml.contains("orientation=\"landscape\""), "{name}: {xml}");
        assert!(xml.contains("pageOrder=\"overThenDown\""), "{name}: {xml}");
        assert!(
            xml.contains("<oddFooter>&amp;L&amp;A&amp;RPage &amp;P of &amp;N</oddFooter>"),
            "{name}"
        );
        assert!(
            xml.contains(
                "<oddHeader>&amp;LAcme Corp&amp;CIAM evidence workpaper&amp;Ras-of per account: \
                 see the cover</oddHeader>"
            ),
            "{name}"
        );
        // Either fitted to one page width (never taller than needed), or at 75% or more.
        let fitted = xml.contains("<pageSetUpPr fitToPage=\"1\"/>");
        assert!(
            (fitted && xml.contains("fitToHeight=\"0\"") && !xml.contains("fitToWidth="))
                || (!fitted && xml.contains("scale=\"75\"")),
            "{name}: {xml}"
        );
        let titles = format!("<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"{i}\">");
        if name == "Cover" {
            assert!(!workbook.contains(&titles), "the cover has no header row");
        } else {
            let at = workbook
                .find(&titles)
                .unwrap_or_else(|| panic!("{name}: {workbook}"));
            let value = &workbook[at + titles.len()..];
            assert!(
                value[..value.find('<').unwrap()].ends_with("!$1:$1"),
                "{name}"
            );
        }
    }
}
