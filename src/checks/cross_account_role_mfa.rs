//! `cross-account-role-mfa`: roles that another account, `*`, a federated provider or a
//! deleted principal may assume require MFA to be assumed.
//!
//! Population (SPEC "Decisions"): roles whose trust policy has an Allow matching (by pattern)
//! `sts:AssumeRole`, `sts:AssumeRoleWithSAML` or `sts:AssumeRoleWithWebIdentity`, granted to an
//! AWS principal of another account, to `*`, to a `Federated` principal, or to an unresolvable
//! unique ID. Each (statement, principal) pair is a part with its own verdict; the role's
//! status is the worst part: FAIL > NOT_DETERMINABLE > MANUAL > PASS. Severity is high when
//! any trusted principal is external, medium when all are internal.

use super::helpers::policy_sources::{push_unique, statement_source};
use super::{CheckMeta, CheckResult, References, Severity, Status, CheckContext, Title};
use super::helpers::{result, require};
use crate::model::iam::Role;
use crate::model::{Account, ExportKind, Authorization};
use crate::policy::{
    BaseOperator, Condition, Context, PrincipalSpec, ResourceSpec, SetQualifier, Statement, Truth,
    allow_requires_mfa, evaluate_condition, statement_applies,
};
use crate::primitives::arn::Arn;
use crate::primitives::source::SourceRef;

/// Metadata.
pub const META: CheckMeta = CheckMeta {
    id: "cross-account-role-mfa",
    title: Title::fixed("Cross-account and federated roles require MFA to assume"),
    severity: Severity::High,
    severity_note: Some(
        "medium instead when every trusted principal is internal: in the organization account list, or, \
         when no list is given, an account with an export in this run's inputs; `*`, deleted principals and \
         public identity providers count as external",
    ),
    population: "roles whose trust policy allows sts:AssumeRole, sts:AssumeRoleWithSAML or \
                 sts:AssumeRoleWithWebIdentity (by pattern) to an AWS principal of another account, to `*`, to a \
                 federated provider, or to an unresolvable unique ID (AIDA…/AROA…); one result per role",
    rationale: "A role another account can assume is as strong as that account's weakest credential. Requiring \
                MFA in the trust policy (`Bool aws:MultiFactorAuthPresent true`) means a leaked access key of the \
                trusted account is not enough to assume it. A trust of `*` lets any AWS account in unless an \
                organization or account condition limits who; MFA does not limit who.",
    remediation: "Add `\"Condition\": {\"Bool\": {\"aws:MultiFactorAuthPresent\": \"true\"}}` to each Allow that trusts \
                  another account (not `BoolIfExists`, which passes requests without the key). Replace a `*` \
                  principal by the accounts that need access, or restrict it with `aws:PrincipalOrgID`. Remove \
                  statements that name a deleted principal (a unique ID such as AIDA…/AROA…). For federated \
                  roles, obtain evidence that the identity provider enforces MFA. Inform third parties of the \
                  MFA requirement.",
    statuses: &[
        (
            Status::Pass,
            "every trusted principal of another account (or `*` restricted to an organization or account) may \
             assume the role only with MFA",
        ),
        (
            Status::Fail,
            "a principal of another account may assume the role without MFA, or `*` is trusted without an \
             organization or account condition (SCPs and RCPs, not in the inputs, could still enforce MFA)",
        ),
        (
            Status::Manual,
            "federated trust (SAML, OIDC, IAM Identity Center): MFA is enforced at the identity provider; \
             request its evidence",
        ),
        (
            Status::NotDeterminable,
            "a trusted principal is an unresolvable unique ID (deleted) without MFA, the role has no trust \
             policy in the export, or the account has no authorization details export",
        ),
    ],
    references: References::NONE,
    needs: &[ExportKind::AuthorizationDetails],
};

const SCP_NOTE: &str = "service and resource control policies (SCPs, RCPs) are not in the inputs \
                        and could enforce MFA organization-wide";

/// Condition keys that restrict who may use a `*` principal.
const ORG_KEYS: [&str; 4] = [
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
];

/// Tests every role of the account whose trust policy puts it in the population.
pub fn run(cx: &CheckContext<'_>, out: &mut Vec<CheckResult>) {
    let account = cx.account;
    let Some(auth) = require::<Authorization>(&META, account, out) else {
        return;
    };
    let mut tested = std::collections::BTreeSet::new();
    for role in &auth.roles {
        let arn = role.arn.clone();
        if !tested.insert(arn.clone()) {
            continue;
        }
        if let Some(r) = judge(account, role, arn) {
            out.push(r);
        }
    }
}

