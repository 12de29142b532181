//! `mfa-enforced-by-policy`: each IAM user's policies deny (almost) everything without MFA.
//!
//! For each user, the policies that apply (user inline, user-attached managed, each group's
//! inline and attached, the permissions boundary) are searched for Deny statements that test
//! an MFA key. Each is asked, per SPEC "Decisions on edge cases", whether it applies in K
//! (long-term access keys) and in S (a session without MFA), whether it covers all actions
//! (or only the allowed self-service exemptions) and all resources. Denies combine: one
//! covering K and another covering S is enforcement. Precedence: PASS > NOT_DETERMINABLE (a
//! missing document could complete it) > PARTIAL (a control with a named gap) > FAIL.

use std::collections::BTreeSet;

use super::helpers::policy_sources::{
    Index, RoutedDocument, UserPolicies, push_unique, quoted_list, user_policies,
};
use super::{CheckMeta, CheckResult, References, Severity, Status, CheckContext, Title};
use super::helpers::{result, require};
use crate::model::iam::User;
use crate::model::{Account, ExportKind, Authorization};
use crate::policy::{
    ActionSpec, Applicability, BaseOperator, Condition, Context, MFA_PRESENT_KEY, ResourceSpec,
    Statement, Truth, evaluate_condition, statement_applies,
};
use crate::primitives::source::SourceRef;

/// Metadata.
pub const META: CheckMeta = CheckMeta {
    id: "mfa-enforced-by-policy",
    title: Title::fixed("IAM policies deny access without MFA"),
    severity: Severity::Medium,
    severity_note: None,
    population: "every IAM user of the authorization details export (and users only in the credential report, \
                 as NOT_DETERMINABLE); one result per user",
    rationale: "An MFA device that is enrolled but not required protects nothing: a stolen password or access key \
                still works. A Deny on all actions unless `aws:MultiFactorAuthPresent` is true makes MFA \
                mandatory. It must cover both long-term access keys (where the MFA key is absent, so `BoolIfExists` \
                or `Null` is needed) and console or temporary sessions without MFA.",
    remediation: "Attach to every user, directly or through a group all users are in, a policy with a Deny of all \
                  actions (`\"NotAction\"` may exempt only MFA and password self-service such as \
                  `iam:CreateVirtualMFADevice`, `iam:EnableMFADevice`, `iam:ChangePassword`, `sts:GetSessionToken`) \
                  on `\"Resource\": \"*\"` under `\"BoolIfExists\": {\"aws:MultiFactorAuthPresent\": \"false\"}`, with \
                  no other condition. Replace `Bool` by `BoolIfExists`; remove wildcard or service-wide exemptions \
                  and narrowing conditions.",
    statuses: &[
        (
            Status::Pass,
            "Deny statements in the user's policies together deny all actions (or all but MFA/password \
             self-service) on all resources, both for long-term access keys and for sessions without MFA",
        ),
        (
            Status::Partial,
            "an MFA Deny exists with a named gap: `Bool` instead of `BoolIfExists` (long-term keys not covered), \
             a NotAction exemption beyond self-service or a wildcard, only some actions, a Resource other than \
             `*`, or a narrowing condition",
        ),
        (
            Status::Fail,
            "no Deny statement in the user's policies requires MFA (SCPs and RCPs, not in the inputs, could \
             still enforce it organization-wide)",
        ),
        (
            Status::NotDeterminable,
            "a policy, group or permissions boundary on the user's route is missing from the export and could \
             complete the control; or the user is not in the authorization details export; or the account has \
             no authorization details export",
        ),
    ],
    references: References::NONE,
    needs: &[ExportKind::AuthorizationDetails],
};

