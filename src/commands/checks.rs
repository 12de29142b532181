//! `iam-evidence checks`: the catalogue from the registry, as a table, JSON or Markdown.

use crate::checks::cis_section::{CIS_IAM_SECTION, Coverage};
use crate::checks::frameworks::{self, Framework, Reference};
use crate::checks::{CheckMeta, REGISTRY};
use crate::cli::{CatalogueFormat, ChecksArgs};
use crate::commands::CommandError;
use serde::Serialize;

/// Prints the catalogue, or one framework's controls with `--framework`.
pub fn run(args: &ChecksArgs) -> Result<(), CommandError> {
    let text = match (args.framework, args.format) {
        (Some(f), CatalogueFormat::Table) => framework_table(f),
        (Some(f), CatalogueFormat::Json) => {
            serde_json::to_string_pretty(&FrameworkListing::of(f)).unwrap_or_default() + "\n"
        }
        (Some(f), CatalogueFormat::Markdown) => framework_markdown(f),
        (None, CatalogueFormat::Table) => table(),
        (None, CatalogueFormat::Json) => {
            let entries: Vec<CatalogueEntry> = REGISTRY
                .iter()
                .map(|c| CatalogueEntry {
                    meta: c.meta,
                    frameworks: frameworks::references(c.meta),
                })
                .collect();
            serde_json::to_string_pretty(&entries).unwrap_or_default() + "\n"
        }
        (None, CatalogueFormat::Markdown) => markdown(),
    };
    print!("{text}");
    Ok(())
}

/// A check in the JSON catalogue: its metadata and every framework reference.
#[derive(Serialize)]
struct CatalogueEntry {
    #[serde(flatten)]
    meta: &'static CheckMeta,
    frameworks: Vec<Reference>,
}

/// `checks --framework NAME --format json`.
#[derive(Serialize)]
struct FrameworkListing {
    framework: Framework,
    title: &'static str,
    source: frameworks::Source,
    controls: Vec<frameworks::Control>,
    not_mapped: Vec<&'static str>,
}

impl FrameworkListing {
    fn of(framework: Framework) -> FrameworkListing {
        let (controls, not_mapped) = frameworks::controls(framework);
        FrameworkListing {
            framework,
            title: framework.title(),
            source: framework.source(),
            controls,
            not_mapped,
        }
    }
}

fn framework_table(framework: Framework) -> String {
    let l = FrameworkListing::of(framework);
    let width = l
        .controls
        .iter()
        .map(|c| c.id.chars().count())
        .chain(["CONTROL".len()])
        .max()
        .unwrap_or(0);
    let mut out = format!(
        "{} ({}; source: {})\n\n{:<width$}  CHECKS\n",
        l.title,
        framework.name(),
        l.source.label(),
        "CONTROL"
    );
    for c in &l.controls {
        out.push_str(&format!("{:<width$}  {}\n", c.id, c.checks.join(", ")));
    }
    if !l.not_mapped.is_empty() {
        out.push_str(&format!(
            "\n{}: {}\n",
            framework.not_mapped_label(),
            l.not_mapped.join(", ")
        ));
    }
    out
}

