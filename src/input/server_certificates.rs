//! `aws iam list-server-certificates`, whole or one page (`IsTruncated`/`Marker`), with the
//! account its certificates' ARNs name.

use super::{AccountCollector, AccountKey};
use crate::model::server_certificates::{ServerCertificate, ServerCertificates};
use crate::primitives::error::InputError;
use crate::primitives::source::FileRef;
use serde_json::Value;

/// The list's key, which recognizes the file.
pub const LIST_KEY: &str = "ServerCertificateMetadataList";

/// Reads one file of the list: its certificates (complete when it is a last page) and the
/// account their ARNs name (none for an empty list). A missing or malformed field is an error
/// naming its JSON Pointer.
pub fn parse(
    text: &str,
    file: &FileRef,
) -> Result<(ServerCertificates, Option<AccountKey>), InputError> {
    let v: Value = serde_json::from_str(text).map_err(|e| {
        InputError::at(
            &file.file,
            format!("line {}, column {}", e.line(), e.column()),
            format!("invalid JSON: {e}"),
        )
    })?;
    let list_pointer = format!("/{LIST_KEY}");
    let Some(list) = v.get(LIST_KEY).and_then(Value::as_array) else {
        return Err(InputError::at(
            &file.file,
            &list_pointer,
            "expected an array of server certificates",
        ));
    };
    let mut accounts = AccountCollector::default();
    let mut certificates = Vec::with_capacity(list.len());
    for (i, entry) in list.iter().enumerate() {
        let at = format!("{list_pointer}/{i}");
        let cert = certificate(entry, &at, file)?;
        accounts.see(&file.file, &cert.arn, &format!("{at}/Arn"))?;
        certificates.push(cert);
    }
    let truncated = v.get("IsTruncated").and_then(Value::as_bool) == Some(true);
    let complete = !truncated && v.get("NextToken").is_none();
    Ok((
        ServerCertificates {
            certificates,
            complete,
            sources: vec![file.at(list_pointer)],
        },
        accounts.finish(),
    ))
}

