//! The library's top-level modules (`checks`, `output`, `workflow`, ...) import one another in
//! one direction only: the `use crate::X` edges between them, read from the sources, have no
//! cycle. Test code (from `#[cfg(test)]` on) is left out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

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

// File level: a module (file) is a node; its parent and children are containment, not imports.

/// Every `.rs` file under `src/` with its module path (`stages::scan`; `""` for the crate root).
fn file_modules(src: &Path) -> BTreeMap<String, PathBuf> {
    fn walk(dir: &Path, src: &Path, out: &mut BTreeMap<String, PathBuf>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, src, out);
            } else if p.extension().is_some_and(|e| e == "rs") {
                let rel = p.strip_prefix(src).unwrap().with_extension("");
                let mut parts: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                if matches!(
                    parts.last().map(String::as_str),
                    Some("mod" | "lib" | "main")
                ) {
                    parts.pop();
                }
                out.insert(parts.join("::"), p);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(src, src, &mut out);
    out
}

/// The module paths a file names: `crate::x::y` and `super::z`, cut to the longest known module.
fn file_imports(module: &str, text: &str, known: &BTreeMap<String, PathBuf>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    // Test modules (at the end of a file) are left out: they may import anything.
    let text = text.split("#[cfg(test)]").next().unwrap_or(text);
    let code: String = text
        .lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut paths = Vec::new();
    for (prefix, base) in [
        ("crate::", String::new()),
        ("super::", parent_module(module)),
    ] {
        for (i, _) in code.match_indices(prefix) {
            if i > 0
                && code[..i]
                    .chars()
                    .last()
                    .is_some_and(|c| is_ident(c) || c == ':')
            {
                continue;
            }
            let rest = &code[i + prefix.len()..];
            let path: String = rest
                .chars()
                .take_while(|c| is_ident(*c) || *c == ':')
                .collect();
            let mut segs: Vec<&str> = base.split("::").filter(|s| !s.is_empty()).collect();
            segs.extend(path.split("::").filter(|s| !s.is_empty()));
            paths.push(segs.join("::"));
            // `use crate::a::{b, c}`: each name in the braces under `a`.
            if rest[path.len()..].starts_with('{') {
                let inner: String = rest[path.len() + 1..]
                    .chars()
                    .take_while(|c| *c != '}')
                    .collect();
                for name in inner.split(',') {
                    let name = name.trim().split("::").next().unwrap_or("").trim();
                    if !name.is_empty() && name != "self" {
                        paths.push(
                            format!("{}::{name}", segs.join("::"))
                                .trim_start_matches("::")
                                .to_string(),
                        );
                    }
                }
            }
        }
    }
    for p in paths {
        let mut segs: Vec<&str> = p.split("::").collect();
        while !segs.is_empty() {
            let m = segs.join("::");
            if known.contains_key(&m) {
                let contained = m == module
                    || module.starts_with(&format!("{m}::"))
                    || m.starts_with(&format!("{module}::"))
                    || module.is_empty();
                if !contained {
                    out.insert(m);
                }
                break;
            }
            segs.pop();
        }
    }
    out
}

fn parent_module(module: &str) -> String {
    module
        .rsplit_once("::")
        .map(|(p, _)| p.to_string())
        .unwrap_or_default()
}

/// Strongly connected components of more than one node (Tarjan), each sorted.
fn file_cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct State<'a> {
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a str) {
        let i = s.index.len();
        s.index.insert(v, i);
        s.low.insert(v, i);
        s.stack.push(v);
        s.on_stack.insert(v);
        for w in s.graph.get(v).into_iter().flatten() {
            let w = w.as_str();
            if !s.index.contains_key(w) {
                visit(s, w);
                let lw = s.low[w];
                let lv = s.low.get_mut(v).unwrap();
                *lv = (*lv).min(lw);
            } else if s.on_stack.contains(w) {
                let iw = s.index[w];
                let lv = s.low.get_mut(v).unwrap();
                *lv = (*lv).min(iw);
            }
        }
        if s.low[v] == s.index[v] {
            let mut comp = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                comp.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if comp.len() > 1 {
                comp.sort();
                s.out.push(comp);
            }
        }
    }
    let mut s = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in graph.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    s.out
}

/// Every module of `src/` (one per file) and the modules its non-test code names.
fn file_graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let known = file_modules(&src);
    known
        .iter()
        .map(|(module, path)| {
            let text = std::fs::read_to_string(path).unwrap();
            (module.clone(), file_imports(module, &text, &known))
        })
        .collect()
}

#[test]
fn no_source_file_imports_a_module_that_imports_it_back() {
    let graph = file_graph();
    assert!(graph.len() > 50, "read only {} modules", graph.len());
    assert!(
        graph["stages::pipeline"].contains("output::workbook"),
        "the scan misses imports: {:?}",
        graph["stages::pipeline"]
    );
    assert_eq!(file_cycles(&graph), Vec::<Vec<String>>::new());
}
