//! Property tests of the policy module:
//! - normalization does not change a verdict (string vs one-element array, key order, operator
//!   and key case, `true` vs `"true"`, object vs URL-encoded vs JSON-text document, Statement
//!   object vs one-element array, whitespace);
//! - differential: the condition evaluator against a deliberately simple second
//!   implementation written here, in K, S and M.

use std::collections::BTreeMap;

use iam_evidence::policy::{
    Applicability, Context, Policy, Truth, allow_requires_mfa, evaluate_conditions,
    parse_export_document, statement_applies,
};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::Value;

const P: &str = "aws:MultiFactorAuthPresent";
const AGE: &str = "aws:MultiFactorAuthAge";

// --- a tiny JSON writer that controls key order and whitespace ------------------------------

#[derive(Debug, Clone, PartialEq)]
enum Scalar {
    Str(String),
    Bool(bool),
    Num(i64),
}

impl Scalar {
    fn as_policy_string(&self) -> String {
        match self {
            Scalar::Str(s) => s.clone(),
            Scalar::Bool(b) => b.to_string(),
            Scalar::Num(n) => n.to_string(),
        }
    }
}

enum J {
    S(Scalar),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

struct Style {
    reverse_keys: bool,
    pretty: bool,
}

fn write_json(j: &J, style: &Style, depth: usize, out: &mut String) {
    let newline = |out: &mut String, depth: usize| {
        if style.pretty {
            out.push('\n');
            out.push_str(&"    ".repeat(depth));
        }
    };
    match j {
        J::S(Scalar::Str(s)) => out.push_str(&Value::String(s.clone()).to_string()),
        J::S(Scalar::Bool(b)) => out.push_str(&b.to_string()),
        J::S(Scalar::Num(n)) => out.push_str(&n.to_string()),
        J::Arr(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, depth + 1);
                write_json(item, style, depth + 1, out);
            }
            newline(out, depth);
            out.push(']');
        }
        J::Obj(fields) => {
            let mut fields: Vec<&(String, J)> = fields.iter().collect();
            if style.reverse_keys {
                fields.reverse();
            }
            out.push('{');
            for (i, (k, v)) in fields.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, depth + 1);
                out.push_str(&Value::String(k.clone()).to_string());
                out.push_str(if style.pretty { ": " } else { ":" });
                write_json(v, style, depth + 1, out);
            }
            newline(out, depth);
            out.push('}');
        }
    }
}

// --- generated statements and the ways to write them -----------------------------------------

type Block = BTreeMap<String, BTreeMap<String, Vec<Scalar>>>;

#[derive(Debug, Clone)]
struct GenStatement {
    sid: Option<String>,
    deny: bool,
    not_action: bool,
    actions: Vec<String>,
    resources: Option<Vec<String>>,
    principal_aws: Option<Vec<String>>,
    conditions: Block,
}

#[derive(Debug, Clone)]
struct Variant {
    singletons_as_strings: bool,
    reverse_keys: bool,
    pretty: bool,
    case_seed: u64,
    scalars_as_strings: bool,
    /// 0: JSON object, 1: URL-encoded string, 2: JSON text string.
    form: u8,
    statement_as_object: bool,
}

const CANONICAL: Variant = Variant {
    singletons_as_strings: false,
    reverse_keys: false,
    pretty: false,
    case_seed: 0,
    scalars_as_strings: false,
    form: 0,
    statement_as_object: false,
};

/// Flips the case of letters pseudo-randomly from `seed` (0 leaves the text alone).
fn mangle_case(text: &str, seed: u64) -> String {
    if seed == 0 {
        return text.to_string();
    }
    let mut state = seed;
    text.chars()
        .map(|c| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            if state >> 63 == 1 {
                if c.is_ascii_uppercase() {
                    c.to_ascii_lowercase()
                } else {
                    c.to_ascii_uppercase()
                }
            } else {
                c
            }
        })
        .collect()
}

fn list(items: &[String], v: &Variant) -> J {
    if v.singletons_as_strings && items.len() == 1 {
        J::S(Scalar::Str(items[0].clone()))
    } else {
        J::Arr(items.iter().map(|s| J::S(Scalar::Str(s.clone()))).collect())
    }
}

