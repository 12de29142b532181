//! The Cover sheet: scope, as-of and its rule per account, every option and threshold, tool
//! version, input digest, what was left out, what the inputs cannot show, and how to
//! re-perform the run, including a machine-readable options cell (named `RunOptions`).

use super::cells::{
    LINE_HEIGHT, MAX_ROW_HEIGHT, Widths, header_format, number, text, truncate_cell, wrapped_lines,
};
use super::palette::{SEVERITY, STATUS, Swatch};
use crate::output::error::OutputError;
use crate::output::meta::RunRecord;
use crate::workflow::exceptions::Standing;
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Worksheet, XlsxError};

/// What the inputs cannot show, stated on every cover (with [`root_mfa_limit`] where it holds).
pub const LIMITS: [&str; 5] = [
    "Service and resource control policies (SCPs, RCPs) are not in the inputs; they could enforce MFA organization-wide.",
    "MFA enforced at an identity provider (SAML/OIDC federation) is not visible in IAM exports.",
    "IAM Identity Center (SSO) users are not IAM users and are not in the credential report.",
    "The credential report's optional columns (regions, services, certificates, password_next_rotation) are not tested or listed.",
    "Results reflect the exports as of their generation time, not the live account.",
];

/// The sheets of the workbook and what each holds, for the cover's guide (which lists the
/// sheets actually written, in order).
pub const GUIDE: [(&str, &str); 14] = [
    (
        "Summary",
        "per check and per account: tested, pass, fail, partial, manual, not determinable, excepted; chart per check",
    ),
    (
        "Controls",
        "with --framework: per control of each framework, the checks filed under it, counts by status and a drafted conclusion",
    ),
    (
        "Population",
        "every account listed in the organization account list or audited: organization status, exports read, \
         counts side by side and whether they agree",
    ),
    (
        "Findings",
        "every FAIL and PARTIAL result, by severity, with its finding ID, reviewer columns, remediation and source",
    ),
    (
        "Open items",
        "every MANUAL and NOT_DETERMINABLE result (not findings), with the evidence to request or the procedure to perform",
    ),
    (
        "Results",
        "the whole tested population: one row per tested item (continues on Results 2, 3, ... if needed)",
    ),
    (
        "Changes",
        "with --baseline: what is new, changed, resolved or removed since the previous run",
    ),
    (
        "Exceptions",
        "with --exceptions: every approved exception and whether it applied, expired or went stale",
    ),
    (
        "Users",
        "every credential report row, with dates as dates and sentinels spelled out",
    ),
    ("Roles", "every role with a summary of its trust policy"),
    (
        "Privileged access",
        "every user, group and role with full administrative privileges or capped by a permissions boundary: \
         how granted, sign-in (users), who may assume (roles)",
    ),
    (
        "MFA policies",
        "every policy that mentions an MFA condition key, and where it is attached",
    ),
    (
        "Inputs",
        "every file looked at: kind, account, size, SHA-256, rows, generated time, what was done with it",
    ),
    (
        "Checks",
        "the check catalogue: population, rationale, remediation, framework references",
    ),
];

/// The defined name of the cell holding the run options as JSON.
pub const RUN_OPTIONS_NAME: &str = "RunOptions";

const PER_ACCOUNT_HEADERS: [&str; 8] = [
    "Account",
    "As-of (UTC)",
    "As-of rule",
    "Partition",
    "IAM users",
    "Roles",
    "Managed policies",
    "Left out (--keep-going)",
];

/// A built cover: the sheet and the cell (row, column) of the run options JSON.
pub struct Cover {
    /// The sheet.
    pub sheet: Worksheet,
    /// Zero-based row of the run options cell (column B).
    pub options_row: u32,
}

/// The last column of the per-account table: every value above spans column B to it.
const LAST_COL: u16 = PER_ACCOUNT_HEADERS.len() as u16 - 1;

/// Widths (characters) of the columns whose text wraps: labels (A), the as-of rule (C) and
/// what was left out (H), so that the cover fits one page width.
const WRAPPED_WIDTHS: [(u16, usize); 3] = [(0, 29), (2, 21), (LAST_COL, 27)];

struct Writer {
    ws: Worksheet,
    row: u32,
    widths: Widths,
    label: Format,
    section: Format,
    /// Values wrap in their span.
    value: Format,
    /// Each wrapping cell's row, first and last column, and text, to size the row once the
    /// widths are known.
    wrapped: Vec<(u32, u16, u16, String)>,
}

