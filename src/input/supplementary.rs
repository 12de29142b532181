//! Optional evidence exports: password policy (or its NoSuchEntity answer), virtual MFA
//! devices, account summary, and `organizations list-accounts`.

use super::org_list::{RawAccounts, RawList, Scalar};
use super::{AccountCollector, AccountKey};
use crate::model::supplementary::{
    AccountSummary, OrgAccount, OrgAccounts, OrgArn, PasswordPolicyEvidence, VirtualMfaDevice,
    VirtualMfaDevices, shared,
};
use crate::primitives::error::InputError;
use crate::primitives::source::FileRef;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Arc;

fn json(text: &str, file: &FileRef) -> Result<Value, InputError> {
    serde_json::from_str(text).map_err(|e| {
        InputError::at(
            &file.file,
            format!("line {}, column {}", e.line(), e.column()),
            format!("invalid JSON: {e}"),
        )
    })
}

fn as_u64(v: &Value) -> Option<u64> {
    v.as_u64()
        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
}

/// `{"PasswordPolicy": {...}}`.
pub fn password_policy(text: &str, file: &FileRef) -> Result<PasswordPolicyEvidence, InputError> {
    let v = json(text, file)?;
    let Some(policy) = v.get("PasswordPolicy").and_then(Value::as_object) else {
        return Err(InputError::at(
            &file.file,
            "/PasswordPolicy",
            "expected the password policy object",
        ));
    };
    let fields = policy
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                v.as_str().map_or_else(|| v.to_string(), str::to_string),
            )
        })
        .collect();
    Ok(PasswordPolicyEvidence::Set {
        minimum_length: policy.get("MinimumPasswordLength").and_then(as_u64),
        reuse_prevention: policy.get("PasswordReusePrevention").and_then(as_u64),
        fields,
        source: file.at("/PasswordPolicy"),
    })
}

/// The account named by a NoSuchEntity password-policy answer ("...domain name ACCOUNT...").
pub fn no_password_policy_account(message: &str) -> Option<String> {
    let after = message.split("domain name").nth(1)?;
    let id: String = after
        .trim_start()
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != '.')
        .collect();
    (!id.is_empty()).then_some(id)
}

/// True for the saved error object or CLI error text meaning "no password policy is set".
pub fn is_no_password_policy(text: &str) -> bool {
    if let Ok(v) = serde_json::from_str::<Value>(text) {
        let err = v.get("Error").unwrap_or(&Value::Null);
        let code = err.get("Code").and_then(Value::as_str).unwrap_or("");
        let msg = err.get("Message").and_then(Value::as_str).unwrap_or("");
        return code == "NoSuchEntity" && msg.contains("Password Policy");
    }
    text.contains("NoSuchEntity") && text.contains("GetAccountPasswordPolicy")
}

