//! The typed policy model: what a policy document says, with every string-or-array and
//! object-or-string shape already normalized. Nothing here holds a `serde_json::Value`.

use std::fmt;

/// A parsed policy document (identity policy, permissions boundary or trust policy).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// The document's `Version`, when given (`2012-10-17` in practice).
    pub version: Option<String>,
    /// The document's `Id`, when given.
    pub id: Option<String>,
    /// The document's statements, in document order.
    pub statements: Vec<Statement>,
    /// JSON Pointer of the document inside its file.
    pub pointer: String,
}

impl Policy {
    /// Every condition, in any statement, whose operator this module does not know. A check
    /// should report these: their conditions evaluate to "may hold", never silently dropped.
    pub fn unknown_operators(&self) -> impl Iterator<Item = &Condition> {
        self.statements
            .iter()
            .flat_map(Statement::unknown_operators)
    }
}

/// A statement's `Effect`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Effect {
    /// `"Allow"`: grants when it applies (unless a Deny applies too).
    Allow,
    /// `"Deny"`: refuses when it applies, whatever any Allow says.
    Deny,
}

impl Effect {
    /// The effect as written in policies: `Allow` or `Deny`.
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        }
    }
}

impl fmt::Display for Effect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One statement of a policy document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// `Sid` as written (an empty `"Sid": ""` stays `Some("")`).
    pub sid: Option<String>,
    /// `Effect`.
    pub effect: Effect,
    /// `Action` or `NotAction`.
    pub actions: ActionSpec,
    /// `Resource`, `NotResource`, or neither (trust policies have neither).
    pub resources: ResourceSpec,
    /// `Principal`, when given (trust and resource policies).
    pub principal: Option<PrincipalSpec>,
    /// `NotPrincipal`, when given.
    pub not_principal: Option<PrincipalSpec>,
    /// One entry per (operator, key) pair of the `Condition` block; all must hold (AND).
    /// In the order serde_json's map yields them (sorted by operator text, then key text,
    /// with serde_json's default features); evaluation does not depend on the order.
    pub conditions: Vec<Condition>,
    /// JSON Pointer of this statement: `.../Statement/N`, or `.../Statement` when the
    /// document's `Statement` is a single object.
    pub pointer: String,
    /// Compact JSON of the statement as parsed, for evidence (object keys sorted, with
    /// serde_json's default features).
    pub json: String,
}

impl Statement {
    /// True for `Effect: Allow`.
    pub fn is_allow(&self) -> bool {
        self.effect == Effect::Allow
    }

    /// True for `Effect: Deny`.
    pub fn is_deny(&self) -> bool {
        self.effect == Effect::Deny
    }

    /// True when any condition tests `aws:MultiFactorAuthPresent` or `aws:MultiFactorAuthAge`
    /// (key names compared case-insensitively), whatever the operator.
    pub fn mentions_mfa_key(&self) -> bool {
        self.conditions.iter().any(Condition::is_on_mfa_key)
    }

    /// Conditions whose operator is not known to this module (see [`BaseOperator::Unknown`]).
    pub fn unknown_operators(&self) -> impl Iterator<Item = &Condition> {
        self.conditions.iter().filter(|c| c.operator.is_unknown())
    }

    /// Conditions on `key` (compared case-insensitively), e.g. `aws:PrincipalOrgID`.
    pub fn conditions_on<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a Condition> + 'a {
        self.conditions.iter().filter(move |c| c.key.is(key))
    }

    /// The Sid for display: the Sid itself, or `(no Sid)` when absent or empty.
    pub fn sid_label(&self) -> &str {
        match self.sid.as_deref() {
            Some(sid) if !sid.is_empty() => sid,
            _ => "(no Sid)",
        }
    }
}

/// `Action` or `NotAction`, with its patterns (a single string becomes a one-element list).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionSpec {
    /// `Action`: the statement covers the actions matching any pattern.
    Action(Vec<String>),
    /// `NotAction`: the statement covers every action matching none of the patterns.
    NotAction(Vec<String>),
}

impl ActionSpec {
    /// The patterns as written, whichever of `Action`/`NotAction` holds them.
    pub fn patterns(&self) -> &[String] {
        match self {
            ActionSpec::Action(p) | ActionSpec::NotAction(p) => p,
        }
    }
}

/// `Resource`, `NotResource`, or neither.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResourceSpec {
    /// `Resource`: the statement covers resources matching any pattern.
    Resource(Vec<String>),
    /// `NotResource`: the statement covers resources matching none of the patterns.
    NotResource(Vec<String>),
    /// Neither key (trust policies: the resource is the role itself).
    Absent,
}

