//! The credential report CSV: columns matched by name, extra columns tolerated, sentinels
//! typed, duplicate rows merged or flagged. Also the row parser the .xlsx reader shares.

use super::{AccountCollector, AccountKey};
use crate::model::credential::{
    AccessKey, CredentialEntry, CredentialFields, CredentialReport, CredentialRow, Dated, Flag,
};
use crate::primitives::error::InputError;
use crate::primitives::source::FileRef;
use std::collections::HashMap;
use time::OffsetDateTime;

/// Columns without which no check can run; a missing one is an error naming it.
pub const REQUIRED_COLUMNS: [&str; 13] = [
    "user",
    "arn",
    "user_creation_time",
    "password_enabled",
    "password_last_used",
    "password_last_changed",
    "mfa_active",
    "access_key_1_active",
    "access_key_1_last_rotated",
    "access_key_1_last_used_date",
    "access_key_2_active",
    "access_key_2_last_rotated",
    "access_key_2_last_used_date",
];

/// Optional timestamp columns that count towards the report's latest timestamp.
const OPTIONAL_DATE_COLUMNS: [&str; 2] = ["cert_1_last_rotated", "cert_2_last_rotated"];

/// How a row's location is written in source references.
#[derive(Debug, Clone)]
pub enum LocationStyle {
    /// `line N` of a CSV file.
    Line,
    /// `Content line N` inside a `get-credential-report` JSON wrapper.
    ContentLine,
    /// `sheet NAME row N` of an .xlsx workbook.
    Sheet(String),
}

impl LocationStyle {
    /// The location text for a 1-based line or row number.
    pub fn locate(&self, n: usize) -> String {
        match self {
            LocationStyle::Line => format!("line {n}"),
            LocationStyle::ContentLine => format!("Content line {n}"),
            LocationStyle::Sheet(name) => format!("sheet {name} row {n}"),
        }
    }
}

/// A parsed credential report with the account its ARNs name.
#[derive(Debug, Clone)]
pub struct ParsedReport {
    /// The typed report.
    pub report: CredentialReport,
    /// The account, when any row names a real one.
    pub account: Option<AccountKey>,
    /// Data rows in the file (duplicates included).
    pub rows: usize,
}

/// Parses CSV text (BOM already removed) into a report.
pub fn parse(
    text: &str,
    file: &FileRef,
    style: LocationStyle,
    generated_time: Option<OffsetDateTime>,
) -> Result<ParsedReport, InputError> {
    // The csv crate's line positions lag on CRLF; LF line ends keep them exact.
    let text: std::borrow::Cow<'_, str> = if text.contains('\r') {
        std::borrow::Cow::Owned(text.replace("\r\n", "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut record = csv::StringRecord::new();
    let mut builder: Option<ReportBuilder> = None;
    loop {
        let line = reader.position().line() as usize;
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let at = e.position().map_or(line, |p| p.line() as usize);
                return Err(InputError::at(
                    &file.file,
                    style.locate(at),
                    format!("unreadable CSV: {e}"),
                ));
            }
        }
        let line = record.position().map_or(line, |p| p.line() as usize);
        if record.len() == 1 && record.get(0).is_some_and(|f| f.trim().is_empty()) {
            continue;
        }
        match &mut builder {
            None => {
                let cells: Vec<&str> = record.iter().collect();
                builder = Some(ReportBuilder::new(&cells, file, style.clone(), line)?);
            }
            Some(b) => {
                let cells: Vec<&str> = record.iter().collect();
                b.add_row(&cells, line)?;
            }
        }
    }
    match builder {
        Some(b) => b.finish(generated_time),
        None => Err(InputError::file(
            &file.file,
            "empty credential report: expected the header line `user,arn,...`",
        )),
    }
}

