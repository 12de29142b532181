//! `expired-server-certificates`: no IAM server certificate has expired.
//!
//! One result per certificate of the account's `list-server-certificates` export: FAIL when
//! its `Expiration` is at or before the as-of instant. An account without the list gets one
//! MANUAL row asking for it; an exported empty list means no certificates and no row.

use super::helpers::{CheckContext, Clock, result};
use super::{CheckMeta, CheckResult, References, Severity, Status, Title};
use crate::model::{Account, ExportKind, ServerCertificate};
use crate::primitives::timestamp::{format_date, format_utc};

/// Metadata.
pub const META: CheckMeta = CheckMeta {
    id: "expired-server-certificates",
    title: Title::fixed("Expired IAM server certificates are removed"),
    severity: Severity::Medium,
    severity_note: None,
    population: "every server certificate in the account's `aws iam list-server-certificates` export; one \
                 result per certificate, and one MANUAL row per account without the list or without its \
                 last page",
    rationale: "An expired SSL/TLS certificate left in IAM can be deployed by mistake to a load balancer or \
                CloudFront, where clients reject it or are trained to click through warnings. CIS asks that \
                expired certificates be deleted.",
    remediation: "Delete the expired certificate (`aws iam delete-server-certificate \
                  --server-certificate-name NAME`) after confirming no load balancer or distribution still \
                  uses it; prefer AWS Certificate Manager, which renews certificates itself.",
    statuses: &[
        (
            Status::Pass,
            "the certificate's `Expiration` is after the as-of instant",
        ),
        (
            Status::Fail,
            "the certificate's `Expiration` is at or before the as-of instant",
        ),
        (
            Status::NotDeterminable,
            "the certificate has no `Expiration`, or the account has no as-of date",
        ),
        (
            Status::Manual,
            "no `list-server-certificates` export for the account, or its last page is missing",
        ),
    ],
    references: References {
        cis_v1_4_to_v4: Some("1.19"),
        cis_v5: Some("1.18"),
        cis_v6: Some("2.18"),
        cis_v7: None,
        security_hub: Some("IAM.26"),
        config_rule: Some("iam-server-certificate-expiration-check"),
        control_tower: None,
    },
    needs: &[ExportKind::ServerCertificates],
};

/// The command whose output the check reads.
const COMMAND: &str = "collect `aws iam list-server-certificates`";

/// Tests every certificate of the account's list.
pub fn run(cx: &CheckContext<'_>, out: &mut Vec<CheckResult>) {
    let account = cx.account;
    let Some(list) = &account.server_certificates else {
        out.push(result(
            &META,
            account,
            account.root_arn(),
            Status::Manual,
            format!(
                "{}: {COMMAND}",
                account.missing_reason(ExportKind::ServerCertificates)
            ),
            None,
        ));
        return;
    };
    let clock = Clock::of(account);
    for cert in &list.certificates {
        out.push(certificate(account, cert, clock.as_ref()));
    }
    if !list.complete {
        out.push(result(
            &META,
            account,
            account.root_arn(),
            Status::Manual,
            format!(
                "the last page of list-server-certificates is missing (every file read says IsTruncated \
                 or has a NextToken): {COMMAND} with every page"
            ),
            list.sources.last().cloned(),
        ));
    }
}