/// A `Principal` or `NotPrincipal` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrincipalSpec {
    /// The string `"*"`: everyone, including anonymous callers.
    Everyone,
    /// An object naming principals by kind.
    Principals(PrincipalMap),
}

/// The principals of a `Principal` object, by kind (each kind's string-or-array as a list).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrincipalMap {
    /// `AWS`: account IDs, account root ARNs, user/role ARNs, unique IDs, or `*`.
    pub aws: Vec<String>,
    /// `Service`: service principals such as `ec2.amazonaws.com`.
    pub service: Vec<String>,
    /// `Federated`: SAML provider ARNs or web identity providers.
    pub federated: Vec<String>,
    /// `CanonicalUser`: S3 canonical user IDs.
    pub canonical_user: Vec<String>,
}

impl PrincipalSpec {
    /// True for `"*"` and for an `AWS` entry `"*"` (both mean every AWS principal).
    pub fn is_everyone(&self) -> bool {
        match self {
            PrincipalSpec::Everyone => true,
            PrincipalSpec::Principals(map) => map.aws.iter().any(|a| a == "*"),
        }
    }

    /// The `AWS` principals (empty for `"*"`).
    pub fn aws(&self) -> &[String] {
        self.map().map_or(&[], |m| &m.aws)
    }

    /// The `Service` principals (empty for `"*"`).
    pub fn service(&self) -> &[String] {
        self.map().map_or(&[], |m| &m.service)
    }

    /// The `Federated` principals (empty for `"*"`).
    pub fn federated(&self) -> &[String] {
        self.map().map_or(&[], |m| &m.federated)
    }

    /// The `CanonicalUser` principals (empty for `"*"`).
    pub fn canonical_user(&self) -> &[String] {
        self.map().map_or(&[], |m| &m.canonical_user)
    }

    fn map(&self) -> Option<&PrincipalMap> {
        match self {
            PrincipalSpec::Everyone => None,
            PrincipalSpec::Principals(map) => Some(map),
        }
    }
}

/// One (operator, key, values) test of a `Condition` block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    /// The operator, e.g. `ForAnyValue:StringLikeIfExists`.
    pub operator: ConditionOperator,
    /// The condition key, e.g. `aws:MultiFactorAuthPresent`.
    pub key: ConditionKey,
    /// The policy's values as strings: JSON `true` becomes `"true"`, `60` becomes `"60"`.
    pub values: Vec<String>,
    /// JSON Pointer of this key's value: `.../Condition/OPERATOR/KEY`.
    pub pointer: String,
}

impl Condition {
    /// True when the key is `aws:MultiFactorAuthPresent` or `aws:MultiFactorAuthAge`.
    pub fn is_on_mfa_key(&self) -> bool {
        self.key.is(crate::policy::MFA_PRESENT_KEY) || self.key.is(crate::policy::MFA_AGE_KEY)
    }
}

impl fmt::Display for Condition {
    /// Readable form: `IpAddress aws:SourceIp ["10.0.0.0/8"]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {}",
            self.operator.raw,
            self.key.name,
            render_values(&self.values)
        )
    }
}

/// Renders condition values as a JSON array of strings: `["a", "b"]`.
pub(crate) fn render_values(values: &[String]) -> String {
    let quoted: Vec<String> = values
        .iter()
        .map(|v| serde_json::Value::String(v.clone()).to_string())
        .collect();
    format!("[{}]", quoted.join(", "))
}

/// A condition key name. AWS compares key names case-insensitively (ASCII case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionKey {
    /// The key as written in the policy.
    pub name: String,
    /// The key lower-cased, for comparisons.
    pub lower: String,
}

impl ConditionKey {
    /// A key from its written name.
    pub fn new(name: &str) -> Self {
        ConditionKey {
            name: name.to_string(),
            lower: name.to_ascii_lowercase(),
        }
    }

    /// True when this key is `other`, compared case-insensitively.
    pub fn is(&self, other: &str) -> bool {
        self.lower.eq_ignore_ascii_case(other)
    }
}

/// A condition operator, split into its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionOperator {
    /// The operator exactly as written, e.g. `ForAllValues:StringLikeIfExists`.
    pub raw: String,
    /// The set prefix, `ForAnyValue:` or `ForAllValues:`, when written.
    pub set: Option<SetQualifier>,
    /// The base operator, without set prefix and `IfExists` suffix.
    pub base: BaseOperator,
    /// True when the operator ends in `IfExists`.
    pub if_exists: bool,
}

