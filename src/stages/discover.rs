//! Finding input files: walk each PATH recursively in a stable order, following symlinks
//! without looping.

use crate::primitives::error::RunError;
use crate::stages::archive::{self, MemberData};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Where an input's bytes come from: a file, or a member of an export archive.
#[derive(Debug, Clone)]
pub enum Source {
    /// A file on disk.
    File(PathBuf),
    /// A member of a .zip or .tar.gz archive.
    Member(MemberData),
}

impl Source {
    /// Reads the whole input.
    pub fn read(&self) -> std::io::Result<Vec<u8>> {
        match self {
            Source::File(path) => std::fs::read(path),
            Source::Member(data) => data.read(),
        }
    }
}

/// A file found under one of the PATH arguments.
#[derive(Debug, Clone)]
pub struct Discovered {
    /// Where to read it.
    pub source: Source,
    /// Path relative to its PATH argument with `/` separators (the file name for a file argument);
    /// archive members read `export.zip!/acct/credential-report.csv`.
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
            let folder = canonical
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default();
            push_file(root.clone(), &canonical, name, folder, &mut out);
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
            let target = std::fs::canonicalize(&path).map_err(|e| path_error(&path, &e))?;
            push_file(path, &target, display, canonical.to_path_buf(), out);
        }
    }
    Ok(())
}

/// Adds a file, or each member of an export archive (`archive!/member`, its folder inside the
/// archive standing for the member's folder).
fn push_file(
    path: PathBuf,
    canonical: &Path,
    display: String,
    folder: PathBuf,
    out: &mut Vec<Discovered>,
) {
    let Some(kind) = archive::detect(&path) else {
        out.push(Discovered {
            source: Source::File(path),
            display,
            folder,
        });
        return;
    };
    match archive::members(&path, kind) {
        Ok(members) => {
            for m in members {
                let inner = m.name.rsplit_once('/').map_or("", |(dir, _)| dir);
                out.push(Discovered {
                    source: Source::Member(m.data),
                    display: format!("{display}!/{}", m.name),
                    folder: PathBuf::from(format!("{}!/{inner}", canonical.display())),
                });
            }
        }
        Err(reason) => out.push(Discovered {
            source: Source::Member(MemberData::Refused(reason)),
            display,
            folder,
        }),
    }
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