/// Who an Allow statement trusts, one principal at a time.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Trusted {
    /// An AWS principal of another account (account ID, root ARN, user or role ARN).
    Account { principal: String, account: String },
    /// `*`, `{"AWS": "*"}`, or an Allow with `NotPrincipal` (everyone not listed).
    Everyone { written: String },
    /// `AIDA…`/`AROA…`: the principal was deleted.
    UniqueId(String),
    /// A SAML or OIDC provider.
    Federated(String),
    /// An AWS principal that is neither an account, an ARN nor a unique ID.
    Unrecognized(String),
}

/// One (statement, principal) pair and its verdict.
struct Part<'a> {
    statement: &'a Statement,
    status: Status,
    text: String,
    external: bool,
    /// True when the part names an account classified internal or external.
    classified: bool,
    protecting_deny: Option<&'a Statement>,
}

/// How the internal/external classification was made.
fn basis(account: &Account) -> &'static str {
    if account.org.is_known() {
        "Internal or external by the organization account list"
    } else {
        "Internal or external by the accounts in this run's inputs (no organization account list given)"
    }
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn is_internal(account: &Account, id: &str) -> bool {
    id == account.id
        || if account.org.is_known() {
            account.org.contains(id)
        } else {
            account.known_accounts.contains(id)
        }
}

fn class_text(account: &Account, id: &str) -> String {
    let internal = is_internal(account, id);
    let place = if account.org.is_known() {
        "the organization account list"
    } else {
        "this run's inputs"
    };
    if internal {
        format!("account {id}, internal: in {place}")
    } else {
        format!("account {id}, external: not in {place}")
    }
}

/// Who a trust statement's principals are, skipping service, canonical-user and same-account
/// principals (not in the population).
fn trusted_of(account: &Account, statement: &Statement) -> Vec<Trusted> {
    let mut out = Vec::new();
    if statement.not_principal.is_some() {
        out.push(Trusted::Everyone {
            written: "NotPrincipal (everyone not listed)".into(),
        });
    }
    let Some(principal) = &statement.principal else {
        return out;
    };
    if matches!(principal, PrincipalSpec::Everyone) {
        out.push(Trusted::Everyone {
            written: "\"*\"".into(),
        });
        return out;
    }
    for p in principal.aws() {
        if let Some(t) = classify_aws(account, p) {
            out.push(t);
        }
    }
    for f in principal.federated() {
        out.push(Trusted::Federated(f.clone()));
    }
    out
}

fn classify_aws(account: &Account, p: &str) -> Option<Trusted> {
    let other = |id: &str| {
        (id != account.id).then(|| Trusted::Account {
            principal: p.to_string(),
            account: id.to_string(),
        })
    };
    if p == "*" {
        return Some(Trusted::Everyone {
            written: "{\"AWS\": \"*\"}".into(),
        });
    }
    if p.len() == 12 && p.bytes().all(|b| b.is_ascii_digit()) {
        return other(p);
    }
    if let Some(arn) = Arn::parse(p) {
        return match arn.real_account() {
            Some(id) => other(id),
            None => Some(Trusted::Unrecognized(p.to_string())),
        };
    }
    if p.starts_with("AIDA") || p.starts_with("AROA") {
        return Some(Trusted::UniqueId(p.to_string()));
    }
    Some(Trusted::Unrecognized(p.to_string()))
}

/// True for a condition on an organization or account key (`aws:PrincipalOrgID`, ...).
fn on_org_key(c: &Condition) -> bool {
    ORG_KEYS.iter().any(|k| c.key.is(k))
}

/// True when the condition restricts a `*` principal to an organization or account: a
/// positive, non-IfExists StringEquals/StringLike/ArnEquals/ArnLike on an org/account key
/// (`ForAnyValue:` allowed), none of whose values is a bare wildcard.
fn restricts_caller(c: &Condition) -> bool {
    let op = &c.operator;
    on_org_key(c)
        && matches!(
            op.base,
            BaseOperator::StringEquals
                | BaseOperator::StringLike
                | BaseOperator::ArnEquals
                | BaseOperator::ArnLike
        )
        && !op.if_exists
        && op.set != Some(SetQualifier::ForAllValues)
        && !c.values.is_empty()
        && !c.values.iter().any(|v| v.chars().all(|ch| ch == '*'))
}