impl ConditionOperator {
    /// Splits an operator name (matched case-insensitively) into prefix, base and `IfExists`.
    /// A name this module does not know becomes [`BaseOperator::Unknown`]; so does
    /// `NullIfExists` and any other prefix than `ForAnyValue:`/`ForAllValues:`.
    pub fn parse(raw: &str) -> Self {
        let lower = raw.to_ascii_lowercase();
        let (set, rest) = if let Some(rest) = lower.strip_prefix("foranyvalue:") {
            (Some(SetQualifier::ForAnyValue), rest)
        } else if let Some(rest) = lower.strip_prefix("forallvalues:") {
            (Some(SetQualifier::ForAllValues), rest)
        } else {
            (None, lower.as_str())
        };
        let (if_exists, base_name) = match rest.strip_suffix("ifexists") {
            Some(base) => (true, base),
            None => (false, rest),
        };
        let base = match BaseOperator::from_lower_name(base_name) {
            Some(BaseOperator::Null) if if_exists => None,
            known => known,
        };
        let base = base.unwrap_or_else(|| BaseOperator::Unknown(raw.to_string()));
        ConditionOperator {
            raw: raw.to_string(),
            set,
            base,
            if_exists,
        }
    }

    /// True for the negated operators (`StringNotEquals`, `NotIpAddress`, `ArnNotLike`, ...),
    /// which are true on an absent key and combine their values with NOR.
    pub fn is_negated(&self) -> bool {
        self.base.is_negated()
    }

    /// True when the base operator is not one this module knows.
    pub fn is_unknown(&self) -> bool {
        matches!(self.base, BaseOperator::Unknown(_))
    }
}

/// The set prefix of a condition operator, for multivalued keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SetQualifier {
    /// `ForAnyValue:`: at least one request value must satisfy the operator; false when the
    /// key is absent.
    ForAnyValue,
    /// `ForAllValues:`: every request value must satisfy the operator; true when the key is
    /// absent.
    ForAllValues,
}

/// A condition operator without set prefix and `IfExists` suffix.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum BaseOperator {
    /// Exact, case-sensitive string match.
    StringEquals,
    /// Negated `StringEquals`.
    StringNotEquals,
    /// String match ignoring case.
    StringEqualsIgnoreCase,
    /// Negated `StringEqualsIgnoreCase`.
    StringNotEqualsIgnoreCase,
    /// Case-sensitive match with `*` and `?` wildcards.
    StringLike,
    /// Negated `StringLike`.
    StringNotLike,
    /// Numbers equal.
    NumericEquals,
    /// Negated `NumericEquals`.
    NumericNotEquals,
    /// Request value < policy value.
    NumericLessThan,
    /// Request value <= policy value.
    NumericLessThanEquals,
    /// Request value > policy value.
    NumericGreaterThan,
    /// Request value >= policy value.
    NumericGreaterThanEquals,
    /// Dates equal.
    DateEquals,
    /// Negated `DateEquals`.
    DateNotEquals,
    /// Request date before policy date.
    DateLessThan,
    /// Request date at or before policy date.
    DateLessThanEquals,
    /// Request date after policy date.
    DateGreaterThan,
    /// Request date at or after policy date.
    DateGreaterThanEquals,
    /// Boolean equality (`true`/`false`, any case).
    Bool,
    /// Base64 binary equality.
    BinaryEquals,
    /// Request IP inside a policy CIDR.
    IpAddress,
    /// Negated `IpAddress`.
    NotIpAddress,
    /// ARN match, each colon-delimited part with wildcards (same as `ArnLike`).
    ArnEquals,
    /// Negated `ArnEquals`.
    ArnNotEquals,
    /// ARN match, each colon-delimited part with wildcards.
    ArnLike,
    /// Negated `ArnLike`.
    ArnNotLike,
    /// Tests absence: `true` holds when the key is absent, `false` when present.
    Null,
    /// An operator this module does not know; holds the whole operator text as written.
    /// Its conditions evaluate to "may hold" and are listed by `unknown_operators()`.
    Unknown(String),
}