fn scalar(s: &Scalar, v: &Variant) -> J {
    if v.scalars_as_strings {
        J::S(Scalar::Str(s.as_policy_string()))
    } else {
        J::S(s.clone())
    }
}

fn condition_json(block: &Block, v: &Variant) -> J {
    J::Obj(
        block
            .iter()
            .enumerate()
            .map(|(i, (op, keys))| {
                let keys = keys
                    .iter()
                    .enumerate()
                    .map(|(j, (key, values))| {
                        let seed = v.case_seed.wrapping_add(1 + i as u64 * 31 + j as u64);
                        let values = if v.singletons_as_strings && values.len() == 1 {
                            scalar(&values[0], v)
                        } else {
                            J::Arr(values.iter().map(|s| scalar(s, v)).collect())
                        };
                        let key = if v.case_seed == 0 {
                            key.clone()
                        } else {
                            mangle_case(key, seed)
                        };
                        (key, values)
                    })
                    .collect();
                let op = if v.case_seed == 0 {
                    op.clone()
                } else {
                    mangle_case(op, v.case_seed.wrapping_add(7 + i as u64))
                };
                (op, J::Obj(keys))
            })
            .collect(),
    )
}

fn statement_json(s: &GenStatement, v: &Variant) -> J {
    let mut fields = Vec::new();
    if let Some(sid) = &s.sid {
        fields.push(("Sid".to_string(), J::S(Scalar::Str(sid.clone()))));
    }
    let effect = if s.deny { "Deny" } else { "Allow" };
    fields.push(("Effect".into(), J::S(Scalar::Str(effect.into()))));
    let action_key = if s.not_action { "NotAction" } else { "Action" };
    fields.push((action_key.into(), list(&s.actions, v)));
    if let Some(resources) = &s.resources {
        fields.push(("Resource".into(), list(resources, v)));
    }
    if let Some(aws) = &s.principal_aws {
        fields.push((
            "Principal".into(),
            J::Obj(vec![("AWS".into(), list(aws, v))]),
        ));
    }
    if !s.conditions.is_empty() {
        fields.push(("Condition".into(), condition_json(&s.conditions, v)));
    }
    J::Obj(fields)
}

fn document(statements: &[GenStatement], v: &Variant) -> Value {
    let statement = if v.statement_as_object && statements.len() == 1 {
        statement_json(&statements[0], v)
    } else {
        J::Arr(statements.iter().map(|s| statement_json(s, v)).collect())
    };
    let doc = J::Obj(vec![
        ("Version".into(), J::S(Scalar::Str("2012-10-17".into()))),
        ("Statement".into(), statement),
    ]);
    let mut text = String::new();
    let style = Style {
        reverse_keys: v.reverse_keys,
        pretty: v.pretty,
    };
    write_json(&doc, &style, 0, &mut text);
    match v.form {
        0 => serde_json::from_str(&text).unwrap(),
        1 => Value::String(utf8_percent_encode(&text, NON_ALPHANUMERIC).to_string()),
        _ => Value::String(text),
    }
}

// --- what "the verdict" is -----------------------------------------------------------------

#[derive(Debug, PartialEq)]
struct StatementVerdict {
    sid: Option<String>,
    deny: bool,
    applies: Vec<(char, Vec<String>)>,
    requires_mfa: bool,
    mentions_mfa: bool,
    covers_all_actions: bool,
    assume_role: Vec<&'static str>,
    covers_get_object: bool,
    resources_all: bool,
    exemptions: Option<Vec<String>>,
    everyone: Option<bool>,
    unknown_operators: usize,
}

