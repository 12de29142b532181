//! `aws iam get-account-authorization-details` JSON: users, groups, roles and managed policies,
//! one page or several. Policy documents are parsed into the typed model here, once.

use super::{AccountCollector, AccountKey};
use crate::model::iam::{
    Attachment, Authorization, Group, InlinePolicy, ManagedPolicy, PageInfo, PolicyVersion, Role,
    RoleLastUsed, User,
};
use crate::primitives::error::InputError;
use crate::primitives::source::{FileRef, pointer_push};
use serde::Deserialize;
use serde::de::DeserializeOwned;

/// What a first, cheap pass learns about an authorization file.
#[derive(Debug, Clone, PartialEq)]
pub struct Sniffed {
    /// The account its entity ARNs name (none for a page of AWS-managed policies only).
    pub account: Option<AccountKey>,
    /// True when the file is one page of a paginated export (`IsTruncated` present).
    pub is_page: bool,
    /// Users + groups + roles + policies.
    pub entities: usize,
}

/// A fully parsed authorization file.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The entities, with documents parsed.
    pub authorization: Authorization,
    /// The account its ARNs name.
    pub account: Option<AccountKey>,
}

/// Reads only the entity ARNs and pagination keys (validating the JSON syntax as a whole).
pub fn sniff(text: &str, file: &FileRef) -> Result<Sniffed, InputError> {
    let raw: SniffExport = from_str(text, file)?;
    let mut accounts = AccountCollector::default();
    let lists: [(&str, &Vec<ArnOnly>); 4] = [
        ("UserDetailList", &raw.users),
        ("GroupDetailList", &raw.groups),
        ("RoleDetailList", &raw.roles),
        ("Policies", &raw.policies),
    ];
    let mut entities = 0;
    for (list, items) in lists {
        for (i, item) in items.iter().enumerate() {
            entities += 1;
            if let Some(arn) = &item.arn {
                accounts.see(&file.file, arn, &format!("/{list}/{i}/Arn"))?;
            }
        }
    }
    Ok(Sniffed {
        account: accounts.finish(),
        is_page: raw.is_truncated.is_some(),
        entities,
    })
}

/// Parses the whole file into the typed model.
pub fn parse(text: &str, file: &FileRef) -> Result<Parsed, InputError> {
    let raw: RawExport = from_str(text, file)?;
    let mut accounts = AccountCollector::default();
    for (list, arns) in [
        (
            "UserDetailList",
            raw.users.iter().map(|u| &u.arn).collect::<Vec<_>>(),
        ),
        (
            "GroupDetailList",
            raw.groups.iter().map(|g| &g.arn).collect(),
        ),
        ("RoleDetailList", raw.roles.iter().map(|r| &r.arn).collect()),
        ("Policies", raw.policies.iter().map(|p| &p.arn).collect()),
    ] {
        for (i, arn) in arns.into_iter().enumerate() {
            accounts.see(&file.file, arn, &format!("/{list}/{i}/Arn"))?;
        }
    }
    let account = accounts.finish();
    let conv = Converter {
        file,
        account: account.as_ref(),
    };
    let authorization = Authorization {
        users: raw
            .users
            .into_iter()
            .enumerate()
            .map(|(i, u)| conv.user(i, u))
            .collect::<Result<_, _>>()?,
        groups: raw
            .groups
            .into_iter()
            .enumerate()
            .map(|(i, g)| conv.group(i, g))
            .collect::<Result<_, _>>()?,
        roles: raw
            .roles
            .into_iter()
            .enumerate()
            .map(|(i, r)| conv.role(i, r))
            .collect::<Result<_, _>>()?,
        policies: raw
            .policies
            .into_iter()
            .enumerate()
            .map(|(i, p)| conv.policy(i, p))
            .collect::<Result<_, _>>()?,
        pages: vec![PageInfo {
            source: file.at(if raw.is_truncated.is_some() {
                "/IsTruncated"
            } else {
                ""
            }),
            is_truncated: raw.is_truncated,
        }],
    };
    Ok(Parsed {
        authorization,
        account,
    })
}