impl Writer {
    fn section(&mut self, title: &str) -> Result<(), XlsxError> {
        self.row += 1;
        self.ws
            .write_string_with_format(self.row, 0, title, &self.section)?;
        self.row += 1;
        Ok(())
    }

    fn fact(&mut self, label: &str, value: &str) -> Result<(), XlsxError> {
        self.label(label)?;
        self.line(value)
    }

    /// A label in column A (wrapped).
    fn label(&mut self, label: &str) -> Result<(), XlsxError> {
        self.ws
            .write_string_with_format(self.row, 0, label, &self.label)?;
        self.wrapped.push((self.row, 0, 0, label.to_string()));
        Ok(())
    }

    /// A text cell of the per-account table that wraps in its column.
    fn wrapped_cell(&mut self, col: u16, value: &str) -> Result<(), XlsxError> {
        let value = truncate_cell(value);
        self.ws
            .write_string_with_format(self.row, col, value.as_ref(), &self.value)?;
        self.wrapped.push((self.row, col, col, value.into_owned()));
        Ok(())
    }

    /// A label and a cell to fill in (underlined): `value` where given, else left empty.
    fn fill_in(&mut self, label: &str, value: Option<&str>) -> Result<(), XlsxError> {
        self.label(label)?;
        let line = Format::new().set_border_bottom(FormatBorder::Thin);
        match value {
            Some(v) => {
                self.ws
                    .write_string_with_format(self.row, 1, truncate_cell(v).as_ref(), &line)?
            }
            None => self.ws.write_blank(self.row, 1, &line)?,
        };
        self.row += 1;
        Ok(())
    }

    /// A value in column B, wrapped across B to [`LAST_COL`] (a string, never a formula).
    fn line(&mut self, value: &str) -> Result<(), XlsxError> {
        let value = truncate_cell(value);
        self.ws
            .merge_range(self.row, 1, self.row, LAST_COL, &value, &self.value)?;
        self.wrapped
            .push((self.row, 1, LAST_COL, value.into_owned()));
        self.row += 1;
        Ok(())
    }