fn verdict(policy: &Policy) -> Vec<StatementVerdict> {
    policy
        .statements
        .iter()
        .map(|s| StatementVerdict {
            sid: s.sid.clone(),
            deny: s.is_deny(),
            applies: Context::ALL
                .iter()
                .map(|&c| match statement_applies(s, c) {
                    Applicability::Always => ('A', vec![]),
                    Applicability::Never => ('N', vec![]),
                    Applicability::Narrowed(n) => {
                        let mut n: Vec<String> = n
                            .iter()
                            .map(|n| {
                                format!(
                                    "{} {} {:?}",
                                    n.operator.to_lowercase(),
                                    n.key.to_lowercase(),
                                    n.values
                                )
                            })
                            .collect();
                        n.sort();
                        ('~', n)
                    }
                })
                .collect(),
            requires_mfa: allow_requires_mfa(s),
            mentions_mfa: s.mentions_mfa_key(),
            covers_all_actions: s.actions.covers_all_actions(),
            assume_role: s.actions.assume_role_actions(),
            covers_get_object: s.actions.covers("s3:GetObject"),
            resources_all: s.resources.is_all(),
            exemptions: s.actions.not_action_exemptions().map(<[_]>::to_vec),
            everyone: s.principal.as_ref().map(|p| p.is_everyone()),
            unknown_operators: s.unknown_operators().count(),
        })
        .collect()
}

// --- strategies ----------------------------------------------------------------------------

const OPERATORS: [&str; 14] = [
    "Bool",
    "BoolIfExists",
    "Null",
    "StringEquals",
    "StringNotEquals",
    "StringLike",
    "NumericLessThan",
    "NumericGreaterThanEqualsIfExists",
    "IpAddress",
    "NotIpAddress",
    "ForAnyValue:StringEquals",
    "ForAllValues:StringNotLike",
    "ArnLike",
    "StringStartsWith",
];

const KEYS: [&str; 5] = [
    P,
    AGE,
    "aws:ViaAWSService",
    "aws:SourceIp",
    "aws:PrincipalOrgID",
];

fn scalar_strategy() -> impl Strategy<Value = Scalar> {
    prop_oneof![
        select(vec![
            "true",
            "false",
            "TRUE",
            "60",
            "3600",
            "10.0.0.0/8",
            "f*",
            "o-abc",
            "arn:aws:iam::*:root",
        ])
        .prop_map(|s| Scalar::Str(s.to_string())),
        any::<bool>().prop_map(Scalar::Bool),
        select(vec![0i64, 59, 60, 61, 3600]).prop_map(Scalar::Num),
    ]
}

fn block_strategy(
    operators: &'static [&'static str],
    keys: &'static [&'static str],
) -> impl Strategy<Value = Block> {
    prop::collection::vec(
        (
            select(operators),
            select(keys),
            prop::collection::vec(scalar_strategy(), 1..3),
        ),
        0..4,
    )
    .prop_map(|parts| {
        let mut block = Block::new();
        for (op, key, values) in parts {
            block
                .entry(op.to_string())
                .or_default()
                .insert(key.to_string(), values);
        }
        block
    })
}

fn statement_strategy() -> impl Strategy<Value = GenStatement> {
    (
        prop::option::of(select(vec!["", "DenyWithoutMFA", "s1"]).prop_map(String::from)),
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec(
            select(vec![
                "*",
                "*:*",
                "sts:AssumeRole",
                "sts:Assume*",
                "iam:ChangePassword",
                "S3:getobject",
                "ec2:StopInstances",
            ])
            .prop_map(String::from),
            1..3,
        ),
        prop::option::of(prop::collection::vec(
            select(vec!["*", "arn:aws:s3:::b/*"]).prop_map(String::from),
            1..3,
        )),
        prop::option::of(prop::collection::vec(
            select(vec!["*", "arn:aws:iam::111122223333:root", "444455556666"])
                .prop_map(String::from),
            1..3,
        )),
        block_strategy(&OPERATORS, &KEYS),
    )
        .prop_map(
            |(sid, deny, not_action, actions, resources, principal_aws, conditions)| GenStatement {
                sid,
                deny,
                not_action,
                actions,
                resources,
                principal_aws,
                conditions,
            },
        )
}

