//! Condition evaluation: a pure function of (conditions, request context) with a three-valued
//! answer. The rules are SPEC "Decisions on edge cases", applied uniformly to every operator:
//!
//! - a key the context does not know makes its condition [`Truth::MayHold`];
//! - on an absent key: `ForAllValues:` is true and `ForAnyValue:` false (decided first, negated
//!   or not); `Null` tests absence itself; `...IfExists` and the negated operators are true;
//!   every other operator is false;
//! - on a present key: OR across the policy's values (NOR for negated operators);
//! - AND across keys and operators.
//!
//! An operator this module does not know, or a value it cannot read for its operator (a
//! `Bool` of `"yes"`, a `Numeric*` of `"abc"`, a policy variable `${...}`, any `Date*` or
//! `BinaryEquals` on a present key), is [`Truth::MayHold`]: the tool says what it cannot
//! decide rather than guessing.

use std::net::IpAddr;

use super::context::{Context, KeyState};
use super::matching::wildcard_match;
use super::model::{BaseOperator, Condition, SetQualifier};

/// A three-valued truth: Kleene logic, where `MayHold` means "depends on what the request
/// context does not know".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Truth {
    /// Holds in the context.
    True,
    /// Cannot hold in the context.
    False,
    /// Depends on keys (or operators, or values) the context cannot decide.
    MayHold,
}

impl Truth {
    /// `True` or `False` from a boolean.
    pub fn from_bool(b: bool) -> Truth {
        if b { Truth::True } else { Truth::False }
    }

    /// Kleene AND: `False` wins, then `MayHold`.
    pub fn and(self, other: Truth) -> Truth {
        match (self, other) {
            (Truth::False, _) | (_, Truth::False) => Truth::False,
            (Truth::MayHold, _) | (_, Truth::MayHold) => Truth::MayHold,
            _ => Truth::True,
        }
    }

    /// Kleene OR: `True` wins, then `MayHold`.
    pub fn or(self, other: Truth) -> Truth {
        match (self, other) {
            (Truth::True, _) | (_, Truth::True) => Truth::True,
            (Truth::MayHold, _) | (_, Truth::MayHold) => Truth::MayHold,
            _ => Truth::False,
        }
    }

    /// Kleene NOT: `MayHold` stays `MayHold`.
    #[allow(clippy::should_implement_trait)]
    pub fn not(self) -> Truth {
        match self {
            Truth::True => Truth::False,
            Truth::False => Truth::True,
            Truth::MayHold => Truth::MayHold,
        }
    }

    /// AND over all items (`True` when empty).
    pub fn all(items: impl IntoIterator<Item = Truth>) -> Truth {
        items.into_iter().fold(Truth::True, Truth::and)
    }

    /// OR over all items (`False` when empty).
    pub fn any(items: impl IntoIterator<Item = Truth>) -> Truth {
        items.into_iter().fold(Truth::False, Truth::or)
    }
}

/// Evaluates a whole condition block in `context`: AND across all its conditions (`True`
/// for a statement without conditions).
pub fn evaluate_conditions(conditions: &[Condition], context: Context) -> Truth {
    Truth::all(conditions.iter().map(|c| evaluate_condition(c, context)))
}

/// Evaluates one (operator, key, values) condition in `context`.
pub fn evaluate_condition(condition: &Condition, context: Context) -> Truth {
    let operator = &condition.operator;
    if operator.is_unknown() {
        return Truth::MayHold;
    }
    match context.lookup(&condition.key.lower) {
        KeyState::Unknown => Truth::MayHold,
        KeyState::Absent => match operator.set {
            Some(SetQualifier::ForAllValues) => Truth::True,
            Some(SetQualifier::ForAnyValue) => Truth::False,
            None if operator.base == BaseOperator::Null => null_test(&condition.values, true),
            None if operator.if_exists || operator.is_negated() => Truth::True,
            None => Truth::False,
        },
        KeyState::Present(request_values) => {
            if operator.base == BaseOperator::Null {
                return null_test(&condition.values, false);
            }
            let one_request_value = |request: &str| {
                let positive = Truth::any(
                    condition
                        .values
                        .iter()
                        .map(|v| positive_match(&operator.base, request, v)),
                );
                if operator.is_negated() {
                    positive.not()
                } else {
                    positive
                }
            };
            let per_value = request_values.iter().map(|r| one_request_value(r));
            match operator.set {
                Some(SetQualifier::ForAllValues) => Truth::all(per_value),
                Some(SetQualifier::ForAnyValue) | None => Truth::any(per_value),
            }
        }
    }
}

