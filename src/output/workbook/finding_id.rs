//! Finding IDs, stable across runs and quarters: `F-` and the first 12 lowercase hex characters
//! of the SHA-256 of the finding's check ID, account ID, resource ARN and credential (empty when
//! there is none), joined by newlines. The same finding next quarter has the same ID.
//!
//! Two findings of one run with the same ID (at 48 bits, never seen in practice) are told
//! apart in results order: the first keeps the ID, the next get `-2`, `-3`, ... Memory stays
//! bounded: while the run produces its results, each finding's ID number goes to a temporary
//! file ([`IdLedger`]); at the end the file is read back, a slice of the ID space at a time,
//! and only the findings that need a suffix are kept ([`Suffixes`]).

use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, Write};

/// Hex characters of a finding ID after `F-`.
pub const ID_HEX: usize = 12;

/// IDs counted per pass when looking for repeats (bounds the memory of [`IdLedger::suffixes`]).
const IDS_PER_PASS: u64 = 1 << 14;

/// The number behind a finding ID: the first `hex` hex characters (at most 16) of the SHA-256
/// of the key fields joined by newlines.
pub fn id_number(
    check_id: &str,
    account_id: &str,
    resource_arn: &str,
    credential: &str,
    hex: usize,
) -> u64 {
    let mut sha = Sha256::new();
    for (i, part) in [check_id, account_id, resource_arn, credential]
        .iter()
        .enumerate()
    {
        if i > 0 {
            sha.update(b"\n");
        }
        sha.update(part.as_bytes());
    }
    let digest = sha.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    let hex = hex.clamp(1, 16);
    u64::from_be_bytes(first) >> (64 - 4 * hex as u32)
}

/// The finding ID of an ID number, with its suffix when it is not the first of its number.
pub fn id_text(number: u64, hex: usize, suffix: Option<u32>) -> String {
    let hex = hex.clamp(1, 16);
    match suffix {
        Some(n) => format!("F-{number:0hex$x}-{n}"),
        None => format!("F-{number:0hex$x}"),
    }
}

/// Every finding's ID number, in results order, in an anonymous temporary file.
pub struct IdLedger {
    out: BufWriter<File>,
    count: u64,
}

impl IdLedger {
    /// An empty ledger.
    pub fn new() -> std::io::Result<IdLedger> {
        Ok(IdLedger {
            out: BufWriter::with_capacity(1 << 16, tempfile::tempfile()?),
            count: 0,
        })
    }

    /// Records the next finding's ID number; returns the finding's position in results order.
    pub fn push(&mut self, number: u64) -> std::io::Result<u64> {
        self.out.write_all(&number.to_le_bytes())?;
        self.count += 1;
        Ok(self.count - 1)
    }

    /// Findings recorded.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// The findings whose ID number an earlier finding already had, with their suffix.
    pub fn suffixes(self) -> std::io::Result<Suffixes> {
        let passes = self.count.div_ceil(IDS_PER_PASS).max(1);
        let mut file = self.out.into_inner().map_err(|e| e.into_error())?;
        let mut suffixes = BTreeMap::new();
        for pass in 0..passes {
            file.rewind()?;
            let mut input = BufReader::with_capacity(1 << 16, &mut file);
            let mut seen: HashMap<u64, u32> =
                HashMap::with_capacity((self.count / passes + 1) as usize);
            let mut number = [0u8; 8];
            for position in 0..self.count {
                input.read_exact(&mut number)?;
                let number = u64::from_le_bytes(number);
                if number % passes != pass {
                    continue;
                }
                let n = seen.entry(number).or_insert(0);
                *n += 1;
                if *n > 1 {
                    suffixes.insert(position, *n);
                }
            }
        }
        Ok(Suffixes(suffixes))
    }
}

/// The suffix of each finding (by position in results order) that repeats an earlier ID.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Suffixes(BTreeMap<u64, u32>);

impl Suffixes {
    /// The suffix of the finding at `position` in results order, if it needs one.
    pub fn of(&self, position: u64) -> Option<u32> {
        self.0.get(&position).copied()
    }
}

/// A run's finding IDs: their length in hex characters and the suffixes of repeated ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingIds {
    /// Hex characters after `F-` ([`ID_HEX`]; fewer in tests).
    pub hex: usize,
    /// The findings that repeat an earlier one's ID.
    pub suffixes: Suffixes,
}

impl FindingIds {
    /// The ID of a finding with this number at `position` in results order; without a
    /// position (a result that is no finding of this run), the plain ID.
    pub fn text(&self, number: u64, position: Option<u64>) -> String {
        id_text(number, self.hex, position.and_then(|p| self.suffixes.of(p)))
    }

    /// The ID of the result with this key, as [`FindingIds::text`].
    pub fn of_key(&self, key: crate::checks::ResultKey<&str>, position: Option<u64>) -> String {
        let number = id_number(
            key.check_id,
            key.account_id,
            key.resource_arn,
            key.credential.unwrap_or(""),
            self.hex,
        );
        self.text(number, position)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_id_is_the_first_hex_characters_of_the_sha256_of_the_key_lines() {
        let full = crate::primitives::digest::sha256_hex(
            b"console-user-mfa\n111111111111\narn:aws:iam::111111111111:user/bob\n",
        );
        let n = id_number(
            "console-user-mfa",
            "111111111111",
            "arn:aws:iam::111111111111:user/bob",
            "",
            ID_HEX,
        );
        assert_eq!(id_text(n, ID_HEX, None), format!("F-{}", &full[..12]));
        assert_eq!(id_text(n, ID_HEX, Some(3)), format!("F-{}-3", &full[..12]));
    }

    #[test]
    fn short_ids_keep_their_leading_zeros() {
        assert_eq!(id_text(0x0a, 4, None), "F-000a");
    }

    #[test]
    fn repeats_get_suffixes_in_results_order_and_the_first_keeps_the_id() {
        let mut ledger = IdLedger::new().unwrap();
        for n in [7, 9, 7, 3, 7, 9] {
            ledger.push(n).unwrap();
        }
        assert_eq!(ledger.count(), 6);
        let s = ledger.suffixes().unwrap();
        let got: Vec<Option<u32>> = (0..6).map(|p| s.of(p)).collect();
        assert_eq!(got, [None, None, Some(2), None, Some(3), Some(2)]);
    }

    #[test]
    fn repeats_are_found_across_passes_when_the_ledger_needs_several() {
        let mut ledger = IdLedger::new().unwrap();
        let total = 2 * IDS_PER_PASS + 5;
        for p in 0..total {
            ledger.push(p).unwrap();
        }
        ledger.push(4).unwrap();
        ledger.push(IDS_PER_PASS + 1).unwrap();
        ledger.push(4).unwrap();
        let s = ledger.suffixes().unwrap();
        assert_eq!(s.0.len(), 3);
        assert_eq!(s.of(total), Some(2));
        assert_eq!(s.of(total + 1), Some(2));
        assert_eq!(s.of(total + 2), Some(3));
    }
}