    /// Sets the widths and the height of each row with wrapping text.
    fn finish_layout(&mut self) -> Result<(), XlsxError> {
        for (col, width) in WRAPPED_WIDTHS {
            self.widths.see_len(usize::from(col), width);
        }
        self.widths.apply(&mut self.ws)?;
        let widths: Vec<usize> = self.widths.applied().collect();
        let mut lines: std::collections::BTreeMap<u32, usize> = Default::default();
        for (row, first, last, text) in &self.wrapped {
            let width: usize = widths[usize::from(*first)..=usize::from(*last)]
                .iter()
                .sum();
            let n = wrapped_lines(text, width.saturating_sub(2));
            let entry = lines.entry(*row).or_default();
            *entry = (*entry).max(n);
        }
        for (row, n) in lines {
            if n > 1 {
                let height = (n as f64 * LINE_HEIGHT).min(MAX_ROW_HEIGHT);
                self.ws.set_row_height(row, height)?;
            }
        }
        Ok(())
    }
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

/// Where an account's as-of is weak (estimated, or before the report was generated): a
/// section only when some account's is.
fn as_of_warnings(w: &mut Writer, record: &RunRecord) -> Result<(), XlsxError> {
    let warnings = record.as_of_warnings();
    if warnings.is_empty() {
        return Ok(());
    }
    w.section("As-of warnings")?;
    for warning in &warnings {
        w.line(warning)?;
    }
    Ok(())
}

/// Builds the cover sheet: title, then one section after another. `sheets` names every other
/// sheet of the workbook, in order.
pub fn sheet(record: &RunRecord, sheets: &[String]) -> Result<Cover, OutputError> {
    let mut w = title()?;
    engagement(&mut w, record)?;
    scope(&mut w, record)?;
    population_completeness(&mut w, record)?;
    let options_row = options(&mut w, record)?;
    how_to_re_perform(&mut w, record)?;
    left_out(&mut w, record)?;
    as_of_warnings(&mut w, record)?;
    limits(&mut w, record)?;
    legend(&mut w)?;
    sheet_guide(&mut w, sheets)?;
    per_account(&mut w, record)?;
    w.finish_layout()?;
    let mut ws = w.ws;
    super::print::fit_if_narrow(&mut ws, w.widths.pixels());
    Ok(Cover {
        sheet: ws,
        options_row,
    })
}

/// The engagement: client, period, objective, and the sign-off cells (prepared by, date,
/// reviewed by, date), filled where given and otherwise left empty, with a line to sign on.
fn engagement(w: &mut Writer, record: &RunRecord) -> Result<(), XlsxError> {
    let e = &record.options.engagement;
    w.section("Engagement")?;
    w.fill_in("Client (--client)", e.client.as_deref())?;
    w.fill_in("Period (--period)", e.period.as_deref())?;
    w.fact("Objective", &objective(record.accounts.len()))?;
    w.section("Sign-off")?;
    w.fill_in("Prepared by (--prepared-by)", e.prepared_by.as_deref())?;
    w.fill_in("Date", None)?;
    w.fill_in("Reviewed by", None)?;
    w.fill_in("Date", None)
}

/// The audit's objective over `accounts` audited accounts.
pub fn objective(accounts: usize) -> String {
    format!("Test of IAM access controls over {accounts} AWS account(s)")
}

/// What each status means.
pub const STATUS_MEANINGS: [&str; 5] = [
    "the item meets the check's criterion",
    "the item does not meet the criterion: a finding",
    "the item meets the criterion in part: a finding",
    "the exports cannot decide it: a procedure to perform by hand, with the evidence to request",
    "the evidence needed is missing or unreadable: a scope limitation, not a pass",
];

/// What each severity means, most severe first.
pub const SEVERITY_MEANINGS: [&str; 4] = [
    "the account can be taken over now (e.g. root access keys)",
    "a direct path to unauthorized access (e.g. a console user without MFA)",
    "weakens a control (e.g. an old or unused credential)",
    "hygiene: little direct risk",
];

/// The legend: each status and severity in its colours, with its meaning.
fn legend(w: &mut Writer) -> Result<(), XlsxError> {
    w.section("Legend")?;
    let swatch = |s: Swatch| {
        Format::new()
            .set_bold()
            .set_background_color(Color::RGB(s.fill))
            .set_font_color(Color::RGB(s.font))
    };
    for ((status, colours), meaning) in STATUS.iter().zip(STATUS_MEANINGS) {
        w.ws.write_string_with_format(w.row, 0, *status, &swatch(*colours))?;
        w.line(&format!("Status: {meaning}"))?;
    }
    for ((severity, colours), meaning) in SEVERITY.iter().zip(SEVERITY_MEANINGS) {
        w.ws.write_string_with_format(w.row, 0, *severity, &swatch(*colours))?;
        w.line(&format!("Severity: {meaning}"))?;
    }
    w.line("Colours: status and severity cells are coloured as above wherever they appear; the Summary chart uses the same hues.")
}

/// The sheets written after the cover, in order, each with what it holds.
fn sheet_guide(w: &mut Writer, sheets: &[String]) -> Result<(), XlsxError> {
    w.section("Sheets")?;
    for name in sheets {
        w.fact(name, &describe(name))?;
    }
    Ok(())
}

/// What the sheet `name` holds: its line of [`GUIDE`], or that it continues one.
pub fn describe(name: &str) -> String {
    for (sheet, what) in GUIDE {
        if name == sheet {
            return what.to_string();
        }
        if super::paged::is_page(sheet, name) {
            return format!("continues the {sheet} sheet");
        }
    }
    String::new()
}

/// The sheet with its title and subtitle, ready for the sections.
fn title() -> Result<Writer, XlsxError> {
    let mut ws = Worksheet::new();
    ws.set_name("Cover")?;
    ws.write_string_with_format(
        0,
        0,
        "IAM evidence workpaper",
        &Format::new().set_bold().set_font_size(16),
    )?;
    ws.write_string(
        1,
        0,
        "Audit of AWS IAM exports (credential reports, get-account-authorization-details)",
    )?;
    Ok(Writer {
        ws,
        row: 2,
        widths: Widths::new(&PER_ACCOUNT_HEADERS),
        label: Format::new()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Top),
        section: Format::new().set_bold().set_font_size(13),
        value: Format::new()
            .set_text_wrap()
            .set_align(FormatAlign::Top)
            .set_align(FormatAlign::Left),
        wrapped: Vec::new(),
    })
}

