//! Framework references: each framework's mapping is pinned by a fixture (a change to a mapping
//! is a visible diff), unknown names are usage errors, and the catalogue carries every reference
//! with its source.

use crate::common::raw;

const FRAMEWORKS: [&str; 9] = [
    "nist-800-53-r5",
    "fedramp-moderate",
    "nist-800-171-r2",
    "cmmc-2-l2",
    "pci-dss-4.0.1",
    "iso-27001-2022",
    "soc2-2017",
    "cis-v3.0",
    "cis-v6.0",
];

#[test]
fn each_frameworks_mapping_matches_its_pinned_fixture() {
    for name in FRAMEWORKS {
        let (code, stdout, stderr) = raw(&["checks", "--framework", name]);
        assert_eq!(code, 0, "{name}: {stderr}");
        let path = format!(
            "{}/tests/fixtures/frameworks/{name}.txt",
            env!("CARGO_MANIFEST_DIR")
        );
        let pinned = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            stdout, pinned,
            "the {name} mapping changed; if on purpose, regenerate the fixture with\n\n    \
             cargo run -- checks --framework {name} > tests/fixtures/frameworks/{name}.txt"
        );
    }
}

#[test]
fn unknown_framework_name_is_a_usage_error_listing_the_known_ones() {
    let (code, _, stderr) = raw(&["checks", "--framework", "nist-800-53"]);
    assert_eq!(code, 2, "{stderr}");
    for name in FRAMEWORKS {
        assert!(stderr.contains(name), "{stderr}");
    }
}

#[test]
fn the_json_catalogue_carries_every_reference_with_its_source() {
    let (code, stdout, _) = raw(&["checks", "--format", "json"]);
    assert_eq!(code, 0);
    let checks: Vec<serde_json::Value> = serde_json::from_str(&stdout).unwrap();
    let console = checks
        .iter()
        .find(|c| c["id"] == "console-user-mfa")
        .unwrap();
    let refs = console["frameworks"].as_array().unwrap();
    assert_eq!(refs.len(), FRAMEWORKS.len());
    let pci = refs
        .iter()
        .find(|r| r["framework"] == "pci-dss-4.0.1")
        .unwrap();
    assert_eq!(pci["source"], "iam-evidence mapping");
    assert_eq!(pci["controls"], serde_json::json!(["8.4.2"]));
    let nist = refs
        .iter()
        .find(|r| r["framework"] == "nist-800-53-r5")
        .unwrap();
    assert_eq!(nist["source"], "AWS conformance pack");
    assert!(
        nist["controls"]
            .as_array()
            .unwrap()
            .contains(&"IA-2(1)".into())
    );
    let cis = refs.iter().find(|r| r["framework"] == "cis-v6.0").unwrap();
    assert_eq!(cis["source"], "CIS Benchmark");
    assert_eq!(cis["controls"], serde_json::json!(["2.9"]));
}

#[test]
fn a_framework_listing_names_the_checks_its_source_does_not_map() {
    let (code, stdout, _) = raw(&[
        "checks",
        "--framework",
        "nist-800-53-r5",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let listing: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(listing["source"], "AWS conformance pack");
    let not_mapped = listing["not_mapped"].as_array().unwrap();
    assert!(
        not_mapped.contains(&"mfa-enforced-by-policy".into()),
        "{listing}"
    );
    let ia21 = listing["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "IA-2(1)")
        .unwrap();
    assert_eq!(
        ia21["checks"],
        serde_json::json!(["console-user-mfa", "root-mfa", "root-hardware-mfa"])
    );
}