/// One entry: name, ARN (which must parse), upload date and expiration (absent or null:
/// none).
fn certificate(entry: &Value, at: &str, file: &FileRef) -> Result<ServerCertificate, InputError> {
    let text = |key: &str| -> Result<String, InputError> {
        entry
            .get(key)
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| InputError::at(&file.file, format!("{at}/{key}"), "expected a string"))
    };
    let date = |key: &str| -> Result<time::OffsetDateTime, InputError> {
        let value = text(key)?;
        crate::primitives::timestamp::parse(&value).ok_or_else(|| {
            InputError::at(
                &file.file,
                format!("{at}/{key}"),
                format!("expected an ISO 8601 timestamp, found '{value}'"),
            )
        })
    };
    let arn = text("Arn")?;
    if crate::primitives::arn::Arn::parse(&arn).is_none() {
        return Err(InputError::at(
            &file.file,
            format!("{at}/Arn"),
            format!("expected an ARN, found '{arn}'"),
        ));
    }
    Ok(ServerCertificate {
        name: text("ServerCertificateName")?,
        arn,
        upload_date: date("UploadDate")?,
        expiration: match entry.get("Expiration") {
            None | Some(Value::Null) => None,
            Some(_) => Some(date("Expiration")?),
        },
        source: file.at(at),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::classify::{Classified, FileKind, classify};

    fn file(name: &str) -> FileRef {
        FileRef {
            file: name.into(),
            sha256: "00".into(),
        }
    }

    fn entry(name: &str, account: &str, upload: &str, expiration: &str) -> String {
        format!(
            r#"{{"Path": "/", "ServerCertificateName": "{name}", "ServerCertificateId": "ASCA{name}",
                "Arn": "arn:aws:iam::{account}:server-certificate/{name}",
                "UploadDate": "{upload}", "Expiration": "{expiration}"}}"#
        )
    }

    fn list(entries: &[String], tail: &str) -> String {
        format!(
            r#"{{"ServerCertificateMetadataList": [{}]{tail}}}"#,
            entries.join(",")
        )
    }

    fn at(text: &str) -> time::OffsetDateTime {
        crate::primitives::timestamp::parse(text).unwrap()
    }

    #[test]
    fn recognized_by_its_first_key() {
        let text = list(&[], "");
        assert_eq!(
            classify(text.as_bytes()),
            Classified::Export(FileKind::ServerCertificates)
        );
    }

    #[test]
    fn a_whole_list_gives_each_certificate_its_dates_pointer_and_the_account() {
        let text = list(
            &[
                entry(
                    "web",
                    "123456789012",
                    "2023-01-02T03:04:05Z",
                    "2026-01-02T03:04:05+00:00",
                ),
                entry(
                    "api",
                    "123456789012",
                    "2012-05-08 01:02:03.004000+00:00",
                    "2024-06-01T00:00:00.123Z",
                ),
            ],
            "",
        );
        let (certs, account) = parse(&text, &file("certs.json")).unwrap();
        let account = account.unwrap();
        assert_eq!(
            (account.partition.as_str(), account.account.as_str()),
            ("aws", "123456789012")
        );
        assert!(certs.complete);
        assert_eq!(certs.sources[0].location, "/ServerCertificateMetadataList");
        let api = &certs.certificates[1];
        assert_eq!(api.name, "api");
        assert_eq!(api.arn, "arn:aws:iam::123456789012:server-certificate/api");
        assert_eq!(api.upload_date, at("2012-05-08T01:02:03.004Z"));
        assert_eq!(api.expiration, Some(at("2024-06-01T00:00:00.123Z")));
        assert_eq!(api.source.location, "/ServerCertificateMetadataList/1");
        assert_eq!(
            certs.certificates[0].upload_date,
            at("2023-01-02T03:04:05Z")
        );
    }

    #[test]
    fn an_empty_list_names_no_account_and_is_complete() {
        let (certs, account) = parse(&list(&[], ""), &file("certs.json")).unwrap();
        assert!(account.is_none());
        assert!(certs.complete && certs.certificates.is_empty());
    }

    #[test]
    fn pages_merge_by_arn_and_are_complete_once_a_last_page_is_read() {
        let web = entry(
            "web",
            "123456789012",
            "2023-01-02T03:04:05Z",
            "2026-01-02T03:04:05Z",
        );
        let api = entry(
            "api",
            "123456789012",
            "2023-01-02T03:04:05Z",
            "2026-01-02T03:04:05Z",
        );
        let first = list(
            std::slice::from_ref(&web),
            r#", "IsTruncated": true, "Marker": "abc""#,
        );
        let (mut merged, _) = parse(&first, &file("page-1.json")).unwrap();
        assert!(
            !merged.complete,
            "a page with IsTruncated: true is not the last"
        );
        let (next, _) = parse(
            &list(&[web, api], r#", "IsTruncated": false"#),
            &file("page-2.json"),
        )
        .unwrap();
        merged.merge(next).unwrap();
        assert!(merged.complete);
        let names: Vec<&str> = merged
            .certificates
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        assert_eq!(names, ["web", "api"], "the repeated entry counts once");
        assert_eq!(merged.sources.len(), 2);
        assert_eq!(&*merged.certificates[0].source.file, "page-1.json");
    }

    #[test]
    fn a_next_token_means_more_pages() {
        let text = list(&[], r#", "NextToken": "abc""#);
        assert!(!parse(&text, &file("certs.json")).unwrap().0.complete);
    }

    #[test]
    fn two_entries_of_one_arn_that_differ_are_an_error_naming_both() {
        let (mut merged, _) = parse(
            &list(
                &[entry(
                    "web",
                    "123456789012",
                    "2023-01-02T03:04:05Z",
                    "2026-01-02T03:04:05Z",
                )],
                "",
            ),
            &file("a.json"),
        )
        .unwrap();
        let (other, _) = parse(
            &list(
                &[entry(
                    "web",
                    "123456789012",
                    "2023-01-02T03:04:05Z",
                    "2027-01-02T03:04:05Z",
                )],
                "",
            ),
            &file("b.json"),
        )
        .unwrap();
        let err = merged.merge(other).unwrap_err();
        assert_eq!(err.location, "/ServerCertificateMetadataList/0");
        assert!(
            err.to_string().contains("b.json") && err.message.contains("a.json"),
            "{err}"
        );
    }

    #[test]
    fn a_bad_date_is_an_error_naming_its_pointer() {
        let text = list(
            &[
                entry(
                    "web",
                    "123456789012",
                    "2023-01-02T03:04:05Z",
                    "2026-01-02T03:04:05Z",
                ),
                entry("api", "123456789012", "2023-01-02T03:04:05Z", "next year"),
            ],
            "",
        );
        let err = parse(&text, &file("certs.json")).unwrap_err();
        assert_eq!(err.location, "/ServerCertificateMetadataList/1/Expiration");
        assert!(err.message.contains("'next year'"), "{err}");
    }

    #[test]
    fn an_entry_without_expiration_has_none() {
        let text = r#"{"ServerCertificateMetadataList": [
            {"ServerCertificateName": "web", "Arn": "arn:aws:iam::123456789012:server-certificate/web",
             "UploadDate": "2023-01-02T03:04:05Z"},
            {"ServerCertificateName": "api", "Arn": "arn:aws:iam::123456789012:server-certificate/api",
             "UploadDate": "2023-01-02T03:04:05Z", "Expiration": null}]}"#;
        let (certs, _) = parse(text, &file("certs.json")).unwrap();
        assert_eq!(certs.certificates[0].expiration, None);
        assert_eq!(certs.certificates[1].expiration, None);
    }

    #[test]
    fn an_expiration_that_is_not_a_string_is_an_error_naming_its_pointer() {
        let text = r#"{"ServerCertificateMetadataList": [
            {"ServerCertificateName": "web", "Arn": "arn:aws:iam::123456789012:server-certificate/web",
             "UploadDate": "2023-01-02T03:04:05Z", "Expiration": 5}]}"#;
        let err = parse(text, &file("certs.json")).unwrap_err();
        assert_eq!(err.location, "/ServerCertificateMetadataList/0/Expiration");
    }

    #[test]
    fn a_missing_arn_or_a_list_that_is_not_an_array_is_an_error() {
        let text = r#"{"ServerCertificateMetadataList": [{"ServerCertificateName": "web"}]}"#;
        let err = parse(text, &file("certs.json")).unwrap_err();
        assert_eq!(err.location, "/ServerCertificateMetadataList/0/Arn");
        let err = parse(r#"{"ServerCertificateMetadataList": {}}"#, &file("c.json")).unwrap_err();
        assert_eq!(err.location, "/ServerCertificateMetadataList");
    }

    #[test]
    fn certificates_of_two_accounts_in_one_file_are_an_error() {
        let text = list(
            &[
                entry(
                    "web",
                    "123456789012",
                    "2023-01-02T03:04:05Z",
                    "2026-01-02T03:04:05Z",
                ),
                entry(
                    "api",
                    "222222222222",
                    "2023-01-02T03:04:05Z",
                    "2026-01-02T03:04:05Z",
                ),
            ],
            "",
        );
        let err = parse(&text, &file("certs.json")).unwrap_err();
        assert_eq!(err.location, "/ServerCertificateMetadataList/1/Arn");
    }
}