fn variant_strategy() -> impl Strategy<Value = Variant> {
    (
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        prop_oneof![Just(0u64), any::<u64>()],
        any::<bool>(),
        0u8..3,
        any::<bool>(),
    )
        .prop_map(
            |(
                singletons_as_strings,
                reverse_keys,
                pretty,
                case_seed,
                scalars_as_strings,
                form,
                statement_as_object,
            )| Variant {
                singletons_as_strings,
                reverse_keys,
                pretty,
                case_seed,
                scalars_as_strings,
                form,
                statement_as_object,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Every way of writing the same statements gives the same verdicts.
    #[test]
    fn normalization_does_not_change_verdicts(
        statements in prop::collection::vec(statement_strategy(), 1..3),
        variant in variant_strategy(),
    ) {
        let canonical = parse_export_document(&document(&statements, &CANONICAL), "/D").unwrap();
        let varied = parse_export_document(&document(&statements, &variant), "/D").unwrap();
        prop_assert_eq!(verdict(&canonical), verdict(&varied));
    }

    /// Document form and whitespace do not change the model at all (the evidence JSON
    /// included): only the shape of the string differs.
    #[test]
    fn document_form_gives_the_same_model(
        statements in prop::collection::vec(statement_strategy(), 1..3),
        form in 0u8..3,
        pretty in any::<bool>(),
    ) {
        let variant = Variant { form, pretty, ..CANONICAL };
        let canonical = parse_export_document(&document(&statements, &CANONICAL), "/D").unwrap();
        let varied = parse_export_document(&document(&statements, &variant), "/D").unwrap();
        prop_assert_eq!(canonical, varied);
    }
}

#[test]
fn statement_object_and_one_element_array_differ_only_in_pointer() {
    let doc_object: Value = serde_json::from_str(
        r#"{"Statement": {"Effect": "Deny", "Action": "*", "Resource": "*",
            "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": false}}}}"#,
    )
    .unwrap();
    let doc_array: Value = serde_json::from_str(
        r#"{"Statement": [{"Effect": "Deny", "Action": ["*"], "Resource": ["*"],
            "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": ["false"]}}}]}"#,
    )
    .unwrap();
    let a = parse_export_document(&doc_object, "").unwrap();
    let b = parse_export_document(&doc_array, "").unwrap();
    assert_eq!(verdict(&a), verdict(&b));
    assert_eq!(a.statements[0].pointer, "/Statement");
    assert_eq!(b.statements[0].pointer, "/Statement/0");
}

// --- differential: a second, deliberately simple evaluator -----------------------------------

/// The request value of `key` in context `ctx`: `None` unknown key, `Some(None)` absent.
fn reference_request(key: &str, ctx: Context) -> Option<Option<&'static str>> {
    let key = key.to_lowercase();
    if key == P.to_lowercase() {
        Some(match ctx {
            Context::K => None,
            Context::S => Some("false"),
            Context::M => Some("true"),
        })
    } else if key == AGE.to_lowercase() {
        Some(if ctx == Context::M { Some("60") } else { None })
    } else {
        None
    }
}

fn reference_glob(p: &[char], t: &[char]) -> bool {
    match p.first() {
        None => t.is_empty(),
        Some('*') => reference_glob(&p[1..], t) || (!t.is_empty() && reference_glob(p, &t[1..])),
        Some('?') => !t.is_empty() && reference_glob(&p[1..], &t[1..]),
        Some(c) => t.first() == Some(c) && reference_glob(&p[1..], &t[1..]),
    }
}

fn reference_cidr_is_valid(v: &str) -> bool {
    let (addr, prefix) = v
        .split_once('/')
        .unwrap_or((v, if v.contains(':') { "128" } else { "32" }));
    match addr.parse::<std::net::IpAddr>() {
        Ok(a) => prefix
            .parse::<u32>()
            .is_ok_and(|p| p <= if a.is_ipv4() { 32 } else { 128 }),
        Err(_) => false,
    }
}

