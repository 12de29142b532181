//! The workpaper around the content: `--client`, `--period`, `--prepared-by` recorded with the
//! options and shown on the cover with the objective and sign-off cells, the legend, the list
//! of sheets, the page header, and the document's created date.

use crate::common::audit;
use crate::workbook_support::{cell_text, part, sheet, sheet_names};
use calamine::{Data, Range};
use std::path::{Path, PathBuf};

/// A folder or file under samples/.
fn sample(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(rel)
}

const ENGAGEMENT: [&str; 6] = [
    "--client",
    "Smith & Sons <Ltd>",
    "--period",
    "FY2025",
    "--prepared-by",
    "J. Doe",
];

/// The cover's value (column B) beside the first label (column A) equal to `label`.
fn cover_value(cover: &Range<Data>, label: &str) -> Option<String> {
    cover
        .rows()
        .find(|r| r.first().map(cell_text).as_deref() == Some(label))
        .map(|r| r.get(1).map(cell_text).unwrap_or_default())
}

/// The cover's rows after the section title `section`, up to the next empty row.
fn cover_section(cover: &Range<Data>, section: &str) -> Vec<Vec<String>> {
    cover
        .rows()
        .map(|r| r.iter().map(cell_text).collect::<Vec<_>>())
        .skip_while(|r| r.first().map(String::as_str) != Some(section))
        .skip(1)
        .take_while(|r| r.iter().any(|c| !c.is_empty()))
        .map(|mut r| {
            while r.len() > 2 && r.last().is_some_and(String::is_empty) {
                r.pop();
            }
            r
        })
        .collect()
}

fn q2(extra: &[&str]) -> crate::common::Run {
    let run = audit(&[&sample("2025-Q2")], extra);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run
}

