//! The Cover sheet: scope, as-of per account, options, tool version, input digest, limits,
//! and how to re-perform the run.

use super::cells::{Widths, header_format, print_setup, text};
use crate::output::meta::RunRecord;
use rust_xlsxwriter::{Format, Worksheet, XlsxError};

/// What the inputs cannot show, stated on every cover.
pub const LIMITS: [&str; 5] = [
    "Service and resource control policies (SCPs, RCPs) are not in the inputs; they could enforce MFA organization-wide.",
    "MFA enforced at an identity provider (SAML/OIDC federation) is not visible in IAM exports.",
    "IAM Identity Center (SSO) users are not IAM users and are not in the credential report.",
    "Hardware vs virtual MFA for root cannot be told without the virtual MFA device list (list-virtual-mfa-devices).",
    "Results reflect the exports as of their generation time, not the live account.",
];

/// Builds the cover sheet.
pub fn sheet(record: &RunRecord) -> Result<Worksheet, XlsxError> {
    let mut ws = Worksheet::new();
    ws.set_name("Cover")?;
    let bold = header_format();
    let mut w = Widths::new(&["", ""]);
    let mut row = 0u32;
    ws.write_string_with_format(
        row,
        0,
        "IAM evidence workpaper",
        &Format::new().set_bold().set_font_size(16),
    )?;
    row += 2;
    let accounts = record.accounts.len();
    let mut partitions: Vec<&str> = record
        .accounts
        .iter()
        .map(|a| a.partition.as_str())
        .collect();
    partitions.sort_unstable();
    partitions.dedup();
    let used = record
        .inputs
        .iter()
        .filter(|i| i.disposition == "used")
        .count();
    let users: usize = record.accounts.iter().map(|a| a.users).sum();
    let roles: usize = record.accounts.iter().map(|a| a.roles).sum();
    let policies: usize = record.accounts.iter().map(|a| a.policies).sum();
    let facts: Vec<(&str, String)> = vec![
        ("Tool", format!("{} {}", record.tool, record.version)),
        ("Scope", format!("{accounts} account(s) in partition(s) {}", partitions.join(", "))),
        ("Population", format!("{users} IAM user(s), {roles} role(s), {policies} managed policy(ies)")),
        ("Inputs", format!("{} file(s) looked at, {used} used", record.inputs.len())),
        ("Input digest (SHA-256)", record.input_digest.clone()),
        ("Results", format!("{} tested item(s)", record.results)),
        ("As-of option", record.options.as_of.clone().unwrap_or_else(|| "not given (per account, see below)".into())),
        ("Max access key age (days)", record.options.thresholds.max_key_age_days.to_string()),
        ("Max unused days", record.options.thresholds.max_unused_days.to_string()),
        ("Min password length", record.options.thresholds.min_password_length.to_string()),
        ("Min password reuse prevention", record.options.thresholds.min_password_reuse.to_string()),
        ("Keep going", record.options.keep_going.to_string()),
        (
            "Organization account list",
            record.options.org_accounts.clone().unwrap_or_else(|| "not given: internal = accounts present in the inputs or any list-accounts export found".into()),
        ),
        ("How to re-perform", record.command_line.clone()),
    ];
    for (k, v) in facts {
        ws.write_string_with_format(row, 0, k, &bold)?;
        text(&mut ws, row, 1, &v, &mut w)?;
        row += 1;
    }
    row += 1;
    ws.write_string_with_format(row, 0, "What the inputs cannot show", &bold)?;
    row += 1;
    for limit in LIMITS {
        text(&mut ws, row, 1, limit, &mut w)?;
        row += 1;
    }
    let left_out: Vec<String> = record
        .accounts
        .iter()
        .flat_map(|a| {
            a.left_out
                .iter()
                .map(move |l| format!("{}: {l}", a.account_id))
        })
        .chain(
            record
                .inputs
                .iter()
                .filter(|i| i.disposition != "used" && i.disposition != "skipped")
                .map(|i| format!("{} ({}): {}", i.file, i.disposition, i.note)),
        )
        .collect();
    row += 1;
    ws.write_string_with_format(row, 0, "Left out or unassigned", &bold)?;
    row += 1;
    if left_out.is_empty() {
        text(&mut ws, row, 1, "nothing", &mut w)?;
        row += 1;
    }
    for l in &left_out {
        text(&mut ws, row, 1, l, &mut w)?;
        row += 1;
    }
    row += 1;
    ws.write_string_with_format(row, 0, "As-of per account", &bold)?;
    row += 1;
    for (col, h) in ["Account", "Partition", "As-of (UTC)", "Rule"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(row, col as u16, *h, &bold)?;
    }
    row += 1;
    let mut w2 = Widths::new(&["Account", "Partition", "As-of (UTC)", "Rule"]);
    for a in &record.accounts {
        text(&mut ws, row, 0, &a.account_id, &mut w2)?;
        text(&mut ws, row, 1, &a.partition, &mut w2)?;
        text(
            &mut ws,
            row,
            2,
            a.as_of.as_deref().unwrap_or("none"),
            &mut w2,
        )?;
        text(&mut ws, row, 3, a.as_of_rule.describe(), &mut w2)?;
        row += 1;
    }
    ws.set_column_width(0, 30)?;
    ws.set_column_width(1, 100)?;
    print_setup(&mut ws, false)?;
    Ok(ws)
}
