//! The benchmark floor: the unavoidable work of an audit, without the audit. Reads every file
//! under DIR, hashes it (SHA-256), fully tokenizes JSON (`serde::de::IgnoredAny`) and iterates
//! CSV records, then writes ROWS rows x COLS columns of text, CHARS characters a cell, with
//! rust_xlsxwriter in the same settings as the tool (constant memory, zip level 3) and ROWS
//! lines of JSONL.
//!
//! `cargo run --release --example floor -- DIR ROWS COLS CHARS OUT_DIR [THREADS]`
//! `cargo run --release --example floor -- --count-rows WORKBOOK.xlsx` prints the rows of a
//! workbook (all sheets), its filled cells a row and the characters of a filled cell, to size
//! the floor like the tool's output.

use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn read_one(path: &Path) -> usize {
    let Ok(bytes) = std::fs::read(path) else {
        return 0;
    };
    let digest = Sha256::digest(&bytes);
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let first = text.iter().find(|b| !b.is_ascii_whitespace()).copied();
    let mut records = 0;
    if first == Some(b'{') {
        let _ = serde_json::from_slice::<serde::de::IgnoredAny>(text);
    } else {
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text);
        let mut record = csv::ByteRecord::new();
        while reader.read_byte_record(&mut record).unwrap_or(false) {
            records += 1;
        }
    }
    records + usize::from(digest[0])
}

/// The text of floor cell (`row`, `col`): an ARN and words that change with the row, cut or
/// continued to `chars` characters.
fn cell_text(row: u32, col: u16, chars: usize) -> String {
    let mut text = format!("arn:aws:iam::123456789012:user/u{row} c{col}");
    while text.len() < chars {
        text.push_str(&format!(
            " console user u{row} has no MFA device; password last used 2025-0{}-1{} ({col})",
            row % 9 + 1,
            row % 10
        ));
    }
    text.truncate(chars);
    text
}

fn count_rows(workbook: &Path) {
    use calamine::{Reader, Xlsx, open_workbook};
    let mut wb: Xlsx<_> = open_workbook(workbook).expect("open workbook");
    let (mut rows, mut cells, mut chars) = (0usize, 0usize, 0usize);
    for name in wb.sheet_names().to_vec() {
        if let Ok(range) = wb.worksheet_range(&name) {
            rows += range.height();
            for (_, _, c) in range.used_cells() {
                let len = match c {
                    calamine::Data::Empty => 0,
                    calamine::Data::String(s) => s.chars().count(),
                    other => other.to_string().chars().count(),
                };
                if len > 0 {
                    cells += 1;
                    chars += len;
                }
            }
        }
    }
    // Rows, the average number of filled cells a row (rounded up) and the average characters
    // of a filled cell (rounded).
    println!(
        "{rows} {} {}",
        cells.div_ceil(rows.max(1)),
        (chars + cells / 2) / cells.max(1)
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--count-rows") {
        count_rows(Path::new(&args[1]));
        return;
    }
    let [dir, rows, cols, chars, out, rest @ ..] = args.as_slice() else {
        eprintln!(
            "usage: floor DIR ROWS COLS CHARS OUT_DIR [THREADS] | floor --count-rows WORKBOOK"
        );
        std::process::exit(2);
    };
    let rows: u32 = rows.parse().expect("ROWS");
    let cols: u16 = cols.parse().expect("COLS");
    let chars: usize = chars.parse().expect("CHARS");
    let threads: usize = rest.first().map_or(2, |t| t.parse().expect("THREADS"));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("pool");
    let mut all = Vec::new();
    files(Path::new(dir), &mut all);
    let touched: usize = pool.install(|| all.par_iter().map(|p| read_one(p)).sum());

    let out = Path::new(out);
    let mut workbook = rust_xlsxwriter::Workbook::new();
    workbook.set_zip_compression_level(3);
    let mut written = 0u32;
    let mut sheet = 0;
    while written < rows {
        let mut ws = workbook
            .new_worksheet_with_constant_memory()
            .expect("sheet");
        ws.set_name(format!("Sheet {sheet}")).expect("name");
        let n = (rows - written).min(1_048_575);
        for r in 0..n {
            for c in 0..cols {
                ws.write_string(r, c, cell_text(r, c, chars)).expect("cell");
            }
        }
        workbook.push_worksheet(ws);
        written += n;
        sheet += 1;
    }
    workbook.save(out.join("floor.xlsx")).expect("save");
    let mut jsonl =
        std::io::BufWriter::new(std::fs::File::create(out.join("floor.jsonl")).expect("jsonl"));
    for r in 0..rows {
        writeln!(
            jsonl,
            "{{\"check_id\":\"console-user-mfa\",\"account_id\":\"123456789012\",\"resource_arn\":\"arn:aws:iam::123456789012:user/u{r}\",\"status\":\"PASS\"}}"
        )
        .expect("line");
    }
    jsonl.flush().expect("flush");
    eprintln!(
        "floor: {} files read ({touched}), {rows} rows x {cols} cols written",
        all.len()
    );
}
