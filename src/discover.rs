//! Finding input files: walk each PATH recursively in a stable order, following symlinks
//! without looping.

use crate::error::RunError;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// A file found under one of the PATH arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discovered {
    /// The path to open.
    pub path: PathBuf,
    /// Path relative to its PATH argument with `/` separators (the file name for a file argument).
    pub display: String,
    /// The folder holding the file (for assigning account-less evidence).
    pub folder: PathBuf,
}

/// Walks the given paths. A nonexistent path, a symlink loop or an unreadable folder is an error.
pub fn discover(roots: &[PathBuf]) -> Result<Vec<Discovered>, RunError> {
    let mut out = Vec::new();
    for root in roots {
        let meta = std::fs::metadata(root).map_err(|e| path_error(root, &e))?;
        let canonical = std::fs::canonicalize(root).map_err(|e| path_error(root, &e))?;
        if meta.is_file() {
            let name = root.file_name().map_or_else(
                || root.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            out.push(Discovered {
                folder: canonical
                    .parent()
                    .map(Path::to_path_buf)
                    .unwrap_or_default(),
                path: root.clone(),
                display: name,
            });
        } else if meta.is_dir() {
            let mut visited = HashSet::new();
            walk(root, &canonical, "", &mut visited, &mut out)?;
        } else {
            return Err(RunError::Path {
                path: root.clone(),
                message: "not a file or folder".into(),
            });
        }
    }
    Ok(out)
}

fn walk(
    dir: &Path,
    canonical: &Path,
    prefix: &str,
    visited: &mut HashSet<PathBuf>,
    out: &mut Vec<Discovered>,
) -> Result<(), RunError> {
    if !visited.insert(canonical.to_path_buf()) {
        return Ok(()); // a symlinked folder already walked: no loop
    }
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| path_error(dir, &e))?
        .collect::<Result<_, _>>()
        .map_err(|e| path_error(dir, &e))?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let display = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/{name}")
        };
        let meta = std::fs::metadata(&path).map_err(|e| path_error(&path, &e))?;
        if meta.is_dir() {
            let target = std::fs::canonicalize(&path).map_err(|e| path_error(&path, &e))?;
            walk(&path, &target, &display, visited, out)?;
        } else if meta.is_file() {
            out.push(Discovered {
                path,
                display,
                folder: canonical.to_path_buf(),
            });
        }
    }
    Ok(())
}

fn path_error(path: &Path, e: &std::io::Error) -> RunError {
    let message = if e.raw_os_error() == Some(40) {
        "symbolic link loop (too many levels of symbolic links)".to_string()
    } else {
        e.to_string()
    };
    RunError::Path {
        path: path.to_path_buf(),
        message,
    }
}
