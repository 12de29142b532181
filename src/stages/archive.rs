//! Export archives (.zip and .tar.gz) read as received. Zip members are read in place by index;
//! a .tar.gz is a stream that cannot be read at random, so its members are decompressed once
//! into a private temporary file (deleted at exit; nothing is written beside the inputs).
//! Path-traversal entries and decompression bombs are refused with a clear error.

use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

/// A member larger than this is refused.
pub const MAX_MEMBER_BYTES: u64 = 1 << 30;
/// An archive that decompresses to more than this in total is refused past the limit.
pub const MAX_ARCHIVE_BYTES: u64 = 8 << 30;
/// A member whose size is more than this many times its compressed size (and over 64 MiB) is
/// taken for a decompression bomb.
pub const MAX_RATIO: u64 = 200;

/// The kinds of archive recognized by content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArchiveKind {
    /// A zip archive that is not an .xlsx workbook.
    Zip,
    /// A gzip-compressed tar archive.
    TarGz,
}

/// Where a member's bytes are.
#[derive(Debug, Clone)]
pub enum MemberData {
    /// Entry `index` of the zip archive at the path.
    Zip(Arc<PathBuf>, usize),
    /// `len` bytes at `offset` of a spill file.
    Spill(Arc<Spill>, u64, u64),
    /// The entry was refused; the reason says why.
    Refused(String),
}

/// One file inside an archive.
#[derive(Debug, Clone)]
pub struct Member {
    /// The path inside the archive, `/` separators.
    pub name: String,
    /// Its bytes.
    pub data: MemberData,
}

/// A private temporary file holding a .tar.gz archive's decompressed members.
#[derive(Debug)]
pub struct Spill(Mutex<std::fs::File>);

impl MemberData {
    /// Reads the member's bytes.
    pub fn read(&self) -> std::io::Result<Vec<u8>> {
        match self {
            MemberData::Zip(path, index) => {
                let mut archive =
                    zip::ZipArchive::new(std::fs::File::open(path.as_path())?).map_err(other)?;
                let mut entry = archive.by_index(*index).map_err(other)?;
                let mut out = Vec::with_capacity(entry.size().min(MAX_MEMBER_BYTES) as usize);
                (&mut entry)
                    .take(MAX_MEMBER_BYTES + 1)
                    .read_to_end(&mut out)?;
                if out.len() as u64 > MAX_MEMBER_BYTES {
                    return Err(other("member larger than its declared size limit"));
                }
                Ok(out)
            }
            MemberData::Spill(spill, offset, len) => {
                let mut file = spill.0.lock().unwrap_or_else(|p| p.into_inner());
                file.seek(SeekFrom::Start(*offset))?;
                let mut out = vec![0; *len as usize];
                file.read_exact(&mut out)?;
                Ok(out)
            }
            MemberData::Refused(reason) => Err(other(reason.as_str())),
        }
    }
}

fn other(e: impl std::fmt::Display) -> std::io::Error {
    std::io::Error::other(e.to_string())
}

/// Recognizes an archive from the first bytes of a file (an .xlsx workbook is not an archive).
pub fn detect(path: &Path) -> Option<ArchiveKind> {
    let mut head = [0u8; 4];
    let mut file = std::fs::File::open(path).ok()?;
    file.read_exact(&mut head).ok()?;
    if head == *b"PK\x03\x04" {
        let archive = zip::ZipArchive::new(file).ok()?;
        let is_workbook = archive
            .file_names()
            .any(|n| n.is_ok_and(|n| n == "xl/workbook.xml"));
        return (!is_workbook).then_some(ArchiveKind::Zip);
    }
    if head[..2] == [0x1f, 0x8b] {
        let file = std::fs::File::open(path).ok()?;
        let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(file));
        let first = tar.entries().ok()?.next()?;
        return first.is_ok().then_some(ArchiveKind::TarGz);
    }
    None
}