/// The condition that restricts a `*` principal to an organization or account.
fn org_restriction(statement: &Statement) -> Option<&Condition> {
    statement.conditions.iter().find(|c| restricts_caller(c))
}

/// The conditions of an Allow that cannot hold without MFA (false in K or in S).
fn mfa_conditions(statement: &Statement) -> String {
    let mut shown: Vec<String> = Vec::new();
    for c in &statement.conditions {
        let blocks = Context::WITHOUT_MFA
            .iter()
            .any(|&ctx| evaluate_condition(c, ctx) == Truth::False);
        if blocks && !shown.contains(&c.to_string()) {
            shown.push(c.to_string());
        }
    }
    shown.join(" and ")
}

/// True when an entry of a Deny's principal list names `trusted`.
fn names(entry: &str, trusted: &Trusted) -> bool {
    match trusted {
        Trusted::Account { principal, account } => {
            entry == principal
                || entry == account
                || Arn::parse(entry).is_some_and(|a| {
                    a.resource == "root" && a.real_account() == Some(account.as_str())
                })
        }
        Trusted::UniqueId(id) | Trusted::Unrecognized(id) => entry == id,
        Trusted::Everyone { .. } | Trusted::Federated(_) => false,
    }
}

fn spec_is_empty(spec: &PrincipalSpec) -> bool {
    match spec {
        PrincipalSpec::Everyone => false,
        PrincipalSpec::Principals(m) => {
            m.aws.is_empty()
                && m.service.is_empty()
                && m.federated.is_empty()
                && m.canonical_user.is_empty()
        }
    }
}

/// A Deny in the trust policy that refuses `sts:AssumeRole` to `trusted` in K and S with no
/// narrowing condition.
fn protecting_deny<'a>(
    role: &Role,
    trust: &'a [Statement],
    trusted: &Trusted,
) -> Option<&'a Statement> {
    trust.iter().find(|d| {
        d.is_deny()
            && d.actions.covers_assume_role()
            && match &d.resources {
                ResourceSpec::Absent => true,
                spec => spec.is_all() || spec.covers(&role.arn),
            }
            && Context::WITHOUT_MFA
                .iter()
                .all(|&ctx| statement_applies(d, ctx).is_always())
            && match (&d.principal, &d.not_principal) {
                (Some(p), _) if p.is_everyone() => true,
                (Some(p), _) => p.aws().iter().any(|e| names(e, trusted)),
                (None, Some(not)) => match trusted {
                    Trusted::Everyone { .. } => spec_is_empty(not),
                    _ => !not.is_everyone() && !not.aws().iter().any(|e| names(e, trusted)),
                },
                (None, None) => false,
            }
    })
}

fn judge(account: &Account, role: &Role, arn: String) -> Option<CheckResult> {
    let Some(trust) = &role.trust_policy else {
        let mut r = result(
            &META,
            account,
            arn,
            Status::NotDeterminable,
            "the export has no trust policy (AssumeRolePolicyDocument) for this role; who may assume it is unknown",
            Some(role.source.clone()),
        );
        r.evidence = format!("role={}", role.name);
        return Some(r);
    };
    let parts = trust_parts(account, role, &trust.statements);
    if parts.is_empty() {
        return None;
    }
    let worst = worst_status(&parts);
    let external = parts.iter().any(|p| p.external);
    let reason = combined_reason(account, &parts, worst);
    let (source, sources) = evidence_sources(role, &parts, worst);
    let mut r = result(&META, account, arn, worst, reason, Some(source));
    r.severity = if external {
        Severity::High
    } else {
        Severity::Medium
    };
    r.evidence = evidence(role, &parts);
    r.evidence_sources = sources;
    Some(r)
}

/// One part per (Allow statement granting an assume-role action, trusted principal).
fn trust_parts<'a>(account: &Account, role: &Role, statements: &'a [Statement]) -> Vec<Part<'a>> {
    let mut parts: Vec<Part> = Vec::new();
    for statement in statements {
        if !statement.is_allow() {
            continue;
        }
        let actions = statement.actions.assume_role_actions();
        if actions.is_empty() {
            continue;
        }
        for trusted in trusted_of(account, statement) {
            parts.push(judge_part(
                account, role, statements, statement, &actions, trusted,
            ));
        }
    }
    parts
}