/// `NotAction` exemptions that leave the control whole (SPEC, compared case-insensitively).
pub const ALLOWED_EXEMPTIONS: [&str; 20] = [
    "iam:CreateVirtualMFADevice",
    "iam:DeleteVirtualMFADevice",
    "iam:EnableMFADevice",
    "iam:ResyncMFADevice",
    "iam:GetMFADevice",
    "iam:ListMFADevices",
    "iam:ListVirtualMFADevices",
    "iam:GetUser",
    "iam:ListUsers",
    "iam:ChangePassword",
    "iam:GetAccountPasswordPolicy",
    "iam:CreateLoginProfile",
    "iam:GetLoginProfile",
    "iam:ListAccountAliases",
    "iam:GetAccountSummary",
    "iam:UpdateLoginProfile",
    "iam:ListAccessKeys",
    "iam:ListSSHPublicKeys",
    "iam:ListServiceSpecificCredentials",
    "sts:GetSessionToken",
];

const SCP_NOTE: &str = "service and resource control policies (SCPs, RCPs) are not in the inputs \
                        and could enforce MFA organization-wide";

/// Tests every user of the account.
pub fn run(cx: &CheckContext<'_>, out: &mut Vec<CheckResult>) {
    let account = cx.account;
    let Some(auth) = require::<Authorization>(&META, account, out) else {
        return;
    };
    let index = Index::new(auth);
    let mut known: BTreeSet<&str> = BTreeSet::new();
    let mut tested: BTreeSet<&str> = BTreeSet::new();
    for user in &auth.users {
        known.insert(&user.arn);
        known.insert(&user.canonical_arn);
        if tested.insert(&user.canonical_arn) {
            out.push(judge(account, &index, user));
        }
    }
    if let Some(report) = &account.credential_report {
        for entry in &report.users {
            if !known.contains(entry.arn()) {
                out.push(result(
                    &META,
                    account,
                    entry.arn(),
                    Status::NotDeterminable,
                    "user not in the authorization details export (created after it was generated, or a \
                     different export date); the policies that apply to the user are unknown",
                    Some(entry.first().source.clone()),
                ));
            }
        }
    }
}

/// One MFA Deny statement and what it leaves out.
struct Candidate<'d, 'a> {
    doc: &'d RoutedDocument<'a>,
    statement: &'a Statement,
    /// Gaps in what it covers (actions, resources), independent of the request context.
    coverage_gaps: Vec<String>,
    k: Applicability,
    s: Applicability,
}

impl Candidate<'_, '_> {
    fn applicability(&self, context: Context) -> &Applicability {
        if context == Context::K {
            &self.k
        } else {
            &self.s
        }
    }

    /// True when it denies everything it must in `context`, unconditionally.
    fn full_in(&self, context: Context) -> bool {
        self.coverage_gaps.is_empty() && self.applicability(context).is_always()
    }

    /// `policy NAME (ID, ROUTE), Sid SID`.
    fn label(&self) -> String {
        format!("{}, Sid {}", self.doc.label(), self.statement.sid_label())
    }

    fn source(&self) -> SourceRef {
        self.doc.statement_source(self.statement)
    }

    /// Every gap: coverage, then each context.
    fn gaps(&self) -> Vec<String> {
        let mut gaps = self.coverage_gaps.clone();
        match (&self.k, &self.s) {
            (Applicability::Narrowed(a), Applicability::Narrowed(b)) if a == b => {
                gaps.push(format!("applies only when {}", join_narrowing(a)));
            }
            _ => {
                for context in Context::WITHOUT_MFA {
                    if let Some(gap) =
                        context_gap(self.statement, context, self.applicability(context))
                    {
                        gaps.push(gap);
                    }
                }
            }
        }
        gaps
    }

    fn describe_with_gaps(&self) -> String {
        format!("{}: {}", self.label(), self.gaps().join("; "))
    }
}

fn join_narrowing(conditions: &[crate::policy::NarrowingCondition]) -> String {
    conditions
        .iter()
        .map(|c| c.to_string())
        .collect::<Vec<_>>()
        .join(" and ")
}

