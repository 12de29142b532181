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
    /// A path that could not be walked under `--keep-going` (nonexistent, a symlink loop):
    /// reading it fails with this message.
    Unreadable(String),
}

impl Source {
    /// Reads the whole input.
    pub fn read(&self) -> std::io::Result<Vec<u8>> {
        match self {
            Source::File(path) => std::fs::read(path),
            Source::Member(data) => data.read(),
            Source::Unreadable(message) => Err(std::io::Error::other(message.clone())),
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

/// Walks the given paths. A nonexistent path, a symlink loop or an unreadable folder is an
/// error; under `--keep-going` (`keep_going`) it is listed as an unreadable input instead, and
/// the walk goes on.
pub fn discover(roots: &[PathBuf], keep_going: bool) -> Result<Vec<Discovered>, RunError> {
    let mut walker = Walker {
        keep_going,
        visited: HashSet::new(),
        out: Vec::new(),
    };
    for root in roots {
        let display = root.display().to_string();
        let folder = root.parent().map(Path::to_path_buf).unwrap_or_default();
        let Some((meta, canonical)) = walker.stat(root, &display, &folder)? else {
            continue;
        };
        if meta.is_file() {
            let name = root.file_name().map_or_else(
                || root.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            let folder = canonical
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default();
            push_file(root.clone(), &canonical, name, folder, &mut walker.out);
        } else if meta.is_dir() {
            walker.visited.clear();
            walker.walk(root, &canonical, "")?;
        } else {
            walker.refuse(
                RunError::Path {
                    path: root.clone(),
                    message: "not a file or folder".into(),
                },
                &display,
                &folder,
            )?;
        }
    }
    Ok(walker.out)
}

/// The walk's state: folders already walked (per PATH) and the files found.
struct Walker {
    keep_going: bool,
    visited: HashSet<PathBuf>,
    out: Vec<Discovered>,
}

impl Walker {
    /// A path's metadata and canonical form, or `None` when it cannot be walked and
    /// `--keep-going` lists it instead.
    fn stat(
        &mut self,
        path: &Path,
        display: &str,
        folder: &Path,
    ) -> Result<Option<(std::fs::Metadata, PathBuf)>, RunError> {
        let stat = std::fs::metadata(path)
            .and_then(|meta| Ok((meta, std::fs::canonicalize(path)?)))
            .map_err(|e| path_error(path, &e));
        match stat {
            Ok(found) => Ok(Some(found)),
            Err(e) => self.refuse(e, display, folder).map(|()| None),
        }
    }

    /// Fails the run with `error`, or under `--keep-going` lists the path as unreadable.
    fn refuse(&mut self, error: RunError, display: &str, folder: &Path) -> Result<(), RunError> {
        if !self.keep_going {
            return Err(error);
        }
        let message = match error {
            RunError::Path { message, .. } => message,
            other => other.to_string(),
        };
        self.out.push(Discovered {
            source: Source::Unreadable(message),
            display: display.to_string(),
            folder: folder.to_path_buf(),
        });
        Ok(())
    }

    fn walk(&mut self, dir: &Path, canonical: &Path, prefix: &str) -> Result<(), RunError> {
        if !self.visited.insert(canonical.to_path_buf()) {
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
            let Some((meta, target)) = self.stat(&path, &display, canonical)? else {
                continue;
            };
            if meta.is_dir() {
                self.walk(&path, &target, &display)?;
            } else if meta.is_file() {
                push_file(
                    path,
                    &target,
                    display,
                    canonical.to_path_buf(),
                    &mut self.out,
                );
            }
        }
        Ok(())
    }
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