/// The role's status: FAIL > NOT_DETERMINABLE > MANUAL > PASS over its parts.
fn worst_status(parts: &[Part]) -> Status {
    let rank = |s: Status| match s {
        Status::Fail => 3,
        Status::NotDeterminable => 2,
        Status::Manual => 1,
        _ => 0,
    };
    parts
        .iter()
        .max_by_key(|p| rank(p.status))
        .map_or(Status::Pass, |p| p.status)
}

/// Each part's text, then the classification basis and (for a FAIL) the SCP note.
fn combined_reason(account: &Account, parts: &[Part], worst: Status) -> String {
    let mut reason = parts
        .iter()
        .map(|p| p.text.clone())
        .collect::<Vec<_>>()
        .join("; ");
    if parts.iter().any(|p| p.classified) {
        reason.push_str(&format!(". {}", basis(account)));
    }
    if worst == Status::Fail {
        reason.push_str(&format!(". {}", capitalized(SCP_NOTE)));
    }
    reason
}

/// The primary source (the first statement with the worst status) and the other sources.
fn evidence_sources(role: &Role, parts: &[Part], worst: Status) -> (SourceRef, Vec<SourceRef>) {
    let file = &role.source;
    let source = parts.iter().find(|p| p.status == worst).map_or_else(
        || role.source.clone(),
        |p| statement_source(file, p.statement),
    );
    let mut sources = Vec::new();
    for p in parts {
        push_unique(
            &mut sources,
            statement_source(file, p.statement),
            Some(&source),
        );
        if let Some(d) = p.protecting_deny {
            push_unique(&mut sources, statement_source(file, d), Some(&source));
        }
    }
    push_unique(&mut sources, role.source.clone(), Some(&source));
    (source, sources)
}

/// The wording shared by every verdict on one (statement, principal) pair.
struct Wording {
    /// `Sid X` or `statement without Sid`.
    sid: String,
    /// How MFA is required (by the Allow's condition or a protecting Deny), if it is.
    mfa: Option<String>,
    /// The note on an `sts:ExternalId` condition, or empty.
    external_id: &'static str,
}

fn judge_part<'a>(
    account: &Account,
    role: &Role,
    trust: &'a [Statement],
    statement: &'a Statement,
    actions: &[&str],
    trusted: Trusted,
) -> Part<'a> {
    let deny = match &trusted {
        Trusted::Federated(_) => None,
        t => protecting_deny(role, trust, t),
    };
    let w = wording(statement, deny);
    let (status, text, external) = match &trusted {
        Trusted::Account {
            principal,
            account: id,
        } => account_verdict(account, principal, id, &w),
        Trusted::Everyone { written } => everyone_verdict(statement, written, &w),
        Trusted::UniqueId(id) => unique_id_verdict(id, &w),
        Trusted::Unrecognized(p) => unrecognized_verdict(p, &w),
        Trusted::Federated(p) => federated_verdict(account, p, actions, &w),
    };
    Part {
        statement,
        status,
        text,
        external,
        classified: matches!(trusted, Trusted::Account { .. }),
        protecting_deny: if w.mfa.is_some() && !allow_requires_mfa(statement) {
            deny
        } else {
            None
        },
    }
}

fn wording(statement: &Statement, deny: Option<&Statement>) -> Wording {
    let sid = match statement.sid.as_deref() {
        Some(sid) if !sid.is_empty() => format!("Sid {sid}"),
        _ => "statement without Sid".to_string(),
    };
    let mfa = if allow_requires_mfa(statement) {
        Some(format!("requires MFA: {}", mfa_conditions(statement)))
    } else {
        deny.map(|d| {
            format!(
                "a Deny in the trust policy (Sid {}) refuses it without MFA",
                d.sid_label()
            )
        })
    };
    let external_id = if statement.conditions_on("sts:ExternalId").next().is_some() {
        " (an sts:ExternalId condition is present, but it is not MFA)"
    } else {
        ""
    };
    Wording {
        sid,
        mfa,
        external_id,
    }
}

/// Another (or this) account: PASS with MFA, else FAIL.
fn account_verdict(
    account: &Account,
    principal: &str,
    id: &str,
    w: &Wording,
) -> (Status, String, bool) {
    let Wording {
        sid,
        mfa,
        external_id,
    } = w;
    let class = class_text(account, id);
    let external = !is_internal(account, id);
    match mfa {
        Some(how) => (
            Status::Pass,
            format!("{principal} ({class}) may assume the role only with MFA ({how}; {sid})"),
            external,
        ),
        None => (
            Status::Fail,
            format!("{principal} ({class}) may assume the role without MFA{external_id} ({sid})"),
            external,
        ),
    }
}