/// The message of a NoSuchEntity answer (JSON error object or CLI error text).
pub fn no_password_policy_message(text: &str) -> String {
    serde_json::from_str::<Value>(text)
        .ok()
        .and_then(|v| {
            v.pointer("/Error/Message")
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .unwrap_or_else(|| text.trim().to_string())
}

/// `aws iam list-virtual-mfa-devices`, with the account its ARNs name.
pub fn virtual_mfa(
    text: &str,
    file: &FileRef,
) -> Result<(VirtualMfaDevices, Option<AccountKey>), InputError> {
    let v = json(text, file)?;
    let Some(list) = v.get("VirtualMFADevices").and_then(Value::as_array) else {
        return Err(InputError::at(
            &file.file,
            "/VirtualMFADevices",
            "expected an array of devices",
        ));
    };
    let mut accounts = AccountCollector::default();
    let mut devices = Vec::new();
    for (i, d) in list.iter().enumerate() {
        let serial = d
            .get("SerialNumber")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        accounts.see(
            &file.file,
            &serial,
            &format!("/VirtualMFADevices/{i}/SerialNumber"),
        )?;
        let text_at = |pointer: &str| {
            d.pointer(pointer)
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        devices.push(VirtualMfaDevice {
            serial,
            user_arn: text_at("/User/Arn"),
            enable_date: text_at("/EnableDate"),
            source: file.at(format!("/VirtualMFADevices/{i}")),
        });
    }
    let more = |key: &str| {
        v.get(key)
            .is_some_and(|x| x.as_str().is_some_and(|t| !t.is_empty()))
    };
    let incomplete = v.get("IsTruncated").and_then(Value::as_bool) == Some(true)
        || more("NextToken")
        || more("Marker");
    Ok((
        VirtualMfaDevices {
            devices,
            incomplete,
            source: file.at("/VirtualMFADevices"),
        },
        accounts.finish(),
    ))
}

/// `aws iam get-account-summary`.
pub fn account_summary(text: &str, file: &FileRef) -> Result<AccountSummary, InputError> {
    let v = json(text, file)?;
    let Some(map) = v.get("SummaryMap").and_then(Value::as_object) else {
        return Err(InputError::at(
            &file.file,
            "/SummaryMap",
            "expected the SummaryMap object",
        ));
    };
    let values: BTreeMap<String, i64> = map
        .iter()
        .filter_map(|(k, v)| Some((k.clone(), v.as_i64()?)))
        .collect();
    Ok(AccountSummary {
        values,
        source: file.at("/SummaryMap"),
    })
}

/// `aws organizations list-accounts` (`State`, AWS's newer field, over `Status`), merged into
/// `into` (entries that disagree with what `into` holds are an error naming both files). The
/// file is read field by field ([`super::org_list`]), never as a whole JSON tree.
pub fn org_accounts(
    text: &str,
    file: &FileRef,
    into: &mut OrgAccounts,
) -> Result<usize, InputError> {
    let raw: RawList = serde_json::from_str(text).map_err(|e| {
        InputError::at(
            &file.file,
            format!("line {}, column {}", e.line(), e.column()),
            format!("invalid JSON: {e}"),
        )
    })?;
    let RawAccounts::List(mut list) = raw.accounts else {
        return Err(InputError::at(
            &file.file,
            "/Accounts",
            "expected an array of accounts",
        ));
    };
    let rows = list.len();
    let (mut states, mut prefixes): (Vec<Arc<str>>, Vec<Arc<str>>) = (Vec::new(), Vec::new());
    let mut entries = Vec::with_capacity(rows);
    let mut missing_id = None;
    for (i, a) in list.drain(..).enumerate() {
        let id = match a.id {
            Scalar::Text(s) => s,
            Scalar::Unsigned(n) => format!("{n:012}"),
            _ => {
                missing_id = Some(i);
                break;
            }
        };
        let state = a.state.into_text().or_else(|| a.status.into_text());
        entries.push(OrgAccount {
            state: state.map(|s| shared(&mut states, &s)),
            name: a.name.into_text().map(String::into_boxed_str),
            arn: a
                .arn
                .into_text()
                .map(|arn| OrgArn::of(arn, &id, &mut prefixes)),
            id: id.into_boxed_str(),
            file: 0,
            entry: u32::try_from(i).unwrap_or(u32::MAX),
        });
    }
    // The first entry (in file order) that lists an account again with another state, or
    // that has no Id, is the error.
    if let Some((first, again)) = first_disagreement(&entries) {
        return Err(InputError::at(
            &file.file,
            again.location(),
            format!(
                "account {} is listed again with another state ({} at {}, {} here)",
                again.id,
                first.state_label(),
                first.location(),
                again.state_label()
            ),
        ));
    }
    if let Some(i) = missing_id {
        return Err(InputError::at(
            &file.file,
            format!("/Accounts/{i}/Id"),
            "expected the account Id",
        ));
    }
    let has_last_page = matches!(raw.next_token, Scalar::Absent | Scalar::Null);
    let this = OrgAccounts::new(entries, vec![file.at("/Accounts")], has_last_page);
    into.merge(this)
        .map_err(|message| InputError::file(&file.file, message))?;
    Ok(rows)
}

/// The first entry, in file order, that lists an account of an earlier entry with another
/// state: (the earlier entry, the later one).
fn first_disagreement(entries: &[OrgAccount]) -> Option<(&OrgAccount, &OrgAccount)> {
    let mut order: Vec<&OrgAccount> = entries.iter().collect();
    order.sort_by(|a, b| a.id.cmp(&b.id).then(a.entry.cmp(&b.entry)));
    order
        .chunk_by(|a, b| a.id == b.id)
        .filter_map(|same| {
            let first = same[0];
            same[1..]
                .iter()
                .find(|e| e.state != first.state)
                .map(|e| (first, *e))
        })
        .min_by_key(|(_, again)| again.entry)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_from_no_such_entity_message() {
        let m = "The Password Policy with domain name 123456789012 cannot be found.";
        assert_eq!(
            no_password_policy_account(m).as_deref(),
            Some("123456789012")
        );
    }

    fn file() -> FileRef {
        FileRef {
            file: "mfa.json".into(),
            sha256: "0".repeat(64).into(),
        }
    }

    #[test]
    fn virtual_mfa_devices_keep_assignment_enable_date_and_pointer() {
        let text = r#"{"VirtualMFADevices": [
            {"SerialNumber": "arn:aws:iam::123456789012:mfa/root-account-mfa-device",
             "User": {"Arn": "arn:aws:iam::123456789012:root"}, "EnableDate": "2023-04-05T06:07:08+00:00"},
            {"SerialNumber": "arn:aws:iam::123456789012:mfa/spare"}]}"#;
        let (list, _) = virtual_mfa(text, &file()).unwrap();
        assert!(!list.incomplete);
        assert_eq!(list.devices.len(), 2);
        let root = &list.devices[0];
        assert_eq!(
            root.user_arn.as_deref(),
            Some("arn:aws:iam::123456789012:root")
        );
        assert_eq!(
            root.enable_date.as_deref(),
            Some("2023-04-05T06:07:08+00:00")
        );
        assert_eq!(root.source.location, "/VirtualMFADevices/0");
        assert!(root.is_assigned() && !list.devices[1].is_assigned());
    }

    #[test]
    fn virtual_mfa_list_with_more_pages_is_incomplete() {
        for tail in [
            r#""IsTruncated": true"#,
            r#""NextToken": "abc""#,
            r#""Marker": "abc""#,
        ] {
            let text = format!(r#"{{"VirtualMFADevices": [], {tail}}}"#);
            assert!(virtual_mfa(&text, &file()).unwrap().0.incomplete, "{tail}");
        }
        let text = r#"{"VirtualMFADevices": [], "IsTruncated": false}"#;
        assert!(!virtual_mfa(text, &file()).unwrap().0.incomplete);
    }

    #[test]
    fn org_list_reads_state_over_status_name_arn_and_the_entry_pointer() {
        let text = r#"{"Accounts": [
            {"Id": "111111111111", "Status": "ACTIVE", "State": "SUSPENDED", "Name": "a",
             "Arn": "arn:aws-cn:organizations::111111111111:account/o-x/111111111111"},
            {"Id": "222222222222", "Status": "ACTIVE"},
            {"Id": "333333333333"}], "NextToken": "abc"}"#;
        let mut org = OrgAccounts::default();
        assert_eq!(org_accounts(text, &file(), &mut org).unwrap(), 3);
        let a = org.get("111111111111").unwrap();
        assert_eq!(a.state.as_deref(), Some("SUSPENDED"));
        assert_eq!(a.name.as_deref(), Some("a"));
        assert_eq!(a.partition(), Some("aws-cn"));
        assert_eq!(org.source_of(a).location, "/Accounts/0");
        assert_eq!(org.name("111111111111"), Some("a"));
        assert!(org.get("222222222222").unwrap().is_active());
        assert!(org.get("333333333333").unwrap().is_active());
        assert!(org.incomplete, "a NextToken and no last page");
    }

    #[test]
    fn a_last_page_completes_a_list_and_disagreeing_files_are_refused_naming_both() {
        let mut org = OrgAccounts::default();
        let page1 =
            r#"{"Accounts": [{"Id": "111111111111", "State": "ACTIVE"}], "NextToken": "t"}"#;
        org_accounts(page1, &file(), &mut org).unwrap();
        let other = FileRef {
            file: "page2.json".into(),
            sha256: "1".repeat(64).into(),
        };
        let page2 = r#"{"Accounts": [{"Id": "222222222222", "State": "ACTIVE"}]}"#;
        org_accounts(page2, &other, &mut org).unwrap();
        assert!(!org.incomplete);
        assert_eq!(org.len(), 2);
        let second = org.get("222222222222").unwrap();
        assert_eq!(&*org.source_of(second).file, "page2.json");
        let third = FileRef {
            file: "again.json".into(),
            sha256: "2".repeat(64).into(),
        };
        let again = r#"{"Accounts": [{"Id": "111111111111", "State": "CLOSED"}]}"#;
        let e = org_accounts(again, &third, &mut org)
            .unwrap_err()
            .to_string();
        assert!(e.contains("mfa.json") && e.contains("again.json"), "{e}");
        assert!(e.contains("111111111111"), "{e}");
    }

    #[test]
    fn an_org_list_keeps_each_account_once_in_account_order_with_shared_states() {
        let text = r#"{"Accounts": [
            {"Id": "333333333333", "State": "ACTIVE", "Name": "c"},
            {"Id": 111111111111, "State": "ACTIVE"},
            {"Id": "333333333333", "State": "ACTIVE", "Name": "again"},
            {"Id": "000000000002", "Status": "SUSPENDED"}]}"#;
        let mut org = OrgAccounts::default();
        assert_eq!(org_accounts(text, &file(), &mut org).unwrap(), 4);
        let ids: Vec<&str> = org.entries().map(|e| &*e.id).collect();
        assert_eq!(ids, ["000000000002", "111111111111", "333333333333"]);
        assert_eq!(
            org.name("333333333333"),
            Some("c"),
            "the first entry is kept"
        );
        let first = org.get("333333333333").unwrap();
        assert_eq!(org.source_of(first).location, "/Accounts/0");
        let other = org.get("111111111111").unwrap();
        assert!(std::sync::Arc::ptr_eq(
            first.state.as_ref().unwrap(),
            other.state.as_ref().unwrap()
        ));
        assert!(!org.incomplete);
    }

    #[test]
    fn an_org_list_keeps_one_arn_prefix_and_gives_every_arn_back_whole() {
        let text = r#"{"Accounts": [
            {"Id": "111111111111", "Arn": "arn:aws-cn:organizations::999999999999:account/o-x/111111111111"},
            {"Id": "222222222222", "Arn": "arn:aws-cn:organizations::999999999999:account/o-x/222222222222"},
            {"Id": "333333333333", "Arn": "arn:aws-us-gov:organizations::999999999999:account/o-x/other"},
            {"Id": "444444444444", "Arn": "arn:x444444444444"}]}"#;
        let mut org = OrgAccounts::default();
        org_accounts(text, &file(), &mut org).unwrap();
        let arn = |id: &str| org.get(id).unwrap().full_arn().unwrap().into_owned();
        let partition = |id: &str| org.get(id).unwrap().partition();
        assert_eq!(
            arn("222222222222"),
            "arn:aws-cn:organizations::999999999999:account/o-x/222222222222"
        );
        assert_eq!(
            arn("333333333333"),
            "arn:aws-us-gov:organizations::999999999999:account/o-x/other"
        );
        assert_eq!(arn("444444444444"), "arn:x444444444444");
        assert_eq!(partition("111111111111"), Some("aws-cn"));
        assert_eq!(partition("333333333333"), Some("aws-us-gov"));
        assert_eq!(partition("444444444444"), Some("x444444444444"));
        let prefix = |id: &str| match org.get(id).unwrap().arn.clone() {
            Some(OrgArn::Prefix(p)) => p,
            other => panic!("{other:?}"),
        };
        assert!(std::sync::Arc::ptr_eq(
            &prefix("111111111111"),
            &prefix("222222222222")
        ));
    }

    #[test]
    fn the_first_bad_entry_in_file_order_is_the_error() {
        let mut org = OrgAccounts::default();
        let conflict_first = r#"{"Accounts": [
            {"Id": "222222222222", "State": "ACTIVE"},
            {"Id": "111111111111", "State": "ACTIVE"},
            {"Id": "111111111111", "State": "CLOSED"},
            {"Id": "222222222222", "State": "CLOSED"},
            {"Name": "no id"}]}"#;
        let e = org_accounts(conflict_first, &file(), &mut org).unwrap_err();
        assert_eq!(e.location, "/Accounts/2");
        assert!(e.message.contains("111111111111"), "{e}");
        assert!(e.message.contains("ACTIVE at /Accounts/1"), "{e}");
        let missing_first = r#"{"Accounts": [
            {"Id": "111111111111", "State": "ACTIVE"},
            {"Name": "no id"},
            {"Id": "111111111111", "State": "CLOSED"}]}"#;
        let e = org_accounts(missing_first, &file(), &mut org).unwrap_err();
        assert_eq!(e.location, "/Accounts/1/Id");
        let not_a_list = r#"{"Accounts": {"Id": "111111111111"}}"#;
        let e = org_accounts(not_a_list, &file(), &mut org).unwrap_err();
        assert_eq!(e.location, "/Accounts");
        assert!(org.is_empty() && !org.is_known());
    }
}