/// What a statement leaves out in one context, or `None` when it applies there always.
fn context_gap(statement: &Statement, context: Context, applies: &Applicability) -> Option<String> {
    match applies {
        Applicability::Always => None,
        Applicability::Narrowed(conditions) => Some(format!(
            "applies to {} only when {}",
            context.description(),
            join_narrowing(conditions)
        )),
        Applicability::Never => {
            let blocking: Vec<&Condition> = statement
                .conditions
                .iter()
                .filter(|c| evaluate_condition(c, context) == Truth::False)
                .collect();
            // A naming aid only; the verdict came from evaluating the condition in K.
            let hint = if context == Context::K
                && blocking.iter().any(|c| {
                    c.key.is(MFA_PRESENT_KEY)
                        && c.operator.base == BaseOperator::Bool
                        && !c.operator.if_exists
                }) {
                " (Bool instead of BoolIfExists: the key is absent for long-term access keys)"
            } else {
                ""
            };
            let blocking: Vec<String> = blocking.iter().map(|c| c.to_string()).collect();
            Some(format!(
                "does not apply to {}: {} cannot hold there{hint}",
                context.description(),
                blocking.join(" and ")
            ))
        }
    }
}

/// Gaps in the actions and resources a Deny covers.
fn coverage_gaps(statement: &Statement) -> Vec<String> {
    let mut gaps = Vec::new();
    match &statement.actions {
        ActionSpec::Action(patterns) => {
            if !statement.actions.covers_all_actions() {
                gaps.push(format!(
                    "denies only {} (not all actions)",
                    quoted_list(patterns)
                ));
            }
        }
        ActionSpec::NotAction(patterns) => {
            let beyond: Vec<String> = patterns
                .iter()
                .filter(|p| !ALLOWED_EXEMPTIONS.iter().any(|a| a.eq_ignore_ascii_case(p)))
                .map(|p| {
                    let q = serde_json::Value::String(p.clone()).to_string();
                    if p.contains(['*', '?']) {
                        format!("{q} (a wildcard)")
                    } else {
                        q
                    }
                })
                .collect();
            if !beyond.is_empty() {
                gaps.push(format!(
                    "NotAction exempts more than MFA and password self-service: {}",
                    beyond.join(", ")
                ));
            }
        }
    }
    match &statement.resources {
        ResourceSpec::Resource(patterns) => {
            if !statement.resources.is_all() {
                gaps.push(format!("Resource is not \"*\" ({})", quoted_list(patterns)));
            }
        }
        ResourceSpec::NotResource(patterns) => gaps.push(format!(
            "NotResource exempts {} (Resource is not \"*\")",
            quoted_list(patterns)
        )),
        ResourceSpec::Absent => gaps.push("no Resource element (Resource is not \"*\")".into()),
    }
    gaps
}

/// Policy names the user route reaches that are not in the export, by kind.
struct Missing {
    /// AWS managed policies taken to hold no MFA Deny.
    assumed: Vec<String>,
    /// The same, named for the list of policies checked.
    assumed_names: Vec<String>,
    /// Customer policies that could hold the MFA Deny.
    unknown: Vec<String>,
}

impl Missing {
    fn of(policies: &UserPolicies<'_>) -> Self {
        let assumed = policies
            .missing
            .iter()
            .filter(|m| m.aws_managed)
            .map(|m| m.to_string())
            .collect();
        let assumed_names = policies
            .missing
            .iter()
            .filter(|m| m.aws_managed)
            .map(|m| format!("{} ({}, AWS managed, not in the export)", m.name, m.route))
            .collect();
        let unknown = policies
            .missing
            .iter()
            .filter(|m| !m.aws_managed)
            .map(|m| m.to_string())
            .collect();
        Missing {
            assumed,
            assumed_names,
            unknown,
        }
    }
}