/// Builds a report row by row from cells; shared by the CSV and .xlsx readers.
pub struct ReportBuilder {
    file: FileRef,
    style: LocationStyle,
    columns: HashMap<&'static str, usize>,
    optional_dates: Vec<usize>,
    width: usize,
    header_line: usize,
    accounts: AccountCollector,
    root: Option<CredentialEntry>,
    users: Vec<CredentialEntry>,
    index: HashMap<String, usize>,
    latest: Option<OffsetDateTime>,
    rows: usize,
}

impl ReportBuilder {
    /// Starts a report from its header cells; a missing required column is an error naming it.
    pub fn new(
        header: &[&str],
        file: &FileRef,
        style: LocationStyle,
        line: usize,
    ) -> Result<Self, InputError> {
        let names: Vec<String> = header
            .iter()
            .map(|h| h.trim().to_ascii_lowercase())
            .collect();
        let mut columns = HashMap::new();
        let mut missing = Vec::new();
        for col in REQUIRED_COLUMNS {
            match names.iter().position(|n| n == col) {
                Some(i) => {
                    columns.insert(col, i);
                }
                None => missing.push(col),
            }
        }
        if !missing.is_empty() {
            return Err(InputError::at(
                &file.file,
                style.locate(line),
                format!(
                    "credential report header lacks required column(s): {}",
                    missing.join(", ")
                ),
            ));
        }
        let optional_dates = OPTIONAL_DATE_COLUMNS
            .iter()
            .filter_map(|c| names.iter().position(|n| n == c))
            .collect();
        Ok(ReportBuilder {
            file: file.clone(),
            style,
            columns,
            optional_dates,
            width: names.len(),
            header_line: line,
            accounts: AccountCollector::default(),
            root: None,
            users: Vec::new(),
            index: HashMap::new(),
            latest: None,
            rows: 0,
        })
    }

    /// Adds one data row at a 1-based line (or sheet row) number.
    pub fn add_row(&mut self, cells: &[&str], line: usize) -> Result<(), InputError> {
        let location = self.style.locate(line);
        if cells.len() != self.width {
            return Err(InputError::at(
                &self.file.file,
                &location,
                format!(
                    "expected {} fields as in the header, found {}",
                    self.width,
                    cells.len()
                ),
            ));
        }
        let fields = self.fields(cells, &location)?;
        for i in self.optional_dates.clone() {
            if let Some(t) = crate::primitives::timestamp::parse(cells[i]) {
                self.bump(t);
            }
        }
        self.rows += 1;
        let arn = fields.arn.clone();
        if crate::primitives::arn::Arn::parse(&arn).is_none() {
            return Err(InputError::at(
                &self.file.file,
                format!("{location}, column arn"),
                format!("expected an ARN, found '{arn}'"),
            ));
        }
        self.accounts.see(&self.file.file, &arn, &location)?;
        let row = CredentialRow {
            fields,
            source: self.file.at(location),
        };
        let is_root = row.fields.user == "<root_account>" || arn.ends_with(":root");
        if is_root {
            match &mut self.root {
                None => self.root = Some(CredentialEntry::new(row)),
                Some(entry) => entry.add_distinct(row),
            }
        } else if let Some(&i) = self.index.get(&arn) {
            self.users[i].add_distinct(row);
        } else {
            self.index.insert(arn, self.users.len());
            self.users.push(CredentialEntry::new(row));
        }
        Ok(())
    }

    fn bump(&mut self, t: OffsetDateTime) {
        if self.latest.is_none_or(|l| t > l) {
            self.latest = Some(t);
        }
    }