/// Deserializes, and on failure re-reads with path tracking so the error names the JSON path.
fn from_str<T: DeserializeOwned>(text: &str, file: &FileRef) -> Result<T, InputError> {
    serde_json::from_str(text).map_err(|e| {
        let mut de = serde_json::Deserializer::from_str(text);
        let pointer = match serde_path_to_error::deserialize::<_, T>(&mut de) {
            Err(pe) => path_to_pointer(pe.path()),
            Ok(_) => String::new(),
        };
        let location = if pointer.is_empty() {
            format!("line {}, column {}", e.line(), e.column())
        } else {
            format!("{pointer} (line {}, column {})", e.line(), e.column())
        };
        InputError::at(
            &file.file,
            location,
            format!("invalid authorization details JSON: {e}"),
        )
    })
}

/// Turns serde_path_to_error's path into a JSON Pointer `/A/B/3/C`, segment by segment (keys
/// may hold `.`, `[` or `]`, so its `A.B[3].C` text cannot be split back).
fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    path.iter()
        .fold(String::new(), |out, segment| match segment {
            Segment::Seq { index } => pointer_push(&out, index),
            Segment::Map { key } => pointer_push(&out, key),
            Segment::Enum { variant } => pointer_push(&out, variant),
            Segment::Unknown => pointer_push(&out, "?"),
        })
}

struct Converter<'a> {
    file: &'a FileRef,
    account: Option<&'a AccountKey>,
}

impl Converter<'_> {
    /// A document that is present but unparseable makes the export unreadable (never a pass).
    fn document(
        &self,
        value: &serde_json::Value,
        pointer: &str,
    ) -> Result<crate::policy::Policy, InputError> {
        crate::policy::parse_export_document(value, pointer)
            .map_err(|e| InputError::at(&self.file.file, e.pointer.clone(), e.message.clone()))
    }

    fn inline(
        &self,
        base: &str,
        list: &str,
        items: Vec<RawInline>,
    ) -> Result<Vec<InlinePolicy>, InputError> {
        items
            .into_iter()
            .enumerate()
            .map(|(i, p)| {
                let at = format!("{base}/{list}/{i}");
                Ok(InlinePolicy {
                    document: self.document(&p.policy_document, &format!("{at}/PolicyDocument"))?,
                    name: p.policy_name,
                    source: self.file.at(at),
                })
            })
            .collect()
    }

    fn canonical(&self, arn: &str) -> String {
        match (crate::primitives::arn::Arn::parse(arn), self.account) {
            (Some(a), Some(acct)) if a.account == "aws" && !a.resource.starts_with("policy/") => {
                format!(
                    "arn:{}:{}::{}:{}",
                    a.partition, a.service, acct.account, a.resource
                )
            }
            _ => arn.to_string(),
        }
    }

    fn user(&self, i: usize, u: RawUser) -> Result<User, InputError> {
        let base = format!("/UserDetailList/{i}");
        Ok(User {
            canonical_arn: self.canonical(&u.arn),
            name: u.user_name,
            arn: u.arn,
            groups: u.group_list,
            inline_policies: self.inline(&base, "UserPolicyList", u.user_policy_list)?,
            attached: attachments(u.attached_managed_policies),
            boundary: u
                .permissions_boundary
                .and_then(|b| b.permissions_boundary_arn),
            source: self.file.at(base),
        })
    }

    fn group(&self, i: usize, g: RawGroup) -> Result<Group, InputError> {
        let base = format!("/GroupDetailList/{i}");
        Ok(Group {
            name: g.group_name,
            arn: g.arn,
            inline_policies: self.inline(&base, "GroupPolicyList", g.group_policy_list)?,
            attached: attachments(g.attached_managed_policies),
            source: self.file.at(base),
        })
    }

    fn role(&self, i: usize, r: RawRole) -> Result<Role, InputError> {
        let base = format!("/RoleDetailList/{i}");
        let trust_policy = match &r.assume_role_policy_document {
            None | Some(serde_json::Value::Null) => None,
            Some(v) => Some(self.document(v, &format!("{base}/AssumeRolePolicyDocument"))?),
        };
        let last_used = match r.role_last_used {
            None => None,
            Some(used) => Some(RoleLastUsed {
                date: match used.last_used_date {
                    None => None,
                    Some(text) => {
                        Some(crate::primitives::timestamp::parse(&text).ok_or_else(|| {
                            InputError::at(
                                &self.file.file,
                                format!("{base}/RoleLastUsed/LastUsedDate"),
                                format!("expected a timestamp, found {text:?}"),
                            )
                        })?)
                    }
                },
                region: used.region,
            }),
        };
        Ok(Role {
            name: r.role_name,
            arn: r.arn,
            path: r.path.unwrap_or_else(|| "/".into()),
            trust_policy,
            inline_policies: self.inline(&base, "RolePolicyList", r.role_policy_list)?,
            attached: attachments(r.attached_managed_policies),
            boundary: r
                .permissions_boundary
                .and_then(|b| b.permissions_boundary_arn),
            last_used,
            source: self.file.at(base),
        })
    }

    fn policy(&self, i: usize, p: RawPolicy) -> Result<ManagedPolicy, InputError> {
        let base = format!("/Policies/{i}");
        let versions = p
            .policy_version_list
            .into_iter()
            .enumerate()
            .map(|(j, v)| {
                let at = format!("{base}/PolicyVersionList/{j}");
                let document = match &v.document {
                    None | Some(serde_json::Value::Null) => None,
                    Some(d) => Some(self.document(d, &format!("{at}/Document"))?),
                };
                Ok(PolicyVersion {
                    version_id: v.version_id.unwrap_or_default(),
                    is_default: v.is_default_version.unwrap_or(false),
                    document,
                    source: self.file.at(at),
                })
            })
            .collect::<Result<_, InputError>>()?;
        Ok(ManagedPolicy {
            name: p.policy_name,
            arn: p.arn,
            attachment_count: p.attachment_count.unwrap_or(0),
            default_version_id: p.default_version_id,
            versions,
            source: self.file.at(base),
        })
    }
}

