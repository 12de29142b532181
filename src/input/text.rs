//! Decoding file bytes to text: UTF-8 with or without BOM, UTF-16 with BOM.

use crate::primitives::error::InputError;
use crate::primitives::source::FileRef;

/// Decodes a file's bytes as text, or an error naming the line of the first invalid byte.
pub fn decode_text<'a>(
    bytes: &'a [u8],
    file: &FileRef,
) -> Result<std::borrow::Cow<'a, str>, InputError> {
    decode(bytes).map_err(|(line, offset)| {
        InputError::at(
            &file.file,
            format!("line {line}"),
            format!("expected UTF-8 text; invalid byte at offset {offset}"),
        )
    })
}

/// Decodes bytes as text. A UTF-8 BOM is dropped; UTF-16 (LE or BE, with BOM) is decoded.
/// On invalid UTF-8, returns the 1-based line and the byte offset of the first bad byte.
pub fn decode(bytes: &[u8]) -> Result<std::borrow::Cow<'_, str>, (usize, usize)> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return decode_utf8(rest)
            .map(std::borrow::Cow::Borrowed)
            .map_err(|(line, at)| (line, at + 3));
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let le = bytes[0] == 0xFF;
        let units: Vec<u16> = bytes[2..]
            .chunks_exact(2)
            .map(|c| {
                if le {
                    u16::from_le_bytes([c[0], c[1]])
                } else {
                    u16::from_be_bytes([c[0], c[1]])
                }
            })
            .collect();
        // Unpaired surrogates become U+FFFD: UTF-16 exports come from Excel's "Unicode text".
        return Ok(std::borrow::Cow::Owned(String::from_utf16_lossy(&units)));
    }
    decode_utf8(bytes).map(std::borrow::Cow::Borrowed)
}

fn decode_utf8(bytes: &[u8]) -> Result<&str, (usize, usize)> {
    std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        let line = bytes[..at].iter().filter(|b| **b == b'\n').count() + 1;
        (line, at)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_utf8_bom() {
        assert_eq!(decode(b"\xEF\xBB\xBFuser,arn").unwrap(), "user,arn");
    }

    #[test]
    fn decodes_utf16_le() {
        let bytes: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("ab".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        assert_eq!(decode(&bytes).unwrap(), "ab");
    }

    #[test]
    fn reports_line_of_invalid_utf8() {
        assert_eq!(decode(b"a\nb\n\xFFc").unwrap_err().0, 3);
    }
}
