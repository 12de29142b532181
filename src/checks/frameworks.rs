//! Framework references: the controls of NIST SP 800-53, FedRAMP, NIST SP 800-171, CMMC,
//! PCI DSS, ISO/IEC 27001, SOC 2 and CIS that each check's results are filed under, and where
//! each mapping comes from. The tables live in one data file, `frameworks.tsv` beside this one
//! (its header names the source of each table); CIS numbers come from each check's metadata.

use super::{CheckMeta, REGISTRY};
use serde::Serialize;
use std::sync::OnceLock;

/// Where a mapping comes from: never mixed without saying which.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Source {
    /// An AWS Config conformance pack, through the check's Config rule.
    #[serde(rename = "AWS conformance pack")]
    Aws,
    /// Mapped by this project from the requirement text: to be reviewed before relied on.
    #[serde(rename = "iam-evidence mapping")]
    IamEvidence,
    /// The CIS AWS Foundations Benchmark itself.
    #[serde(rename = "CIS Benchmark")]
    Cis,
}

impl Source {
    /// How the catalogue, the Checks sheet and the Controls sheet label it.
    pub fn label(self) -> &'static str {
        match self {
            Source::Aws => "AWS conformance pack",
            Source::IamEvidence => "iam-evidence mapping",
            Source::Cis => "CIS Benchmark",
        }
    }

    /// How the workbook labels it: this project's own mappings carry the warning to review
    /// them before relying on them.
    pub fn workbook_label(self) -> &'static str {
        match self {
            Source::IamEvidence => "iam-evidence mapping: review before relying on it",
            other => other.label(),
        }
    }

    fn from_data(text: &str) -> Option<Source> {
        match text {
            "aws" => Some(Source::Aws),
            "iam-evidence" => Some(Source::IamEvidence),
            _ => None,
        }
    }
}

/// A framework a result can be filed under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Framework {
    /// NIST SP 800-53 Rev. 5.
    Nist80053R5,
    /// FedRAMP Moderate (Rev. 4 baseline).
    FedrampModerate,
    /// NIST SP 800-171 Rev. 2.
    Nist800171R2,
    /// CMMC 2.0 Level 2.
    Cmmc2L2,
    /// PCI DSS v4.0.1.
    PciDss401,
    /// ISO/IEC 27001:2022 Annex A.
    Iso270012022,
    /// SOC 2 (2017 Trust Services Criteria).
    Soc22017,
    /// CIS AWS Foundations Benchmark v3.0.
    CisV30,
    /// CIS AWS Foundations Benchmark v6.0.
    CisV60,
}

impl Framework {
    /// Every framework, in the order listings show them.
    pub const ALL: [Framework; 9] = [
        Framework::Nist80053R5,
        Framework::FedrampModerate,
        Framework::Nist800171R2,
        Framework::Cmmc2L2,
        Framework::PciDss401,
        Framework::Iso270012022,
        Framework::Soc22017,
        Framework::CisV30,
        Framework::CisV60,
    ];

    /// The name `--framework` takes (`pci-dss-4.0.1`).
    pub fn name(self) -> &'static str {
        match self {
            Framework::Nist80053R5 => "nist-800-53-r5",
            Framework::FedrampModerate => "fedramp-moderate",
            Framework::Nist800171R2 => "nist-800-171-r2",
            Framework::Cmmc2L2 => "cmmc-2-l2",
            Framework::PciDss401 => "pci-dss-4.0.1",
            Framework::Iso270012022 => "iso-27001-2022",
            Framework::Soc22017 => "soc2-2017",
            Framework::CisV30 => "cis-v3.0",
            Framework::CisV60 => "cis-v6.0",
        }
    }

    /// The framework's title.
    pub fn title(self) -> &'static str {
        match self {
            Framework::Nist80053R5 => "NIST SP 800-53 Rev. 5",
            Framework::FedrampModerate => "FedRAMP Moderate (Rev. 4)",
            Framework::Nist800171R2 => "NIST SP 800-171 Rev. 2",
            Framework::Cmmc2L2 => "CMMC 2.0 Level 2",
            Framework::PciDss401 => "PCI DSS v4.0.1",
            Framework::Iso270012022 => "ISO/IEC 27001:2022 Annex A",
            Framework::Soc22017 => "SOC 2 (2017 Trust Services Criteria)",
            Framework::CisV30 => "CIS AWS Foundations Benchmark v3.0",
            Framework::CisV60 => "CIS AWS Foundations Benchmark v6.0",
        }
    }

    /// Where this framework's mappings come from.
    pub fn source(self) -> Source {
        match self {
            Framework::Nist80053R5
            | Framework::FedrampModerate
            | Framework::Nist800171R2
            | Framework::Cmmc2L2 => Source::Aws,
            Framework::PciDss401 | Framework::Iso270012022 | Framework::Soc22017 => {
                Source::IamEvidence
            }
            Framework::CisV30 | Framework::CisV60 => Source::Cis,
        }
    }

    /// The framework with this `--framework` name.
    pub fn from_name(name: &str) -> Option<Framework> {
        Framework::ALL.into_iter().find(|f| f.name() == name)
    }

    /// What this framework's unmapped checks are called: AWS's packs map only the checks
    /// whose Config rule they include.
    pub fn not_mapped_label(self) -> &'static str {
        match self.source() {
            Source::Aws => "not mapped by AWS",
            Source::IamEvidence | Source::Cis => "not mapped",
        }
    }

    /// The frameworks in the order first given, each once (`--framework` repeated, or the
    /// frameworks of several runs merged).
    pub fn each_once(frameworks: impl IntoIterator<Item = Framework>) -> Vec<Framework> {
        let mut out = Vec::new();
        for f in frameworks {
            if !out.contains(&f) {
                out.push(f);
            }
        }
        out
    }

    /// The known names, for a usage error.
    pub fn names() -> String {
        Framework::ALL.map(Framework::name).join(", ")
    }
}