fn reference_bool(v: &str) -> Option<bool> {
    match v.to_lowercase().as_str() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// One request value against one policy value, for a positive operator (lower-case name).
fn reference_match(op: &str, r: &str, v: &str) -> Option<bool> {
    let num = |f: fn(f64, f64) -> bool| match (r.parse::<f64>(), v.parse::<f64>()) {
        (Ok(a), Ok(b)) => Some(f(a, b)),
        _ => None,
    };
    let variable = v.contains("${");
    match op {
        "stringequals" if !variable => Some(r == v),
        "stringequalsignorecase" if !variable => Some(r.to_lowercase() == v.to_lowercase()),
        "stringlike" if !variable => {
            let (p, t): (Vec<char>, Vec<char>) = (v.chars().collect(), r.chars().collect());
            Some(reference_glob(&p, &t))
        }
        "numericequals" => num(|a, b| a == b),
        "numericlessthan" => num(|a, b| a < b),
        "numericlessthanequals" => num(|a, b| a <= b),
        "numericgreaterthan" => num(|a, b| a > b),
        "numericgreaterthanequals" => num(|a, b| a >= b),
        "bool" => Some(reference_bool(r)? == reference_bool(v)?),
        // No request value of these contexts is an IP address or an ARN.
        "ipaddress" if reference_cidr_is_valid(v) => Some(false),
        "arnequals" | "arnlike" if !variable => Some(false),
        _ => None,
    }
}

const REFERENCE_OPERATORS: [&str; 27] = [
    "stringequals",
    "stringnotequals",
    "stringequalsignorecase",
    "stringnotequalsignorecase",
    "stringlike",
    "stringnotlike",
    "numericequals",
    "numericnotequals",
    "numericlessthan",
    "numericlessthanequals",
    "numericgreaterthan",
    "numericgreaterthanequals",
    "dateequals",
    "datenotequals",
    "datelessthan",
    "datelessthanequals",
    "dategreaterthan",
    "dategreaterthanequals",
    "bool",
    "binaryequals",
    "ipaddress",
    "notipaddress",
    "arnequals",
    "arnnotequals",
    "arnlike",
    "arnnotlike",
    "null",
];

fn reference_condition(op: &str, key: &str, values: &[String], ctx: Context) -> Option<bool> {
    let op = op.to_lowercase();
    let (set, rest) = match op.split_once(':') {
        Some(("foranyvalue", rest)) => ("any", rest),
        Some(("forallvalues", rest)) => ("all", rest),
        Some(_) => return None,
        None => ("", op.as_str()),
    };
    let (if_exists, base) = match rest.strip_suffix("ifexists") {
        Some(base) => (true, base),
        None => (false, rest),
    };
    if !REFERENCE_OPERATORS.contains(&base) || (base == "null" && if_exists) {
        return None;
    }
    // Every negated operator, and only those, has "not" in its name.
    let negated = base.contains("not");
    let any_of = |f: &dyn Fn(&str) -> Option<bool>| {
        let results: Vec<Option<bool>> = values.iter().map(|v| f(v)).collect();
        if results.contains(&Some(true)) {
            Some(true)
        } else if results.contains(&None) {
            None
        } else {
            Some(false)
        }
    };
    match reference_request(key, ctx)? {
        None if set == "all" => Some(true),
        None if set == "any" => Some(false),
        None if base == "null" => any_of(&|v| reference_bool(v)),
        None => Some(if_exists || negated),
        Some(_) if base == "null" => any_of(&|v| reference_bool(v).map(|b| !b)),
        Some(r) => {
            let positive = base.replacen("not", "", 1);
            let matched = any_of(&|v| reference_match(&positive, r, v));
            if negated {
                matched.map(|b| !b)
            } else {
                matched
            }
        }
    }
}

fn reference_block(block: &Block, ctx: Context) -> Option<bool> {
    let results: Vec<Option<bool>> = block
        .iter()
        .flat_map(|(op, keys)| {
            keys.iter().map(move |(key, values)| {
                let values: Vec<String> = values.iter().map(Scalar::as_policy_string).collect();
                reference_condition(op, key, &values, ctx)
            })
        })
        .collect();
    if results.contains(&Some(false)) {
        Some(false)
    } else if results.contains(&None) {
        None
    } else {
        Some(true)
    }
}

fn as_option(t: Truth) -> Option<bool> {
    match t {
        Truth::True => Some(true),
        Truth::False => Some(false),
        Truth::MayHold => None,
    }
}

/// Every known operator name, with and without prefix and `IfExists`, plus unknown ones.
fn all_operator_spellings() -> Vec<String> {
    const NAMES: [&str; 29] = [
        "StringEquals",
        "StringNotEquals",
        "StringEqualsIgnoreCase",
        "StringNotEqualsIgnoreCase",
        "StringLike",
        "StringNotLike",
        "NumericEquals",
        "NumericNotEquals",
        "NumericLessThan",
        "NumericLessThanEquals",
        "NumericGreaterThan",
        "NumericGreaterThanEquals",
        "DateEquals",
        "DateNotEquals",
        "DateLessThan",
        "DateLessThanEquals",
        "DateGreaterThan",
        "DateGreaterThanEquals",
        "Bool",
        "BinaryEquals",
        "IpAddress",
        "NotIpAddress",
        "ArnEquals",
        "ArnNotEquals",
        "ArnLike",
        "ArnNotLike",
        "Null",
        "StringStartsWith",
        "NumericBetween",
    ];
    let mut out = Vec::new();
    for prefix in ["", "ForAnyValue:", "ForAllValues:", "ForEach:"] {
        for name in NAMES {
            for suffix in ["", "IfExists"] {
                out.push(format!("{prefix}{name}{suffix}"));
            }
        }
    }
    out
}

const DIFF_VALUES: [&str; 16] = [
    "true",
    "false",
    "TRUE",
    "False",
    "60",
    "3600",
    "0",
    "59.5",
    "abc",
    "10.0.0.0/8",
    "10.0.0.0/99",
    "arn:aws:iam::*:root",
    "f*",
    "t?ue",
    "${aws:username}",
    "",
];

fn block_of(parts: &[(String, &str, Vec<String>)]) -> Block {
    let mut block = Block::new();
    for (op, key, values) in parts {
        block.entry(op.clone()).or_default().insert(
            key.to_string(),
            values.iter().map(|v| Scalar::Str(v.clone())).collect(),
        );
    }
    block
}

fn check_block(block: &Block) {
    let statement = GenStatement {
        sid: None,
        deny: false,
        not_action: false,
        actions: vec!["*".into()],
        resources: Some(vec!["*".into()]),
        principal_aws: None,
        conditions: block.clone(),
    };
    let policy = parse_export_document(&document(&[statement], &CANONICAL), "").unwrap();
    let parsed = &policy.statements[0];
    for ctx in Context::ALL {
        let ours = as_option(evaluate_conditions(&parsed.conditions, ctx));
        let reference = reference_block(block, ctx);
        assert_eq!(ours, reference, "{ctx:?} {block:?}");
        let applies = statement_applies(parsed, ctx);
        assert_eq!(applies.is_never(), reference == Some(false));
        assert_eq!(applies.is_always(), reference == Some(true));
    }
    let reference_requires = reference_block(block, Context::K) == Some(false)
        && reference_block(block, Context::S) == Some(false);
    assert_eq!(allow_requires_mfa(parsed), reference_requires, "{block:?}");
}

/// Every single condition: each operator spelling, on each MFA key and an unknown key, with
/// each value alone.
#[test]
fn differential_every_single_condition() {
    let mut checked = 0;
    for op in all_operator_spellings() {
        for key in [P, AGE, "aws:SourceIp"] {
            for value in DIFF_VALUES {
                check_block(&block_of(&[(op.clone(), key, vec![value.to_string()])]));
                checked += 1;
            }
        }
    }
    assert!(checked > 10_000);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Random blocks of up to four conditions with up to three values each.
    #[test]
    fn differential_random_blocks(
        parts in prop::collection::vec(
            (
                select(all_operator_spellings()),
                select(vec![P, AGE, "aws:SourceIp"]),
                prop::collection::vec(select(DIFF_VALUES.to_vec()).prop_map(String::from), 1..4),
            ),
            1..5,
        )
    ) {
        check_block(&block_of(&parts));
    }
}