fn attachments(raw: Vec<RawAttachment>) -> Vec<Attachment> {
    raw.into_iter()
        .map(|a| Attachment {
            name: a.policy_name.unwrap_or_else(|| {
                a.policy_arn
                    .rsplit('/')
                    .next()
                    .unwrap_or_default()
                    .to_string()
            }),
            arn: a.policy_arn,
        })
        .collect()
}

fn nullable<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

#[derive(Deserialize)]
struct ArnOnly {
    #[serde(rename = "Arn")]
    arn: Option<String>,
}

#[derive(Deserialize)]
struct SniffExport {
    #[serde(rename = "UserDetailList", default, deserialize_with = "nullable")]
    users: Vec<ArnOnly>,
    #[serde(rename = "GroupDetailList", default, deserialize_with = "nullable")]
    groups: Vec<ArnOnly>,
    #[serde(rename = "RoleDetailList", default, deserialize_with = "nullable")]
    roles: Vec<ArnOnly>,
    #[serde(rename = "Policies", default, deserialize_with = "nullable")]
    policies: Vec<ArnOnly>,
    #[serde(rename = "IsTruncated")]
    is_truncated: Option<bool>,
}

#[derive(Deserialize)]
struct RawExport {
    #[serde(rename = "UserDetailList", default, deserialize_with = "nullable")]
    users: Vec<RawUser>,
    #[serde(rename = "GroupDetailList", default, deserialize_with = "nullable")]
    groups: Vec<RawGroup>,
    #[serde(rename = "RoleDetailList", default, deserialize_with = "nullable")]
    roles: Vec<RawRole>,
    #[serde(rename = "Policies", default, deserialize_with = "nullable")]
    policies: Vec<RawPolicy>,
    #[serde(rename = "IsTruncated")]
    is_truncated: Option<bool>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawInline {
    policy_name: String,
    policy_document: serde_json::Value,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawAttachment {
    policy_name: Option<String>,
    policy_arn: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawBoundary {
    permissions_boundary_arn: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawUser {
    user_name: String,
    arn: String,
    #[serde(default, deserialize_with = "nullable")]
    group_list: Vec<String>,
    #[serde(default, deserialize_with = "nullable")]
    user_policy_list: Vec<RawInline>,
    #[serde(default, deserialize_with = "nullable")]
    attached_managed_policies: Vec<RawAttachment>,
    permissions_boundary: Option<RawBoundary>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawGroup {
    group_name: String,
    arn: String,
    #[serde(default, deserialize_with = "nullable")]
    group_policy_list: Vec<RawInline>,
    #[serde(default, deserialize_with = "nullable")]
    attached_managed_policies: Vec<RawAttachment>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawRole {
    role_name: String,
    arn: String,
    path: Option<String>,
    assume_role_policy_document: Option<serde_json::Value>,
    #[serde(default, deserialize_with = "nullable")]
    role_policy_list: Vec<RawInline>,
    #[serde(default, deserialize_with = "nullable")]
    attached_managed_policies: Vec<RawAttachment>,
    permissions_boundary: Option<RawBoundary>,
    role_last_used: Option<RawRoleLastUsed>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawRoleLastUsed {
    last_used_date: Option<String>,
    region: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawPolicy {
    policy_name: String,
    arn: String,
    attachment_count: Option<u64>,
    default_version_id: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    policy_version_list: Vec<RawVersion>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawVersion {
    document: Option<serde_json::Value>,
    version_id: Option<String>,
    is_default_version: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_location(text: &str) -> String {
        let file = FileRef {
            file: "a.json".into(),
            sha256: "x".into(),
        };
        parse(text, &file).unwrap_err().location
    }

    #[test]
    fn each_file_records_its_is_truncated_as_one_page() {
        let file = FileRef {
            file: "a.json".into(),
            sha256: "x".into(),
        };
        let paged = parse(r#"{"UserDetailList": [], "IsTruncated": true}"#, &file).unwrap();
        assert_eq!(
            paged.authorization.pages,
            vec![PageInfo {
                source: file.at("/IsTruncated"),
                is_truncated: Some(true),
            }]
        );
        let whole = parse(r#"{"UserDetailList": []}"#, &file).unwrap();
        assert_eq!(whole.authorization.pages[0].is_truncated, None);
        assert_eq!(whole.authorization.pages[0].source, file.at(""));
    }

    #[test]
    fn path_becomes_pointer() {
        assert_eq!(
            error_location(r#"{"RoleDetailList": [{"RoleName": 3}]}"#),
            "/RoleDetailList/0/RoleName (line 1, column 34)"
        );
    }

    #[test]
    fn keys_with_dots_and_brackets_stay_whole_in_the_pointer() {
        // A syntax error inside a document under the key `x[]]` once sliced past the key's end.
        let text = r#"{"UserDetailList":[{"UserName":"u","Arn":"a","UserPolicyList":[{"PolicyName":"p","PolicyDocument":{"x[]]": "#;
        assert!(
            error_location(text)
                .starts_with("/UserDetailList/0/UserPolicyList/0/PolicyDocument/x[]]"),
            "{}",
            error_location(text)
        );
        let text = r#"{"RoleDetailList":[{"RoleName":"r","Arn":"a","AssumeRolePolicyDocument":{"a.b/c": }"#;
        assert!(
            error_location(text).starts_with("/RoleDetailList/0/AssumeRolePolicyDocument/a.b~1c"),
            "{}",
            error_location(text)
        );
    }

    #[test]
    fn role_last_used_is_read_and_an_empty_object_is_no_recorded_use() {
        let file = FileRef {
            file: "a.json".into(),
            sha256: "x".into(),
        };
        let text = r#"{"RoleDetailList": [
            {"RoleName": "a", "Arn": "arn:aws:iam::111111111111:role/a",
             "RoleLastUsed": {"LastUsedDate": "2025-06-12T09:41:00+00:00", "Region": "us-east-1"}},
            {"RoleName": "b", "Arn": "arn:aws:iam::111111111111:role/b", "RoleLastUsed": {}},
            {"RoleName": "c", "Arn": "arn:aws:iam::111111111111:role/c"}]}"#;
        let roles = parse(text, &file).unwrap().authorization.roles;
        let a = roles[0].last_used.as_ref().unwrap();
        assert_eq!(
            a.date,
            crate::primitives::timestamp::parse("2025-06-12T09:41:00Z")
        );
        assert_eq!(a.region.as_deref(), Some("us-east-1"));
        assert_eq!(
            roles[1].last_used,
            Some(RoleLastUsed {
                date: None,
                region: None
            })
        );
        assert_eq!(roles[2].last_used, None);
        let bad = r#"{"RoleDetailList": [{"RoleName": "a", "Arn": "arn:aws:iam::111111111111:role/a",
            "RoleLastUsed": {"LastUsedDate": "yesterday"}}]}"#;
        let err = parse(bad, &file).unwrap_err();
        assert_eq!(err.location, "/RoleDetailList/0/RoleLastUsed/LastUsedDate");
    }
}