/// How many inputs have this disposition.
fn inputs_with(record: &RunRecord, disposition: &str) -> usize {
    record
        .inputs
        .iter()
        .filter(|i| i.disposition == disposition)
        .count()
}

/// Scope: tool, accounts, population, results, inputs, input digest, and the exceptions and
/// changes since the baseline when given.
fn scope(w: &mut Writer, record: &RunRecord) -> Result<(), XlsxError> {
    let mut partitions: Vec<&str> = record
        .accounts
        .iter()
        .map(|a| a.partition.as_str())
        .collect();
    partitions.sort_unstable();
    partitions.dedup();
    let count = |d: &str| inputs_with(record, d);
    let users: usize = record.accounts.iter().map(|a| a.users).sum();
    let roles: usize = record.accounts.iter().map(|a| a.roles).sum();
    let policies: usize = record.accounts.iter().map(|a| a.policies).sum();
    let totals = record.totals_by_check();
    let findings: u64 = totals.values().map(|c| c[1] + c[2]).sum();
    let open_items: u64 = totals.values().map(|c| c[3] + c[4]).sum();

    w.section("Scope")?;
    w.fact("Tool", &format!("{} {}", record.tool, record.version))?;
    w.fact(
        "Accounts",
        &format!(
            "{} account(s) in partition(s) {}",
            record.accounts.len(),
            partitions.join(", ")
        ),
    )?;
    w.fact(
        "Population",
        &format!(
            "{users} IAM user(s) in credential reports, {roles} role(s), {policies} managed policy(ies)"
        ),
    )?;
    w.fact(
        "Results",
        &format!(
            "{} tested item(s), {findings} finding(s) (FAIL, PARTIAL), {open_items} open item(s) (MANUAL, NOT_DETERMINABLE)",
            record.results
        ),
    )?;
    w.fact(
        "Inputs",
        &format!(
            "{} file(s) looked at: {} used, {} skipped (not an export), {} left out, {} unassigned, {} duplicate (see the Inputs sheet)",
            record.inputs.len(),
            count("used"),
            count("skipped"),
            count("left out"),
            count("unassigned"),
            count("duplicate"),
        ),
    )?;
    w.fact("Input digest (SHA-256)", &record.input_digest)?;
    workflow_facts(w, record)
}

/// The exceptions' standings and the changes since the baseline, when given.
fn workflow_facts(w: &mut Writer, record: &RunRecord) -> Result<(), XlsxError> {
    if let Some(file) = &record.options.exceptions {
        let n = |st: Standing| {
            record
                .exceptions
                .iter()
                .filter(|e| e.standing == st)
                .count()
        };
        let excepted: u64 = record.excepted_by_check().values().sum();
        w.fact(
            "Exceptions",
            &format!(
                "{file}: {} entry(ies), {} applied ({excepted} finding(s) excepted), {} expired, {} stale (see the Exceptions sheet)",
                record.exceptions.len(),
                n(Standing::Applied),
                n(Standing::Expired),
                n(Standing::Stale),
            ),
        )?;
    }
    if let Some(c) = &record.changes {
        w.fact(
            "Changes since baseline",
            &format!(
                "{}: {} new, {} changed, {} unchanged; {} resolved, {} removed (see the Changes sheet)",
                c.baseline, c.counts.new, c.counts.changed, c.counts.unchanged, c.counts.resolved, c.counts.removed
            ),
        )?;
    }
    Ok(())
}

/// The sentence a reviewer reads first when the conclusion holds.
pub const POPULATION_COMPLETE: &str = "population complete and reconciled";