impl Serialize for Framework {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> serde::Deserialize<'de> for Framework {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        Framework::from_name(&name).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "unknown framework {name}; known: {}",
                Framework::names()
            ))
        })
    }
}

/// One check's controls in one framework.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reference {
    /// The framework.
    pub framework: Framework,
    /// Where the mapping comes from.
    pub source: Source,
    /// The controls (empty: the source maps the check to none).
    pub controls: Vec<&'static str>,
}

/// One line of the data file.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Mapping {
    framework: Framework,
    check: &'static str,
    controls: Vec<&'static str>,
}

/// The data file, compiled in: the tool never reads anything at run time it was not given.
const DATA: &str = include_str!("frameworks.tsv");

/// Parses the data file: `framework <TAB> source <TAB> check <TAB> controls`; `#` comments.
fn parse(text: &'static str) -> Result<Vec<Mapping>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let at = |what: &str| format!("frameworks.tsv line {}: {what}", i + 1);
        let cols: Vec<&'static str> = line.split('\t').collect();
        let [framework, source, check, controls] = cols[..] else {
            return Err(at("expected 4 tab-separated columns"));
        };
        let framework = Framework::from_name(framework).ok_or_else(|| at("unknown framework"))?;
        if Source::from_data(source) != Some(framework.source()) {
            return Err(at("source does not match the framework's"));
        }
        let controls = match controls.trim() {
            "—" => Vec::new(),
            list => list.split(',').map(str::trim).collect(),
        };
        out.push(Mapping {
            framework,
            check,
            controls,
        });
    }
    Ok(out)
}

/// The parsed data file (a unit test proves it parses; a broken file would map nothing).
fn table() -> &'static [Mapping] {
    static TABLE: OnceLock<Vec<Mapping>> = OnceLock::new();
    TABLE.get_or_init(|| parse(DATA).unwrap_or_default())
}

/// A check's controls in one framework.
pub fn reference(meta: &CheckMeta, framework: Framework) -> Reference {
    let controls = match framework {
        Framework::CisV30 => cis(meta.references.cis_v1_4_to_v4),
        Framework::CisV60 => cis(meta.references.cis_v6),
        _ => table()
            .iter()
            .find(|m| m.framework == framework && m.check == meta.id)
            .map(|m| m.controls.clone())
            .unwrap_or_default(),
    };
    Reference {
        framework,
        source: framework.source(),
        controls,
    }
}

/// Every framework's reference of a check, in framework order.
pub fn references(meta: &CheckMeta) -> Vec<Reference> {
    Framework::ALL
        .into_iter()
        .map(|f| reference(meta, f))
        .collect()
}

/// A check's references in every framework as the JSON array the results file carries on
/// each of its lines (`[{"framework": ..., "source": ..., "controls": [...]}, ...]`), rendered
/// once per check.
pub fn references_json(check_id: &str) -> Option<&'static str> {
    static RENDERED: OnceLock<Vec<(&'static str, String)>> = OnceLock::new();
    RENDERED
        .get_or_init(|| {
            REGISTRY
                .iter()
                .map(|c| {
                    let json = serde_json::to_string(&references(c.meta)).unwrap_or_default();
                    (c.meta.id, json)
                })
                .collect()
        })
        .iter()
        .find(|(id, _)| *id == check_id)
        .map(|(_, json)| json.as_str())
}

fn cis(numbers: Option<&'static str>) -> Vec<&'static str> {
    numbers.map_or_else(Vec::new, |n| n.split(',').map(str::trim).collect())
}

/// One control of a framework with the registered checks that evidence it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Control {
    /// The control ID (`IA-2(1)`, `8.4.2`, `CC6.1`).
    pub id: &'static str,
    /// The checks, in registry order.
    pub checks: Vec<&'static str>,
}

