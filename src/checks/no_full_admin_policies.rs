//! `no-full-admin-policies`: no customer managed or inline policy in use allows `*` on `*`.
//!
//! Population: customer managed policies with `AttachmentCount > 0` or listed in an entity's
//! `AttachedManagedPolicies` (default version), and every inline policy of a user, group or
//! role. A customer managed policy attached somewhere but absent from `Policies` is
//! NOT_DETERMINABLE. FAIL when an Allow statement's `Action` is or contains `*` (or `*:*`) and
//! its `Resource` is or contains `*`, with or without conditions. A permissions boundary is not
//! an attachment.

use std::collections::{BTreeMap, BTreeSet};

use super::helpers::policy_sources::{
    Index, default_document, inline_id, push_unique, statement_source,
};
use super::{CheckMeta, CheckResult, References, Severity, Status, CheckContext, Title};
use super::helpers::{result, require};
use crate::model::iam::{Attachment, InlinePolicy, ManagedPolicy, is_aws_managed_arn};
use crate::model::{Account, Authorization, ExportKind};
use crate::policy::{Policy, Statement};
use crate::primitives::source::SourceRef;

/// Metadata.
pub const META: CheckMeta = CheckMeta {
    id: "no-full-admin-policies",
    title: Title::fixed("No customer managed or inline policy allows full administrative privileges (\"*\" on \"*\")"),
    severity: Severity::High,
    severity_note: None,
    population: "customer managed policies in use (AttachmentCount > 0 or attached to a user, group or role; default \
                 version) and every inline policy of a user, group or role; one result per policy",
    rationale: "A policy that allows every action on every resource grants full administrative access, \
                including the power to change IAM itself. Least privilege means granting only what a task \
                needs; CIS and Security Hub flag any customer-authored policy with `\"Action\": \"*\"` on \
                `\"Resource\": \"*\"` (conditions do not make it least privilege).",
    remediation: "Replace the statement by the specific actions and resources the principals need (IAM Access \
                  Analyzer's policy generation can draft them from CloudTrail), or, where full administration is \
                  truly required, use the AWS managed `AdministratorAccess` on a small, MFA-protected role and \
                  detach the policy elsewhere (`aws iam detach-*-policy`, `aws iam delete-*-policy` for inline).",
    statuses: &[
        (
            Status::Pass,
            "no Allow statement grants Action `*` (or `*:*`) on Resource `*`",
        ),
        (
            Status::Fail,
            "an Allow statement grants Action `*` (or `*:*`) on Resource `*`, with or without conditions; the \
             reason quotes its Sid",
        ),
        (
            Status::NotDeterminable,
            "the policy is attached but its document (default version) is not in the export, or the account \
             has no authorization details export",
        ),
    ],
    references: References {
        cis_v1_4_to_v4: Some("1.16"),
        cis_v5: Some("1.15"),
        cis_v6: Some("2.15"),
        cis_v7: Some("2.14"),
        security_hub: Some("IAM.1"),
        config_rule: Some("iam-policy-no-statements-with-admin-access"),
        control_tower: None,
    },
    needs: &[ExportKind::AuthorizationDetails],
};

/// Tests every policy in use in the account.
pub fn run(cx: &CheckContext<'_>, out: &mut Vec<CheckResult>) {
    let account = cx.account;
    let Some(auth) = require::<Authorization>(&META, account, out) else {
        return;
    };
    let index = Index::new(auth);
    let attached_to = attachments(auth);
    let mut tested: BTreeSet<String> = BTreeSet::new();
    test_managed(account, &index, &attached_to, &mut tested, out);
    test_unexported(account, &index, &attached_to, &mut tested, out);
    test_inline(account, auth, &mut tested, out);
}

/// Customer managed policy ARN -> the entities that list it in AttachedManagedPolicies.
type Attachments<'a> = BTreeMap<&'a str, Vec<(String, &'a SourceRef)>>;

/// Attachment list by customer managed policy ARN: the entities that list it in
/// AttachedManagedPolicies (users, then groups, then roles), with their sources.
fn attachments(auth: &Authorization) -> Attachments<'_> {
    let mut attached_to: Attachments = BTreeMap::new();
    for u in &auth.users {
        collect(&mut attached_to, &u.attached, &u.arn, &u.source);
    }
    for g in &auth.groups {
        let entity = g.arn.clone();
        collect(&mut attached_to, &g.attached, &entity, &g.source);
    }
    for r in &auth.roles {
        let entity = r.arn.clone();
        collect(&mut attached_to, &r.attached, &entity, &r.source);
    }
    attached_to
}