/// One certificate's row.
fn certificate(account: &Account, cert: &ServerCertificate, clock: Option<&Clock>) -> CheckResult {
    let (status, reason) = match (cert.expiration, clock) {
        (None, _) => (
            Status::NotDeterminable,
            format!("certificate {} has no Expiration in the list", cert.name),
        ),
        (Some(_), None) => (
            Status::NotDeterminable,
            "no as-of date: give --as-of".to_string(),
        ),
        (Some(expiration), Some(clock)) if expiration <= clock.instant => (
            Status::Fail,
            format!(
                "certificate {} expired {}, {}",
                cert.name,
                format_date(expiration),
                clock.age(expiration).phrase
            ),
        ),
        (Some(expiration), Some(_)) => (
            Status::Pass,
            format!(
                "certificate {} expires {}",
                cert.name,
                format_date(expiration)
            ),
        ),
    };
    let mut r = result(
        &META,
        account,
        cert.arn.clone(),
        status,
        reason,
        Some(cert.source.clone()),
    );
    r.evidence = format!(
        "UploadDate={}; Expiration={}",
        format_utc(cert.upload_date),
        cert.expiration.map_or("(none)".to_string(), format_utc)
    );
    if let Some(clock) = clock {
        r.evidence.push_str(&format!("; {}", clock.evidence));
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::{ACCOUNT, account, as_of_generated, run};
    use crate::model::ServerCertificates;
    use crate::primitives::asof::AsOf;
    use crate::primitives::source::FileRef;

    fn file() -> FileRef {
        FileRef {
            file: "certificates.json".into(),
            sha256: "2".repeat(64).into(),
        }
    }

    fn instant(text: &str) -> time::OffsetDateTime {
        crate::primitives::timestamp::parse(text).unwrap()
    }

    fn cert(i: usize, name: &str, expiration: Option<&str>) -> ServerCertificate {
        ServerCertificate {
            name: name.into(),
            arn: format!("arn:aws:iam::{ACCOUNT}:server-certificate/{name}"),
            upload_date: instant("2024-01-01T00:00:00Z"),
            expiration: expiration.map(instant),
            source: file().at(format!("/ServerCertificateMetadataList/{i}")),
        }
    }

    /// An account with as-of 2025-06-30T10:00:00Z and this certificate list.
    fn with_list(certificates: Vec<ServerCertificate>, complete: bool) -> Account {
        let mut a = account();
        a.as_of = as_of_generated("2025-06-30T10:00:00Z");
        a.server_certificates = Some(ServerCertificates {
            certificates,
            complete,
            sources: vec![file().at("/ServerCertificateMetadataList")],
        });
        a
    }

    fn one(a: &Account) -> CheckResult {
        let out = run(super::run, a);
        assert_eq!(out.len(), 1, "{out:?}");
        out.into_iter().next().unwrap()
    }

    #[test]
    fn a_certificate_expired_before_the_as_of_fails_with_its_age() {
        let r = one(&with_list(
            vec![cert(0, "web", Some("2025-01-02T00:00:00Z"))],
            true,
        ));
        assert_eq!(r.status, Status::Fail);
        assert_eq!(
            r.reason,
            "certificate web expired 2025-01-02, 179 days before as-of 2025-06-30T10:00:00Z"
        );
        assert_eq!(r.resource_arn, format!("arn:aws:iam::{ACCOUNT}:server-certificate/web"));
        assert_eq!(r.credential, None);
        assert_eq!(r.severity, Severity::Medium);
        assert_eq!(
            r.source.unwrap().location,
            "/ServerCertificateMetadataList/0"
        );
        assert_eq!(
            r.evidence,
            "UploadDate=2024-01-01T00:00:00Z; Expiration=2025-01-02T00:00:00Z; \
             as_of=2025-06-30T10:00:00Z (credential report GeneratedTime)"
        );
    }

    #[test]
    fn expiring_exactly_at_the_as_of_instant_fails_and_one_second_after_passes() {
        let r = one(&with_list(
            vec![cert(0, "web", Some("2025-06-30T10:00:00Z"))],
            true,
        ));
        assert_eq!(r.status, Status::Fail);
        assert!(
            r.reason.starts_with("certificate web expired 2025-06-30, 0 days before as-of"),
            "{}",
            r.reason
        );
        let r = one(&with_list(
            vec![cert(0, "web", Some("2025-06-30T10:00:01Z"))],
            true,
        ));
        assert_eq!(r.status, Status::Pass);
        assert_eq!(r.reason, "certificate web expires 2025-06-30");
    }

    #[test]
    fn with_as_of_option_a_certificate_expiring_that_day_has_expired() {
        let mut a = with_list(vec![cert(0, "web", Some("2025-06-30T23:59:59Z"))], true);
        a.as_of = crate::checks::testing::as_of_option("2025-06-30");
        let r = one(&a);
        assert_eq!(r.status, Status::Fail);
        assert_eq!(
            r.reason,
            "certificate web expired 2025-06-30, 0 days before as-of 2025-06-30"
        );
    }

    #[test]
    fn a_valid_certificate_passes_stating_its_expiry() {
        let r = one(&with_list(
            vec![cert(0, "web", Some("2026-03-01T12:00:00Z"))],
            true,
        ));
        assert_eq!(r.status, Status::Pass);
        assert_eq!(r.reason, "certificate web expires 2026-03-01");
    }

    #[test]
    fn one_row_per_certificate_in_list_order() {
        let out = run(
            super::run,
            &with_list(
                vec![
                    cert(0, "web", Some("2025-01-02T00:00:00Z")),
                    cert(1, "api", Some("2026-03-01T00:00:00Z")),
                ],
                true,
            ),
        );
        let rows: Vec<(&str, Status)> = out
            .iter()
            .map(|r| (r.resource_arn.rsplit('/').next().unwrap(), r.status))
            .collect();
        assert_eq!(rows, [("web", Status::Fail), ("api", Status::Pass)]);
    }

    #[test]
    fn a_certificate_without_expiration_is_not_determinable() {
        let r = one(&with_list(vec![cert(0, "web", None)], true));
        assert_eq!(r.status, Status::NotDeterminable);
        assert_eq!(r.reason, "certificate web has no Expiration in the list");
        assert!(r.evidence.contains("Expiration=(none)"), "{}", r.evidence);
    }

    #[test]
    fn no_as_of_makes_certificate_rows_not_determinable() {
        let mut a = with_list(vec![cert(0, "web", Some("2020-01-01T00:00:00Z"))], true);
        a.as_of = AsOf::choose(None, None, None);
        let r = one(&a);
        assert_eq!(r.status, Status::NotDeterminable);
        assert_eq!(r.reason, "no as-of date: give --as-of");
        assert_eq!(r.resource_arn, format!("arn:aws:iam::{ACCOUNT}:server-certificate/web"));
    }

    #[test]
    fn no_certificate_list_is_one_manual_account_row() {
        let r = one(&account());
        assert_eq!(r.status, Status::Manual);
        assert_eq!(
            r.reason,
            "no server certificate list for this account in the inputs: collect `aws iam \
             list-server-certificates`"
        );
        assert_eq!(r.resource_arn, format!("arn:aws:iam::{ACCOUNT}:root"));
        assert_eq!(r.credential, None);
        assert_eq!(r.source, None);
    }

    #[test]
    fn an_exported_empty_list_means_no_certificates_and_no_row() {
        let out = run(super::run, &with_list(Vec::new(), true));
        assert!(out.is_empty(), "{out:?}");
    }

    #[test]
    fn a_truncated_list_gives_rows_for_what_was_read_and_one_manual_row() {
        let out = run(
            super::run,
            &with_list(vec![cert(0, "web", Some("2025-01-02T00:00:00Z"))], false),
        );
        assert_eq!(out.len(), 2, "{out:?}");
        assert_eq!(out[0].status, Status::Fail);
        let manual = &out[1];
        assert_eq!(manual.status, Status::Manual);
        assert_eq!(manual.resource_arn, format!("arn:aws:iam::{ACCOUNT}:root"));
        assert_eq!(manual.credential, None);
        assert!(
            manual
                .reason
                .starts_with("the last page of list-server-certificates is missing"),
            "{}",
            manual.reason
        );
        assert_eq!(
            manual.source.as_ref().unwrap().location,
            "/ServerCertificateMetadataList"
        );
        let empty = run(super::run, &with_list(Vec::new(), false));
        assert_eq!(
            empty.iter().map(|r| r.status).collect::<Vec<_>>(),
            [Status::Manual],
            "an empty first page is still incomplete"
        );
    }
}