/// "Completeness of the population": the conclusion first ([`POPULATION_COMPLETE`] only when
/// a complete organization account list was read and every `org-coverage` and
/// `export-completeness` row is PASS; else "NOT shown complete" and each open point), then
/// accounts listed, audited, listed but missing exports, audited but not listed, and those
/// whose exports disagree.
fn population_completeness(w: &mut Writer, record: &RunRecord) -> Result<(), XlsxError> {
    let c = super::population::completeness(record);
    let ids = |list: &[String]| -> String {
        if list.is_empty() {
            return "0".into();
        }
        let shown: Vec<&str> = list.iter().take(20).map(String::as_str).collect();
        let more = list.len().saturating_sub(20);
        let tail = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        format!("{}: {}{tail}", list.len(), shown.join(", "))
    };
    let mut open = Vec::new();
    if !c.list_read {
        open.push("organization coverage not tested: no account list (give --org-accounts or include the organizations list-accounts export)".to_string());
    }
    if c.list_incomplete {
        open.push("the organization account list is incomplete: it ends with a NextToken (collect every page)".to_string());
    }
    let inactive = c.listed_missing.len() - c.active_missing.len();
    if !c.active_missing.is_empty() {
        open.push(format!(
            "{} ACTIVE listed account(s) missing an export (org-coverage FAIL)",
            c.active_missing.len()
        ));
    }
    if inactive > 0 {
        open.push(format!("{inactive} listed account(s) not ACTIVE and missing an export: confirm closed or out of scope (org-coverage MANUAL)"));
    }
    if !c.not_listed.is_empty() {
        open.push(format!("{} audited account(s) not in the organization account list: confirm in scope (org-coverage MANUAL)", c.not_listed.len()));
    }
    if !c.disagreeing.is_empty() {
        open.push(format!(
            "{} account(s) whose exports disagree (export-completeness FAIL)",
            c.disagreeing.len()
        ));
    }
    if !c.unreconciled.is_empty() {
        open.push(format!(
            "{} account(s) whose exports could not be reconciled (export-completeness not PASS)",
            c.unreconciled.len()
        ));
    }
    w.section("Completeness of the population")?;
    let conclusion = if c.is_complete() {
        format!(
            "{POPULATION_COMPLETE}: every listed account was audited with both exports, and every account's exports agree"
        )
    } else {
        format!(
            "NOT SHOWN: the population is not shown complete and reconciled; {} point(s) open, listed below (details on the Population sheet)",
            open.len()
        )
    };
    w.fact("Conclusion", &conclusion)?;
    w.fact(
        "Accounts listed",
        &if c.list_read {
            c.listed.to_string()
        } else {
            "no organization account list read".into()
        },
    )?;
    w.fact("Accounts audited", &c.audited.to_string())?;
    w.fact("Listed but missing exports", &ids(&c.listed_missing))?;
    w.fact("Audited but not listed", &ids(&c.not_listed))?;
    w.fact("Accounts whose exports disagree", &ids(&c.disagreeing))?;
    for (i, point) in open.iter().enumerate() {
        w.fact(&format!("Open {}", i + 1), point)?;
    }
    Ok(())
}

/// Options and thresholds, ending with the run options as JSON; returns that cell's row.
fn options(w: &mut Writer, record: &RunRecord) -> Result<u32, OutputError> {
    w.section("Options and thresholds")?;
    let o = &record.options;
    w.fact(
        "As-of (--as-of)",
        &match &o.as_of {
            Some(d) => format!("{d} (end of that day, UTC) for every account"),
            None => "not given: per account, from the credential report (see below)".into(),
        },
    )?;
    let t = &o.thresholds;
    w.fact(
        "Max access key age (--max-key-age-days)",
        &format!("{} days: a key older than this fails", t.max_key_age_days),
    )?;
    w.fact(
        "Max unused (--max-unused-days)",
        &format!(
            "{} days: a credential unused this long or longer fails",
            t.max_unused_days
        ),
    )?;
    w.fact(
        "Min password length (--min-password-length)",
        &t.min_password_length.to_string(),
    )?;
    w.fact(
        "Min password reuse (--min-password-reuse)",
        &t.min_password_reuse.to_string(),
    )?;
    w.fact(
        "Root usage (--root-usage-days)",
        &format!(
            "{} days: root used fewer days than this before the as-of fails",
            t.root_usage_days
        ),
    )?;
    w.fact(
        "Max export age (--max-export-age-days)",
        &format!(
            "{} days: with --as-of, a credential report generated longer before it is an export-completeness difference; no effect without --as-of",
            t.max_export_age_days
        ),
    )?;
    w.fact("Keep going (--keep-going)", yes_no(o.keep_going))?;
    w.fact(
        "Organization accounts (--org-accounts)",
        &o.org_accounts.clone().unwrap_or_else(|| {
            "not given: internal = accounts in the inputs or in a list-accounts export found".into()
        }),
    )?;
    let options_json = serde_json::to_string(o).map_err(OutputError::RunOptions)?;
    let options_row = w.row;
    w.fact("Run options (JSON, named RunOptions)", &options_json)?;
    Ok(options_row)
}