/// One framework's section of `docs/checks.md`: its controls and the checks that evidence each.
fn framework_markdown(framework: Framework) -> String {
    let l = FrameworkListing::of(framework);
    let mut out = format!(
        "### {} (`--framework {}`)\n\nSource: {}.\n\n| Control | Checks |\n|---|---|\n",
        l.title,
        framework.name(),
        l.source.label()
    );
    for c in &l.controls {
        let checks: Vec<String> = c.checks.iter().map(|id| format!("`{id}`")).collect();
        out.push_str(&format!("| {} | {} |\n", c.id, checks.join(", ")));
    }
    if !l.not_mapped.is_empty() {
        let checks: Vec<String> = l.not_mapped.iter().map(|id| format!("`{id}`")).collect();
        out.push_str(&format!(
            "\n{}: {}.\n",
            capitalized(framework.not_mapped_label()),
            checks.join(", ")
        ));
    }
    out.push('\n');
    out
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn table() -> String {
    let rows: Vec<[String; 5]> = REGISTRY
        .iter()
        .map(|c| {
            let m = c.meta;
            let r = &m.references;
            [
                m.id.to_string(),
                m.severity.as_str().to_string(),
                format!(
                    "{} / {}",
                    r.cis_v1_4_to_v4.unwrap_or("—"),
                    r.cis_v6.unwrap_or("—")
                ),
                r.security_hub.unwrap_or("—").to_string(),
                m.title.default_text(),
            ]
        })
        .collect();
    let header = ["ID", "SEVERITY", "CIS v3 / v6", "SECURITY HUB", "TITLE"];
    let widths: Vec<usize> = (0..4)
        .map(|i| {
            rows.iter()
                .map(|r| r[i].chars().count())
                .chain([header[i].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: [&str; 5]| {
        let mut out = String::new();
        for (i, cell) in cells.iter().take(4).enumerate() {
            out.push_str(&format!("{cell:<w$}  ", w = widths[i]));
        }
        out.push_str(cells[4]);
        out.push('\n');
        out
    };
    let mut out = line(header);
    for r in &rows {
        out.push_str(&line([&r[0], &r[1], &r[2], &r[3], &r[4]]));
    }
    out
}

/// The catalogue as Markdown: the content of `docs/checks.md`.
pub fn markdown() -> String {
    let mut out = String::from(
        "# Checks\n\nGenerated from the check registry (`iam-evidence checks --format markdown`); do not edit by hand.\n\n",
    );
    for c in REGISTRY {
        let m = c.meta;
        let r = &m.references;
        out.push_str(&format!("## `{}`: {}\n\n", m.id, m.title.default_text()));
        let severity = match m.severity_note {
            Some(n) => format!("{} ({n})", m.severity.as_str()),
            None => m.severity.as_str().to_string(),
        };
        let reads: Vec<String> = m
            .needs
            .iter()
            .map(|k| format!("the {}", k.label()))
            .collect();
        let reads = reads.join(", ");
        out.push_str(&format!(
            "- **Severity:** {severity}\n- **Population:** {}\n- **Reads:** {reads}\n\n",
            m.population
        ));
        out.push_str(&format!("**Why it matters.** {}\n\n", m.rationale));
        out.push_str("**Statuses.**\n\n");
        for (status, meaning) in m.statuses {
            out.push_str(&format!("- `{}`: {meaning}\n", status.as_str()));
        }
        out.push_str(&format!("\n**Remediation.** {}\n\n", m.remediation));
        out.push_str("**References.**\n\n| Framework | Reference |\n|---|---|\n");
        for (name, value) in [
            ("CIS AWS Foundations v1.4–v4.0", r.cis_v1_4_to_v4),
            ("CIS v5", r.cis_v5),
            ("CIS v6", r.cis_v6),
            ("CIS v7", r.cis_v7),
            ("AWS Security Hub", r.security_hub),
            ("AWS Config rule", r.config_rule),
            ("AWS Control Tower", r.control_tower),
        ] {
            out.push_str(&format!("| {name} | {} |\n", value.unwrap_or("—")));
        }
        out.push_str(&framework_rows(m));
        out.push('\n');
    }
    out.push_str(&cis_section());
    out.push_str(&frameworks_section());
    out
}

/// A check's rows for the frameworks mapped by AWS's packs or by this project.
fn framework_rows(meta: &CheckMeta) -> String {
    frameworks::references(meta)
        .into_iter()
        .filter(|r| r.source != frameworks::Source::Cis)
        .map(|r| {
            let controls = if r.controls.is_empty() {
                "—".to_string()
            } else {
                r.controls.join(", ")
            };
            format!(
                "| {} ({}) | {controls} |\n",
                r.framework.title(),
                r.source.label()
            )
        })
        .collect()
}

/// The closing section of `docs/checks.md`: every framework's controls.
fn frameworks_section() -> String {
    let mut out = String::from(
        "## Frameworks\n\nEach result can be filed under the controls below \
         (`iam-evidence checks --framework NAME`; `audit --framework NAME` adds a Controls sheet). \
         \"AWS conformance pack\" mappings are published by AWS in the AWS Config \"Operational \
         Best Practices\" conformance packs: a check inherits the controls of its Config rule. \
         \"iam-evidence mapping\" mappings are this project's reading of the requirement text: \
         review them before relying on them.\n\n",
    );
    for f in Framework::ALL {
        out.push_str(&framework_markdown(f));
    }
    out
}

/// The CIS IAM section table of `docs/checks.md`: every item, its check or its manual
/// procedure and command.
fn cis_section() -> String {
    let mut out = String::from(
        "## The CIS IAM section, item by item\n\n\
         Every item of the CIS AWS Foundations Benchmark IAM section (v3.0 section 1, v6.0 \
         section 2): the check that covers it, or, for an item IAM exports cannot decide, the manual \
         procedure and the command whose output to request. The workbook's Checks sheet holds the \
         same table.\n\n\
         | CIS v3.0 | CIS v6.0 | Item | Covered by | Manual procedure | Command to request |\n\
         |---|---|---|---|---|---|\n",
    );
    for item in CIS_IAM_SECTION {
        let (check, procedure, command) = match item.coverage {
            Coverage::Check(id) => (format!("`{id}`"), "—".to_string(), "—".to_string()),
            Coverage::Manual { procedure, command } if command.starts_with("aws ") => (
                "manual".to_string(),
                procedure.to_string(),
                format!("`{command}`"),
            ),
            Coverage::Manual { procedure, command } => (
                "manual".to_string(),
                procedure.to_string(),
                command.to_string(),
            ),
        };
        out.push_str(&format!(
            "| {} | {} | {} | {check} | {procedure} | {command} |\n",
            item.v3,
            item.v6.unwrap_or("—"),
            item.title.replace('|', "\\|"),
        ));
    }
    out
}