/// The MFA Deny statements that apply in K or S, and the labels of those that apply in neither.
fn mfa_denies<'d, 'a>(policies: &'d UserPolicies<'a>) -> (Vec<Candidate<'d, 'a>>, Vec<String>) {
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut ignored: Vec<String> = Vec::new();
    for doc in &policies.documents {
        for statement in &doc.document.statements {
            if !statement.is_deny() || !statement.mentions_mfa_key() {
                continue;
            }
            let k = statement_applies(statement, Context::K);
            let s = statement_applies(statement, Context::S);
            if k.is_never() && s.is_never() {
                ignored.push(format!("{}, Sid {}", doc.label(), statement.sid_label()));
                continue;
            }
            candidates.push(Candidate {
                doc,
                statement,
                coverage_gaps: coverage_gaps(statement),
                k,
                s,
            });
        }
    }
    (candidates, ignored)
}

fn judge(account: &Account, index: &Index<'_>, user: &User) -> CheckResult {
    let policies = user_policies(index, user);
    let (candidates, ignored) = mfa_denies(&policies);
    let missing = Missing::of(&policies);
    let (status, mut reason, used) = match enforcement(&candidates) {
        Some((reason, used)) => (Status::Pass, reason, used),
        None => {
            let (status, reason) = not_enforced(&policies, &candidates, &missing);
            (status, reason, candidates.iter().collect())
        }
    };
    append_notes(status, &mut reason, &missing.assumed, &ignored);
    let (source, sources) = evidence_sources(user, &policies, &used);
    let mut r = result(
        &META,
        account,
        user.arn.clone(),
        status,
        reason,
        Some(source),
    );
    r.evidence = evidence(user, &policies, &used);
    r.evidence_sources = sources;
    r
}

/// The PASS reason and the statements that enforce MFA (one covering both contexts, or one
/// for K and one for S), or `None` when the denies do not enforce it.
fn enforcement<'c, 'd, 'a>(
    candidates: &'c [Candidate<'d, 'a>],
) -> Option<(String, Vec<&'c Candidate<'d, 'a>>)> {
    let full_k = candidates.iter().find(|c| c.full_in(Context::K));
    let full_s = candidates.iter().find(|c| c.full_in(Context::S));
    let both = candidates
        .iter()
        .find(|c| c.full_in(Context::K) && c.full_in(Context::S));
    match (both, full_k, full_s) {
        (Some(c), _, _) => Some((
            format!(
                "MFA enforced: {} denies {} on all resources without MFA, for long-term access keys \
                 and for console or temporary sessions",
                c.label(),
                what_it_denies(c.statement)
            ),
            vec![c],
        )),
        (None, Some(k), Some(s)) => Some((
            format!(
                "MFA enforced by two Deny statements together: long-term access keys by {} ({}); \
                 console or temporary sessions without MFA by {} ({})",
                k.label(),
                what_it_denies(k.statement),
                s.label(),
                what_it_denies(s.statement)
            ),
            vec![k, s],
        )),
        _ => None,
    }
}

/// NOT_DETERMINABLE (a missing policy could complete it), PARTIAL (MFA denies with gaps) or
/// FAIL (no MFA Deny), with the reason.
fn not_enforced(
    policies: &UserPolicies<'_>,
    candidates: &[Candidate],
    missing: &Missing,
) -> (Status, String) {
    let uncovered: Vec<&str> = Context::WITHOUT_MFA
        .iter()
        .filter(|&&ctx| !candidates.iter().any(|c| c.full_in(ctx)))
        .map(|ctx| ctx.description())
        .collect();
    let partial = candidates
        .iter()
        .map(Candidate::describe_with_gaps)
        .collect::<Vec<_>>()
        .join(" | ");
    if !missing.unknown.is_empty() {
        let found = if candidates.is_empty() {
            "no MFA Deny in the documents that are in the export".to_string()
        } else {
            format!("partial control found: {partial}")
        };
        (
            Status::NotDeterminable,
            format!(
                "not determinable: missing from the export, and could hold the MFA Deny: {}; {found}",
                missing.unknown.join(" | ")
            ),
        )
    } else if !candidates.is_empty() {
        (
            Status::Partial,
            format!(
                "MFA Deny with gaps, not enforced for {}: {partial}",
                uncovered.join(" nor for ")
            ),
        )
    } else {
        (Status::Fail, no_mfa_deny(policies, missing))
    }
}