/// Lists an archive's files in name order; unsafe entries come back `Refused`.
pub fn members(path: &Path, kind: ArchiveKind) -> Result<Vec<Member>, String> {
    let mut out = match kind {
        ArchiveKind::Zip => zip_members(path)?,
        ArchiveKind::TarGz => tar_members(path)?,
    };
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// The member's path inside the archive, or why it is refused (absolute, or escaping with `..`).
fn safe_name(raw: &str) -> Result<String, String> {
    let path = Path::new(raw);
    let mut parts = Vec::new();
    for c in path.components() {
        match c {
            Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            Component::CurDir => {}
            _ => return Err(format!("unsafe path in archive (absolute or `..`): {raw}")),
        }
    }
    if raw.contains('\\') && raw.split('\\').any(|p| p == "..") {
        return Err(format!("unsafe path in archive (`..`): {raw}"));
    }
    Ok(parts.join("/"))
}

fn bomb(name: &str, size: u64, compressed: u64) -> Option<String> {
    if size > MAX_MEMBER_BYTES {
        return Some(format!(
            "{name}: {size} bytes uncompressed, over the {MAX_MEMBER_BYTES}-byte limit per member"
        ));
    }
    if size > 64 << 20 && size > compressed.saturating_mul(MAX_RATIO) {
        return Some(format!(
            "{name}: compresses {size} bytes into {compressed} (over {MAX_RATIO}:1), refused as a decompression bomb"
        ));
    }
    None
}

fn zip_members(path: &Path) -> Result<Vec<Member>, String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut archive =
        zip::ZipArchive::new(file).map_err(|e| format!("unreadable zip archive: {e}"))?;
    let shared = Arc::new(path.to_path_buf());
    let mut out = Vec::new();
    let mut total = 0u64;
    for index in 0..archive.len() {
        let entry = archive
            .by_index_raw(index)
            .map_err(|e| format!("unreadable zip entry {index}: {e}"))?;
        if entry.is_dir() {
            continue;
        }
        let raw = entry
            .name()
            .map(|n| n.into_owned())
            .unwrap_or_else(|_| format!("entry {index}"));
        total = total.saturating_add(entry.size());
        let data = match safe_name(&raw) {
            Err(reason) => MemberData::Refused(reason),
            Ok(_) if total > MAX_ARCHIVE_BYTES => MemberData::Refused(format!(
                "{raw}: the archive decompresses to over {MAX_ARCHIVE_BYTES} bytes"
            )),
            Ok(_) => match bomb(&raw, entry.size(), entry.compressed_size()) {
                Some(reason) => MemberData::Refused(reason),
                None => MemberData::Zip(shared.clone(), index),
            },
        };
        let name = safe_name(&raw).unwrap_or(raw);
        out.push(Member { name, data });
    }
    Ok(out)
}

fn tar_members(path: &Path) -> Result<Vec<Member>, String> {
    let compressed = std::fs::metadata(path).map_err(|e| e.to_string())?.len();
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(file));
    let mut spill_file =
        tempfile::tempfile().map_err(|e| format!("cannot create a temporary file: {e}"))?;
    let mut offset = 0u64;
    let mut pending = Vec::new();
    let entries = tar
        .entries()
        .map_err(|e| format!("unreadable tar.gz archive: {e}"))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| format!("unreadable tar.gz archive: {e}"))?;
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let raw = entry
            .path()
            .map(|p| p.to_string_lossy().into_owned())
            .map_err(|e| e.to_string())?;
        let size = entry.size();
        let total = offset.saturating_add(size);
        let refused = safe_name(&raw).err().or_else(|| {
            if total > MAX_ARCHIVE_BYTES {
                Some(format!(
                    "{raw}: the archive decompresses to over {MAX_ARCHIVE_BYTES} bytes"
                ))
            } else {
                // Per member by size; for the stream as a whole by ratio to the archive's size.
                bomb(&raw, size, u64::MAX).or_else(|| bomb("the archive", total, compressed))
            }
        });
        let name = safe_name(&raw).unwrap_or_else(|_| raw.clone());
        if let Some(reason) = refused {
            pending.push((name, None, reason));
            continue;
        }
        let copied = std::io::copy(&mut (&mut entry).take(size), &mut spill_file)
            .map_err(|e| format!("unreadable tar.gz member {raw}: {e}"))?;
        pending.push((name, Some((offset, copied)), String::new()));
        offset += copied;
    }
    spill_file.flush().map_err(|e| e.to_string())?;
    let spill = Arc::new(Spill(Mutex::new(spill_file)));
    Ok(pending
        .into_iter()
        .map(|(name, at, reason)| Member {
            name,
            data: match at {
                Some((o, l)) => MemberData::Spill(spill.clone(), o, l),
                None => MemberData::Refused(reason),
            },
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_traversal_and_absolute_paths() {
        assert!(safe_name("../etc/passwd").is_err());
        assert!(safe_name("/etc/passwd").is_err());
        assert!(safe_name("a/../../b").is_err());
        assert_eq!(safe_name("./acct/report.csv").unwrap(), "acct/report.csv");
    }

    #[test]
    fn flags_bombs_by_ratio_and_size() {
        assert!(bomb("x", 2 << 30, 1 << 20).is_some());
        assert!(bomb("x", 100 << 20, 1 << 10).is_some());
        assert!(bomb("x", 10 << 20, 1 << 10).is_none());
    }
}