/// The controls of a framework that some registered check maps to, in natural order
/// (`AC-2` < `AC-2(1)` < `AC-3`, `8.3.9` < `8.3.10.1`), and the registered checks it maps none of.
pub fn controls(framework: Framework) -> (Vec<Control>, Vec<&'static str>) {
    let mut out: Vec<Control> = Vec::new();
    let mut unmapped = Vec::new();
    for check in REGISTRY {
        let reference = reference(check.meta, framework);
        if reference.controls.is_empty() {
            unmapped.push(check.meta.id);
        }
        for id in reference.controls {
            match out.iter_mut().find(|c| c.id == id) {
                Some(c) => c.checks.push(check.meta.id),
                None => out.push(Control {
                    id,
                    checks: vec![check.meta.id],
                }),
            }
        }
    }
    out.sort_by_key(|c| natural_key(c.id));
    (out, unmapped)
}

/// A sort key that orders the numbers inside a control ID by value.
fn natural_key(id: &str) -> Vec<(u64, String)> {
    let mut key = Vec::new();
    let mut digits = String::new();
    let mut text = String::new();
    for c in id.chars() {
        if c.is_ascii_digit() {
            if !text.is_empty() {
                key.push((0, std::mem::take(&mut text)));
            }
            digits.push(c);
        } else {
            if !digits.is_empty() {
                key.push((digits.parse().unwrap_or(u64::MAX), String::new()));
                digits.clear();
            }
            text.push(c);
        }
    }
    if !digits.is_empty() {
        key.push((digits.parse().unwrap_or(u64::MAX), String::new()));
    }
    if !text.is_empty() {
        key.push((0, text));
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_file_parses_without_error() {
        let rows = parse(DATA).unwrap();
        assert!(rows.len() >= 7 * REGISTRY.len(), "{} rows", rows.len());
    }

    #[test]
    fn every_registered_check_has_a_line_for_every_mapped_framework() {
        let rows = parse(DATA).unwrap();
        for check in REGISTRY {
            for f in Framework::ALL {
                if f.source() == Source::Cis {
                    continue;
                }
                let n = rows
                    .iter()
                    .filter(|m| m.framework == f && m.check == check.meta.id)
                    .count();
                assert_eq!(n, 1, "{} in {}: {n} lines", check.meta.id, f.name());
            }
        }
    }

    #[test]
    fn a_line_whose_source_is_not_the_frameworks_is_refused() {
        let err = parse("pci-dss-4.0.1\taws\troot-mfa\t8.4.1\n").unwrap_err();
        assert!(err.contains("line 1: source"), "{err}");
    }

    #[test]
    fn console_user_mfa_is_filed_under_ia_2_1_by_aws_and_8_4_2_by_this_project() {
        let meta = super::super::find("console-user-mfa").unwrap().meta;
        let nist = reference(meta, Framework::Nist80053R5);
        assert_eq!(nist.source, Source::Aws);
        assert!(nist.controls.contains(&"IA-2(1)"), "{nist:?}");
        let pci = reference(meta, Framework::PciDss401);
        assert_eq!(pci.source, Source::IamEvidence);
        assert_eq!(pci.controls, ["8.4.2"]);
        assert_eq!(reference(meta, Framework::CisV30).controls, ["1.10"]);
        assert_eq!(reference(meta, Framework::CisV60).controls, ["2.9"]);
    }

    #[test]
    fn checks_without_a_config_rule_are_not_mapped_by_aws() {
        let (_, unmapped) = controls(Framework::Nist80053R5);
        assert!(unmapped.contains(&"mfa-enforced-by-policy"), "{unmapped:?}");
        assert!(unmapped.contains(&"cross-account-role-mfa"), "{unmapped:?}");
        assert!(!unmapped.contains(&"console-user-mfa"), "{unmapped:?}");
    }

    #[test]
    fn controls_sort_by_the_numbers_inside_them() {
        let mut nist = [
            "AC-3", "AC-2(1)", "AC-2", "IA-2(8)", "IA-2(1)", "AC-6(10)", "AC-6(2)",
        ];
        nist.sort_by_key(|id| natural_key(id));
        assert_eq!(
            nist,
            [
                "AC-2", "AC-2(1)", "AC-3", "AC-6(2)", "AC-6(10)", "IA-2(1)", "IA-2(8)"
            ]
        );
        let mut pci = ["8.3.10.1", "8.3.9", "12.5.1", "8.4.2"];
        pci.sort_by_key(|id| natural_key(id));
        assert_eq!(pci, ["8.3.9", "8.3.10.1", "8.4.2", "12.5.1"]);
    }
}