/// The FAIL reason: which policies were searched for an MFA Deny.
fn no_mfa_deny(policies: &UserPolicies<'_>, missing: &Missing) -> String {
    if policies.documents.is_empty() && missing.assumed.is_empty() {
        "the user has no policies (no inline, attached, group or boundary policy)".to_string()
    } else {
        let mut names: Vec<String> = policies
            .documents
            .iter()
            .map(|d| format!("{} ({})", d.name, d.route))
            .collect();
        names.extend(missing.assumed_names.iter().cloned());
        format!(
            "no Deny statement requires MFA in the user's policies: {}",
            names.join(", ")
        )
    }
}

/// Adds, to a result other than PASS, the assumed AWS managed policies and the ignored
/// denies; to a FAIL, the SCP note.
fn append_notes(status: Status, reason: &mut String, assumed: &[String], ignored: &[String]) {
    if status != Status::Pass {
        if !assumed.is_empty() {
            reason.push_str(&format!(
                "; taken to hold no MFA Deny (no AWS managed policy has one): {}",
                assumed.join(" | ")
            ));
        }
        if !ignored.is_empty() {
            reason.push_str(&format!(
                "; ignored (an MFA Deny that applies neither to long-term access keys nor to sessions \
                 without MFA): {}",
                ignored.join(" | ")
            ));
        }
    }
    if status == Status::Fail {
        reason.push_str(&format!("; {SCP_NOTE}"));
    }
}

/// The primary source (the first statement used, else the user) and the other sources.
fn evidence_sources(
    user: &User,
    policies: &UserPolicies<'_>,
    used: &[&Candidate],
) -> (SourceRef, Vec<SourceRef>) {
    let source = used
        .first()
        .map_or_else(|| user.source.clone(), |c| c.source());
    let mut sources = Vec::new();
    for c in used {
        push_unique(&mut sources, c.source(), Some(&source));
    }
    push_unique(&mut sources, user.source.clone(), Some(&source));
    for entry in &policies.route_entries {
        push_unique(&mut sources, entry.clone(), Some(&source));
    }
    for doc in &policies.documents {
        push_unique(&mut sources, doc.entry.clone(), Some(&source));
    }
    (source, sources)
}

/// `all actions` or `all actions except MFA/password self-service (...)`.
fn what_it_denies(statement: &Statement) -> String {
    match statement.actions.not_action_exemptions() {
        Some(exempt) if !exempt.is_empty() => format!(
            "all actions except MFA/password self-service ({})",
            quoted_list(exempt)
        ),
        _ => "all actions".to_string(),
    }
}

fn evidence(
    user: &User,
    policies: &UserPolicies<'_>,
    used: &[&Candidate],
) -> String {
    let mut lines = vec![format!("user={}", user.name)];
    let checked: Vec<String> = policies
        .documents
        .iter()
        .map(|d| format!("{} {} ({})", d.name, d.id, d.route))
        .collect();
    lines.push(format!(
        "policies checked: {}",
        if checked.is_empty() {
            "none".to_string()
        } else {
            checked.join("; ")
        }
    ));
    if !policies.missing.is_empty() {
        let missing: Vec<String> = policies.missing.iter().map(|m| m.to_string()).collect();
        lines.push(format!("missing: {}", missing.join("; ")));
    }
    for c in used {
        lines.push(format!(
            "statement: {} {} ({}), Sid {}: {}",
            c.doc.name,
            c.doc.id,
            c.doc.route,
            c.statement.sid_label(),
            c.statement.json
        ));
    }
    lines.join("\n")
}