/// Tests each customer managed policy of the export that is attached (by its count or a list).
fn test_managed(
    account: &Account,
    index: &Index<'_>,
    attached_to: &Attachments<'_>,
    tested: &mut BTreeSet<String>,
    out: &mut Vec<CheckResult>,
) {
    for policy in index.policies.values() {
        if policy.is_aws_managed() {
            continue;
        }
        let listed = attached_to.get(policy.arn.as_str());
        if policy.attachment_count == 0 && listed.is_none() {
            continue;
        }
        tested.insert(policy.arn.clone());
        out.push(judge_managed(
            account,
            policy,
            listed.map_or(&[][..], |v| v.as_slice()),
        ));
    }
}

/// NOT_DETERMINABLE for each attached customer managed policy whose document is not in the
/// export.
fn test_unexported(
    account: &Account,
    index: &Index<'_>,
    attached_to: &Attachments<'_>,
    tested: &mut BTreeSet<String>,
    out: &mut Vec<CheckResult>,
) {
    for (arn, entities) in attached_to {
        if index.policies.contains_key(arn) || !tested.insert(arn.to_string()) {
            continue;
        }
        let names: Vec<String> = entities.iter().map(|(e, _)| e.clone()).collect();
        let why = if crate::primitives::arn::Arn::parse(arn).is_some() {
            "is not in the export's Policies"
        } else {
            "has an ARN that does not parse"
        };
        let mut r = result(
            &META,
            account,
            *arn,
            Status::NotDeterminable,
            format!(
                "customer managed policy attached to {} {why}; its document cannot be evaluated",
                names.join(", ")
            ),
            entities.first().map(|(_, s)| (*s).clone()),
        );
        r.evidence = format!("policy={arn}; attached to: {}", names.join(", "));
        r.evidence_sources = entities.iter().skip(1).map(|(_, s)| (*s).clone()).collect();
        out.push(r);
    }
}

/// Tests each inline policy of users, then groups, then roles.
fn test_inline(
    account: &Account,
    auth: &Authorization,
    tested: &mut BTreeSet<String>,
    out: &mut Vec<CheckResult>,
) {
    for u in &auth.users {
        let entity = u.arn.clone();
        for p in &u.inline_policies {
            push_inline(account, tested, out, &entity, p);
        }
    }
    for g in &auth.groups {
        let entity = g.arn.clone();
        for p in &g.inline_policies {
            push_inline(account, tested, out, &entity, p);
        }
    }
    for r in &auth.roles {
        let entity = r.arn.clone();
        for p in &r.inline_policies {
            push_inline(account, tested, out, &entity, p);
        }
    }
}

fn collect<'a>(
    map: &mut BTreeMap<&'a str, Vec<(String, &'a SourceRef)>>,
    list: &'a [Attachment],
    entity: &str,
    source: &'a SourceRef,
) {
    for a in list {
        if !is_aws_managed_arn(&a.arn) {
            map.entry(a.arn.as_str())
                .or_default()
                .push((entity.to_string(), source));
        }
    }
}

/// Allow statements granting every action on every resource.
fn full_admin_statements(document: &Policy) -> Vec<&Statement> {
    document
        .statements
        .iter()
        .filter(|s| super::helpers::privilege::allows_all_on_all(s))
        .collect()
}