/// `Null`: each policy value `true` means "the key is absent", `false` "present"; OR across
/// values.
fn null_test(values: &[String], absent: bool) -> Truth {
    Truth::any(values.iter().map(|v| match parse_bool(v) {
        Some(wants_absent) => Truth::from_bool(wants_absent == absent),
        None => Truth::MayHold,
    }))
}

/// Whether one request value matches one policy value under the positive form of `base`
/// (`StringNotEquals` compares as `StringEquals`; the caller negates).
fn positive_match(base: &BaseOperator, request: &str, policy: &str) -> Truth {
    use BaseOperator as B;
    match base {
        B::StringEquals | B::StringNotEquals => string_test(policy, || request == policy),
        B::StringEqualsIgnoreCase | B::StringNotEqualsIgnoreCase => {
            string_test(policy, || request.to_lowercase() == policy.to_lowercase())
        }
        B::StringLike | B::StringNotLike => {
            string_test(policy, || wildcard_match(policy, request, false))
        }
        B::NumericEquals | B::NumericNotEquals => numeric(request, policy, |r, p| r == p),
        B::NumericLessThan => numeric(request, policy, |r, p| r < p),
        B::NumericLessThanEquals => numeric(request, policy, |r, p| r <= p),
        B::NumericGreaterThan => numeric(request, policy, |r, p| r > p),
        B::NumericGreaterThanEquals => numeric(request, policy, |r, p| r >= p),
        B::Bool => match (parse_bool(request), parse_bool(policy)) {
            (Some(r), Some(p)) => Truth::from_bool(r == p),
            _ => Truth::MayHold,
        },
        B::IpAddress | B::NotIpAddress => ip_in_range(request, policy),
        B::ArnEquals | B::ArnNotEquals | B::ArnLike | B::ArnNotLike => {
            string_test(policy, || arn_matches(policy, request))
        }
        // No modelled key holds a date or binary value; comparing would be a guess.
        B::DateEquals
        | B::DateNotEquals
        | B::DateLessThan
        | B::DateLessThanEquals
        | B::DateGreaterThan
        | B::DateGreaterThanEquals
        | B::BinaryEquals => Truth::MayHold,
        B::Null | B::Unknown(_) => Truth::MayHold,
    }
}

/// A string comparison, unless the policy value holds a policy variable (`${aws:username}`),
/// whose value the context does not know.
fn string_test(policy: &str, compare: impl FnOnce() -> bool) -> Truth {
    if policy.contains("${") {
        Truth::MayHold
    } else {
        Truth::from_bool(compare())
    }
}

fn numeric(request: &str, policy: &str, compare: impl FnOnce(f64, f64) -> bool) -> Truth {
    match (request.trim().parse::<f64>(), policy.trim().parse::<f64>()) {
        (Ok(r), Ok(p)) if r.is_finite() && p.is_finite() => Truth::from_bool(compare(r, p)),
        _ => Truth::MayHold,
    }
}

