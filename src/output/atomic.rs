//! Atomic output: a temporary file in the target's folder, renamed over the target on success.
//! A failed run drops the temporary file and leaves any previous output byte-identical.

use crate::primitives::error::RunError;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tempfile::NamedTempFile;

/// Temporary output files not yet committed, removed by the interrupt handler.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn pending() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    PENDING.lock().unwrap_or_else(|p| p.into_inner())
}

/// Installs a Ctrl-C / SIGTERM handler that removes every pending temporary output file and
/// exits with status 130, so an interrupted run leaves previous outputs intact and no debris.
pub fn remove_pending_on_interrupt() {
    let _ = ctrlc::set_handler(|| {
        for path in pending().iter() {
            let _ = std::fs::remove_file(path);
        }
        eprintln!("interrupted: no output written");
        std::process::exit(130);
    });
}

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
        let temp_path = self.temp.path().to_path_buf();
        let target = self.target.clone();
        // A temporary file is private (0600); the output gets the previous file's permissions,
        // or the usual 0644 for a new file.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&target).map_or(0o644, |m| m.permissions().mode() & 0o777);
            let _ = std::fs::set_permissions(&temp_path, std::fs::Permissions::from_mode(mode));
        }
        let mut guard = pending();
        self.temp
            .persist(&target)
            .map_err(|e| output_error(&target, &e.error))?;
        guard.retain(|p| *p != temp_path);
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
