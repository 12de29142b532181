//! The library's top-level modules (`checks`, `output`, `workflow`, ...) import one another in
//! one direction only: the `use crate::X` edges between them, read from the sources, have no
//! cycle. Test code (from `#[cfg(test)]` on) is left out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The top-level module a source file belongs to (`src/output/workbook/cover.rs` -> `output`).
fn top_module(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    Some(first.trim_end_matches(".rs").to_string())
}

/// The modules named after `crate::` in `text`, including each name of a `crate::{a, b}` group.
fn imported(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (i, _) in text.match_indices("crate::") {
        let rest = &text[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            for item in group.split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                out.insert(name);
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            out.insert(name);
        }
    }
    out.retain(|n| !n.is_empty());
    out
}

fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Edges between top-level modules: module -> modules it imports.
fn edges() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let modules: BTreeSet<String> = files
        .iter()
        .filter_map(|f| top_module(&src, f))
        .filter(|m| m != "lib" && m != "main")
        .collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let Some(from) = top_module(&src, file) else {
            continue;
        };
        if !modules.contains(&from) {
            continue;
        }
        let text = std::fs::read_to_string(file).unwrap();
        let text = &text[..text.find("#[cfg(test)]").unwrap_or(text.len())];
        for to in imported(text) {
            if to != from && modules.contains(&to) {
                edges.entry(from.clone()).or_default().insert(to);
            }
        }
    }
    edges
}

/// A path from `to` back to `from`, if there is one.
fn path_back(
    edges: &BTreeMap<String, BTreeSet<String>>,
    from: &str,
    to: &str,
    seen: &mut BTreeSet<String>,
) -> Option<Vec<String>> {
    if to == from {
        return Some(vec![to.to_string()]);
    }
    if !seen.insert(to.to_string()) {
        return None;
    }
    for next in edges.get(to).into_iter().flatten() {
        if let Some(mut path) = path_back(edges, from, next, seen) {
            path.insert(0, to.to_string());
            return Some(path);
        }
    }
    None
}

#[test]
fn top_level_modules_import_each_other_without_a_cycle() {
    let edges = edges();
    assert!(
        edges.get("output").is_some_and(|e| e.contains("checks")),
        "the scan finds the imports it is meant to: {edges:?}"
    );
    for (from, targets) in &edges {
        for to in targets {
            if let Some(path) = path_back(&edges, from, to, &mut BTreeSet::new()) {
                panic!("import cycle: {from} -> {}", path.join(" -> "));
            }
        }
    }
}

#[test]
fn the_scan_sees_grouped_and_inline_imports() {
    let found = imported(
        "use crate::{checks::CheckResult, output};\nfn f() { crate::workflow::annotate(); }",
    );
    assert_eq!(
        found.into_iter().collect::<Vec<_>>(),
        ["checks", "output", "workflow"]
    );
}