    fn fields(&mut self, cells: &[&str], location: &str) -> Result<CredentialFields, InputError> {
        let row = Cells {
            cells,
            columns: &self.columns,
            file: &self.file,
            location,
        };
        let key = |slot: u8| -> Result<AccessKey, InputError> {
            let [active, rotated, used] = KEY_COLUMNS[usize::from(slot - 1)];
            Ok(AccessKey {
                slot,
                active: row.boolean(active)?,
                last_rotated: row.dated(rotated)?,
                last_used: row.dated(used)?,
            })
        };
        let fields = CredentialFields {
            user: row.cell("user").to_string(),
            arn: row.cell("arn").to_string(),
            user_creation_time: row.dated("user_creation_time")?,
            password_enabled: row.flag("password_enabled")?,
            password_last_used: row.dated("password_last_used")?,
            password_last_changed: row.dated("password_last_changed")?,
            mfa_active: row.boolean("mfa_active")?,
            access_keys: [key(1)?, key(2)?],
        };
        for d in [
            fields.user_creation_time,
            fields.password_last_used,
            fields.password_last_changed,
            fields.access_keys[0].last_rotated,
            fields.access_keys[0].last_used,
            fields.access_keys[1].last_rotated,
            fields.access_keys[1].last_used,
        ] {
            if let Some(t) = d.instant() {
                self.bump(t);
            }
        }
        Ok(fields)
    }

    /// Completes the report.
    pub fn finish(
        self,
        generated_time: Option<OffsetDateTime>,
    ) -> Result<ParsedReport, InputError> {
        Ok(ParsedReport {
            report: CredentialReport {
                generated_time,
                latest_timestamp: self.latest,
                root: self.root,
                users: self.users,
                header_source: self.file.at(self.style.locate(self.header_line)),
            },
            account: self.accounts.finish(),
            rows: self.rows,
        })
    }
}

/// The `access_key_N_active`, `_last_rotated` and `_last_used_date` columns of keys 1 and 2.
const KEY_COLUMNS: [[&str; 3]; 2] = [
    [
        "access_key_1_active",
        "access_key_1_last_rotated",
        "access_key_1_last_used_date",
    ],
    [
        "access_key_2_active",
        "access_key_2_last_rotated",
        "access_key_2_last_used_date",
    ],
];

/// One data row's cells, read by column name; a bad value is an error naming the column.
struct Cells<'a> {
    cells: &'a [&'a str],
    columns: &'a HashMap<&'static str, usize>,
    file: &'a FileRef,
    location: &'a str,
}

impl Cells<'_> {
    fn cell(&self, name: &str) -> &str {
        self.columns
            .get(name)
            .and_then(|&i| self.cells.get(i))
            .map_or("", |c| c.trim())
    }

    fn error(&self, name: &str, expected: &str) -> InputError {
        InputError::at(
            &self.file.file,
            format!("{}, column {name}", self.location),
            format!("expected {expected}, found '{}'", self.cell(name)),
        )
    }

    fn boolean(&self, name: &str) -> Result<bool, InputError> {
        match self.cell(name).to_ascii_lowercase().as_str() {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err(self.error(name, "true or false")),
        }
    }

    fn flag(&self, name: &str) -> Result<Flag, InputError> {
        match self.cell(name).to_ascii_lowercase().as_str() {
            "true" => Ok(Flag::True),
            "false" => Ok(Flag::False),
            "not_supported" => Ok(Flag::NotSupported),
            _ => Err(self.error(name, "true, false or not_supported")),
        }
    }

    fn dated(&self, name: &str) -> Result<Dated, InputError> {
        match self.cell(name) {
            "N/A" => Ok(Dated::NotApplicable),
            "no_information" => Ok(Dated::NoInformation),
            "not_supported" => Ok(Dated::NotSupported),
            v => crate::primitives::timestamp::parse(v)
                .map(Dated::At)
                .ok_or_else(|| {
                    self.error(
                        name,
                        "an ISO 8601 timestamp, N/A, no_information or not_supported",
                    )
                }),
        }
    }
}

/// True when the first line of a text holds the credential report's `user` and `arn` columns.
pub fn looks_like_header(first_line: &str) -> bool {
    let cols: Vec<String> = first_line
        .split(',')
        .map(|c| c.trim().trim_matches('"').to_ascii_lowercase())
        .collect();
    cols.iter().any(|c| c == "user") && cols.iter().any(|c| c == "arn")
}
