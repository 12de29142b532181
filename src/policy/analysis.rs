//! Questions the checks ask of a statement: does it apply in a request context (always,
//! never, or only under conditions the inputs cannot decide), and does an Allow require MFA.

use std::fmt;

use super::condition::{Truth, evaluate_condition};
use super::context::Context;
use super::model::{Condition, Statement, render_values};

/// Whether a statement's `Condition` block lets it apply in a request context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applicability {
    /// Every condition holds (or there are none): the statement applies.
    Always,
    /// Some condition cannot hold: the statement never applies in this context.
    Never,
    /// No condition is false, but these may or may not hold (keys the context does not
    /// know, operators or values this module cannot evaluate): it applies only sometimes.
    Narrowed(Vec<NarrowingCondition>),
}

impl Applicability {
    /// True for [`Applicability::Always`].
    pub fn is_always(&self) -> bool {
        matches!(self, Applicability::Always)
    }

    /// True for [`Applicability::Never`].
    pub fn is_never(&self) -> bool {
        matches!(self, Applicability::Never)
    }

    /// The conditions that narrow the statement (empty unless `Narrowed`).
    pub fn narrowing(&self) -> &[NarrowingCondition] {
        match self {
            Applicability::Narrowed(conditions) => conditions,
            Applicability::Always | Applicability::Never => &[],
        }
    }
}

/// A condition that may or may not hold in a context, kept for the report.
/// Displays as `IpAddress aws:SourceIp ["10.0.0.0/8"]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NarrowingCondition {
    /// The operator as written, e.g. `IpAddress`.
    pub operator: String,
    /// The key as written, e.g. `aws:SourceIp`.
    pub key: String,
    /// The policy's values as strings.
    pub values: Vec<String>,
    /// True when the operator is unknown to this module (report it as unsupported).
    pub unknown_operator: bool,
    /// JSON Pointer of the condition's value in its file.
    pub pointer: String,
}

impl From<&Condition> for NarrowingCondition {
    fn from(condition: &Condition) -> Self {
        NarrowingCondition {
            operator: condition.operator.raw.clone(),
            key: condition.key.name.clone(),
            values: condition.values.clone(),
            unknown_operator: condition.operator.is_unknown(),
            pointer: condition.pointer.clone(),
        }
    }
}

impl fmt::Display for NarrowingCondition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {}",
            self.operator,
            self.key,
            render_values(&self.values)
        )?;
        if self.unknown_operator {
            f.write_str(" (operator not supported by this tool)")?;
        }
        Ok(())
    }
}

/// Whether `statement` applies in `context`, judging only its `Condition` block (the caller
/// judges actions, resources and principals). `Never` as soon as one condition is false;
/// `Always` when all hold; otherwise `Narrowed` by the conditions that may hold.
///
/// SPEC examples, for a Deny: `BoolIfExists {aws:MultiFactorAuthPresent: false}` is `Always`
/// in K and S; `Bool {...: false}` is `Always` in S and `Never` in K; `Null
/// {aws:MultiFactorAuthAge: true}` is `Always` in both; an added `IpAddress aws:SourceIp`
/// makes each `Narrowed`; an added `Bool {aws:ViaAWSService: false}` changes nothing.
pub fn statement_applies(statement: &Statement, context: Context) -> Applicability {
    let mut narrowing = Vec::new();
    for condition in &statement.conditions {
        match evaluate_condition(condition, context) {
            Truth::False => return Applicability::Never,
            Truth::True => {}
            Truth::MayHold => narrowing.push(NarrowingCondition::from(condition)),
        }
    }
    if narrowing.is_empty() {
        Applicability::Always
    } else {
        Applicability::Narrowed(narrowing)
    }
}

/// True when `statement` is an Allow whose conditions cannot hold without MFA: they evaluate
/// to false in K (long-term keys) and in S (session without MFA). `Bool
/// {aws:MultiFactorAuthPresent: true}`, `Null {aws:MultiFactorAuthAge: false}` and
/// `NumericLessThan {aws:MultiFactorAuthAge: 3600}` require MFA; `BoolIfExists {...: true}`
/// does not (it holds in K). A Deny grants nothing, so this is false for a Deny.
pub fn allow_requires_mfa(statement: &Statement) -> bool {
    statement.is_allow()
        && Context::WITHOUT_MFA
            .iter()
            .all(|&context| statement_applies(statement, context).is_never())
}
