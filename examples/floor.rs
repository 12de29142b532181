//! The benchmark floor: the unavoidable work of an audit, without the audit. Reads every file
//! under DIR, hashes it (SHA-256), fully tokenizes JSON (`serde::de::IgnoredAny`) and iterates
//! CSV records, on THREADS threads; then writes a workbook of the same shape as the audit's
//! (the same sheets, each with the same rows, filled cells a row and characters a cell) with
//! rust_xlsxwriter's fastest settings for this workload (see `Settings`), compressing its sheets
//! on THREADS threads as the tool does, and text files of the same lines and bytes as the
//! audit's results and evidence files.
//!
//! `floor --shape WORKBOOK.xlsx FILE.jsonl...` prints the shape of an audit's outputs (one line a
//! sheet: `sheet ROWS CELLS_A_ROW CHARS_A_CELL`, one a text file: `text LINES BYTES`);
//! `floor DIR SHAPE_FILE OUT_DIR [THREADS] [constant|low] [LEVEL]` does the work above
//! (the last two only to compare settings).

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

/// The text of floor cell (`row`, `col`): an ARN, a hash-like token (the audit's cells carry
/// SHA-256 digests and IDs, which do not compress) and words that change with the row, cut or
/// continued to `chars` characters.
fn cell_text(row: u32, col: u16, chars: usize) -> String {
    let mut x = u64::from(row) << 16 | u64::from(col) | 1;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    let mut text = format!("arn:aws:iam::123456789012:user/u{row} {x:016x} c{col}");
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

/// One sheet of the audit's workbook: its rows, filled cells a row (rounded up) and characters
/// a filled cell (rounded).
struct SheetShape {
    rows: u32,
    cols: u16,
    chars: usize,
}

/// What the floor writes: the workbook's sheets and the text files' (lines, bytes).
struct Shape {
    sheets: Vec<SheetShape>,
    texts: Vec<(u64, u64)>,
}

fn print_shape(workbook: &Path, texts: &[String]) {
    use calamine::{Reader, Xlsx, open_workbook};
    let mut wb: Xlsx<_> = open_workbook(workbook).expect("open workbook");
    for name in wb.sheet_names().to_vec() {
        let Ok(range) = wb.worksheet_range(&name) else {
            continue;
        };
        let (mut cells, mut chars) = (0usize, 0usize);
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
        let rows = range.height();
        println!(
            "sheet {rows} {} {}",
            cells.div_ceil(rows.max(1)),
            (chars + cells / 2) / cells.max(1)
        );
    }
    for text in texts {
        let bytes = std::fs::read(text).expect("text file");
        let lines = bytes.iter().filter(|b| **b == b'\n').count();
        println!("text {lines} {}", bytes.len());
    }
}

fn read_shape(path: &Path) -> Shape {
    let text = std::fs::read_to_string(path).expect("shape file");
    let mut shape = Shape {
        sheets: Vec::new(),
        texts: Vec::new(),
    };
    for line in text.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        match f.as_slice() {
            ["sheet", rows, cols, chars] => shape.sheets.push(SheetShape {
                rows: rows.parse().expect("rows"),
                cols: cols.parse().expect("cols"),
                chars: chars.parse().expect("chars"),
            }),
            ["text", lines, bytes] => shape
                .texts
                .push((lines.parse().expect("lines"), bytes.parse().expect("bytes"))),
            _ => panic!("bad shape line {line:?}"),
        }
    }
    shape
}

/// rust_xlsxwriter settings for the floor's workbook. Measured on the 1,000-account benchmark
/// dump's shape (docs/performance.md): constant memory is faster than low memory (which keeps
/// a shared string table) and level 1 than 3.
struct Settings {
    low_memory: bool,
    level: u8,
}

fn write_workbook(shape: &Shape, out: &Path, threads: usize, settings: &Settings) {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    workbook.set_zip_compression_level(settings.level);
    workbook.set_zip_compression_threads(threads);
    for (index, sheet) in shape.sheets.iter().enumerate() {
        let mut ws = if settings.low_memory {
            workbook.new_worksheet_with_low_memory()
        } else {
            workbook.new_worksheet_with_constant_memory()
        }
        .expect("sheet");
        ws.set_name(format!("Sheet {index}")).expect("name");
        for r in 0..sheet.rows {
            for c in 0..sheet.cols {
                ws.write_string(r, c, cell_text(r, c, sheet.chars))
                    .expect("cell");
            }
        }
        workbook.push_worksheet(ws);
    }
    workbook.save(out.join("floor.xlsx")).expect("save");
}

fn write_texts(shape: &Shape, out: &Path) {
    for (i, &(lines, bytes)) in shape.texts.iter().enumerate() {
        let file = std::fs::File::create(out.join(format!("floor-{i}.jsonl"))).expect("text");
        let mut text = std::io::BufWriter::new(file);
        let width = (bytes / lines.max(1)).max(1) as usize;
        let mut line = String::with_capacity(width);
        for n in 0..lines {
            line.clear();
            line.push_str(&format!("{{\"n\":{n},\"text\":\""));
            while line.len() + 3 < width {
                line.push('x');
            }
            line.push_str("\"}");
            writeln!(text, "{line}").expect("line");
        }
        text.flush().expect("flush");
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--shape") {
        print_shape(Path::new(&args[1]), &args[2..]);
        return;
    }
    let [dir, shape, out, rest @ ..] = args.as_slice() else {
        eprintln!(
            "usage: floor DIR SHAPE_FILE OUT_DIR [THREADS] [constant|low] [LEVEL] | \
             floor --shape WORKBOOK.xlsx FILE.jsonl..."
        );
        std::process::exit(2);
    };
    let shape = read_shape(Path::new(shape));
    let threads: usize = rest.first().map_or(2, |t| t.parse().expect("THREADS"));
    let settings = Settings {
        low_memory: rest.get(1).is_some_and(|m| m == "low"),
        level: rest.get(2).map_or(1, |l| l.parse().expect("LEVEL")),
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("pool");
    let mut all = Vec::new();
    files(Path::new(dir), &mut all);
    let touched: usize = pool.install(|| all.par_iter().map(|p| read_one(p)).sum());
    let out = Path::new(out);
    write_workbook(&shape, out, threads, &settings);
    write_texts(&shape, out);
    let rows: u64 = shape.sheets.iter().map(|s| u64::from(s.rows)).sum();
    eprintln!(
        "floor: {} files read ({touched}), {rows} rows over {} sheets, {} text files",
        all.len(),
        shape.sheets.len(),
        shape.texts.len()
    );
}