/// Known base operators with their canonical names.
const BASE_OPERATORS: [(BaseOperator, &str); 27] = [
    (BaseOperator::StringEquals, "StringEquals"),
    (BaseOperator::StringNotEquals, "StringNotEquals"),
    (
        BaseOperator::StringEqualsIgnoreCase,
        "StringEqualsIgnoreCase",
    ),
    (
        BaseOperator::StringNotEqualsIgnoreCase,
        "StringNotEqualsIgnoreCase",
    ),
    (BaseOperator::StringLike, "StringLike"),
    (BaseOperator::StringNotLike, "StringNotLike"),
    (BaseOperator::NumericEquals, "NumericEquals"),
    (BaseOperator::NumericNotEquals, "NumericNotEquals"),
    (BaseOperator::NumericLessThan, "NumericLessThan"),
    (BaseOperator::NumericLessThanEquals, "NumericLessThanEquals"),
    (BaseOperator::NumericGreaterThan, "NumericGreaterThan"),
    (
        BaseOperator::NumericGreaterThanEquals,
        "NumericGreaterThanEquals",
    ),
    (BaseOperator::DateEquals, "DateEquals"),
    (BaseOperator::DateNotEquals, "DateNotEquals"),
    (BaseOperator::DateLessThan, "DateLessThan"),
    (BaseOperator::DateLessThanEquals, "DateLessThanEquals"),
    (BaseOperator::DateGreaterThan, "DateGreaterThan"),
    (BaseOperator::DateGreaterThanEquals, "DateGreaterThanEquals"),
    (BaseOperator::Bool, "Bool"),
    (BaseOperator::BinaryEquals, "BinaryEquals"),
    (BaseOperator::IpAddress, "IpAddress"),
    (BaseOperator::NotIpAddress, "NotIpAddress"),
    (BaseOperator::ArnEquals, "ArnEquals"),
    (BaseOperator::ArnNotEquals, "ArnNotEquals"),
    (BaseOperator::ArnLike, "ArnLike"),
    (BaseOperator::ArnNotLike, "ArnNotLike"),
    (BaseOperator::Null, "Null"),
];

impl BaseOperator {
    fn from_lower_name(lower: &str) -> Option<BaseOperator> {
        BASE_OPERATORS
            .iter()
            .find(|(_, name)| name.eq_ignore_ascii_case(lower))
            .map(|(op, _)| op.clone())
    }

    /// The canonical name (`StringNotEquals`), or the text as written for `Unknown`.
    pub fn name(&self) -> &str {
        if let BaseOperator::Unknown(raw) = self {
            return raw;
        }
        BASE_OPERATORS
            .iter()
            .find(|(op, _)| op == self)
            .map_or("", |(_, name)| name)
    }

    /// True for the eight negated operators named in SPEC: `StringNotEquals`,
    /// `StringNotEqualsIgnoreCase`, `StringNotLike`, `NumericNotEquals`, `DateNotEquals`,
    /// `NotIpAddress`, `ArnNotEquals`, `ArnNotLike`.
    pub fn is_negated(&self) -> bool {
        matches!(
            self,
            BaseOperator::StringNotEquals
                | BaseOperator::StringNotEqualsIgnoreCase
                | BaseOperator::StringNotLike
                | BaseOperator::NumericNotEquals
                | BaseOperator::DateNotEquals
                | BaseOperator::NotIpAddress
                | BaseOperator::ArnNotEquals
                | BaseOperator::ArnNotLike
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operator_with_prefix_and_if_exists() {
        let op = ConditionOperator::parse("ForAllValues:StringLikeIfExists");
        assert_eq!(op.set, Some(SetQualifier::ForAllValues));
        assert_eq!(op.base, BaseOperator::StringLike);
        assert!(op.if_exists);
        assert_eq!(op.raw, "ForAllValues:StringLikeIfExists");
    }

    #[test]
    fn operator_names_are_case_insensitive() {
        let op = ConditionOperator::parse("boolifexists");
        assert_eq!(op.base, BaseOperator::Bool);
        assert!(op.if_exists);
        assert_eq!(
            ConditionOperator::parse("FORANYVALUE:stringequals").set,
            Some(SetQualifier::ForAnyValue)
        );
    }

    #[test]
    fn unknown_operators_are_kept_with_their_text() {
        for raw in [
            "StringStartsWith",
            "NullIfExists",
            "ForSomeValues:StringEquals",
            "",
        ] {
            let op = ConditionOperator::parse(raw);
            assert_eq!(op.base, BaseOperator::Unknown(raw.to_string()), "{raw}");
            assert!(op.is_unknown());
        }
    }

    #[test]
    fn every_negated_operator_is_flagged() {
        let negated: Vec<&str> = BASE_OPERATORS
            .iter()
            .filter(|(op, _)| op.is_negated())
            .map(|(_, n)| *n)
            .collect();
        assert_eq!(
            negated,
            [
                "StringNotEquals",
                "StringNotEqualsIgnoreCase",
                "StringNotLike",
                "NumericNotEquals",
                "DateNotEquals",
                "NotIpAddress",
                "ArnNotEquals",
                "ArnNotLike"
            ]
        );
    }

    #[test]
    fn names_round_trip() {
        for (op, name) in &BASE_OPERATORS {
            assert_eq!(op.name(), *name);
            assert_eq!(ConditionOperator::parse(name).base, *op);
        }
    }
}