/// Everyone: FAIL unless an organization or account condition restricts the caller and MFA
/// is required.
fn everyone_verdict(statement: &Statement, written: &str, w: &Wording) -> (Status, String, bool) {
    let Wording {
        sid,
        mfa,
        external_id,
    } = w;
    match org_restriction(statement) {
        None => {
            let weak: Vec<String> = statement
                .conditions
                .iter()
                .filter(|c| on_org_key(c))
                .map(|c| c.to_string())
                .collect();
            let condition = if weak.is_empty() {
                "with no organization or account condition".to_string()
            } else {
                format!(
                    "with no organization or account condition that restricts the caller ({} does not: \
                     only a positive StringEquals, StringLike, ArnEquals or ArnLike without IfExists does)",
                    weak.join(" and ")
                )
            };
            (
                Status::Fail,
                format!(
                    "{written} (any AWS principal) is trusted {condition}: anyone may assume the role{} ({sid})",
                    if mfa.is_some() {
                        "; its MFA condition does not limit who"
                    } else {
                        ""
                    }
                ),
                true,
            )
        }
        Some(cond) => match mfa {
            Some(how) => (
                Status::Pass,
                format!(
                    "{written} restricted by {cond} may assume the role only with MFA ({how}; {sid})"
                ),
                true,
            ),
            None => (
                Status::Fail,
                format!(
                    "{written} restricted by {cond} may assume the role without MFA{external_id} ({sid})"
                ),
                true,
            ),
        },
    }
}

/// A deleted principal's unique ID: PASS with MFA, else NOT_DETERMINABLE.
fn unique_id_verdict(id: &str, w: &Wording) -> (Status, String, bool) {
    let sid = &w.sid;
    match &w.mfa {
        Some(how) => (
            Status::Pass,
            format!(
                "{id} (unresolvable unique ID: the trusted principal was deleted) may assume the role only \
                 with MFA ({how}; {sid}); remove the stale statement"
            ),
            true,
        ),
        None => (
            Status::NotDeterminable,
            format!(
                "{id}: trusted principal was deleted; account unknown; remove the stale statement ({sid})"
            ),
            true,
        ),
    }
}

/// An unrecognized AWS principal: PASS with MFA, else NOT_DETERMINABLE.
fn unrecognized_verdict(p: &str, w: &Wording) -> (Status, String, bool) {
    let sid = &w.sid;
    match &w.mfa {
        Some(how) => (
            Status::Pass,
            format!(
                "{p} (not an account, ARN or unique ID) may assume the role only with MFA ({how}; {sid})"
            ),
            true,
        ),
        None => (
            Status::NotDeterminable,
            format!(
                "{p}: principal not recognized as an account, ARN or unique ID; account unknown ({sid})"
            ),
            true,
        ),
    }
}

/// A SAML or OIDC provider: MANUAL (MFA is the identity provider's).
fn federated_verdict(
    account: &Account,
    p: &str,
    actions: &[&str],
    w: &Wording,
) -> (Status, String, bool) {
    let sid = &w.sid;
    let external = match Arn::parse(p).and_then(|a| a.real_account()) {
        Some(id) => !is_internal(account, id),
        None => true,
    };
    (
        Status::Manual,
        format!(
            "federated {p} ({}): MFA is enforced at the identity provider, not in these inputs; request \
             the identity provider's MFA evidence ({sid})",
            actions.join(", ")
        ),
        external,
    )
}

fn evidence(role: &Role, parts: &[Part]) -> String {
    let mut lines = vec![format!("role={}", role.name)];
    let mut seen: Vec<&str> = Vec::new();
    for p in parts {
        let s = p.statement;
        if !seen.contains(&s.pointer.as_str()) {
            seen.push(&s.pointer);
            lines.push(format!("trust statement Sid {}: {}", s.sid_label(), s.json));
            for c in s.conditions_on("sts:ExternalId") {
                lines.push(format!("sts:ExternalId (recorded; not MFA): {c}"));
            }
        }
        if let Some(d) = p.protecting_deny
            && !seen.contains(&d.pointer.as_str())
        {
            seen.push(&d.pointer);
            lines.push(format!("protecting Deny Sid {}: {}", d.sid_label(), d.json));
        }
    }
    lines.join("\n")
}