/// `Sid "FullAccess" allows Action ["*"] on Resource ["*", ...]` for each offending statement.
fn describe(statements: &[&Statement]) -> String {
    statements
        .iter()
        .map(|s| {
            let sid = match s.sid.as_deref() {
                Some(sid) if !sid.is_empty() => {
                    format!("Sid {}", serde_json::Value::String(sid.into()))
                }
                _ => "a statement with no Sid".to_string(),
            };
            let conditions = if s.conditions.is_empty() {
                String::new()
            } else {
                let c: Vec<String> = s.conditions.iter().map(|c| c.to_string()).collect();
                format!(
                    " (with conditions {}: full access whenever they hold)",
                    c.join(" and ")
                )
            };
            format!(
                "{sid} allows Action {} on Resource {}{conditions}",
                super::helpers::policy_sources::quoted_list(s.actions.patterns()),
                super::helpers::policy_sources::quoted_list(s.resources.patterns())
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn statement_lines(file: &SourceRef, statements: &[&Statement]) -> (Vec<String>, Vec<SourceRef>) {
    let lines = statements
        .iter()
        .map(|s| format!("statement Sid {}: {}", s.sid_label(), s.json))
        .collect();
    let sources = statements
        .iter()
        .map(|s| statement_source(file, s))
        .collect();
    (lines, sources)
}

/// The policy's first evidence line: name, ARN, attachment count and the entities listing it.
fn attachment_line(policy: &ManagedPolicy, listed: &[(String, &SourceRef)]) -> String {
    let entities: Vec<String> = listed.iter().map(|(e, _)| e.clone()).collect();
    format!(
        "policy={} ({}); AttachmentCount={}; attached to: {}",
        policy.name,
        policy.arn,
        policy.attachment_count,
        if entities.is_empty() {
            "(no entity in this export lists it)".to_string()
        } else {
            entities.join(", ")
        }
    )
}

fn judge_managed(
    account: &Account,
    policy: &ManagedPolicy,
    listed: &[(String, &SourceRef)],
) -> CheckResult {
    let mut evidence = vec![attachment_line(policy, listed)];
    let (document, version_source, version_id) = match default_document(policy) {
        Ok(found) => found,
        Err(gap) => {
            let mut r = result(
                &META,
                account,
                policy.arn.clone(),
                Status::NotDeterminable,
                format!("the policy is in use but {gap}: its document cannot be evaluated"),
                Some(policy.source.clone()),
            );
            r.evidence = evidence.join("\n");
            return r;
        }
    };
    evidence.push(format!("default version {version_id}"));
    let offending = full_admin_statements(document);
    let mut r = if offending.is_empty() {
        let mut r = result(
            &META,
            account,
            policy.arn.clone(),
            Status::Pass,
            format!(
                "no Allow statement grants Action \"*\" on Resource \"*\" (default version {version_id})"
            ),
            Some(version_source.clone()),
        );
        r.evidence_sources = vec![policy.source.clone()];
        r
    } else {
        let (lines, sources) = statement_lines(version_source, &offending);
        evidence.extend(lines);
        let mut r = result(
            &META,
            account,
            policy.arn.clone(),
            Status::Fail,
            format!(
                "full administrative access (default version {version_id}): {}",
                describe(&offending)
            ),
            sources.first().cloned(),
        );
        for s in sources.into_iter().skip(1) {
            push_unique(&mut r.evidence_sources, s, None);
        }
        push_unique(&mut r.evidence_sources, policy.source.clone(), None);
        r
    };
    r.evidence = evidence.join("\n");
    r
}

fn push_inline(
    account: &Account,
    tested: &mut BTreeSet<String>,
    out: &mut Vec<CheckResult>,
    entity: &str,
    policy: &InlinePolicy,
) {
    let id = inline_id(entity, &policy.name);
    if !tested.insert(id.clone()) {
        return;
    }
    let offending = full_admin_statements(&policy.document);
    let mut evidence = vec![format!("inline policy {} on {entity}", policy.name)];
    let r = if offending.is_empty() {
        result(
            &META,
            account,
            id,
            Status::Pass,
            "no Allow statement grants Action \"*\" on Resource \"*\"",
            Some(policy.source.clone()),
        )
    } else {
        let (lines, sources) = statement_lines(&policy.source, &offending);
        evidence.extend(lines);
        let mut r = result(
            &META,
            account,
            id,
            Status::Fail,
            format!("full administrative access: {}", describe(&offending)),
            sources.first().cloned(),
        );
        for s in sources.into_iter().skip(1) {
            push_unique(&mut r.evidence_sources, s, None);
        }
        push_unique(&mut r.evidence_sources, policy.source.clone(), None);
        r
    };
    let mut r = r;
    r.evidence = evidence.join("\n");
    out.push(r);
}