/// How to re-perform: the command line and the steps.
fn how_to_re_perform(w: &mut Writer, record: &RunRecord) -> Result<(), XlsxError> {
    w.section("How to re-perform")?;
    w.fact("Command line", &record.command_line)?;
    w.line("1. Obtain the files listed on the Inputs sheet; check each with sha256sum against its SHA-256 there.")?;
    w.line(&format!(
        "2. Run the command line above with {} {}, from the folder it was run in.",
        record.tool, record.version
    ))?;
    w.line("3. The same inputs and options give this workbook again, byte for byte, and the same results file.")?;
    w.line("4. To re-perform one result by hand: open its source file, go to its location (line N, or the JSON Pointer), and compare the evidence.")
}

/// Left out or unassigned: exports left out per account, inputs not used, and a count of
/// the files skipped as not an export.
fn left_out(w: &mut Writer, record: &RunRecord) -> Result<(), XlsxError> {
    w.section("Left out or unassigned")?;
    let mut left_out: Vec<String> = record
        .accounts
        .iter()
        .flat_map(|a| {
            a.left_out
                .iter()
                .map(move |l| format!("{}: {l}", a.account_id))
        })
        .collect();
    left_out.extend(
        record
            .inputs
            .iter()
            .filter(|i| !["used", "skipped"].contains(&i.disposition.as_str()))
            .map(|i| format!("{} ({}): {}", i.file, i.disposition, i.note)),
    );
    let skipped = inputs_with(record, "skipped");
    if skipped > 0 {
        left_out.push(format!(
            "{skipped} file(s) skipped as not an IAM export; each is listed on the Inputs sheet with the reason"
        ));
    }
    if left_out.is_empty() {
        w.line("nothing")?;
    }
    for l in &left_out {
        w.line(l)?;
    }
    Ok(())
}

/// What the inputs cannot show: [`LIMITS`], with [`root_mfa_limit`] after the first three when
/// some account lacks the virtual MFA device list.
fn limits(w: &mut Writer, record: &RunRecord) -> Result<(), XlsxError> {
    w.section("What the inputs cannot show")?;
    let (first, rest) = LIMITS.split_at(3);
    for limit in first {
        w.line(limit)?;
    }
    if let Some(limit) = root_mfa_limit(record) {
        w.line(&limit)?;
    }
    for limit in rest {
        w.line(limit)?;
    }
    Ok(())
}

/// As-of and scope per account: one row per account under [`PER_ACCOUNT_HEADERS`].
fn per_account(w: &mut Writer, record: &RunRecord) -> Result<(), XlsxError> {
    w.section("As-of and scope per account")?;
    let head = header_format();
    for (col, h) in PER_ACCOUNT_HEADERS.iter().enumerate() {
        w.ws.write_string_with_format(w.row, col as u16, *h, &head)?;
    }
    w.row += 1;
    for a in &record.accounts {
        let (ws, row, widths) = (&mut w.ws, w.row, &mut w.widths);
        text(ws, row, 0, &a.account_id, widths)?;
        match &a.as_of {
            Some(t) => text(ws, row, 1, t, widths)?,
            None => text(ws, row, 1, "none", widths)?,
        }
        text(ws, row, 3, &a.partition, widths)?;
        number(ws, row, 4, a.users as u64, widths)?;
        number(ws, row, 5, a.roles as u64, widths)?;
        number(ws, row, 6, a.policies as u64, widths)?;
        w.wrapped_cell(2, a.as_of_rule.describe())?;
        w.wrapped_cell(LAST_COL, &a.left_out.join("; "))?;
        w.row += 1;
    }
    Ok(())
}

/// The hardware-vs-virtual limit, for the accounts whose virtual MFA device list was not read.
pub fn root_mfa_limit(record: &RunRecord) -> Option<String> {
    let label = crate::input::classify::FileKind::VirtualMfaDevices.label();
    let without = record
        .accounts
        .iter()
        .filter(|a| {
            !record.inputs.iter().any(|i| {
                i.kind == label
                    && i.disposition == "used"
                    && i.account.as_deref() == Some(a.account_id.as_str())
            })
        })
        .count();
    let total = record.accounts.len();
    (without > 0).then(|| {
        let noun = if total == 1 { "account" } else { "accounts" };
        let them = if without == 1 { "it" } else { "them" };
        format!(
            "Hardware vs virtual MFA for root cannot be told for {without} of {total} {noun}: no virtual MFA \
             device list (list-virtual-mfa-devices) was read for {them}."
        )
    })
}
