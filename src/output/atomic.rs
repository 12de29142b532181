//! Atomic output: a temporary file in the target's folder, renamed over the target on success.
//! A failed run drops the temporary file and leaves any previous output byte-identical.

use crate::error::RunError;
use std::path::{Path, PathBuf};
use tempfile::NamedTempFile;

/// A pending output file.
pub struct AtomicFile {
    target: PathBuf,
    temp: NamedTempFile,
}

impl AtomicFile {
    /// Creates the temporary file beside `target`. The folder must exist (it is not created).
    pub fn create(target: &Path) -> Result<AtomicFile, RunError> {
        let folder = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if !folder.is_dir() {
            return Err(RunError::Output {
                path: target.to_path_buf(),
                message: format!("output folder {} does not exist", folder.display()),
            });
        }
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".tmp")
            .tempfile_in(&folder)
            .map_err(|e| output_error(target, &e))?;
        Ok(AtomicFile {
            target: target.to_path_buf(),
            temp,
        })
    }

    /// The temporary file's path (for writers that take a path).
    pub fn temp_path(&self) -> &Path {
        self.temp.path()
    }

    /// The temporary file, for writing.
    pub fn file(&mut self) -> &mut std::fs::File {
        self.temp.as_file_mut()
    }

    /// The final path.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Flushes to disk and renames over the target.
    pub fn commit(self) -> Result<(), RunError> {
        self.temp
            .as_file()
            .sync_all()
            .map_err(|e| output_error(&self.target, &e))?;
        let target = self.target.clone();
        self.temp
            .persist(&target)
            .map_err(|e| output_error(&target, &e.error))?;
        Ok(())
    }
}

/// An output error naming the path.
pub fn output_error(path: &Path, e: &dyn std::fmt::Display) -> RunError {
    RunError::Output {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}