/// `true`/`false` in any case.
fn parse_bool(text: &str) -> Option<bool> {
    if text.eq_ignore_ascii_case("true") {
        Some(true)
    } else if text.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// ARN matching as AWS documents it for `ArnLike`/`ArnEquals`: each of the six
/// colon-delimited parts is matched separately, with `*` and `?`, case-sensitively.
/// A request value that is not an ARN matches nothing.
fn arn_matches(pattern: &str, arn: &str) -> bool {
    let pattern_parts: Vec<&str> = pattern.splitn(6, ':').collect();
    let arn_parts: Vec<&str> = arn.splitn(6, ':').collect();
    pattern_parts.len() == 6
        && arn_parts.len() == 6
        && pattern_parts
            .iter()
            .zip(&arn_parts)
            .all(|(p, a)| wildcard_match(p, a, false))
}

/// `IpAddress`: the request address inside the policy's address or CIDR range. A request
/// value that is not an address matches nothing; a policy range that does not parse is
/// `MayHold`.
fn ip_in_range(request: &str, policy: &str) -> Truth {
    let Some((network, prefix)) = parse_cidr(policy) else {
        return Truth::MayHold;
    };
    let Ok(address) = request.trim().parse::<IpAddr>() else {
        return Truth::False;
    };
    let inside = match (network, address) {
        (IpAddr::V4(n), IpAddr::V4(a)) => {
            let mask = u32::MAX.checked_shl(32 - prefix).unwrap_or(0);
            u32::from(n) & mask == u32::from(a) & mask
        }
        (IpAddr::V6(n), IpAddr::V6(a)) => {
            let mask = u128::MAX.checked_shl(128 - prefix).unwrap_or(0);
            u128::from(n) & mask == u128::from(a) & mask
        }
        _ => false,
    };
    Truth::from_bool(inside)
}

fn parse_cidr(text: &str) -> Option<(IpAddr, u32)> {
    let text = text.trim();
    let (address, prefix) = match text.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (text, None),
    };
    let address: IpAddr = address.parse().ok()?;
    let max = if address.is_ipv4() { 32 } else { 128 };
    let prefix = match prefix {
        Some(p) => p.parse::<u32>().ok().filter(|p| *p <= max)?,
        None => max,
    };
    Some((address, prefix))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::model::{ConditionKey, ConditionOperator};

    fn cond(operator: &str, key: &str, values: &[&str]) -> Condition {
        Condition {
            operator: ConditionOperator::parse(operator),
            key: ConditionKey::new(key),
            values: values.iter().map(|v| v.to_string()).collect(),
            pointer: String::new(),
        }
    }

    fn in_ksm(operator: &str, key: &str, values: &[&str]) -> [Truth; 3] {
        let c = cond(operator, key, values);
        Context::ALL.map(|ctx| evaluate_condition(&c, ctx))
    }

    use Truth::{False as F, MayHold as U, True as T};

    #[test]
    fn kleene_logic() {
        assert_eq!(T.and(U), U);
        assert_eq!(F.and(U), F);
        assert_eq!(T.or(U), T);
        assert_eq!(F.or(U), U);
        assert_eq!(U.not(), U);
        assert_eq!(Truth::all([]), T);
        assert_eq!(Truth::any([]), F);
    }

    #[test]
    fn ip_ranges() {
        assert_eq!(ip_in_range("10.1.2.3", "10.0.0.0/8"), T);
        assert_eq!(ip_in_range("11.1.2.3", "10.0.0.0/8"), F);
        assert_eq!(ip_in_range("11.1.2.3", "0.0.0.0/0"), T);
        assert_eq!(ip_in_range("10.0.0.1", "10.0.0.1"), T);
        assert_eq!(ip_in_range("2001:db8::1", "2001:db8::/32"), T);
        assert_eq!(ip_in_range("10.0.0.1", "2001:db8::/32"), F);
        assert_eq!(ip_in_range("true", "10.0.0.0/8"), F);
        assert_eq!(ip_in_range("10.0.0.1", "10.0.0.0/33"), U);
    }

    #[test]
    fn arns_match_part_by_part() {
        assert!(arn_matches(
            "arn:aws:iam::*:role/Admin*",
            "arn:aws:iam::123456789012:role/AdminX"
        ));
        assert!(!arn_matches(
            "arn:aws:iam::*:role/*",
            "arn:aws:sts::1:role/x"
        ));
        assert!(!arn_matches("arn:*", "arn:aws:iam::1:root"));
        assert!(!arn_matches("arn:aws:iam::1:root", "true"));
    }

    #[test]
    fn unknown_key_may_hold_for_every_operator() {
        for op in [
            "StringEquals",
            "StringNotEquals",
            "Null",
            "IpAddress",
            "BoolIfExists",
        ] {
            assert_eq!(
                in_ksm(op, "aws:SourceIp", &["10.0.0.0/8"]),
                [U, U, U],
                "{op}"
            );
        }
    }

    #[test]
    fn unknown_operator_on_known_key_may_hold() {
        assert_eq!(
            in_ksm("StringStartsWith", "aws:MultiFactorAuthPresent", &["t"]),
            [U, U, U]
        );
    }

    #[test]
    fn via_aws_service_false_in_every_context() {
        assert_eq!(in_ksm("Bool", "aws:ViaAWSService", &["false"]), [T, T, T]);
        assert_eq!(in_ksm("Bool", "aws:ViaAWSService", &["true"]), [F, F, F]);
    }

    #[test]
    fn policy_variable_values_may_hold() {
        assert_eq!(
            in_ksm("StringEquals", "aws:MultiFactorAuthPresent", &["${aws:x}"]),
            [F, U, U]
        );
    }
}