#[test]
fn engagement_flags_are_recorded_in_the_sidecar_and_shown_on_the_cover() {
    let run = q2(&ENGAGEMENT);
    let meta: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(run.dir.path().join("out.jsonl.meta.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(meta["options"]["client"], "Smith & Sons <Ltd>");
    assert_eq!(meta["options"]["period"], "FY2025");
    assert_eq!(meta["options"]["prepared_by"], "J. Doe");
    let cover = sheet(&run.workbook, "Cover");
    assert_eq!(
        cover_value(&cover, "Client (--client)").as_deref(),
        Some("Smith & Sons <Ltd>")
    );
    assert_eq!(
        cover_value(&cover, "Period (--period)").as_deref(),
        Some("FY2025")
    );
    assert_eq!(
        cover_value(&cover, "Objective").as_deref(),
        Some("Test of IAM access controls over 3 AWS account(s)")
    );
    assert_eq!(
        cover_section(&cover, "Sign-off"),
        [
            ["Prepared by (--prepared-by)", "J. Doe"],
            ["Date", ""],
            ["Reviewed by", ""],
            ["Date", ""],
        ]
    );
    let options = cover_value(&cover, "Run options (JSON, named RunOptions)").unwrap();
    assert!(options.contains("\"prepared_by\":\"J. Doe\""), "{options}");
}

#[test]
fn sign_off_cells_and_engagement_are_empty_where_not_given() {
    let run = q2(&[]);
    let cover = sheet(&run.workbook, "Cover");
    assert_eq!(
        cover_value(&cover, "Client (--client)").as_deref(),
        Some("")
    );
    assert_eq!(
        cover_value(&cover, "Period (--period)").as_deref(),
        Some("")
    );
    for row in cover_section(&cover, "Sign-off") {
        assert_eq!(row.get(1).map(String::as_str), Some(""), "{row:?}");
    }
    let meta = std::fs::read_to_string(run.dir.path().join("out.jsonl.meta.json")).unwrap();
    assert!(!meta.contains("prepared_by"), "{meta}");
}

#[test]
fn the_cover_legend_explains_every_status_and_severity() {
    let run = q2(&[]);
    let legend = cover_section(&sheet(&run.workbook, "Cover"), "Legend");
    let labels: Vec<&str> = legend.iter().map(|r| r[0].as_str()).collect();
    for label in [
        "PASS",
        "FAIL",
        "PARTIAL",
        "MANUAL",
        "NOT_DETERMINABLE",
        "critical",
        "high",
        "medium",
        "low",
    ] {
        let row = legend.iter().find(|r| r[0] == label);
        let meaning = row.and_then(|r| r.get(1)).map(String::as_str).unwrap_or("");
        assert!(meaning.len() > 20, "{label} is not explained: {labels:?}");
    }
    assert!(
        legend
            .iter()
            .any(|r| r.get(1).is_some_and(|m| m.starts_with("Colours:"))),
        "{legend:?}"
    );
}

#[test]
fn the_cover_lists_every_sheet_written_with_what_it_holds() {
    let q1 = audit(&[&sample("2025-Q1")], &[]);
    assert_eq!(q1.code, 0, "{}", q1.stderr);
    let baseline = q1.jsonl.display().to_string();
    let exceptions = sample("exceptions.csv").display().to_string();
    let run = q2(&[
        "--baseline",
        &baseline,
        "--exceptions",
        &exceptions,
        "--framework",
        "pci-dss-4.0.1",
    ]);
    let names = sheet_names(&run.workbook);
    assert!(names.contains(&"Controls".to_string()), "{names:?}");
    assert!(names.contains(&"Changes".to_string()), "{names:?}");
    assert!(names.contains(&"Exceptions".to_string()), "{names:?}");
    assert_eq!(names[0], "Cover");
    let listed = cover_section(&sheet(&run.workbook, "Cover"), "Sheets");
    let listed_names: Vec<&str> = listed.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(listed_names, names[1..]);
    for row in &listed {
        assert!(
            row.get(1).is_some_and(|d| !d.is_empty()),
            "the cover does not say what {} holds (add it to the cover's GUIDE)",
            row[0]
        );
    }
}

/// `<dcterms:created ...>VALUE</dcterms:created>` of the workbook.
fn created(xlsx: &Path) -> String {
    let core = part(xlsx, "docProps/core.xml");
    let start = core.find("<dcterms:created").unwrap();
    let value = &core[start..];
    value[value.find('>').unwrap() + 1..value.find("</").unwrap()].to_string()
}

/// Every account's as-of instant in the run's sidecar, sorted.
fn as_ofs(run: &crate::common::Run) -> Vec<String> {
    let meta: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(run.dir.path().join("out.jsonl.meta.json")).unwrap(),
    )
    .unwrap();
    let mut as_ofs: Vec<String> = meta["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["as_of"].as_str().map(String::from))
        .collect();
    as_ofs.sort_unstable();
    as_ofs
}

#[test]
fn the_created_date_is_the_latest_as_of() {
    let run = q2(&[]);
    let instants = as_ofs(&run);
    assert_eq!(instants.len(), 3);
    assert_ne!(
        instants[0], instants[2],
        "the sample's accounts differ in as-of"
    );
    assert_eq!(created(&run.workbook), instants[2]);

    let run = q2(&["--as-of", "2025-06-30"]);
    assert_eq!(as_ofs(&run), ["2025-07-01T00:00:00Z"; 3]);
    assert_eq!(created(&run.workbook), "2025-07-01T00:00:00Z");
}

#[test]
fn the_page_header_escapes_ampersands_and_names_the_shared_as_of() {
    let run = q2(&[&ENGAGEMENT[..], &["--as-of", "2025-06-30"]].concat());
    let xml = part(&run.workbook, "xl/worksheets/sheet2.xml");
    assert!(
        xml.contains(
            "<oddHeader>&amp;LSmith &amp;&amp; Sons &lt;Ltd&gt;&amp;CIAM evidence workpaper\
             &amp;Ras-of 2025-06-30 (end of day, UTC)</oddHeader>"
        ),
        "{xml}"
    );
    // Without --as-of the sample's accounts have different as-ofs.
    let run = q2(&[]);
    let xml = part(&run.workbook, "xl/worksheets/sheet2.xml");
    assert!(
        xml.contains("&amp;Ras-of per account: see the cover</oddHeader>"),
        "{xml}"
    );
}

#[test]
fn a_client_longer_than_excel_allows_is_cut_in_the_page_header() {
    let client = "&".repeat(300);
    let run = q2(&["--client", &client]);
    let xml = part(&run.workbook, "xl/worksheets/sheet1.xml");
    let start = xml.find("<oddHeader>").unwrap() + "<oddHeader>".len();
    let header = xml[start..xml.find("</oddHeader>").unwrap()].replace("&amp;", "&");
    assert!(
        header.len() <= 255 && header.len() >= 250,
        "{}",
        header.len()
    );
    let left = &header["&L".len()..header.find("&CIAM").unwrap()];
    assert_eq!(left.len() % 2, 0, "half an escape: {left}");
    // The cover still has the whole client.
    let cover = sheet(&run.workbook, "Cover");
    assert_eq!(cover_value(&cover, "Client (--client)"), Some(client));
}

#[test]
fn a_workpaper_with_engagement_is_reproduced_byte_for_byte() {
    let dir = crate::workbook_support::scratch("engagement-reproducible");
    let xlsx = dir.join("q2.xlsx");
    let run = || {
        let out = std::process::Command::new(crate::common::bin())
            .arg("audit")
            .arg(sample("2025-Q2"))
            .arg("-o")
            .arg(&xlsx)
            .arg("-q")
            .args(ENGAGEMENT)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        std::fs::read(&xlsx).unwrap()
    };
    // Same command line, same output path: the second run replaces the first.
    assert!(run() == run(), "workbooks differ between runs");
}
