//! From a policy document as it sits in an export to the typed model. This is the only place
//! that reads `serde_json::Value`; every error names the JSON Pointer of the bad value.

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::error::PolicyError;
use super::model::{
    ActionSpec, Condition, ConditionKey, ConditionOperator, Effect, Policy, PrincipalMap,
    PrincipalSpec, ResourceSpec, Statement,
};
use crate::primitives::source::pointer_push;

/// What every document-shape error says was expected.
const EXPECTED_DOCUMENT: &str =
    "expected a policy document: a JSON object, JSON text, or URL-encoded JSON text";

/// Parses a policy document as found in an export: a JSON object (CLI, boto3), a URL-encoded
/// JSON string (raw API; `%7B%22Version%22...`), or a plain JSON text string. `pointer` is
/// the RFC 6901 JSON Pointer of the document in its file, e.g.
/// `/RoleDetailList/3/AssumeRolePolicyDocument`; statements and errors extend it.
pub fn parse_export_document(value: &Value, pointer: &str) -> Result<Policy, PolicyError> {
    let document = decode_document(value, pointer)?;
    parse_document(&document, pointer)
}

/// The document as a JSON value, decoding the string forms.
fn decode_document<'a>(value: &'a Value, pointer: &str) -> Result<Cow<'a, Value>, PolicyError> {
    let text = match value {
        Value::Object(_) => return Ok(Cow::Borrowed(value)),
        Value::String(text) => text,
        other => {
            return Err(PolicyError::new(
                pointer,
                format!("{EXPECTED_DOCUMENT}; found {}", kind(other)),
            ));
        }
    };
    let trimmed = text.trim_start_matches('\u{feff}').trim();
    if trimmed.starts_with('{') {
        return match serde_json::from_str(trimmed) {
            Ok(document) => Ok(Cow::Owned(document)),
            // `{` left as is but the rest URL-encoded (`{%22Version%22...`): some encoders
            // keep braces. Only when the text is not JSON as it stands.
            Err(_) if trimmed.contains('%') => url_decoded_json(trimmed, pointer),
            Err(e) => Err(not_json(pointer, &e)),
        };
    }
    if trimmed.starts_with('%') {
        return url_decoded_json(trimmed, pointer);
    }
    Err(PolicyError::new(
        pointer,
        format!("{EXPECTED_DOCUMENT}; found a string that is none of these"),
    ))
}

/// Percent-decodes `text` and parses the result as a JSON object.
fn url_decoded_json<'a>(text: &str, pointer: &str) -> Result<Cow<'a, Value>, PolicyError> {
    let decoded = percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .map_err(|_| PolicyError::new(pointer, "URL-encoded policy document is not valid UTF-8"))?;
    if !decoded.trim_start().starts_with('{') {
        return Err(PolicyError::new(
            pointer,
            format!("{EXPECTED_DOCUMENT}; the URL-decoded string is not a JSON object"),
        ));
    }
    serde_json::from_str(&decoded)
        .map(Cow::Owned)
        .map_err(|e| not_json(pointer, &e))
}

fn not_json(pointer: &str, error: &serde_json::Error) -> PolicyError {
    PolicyError::new(
        pointer,
        format!("{EXPECTED_DOCUMENT}; the string is not valid JSON: {error}"),
    )
}

fn parse_document(value: &Value, pointer: &str) -> Result<Policy, PolicyError> {
    let Value::Object(map) = value else {
        return Err(PolicyError::new(
            pointer,
            format!("expected a policy document object; found {}", kind(value)),
        ));
    };
    let version = optional_string(map, "Version", pointer)?;
    let id = optional_string(map, "Id", pointer)?;
    let statement_pointer = pointer_push(pointer, "Statement");
    let statements = match map.get("Statement") {
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, item)| parse_statement(item, &pointer_push(&statement_pointer, i)))
            .collect::<Result<Vec<_>, _>>()?,
        Some(one @ Value::Object(_)) => vec![parse_statement(one, &statement_pointer)?],
        Some(other) => {
            return Err(PolicyError::new(
                &statement_pointer,
                format!(
                    "expected a Statement object or array; found {}",
                    kind(other)
                ),
            ));
        }
        None => {
            return Err(PolicyError::new(
                pointer,
                "expected a Statement (object or array) in the policy document",
            ));
        }
    };
    Ok(Policy {
        version,
        id,
        statements,
        pointer: pointer.to_string(),
    })
}

fn parse_statement(value: &Value, pointer: &str) -> Result<Statement, PolicyError> {
    let Value::Object(map) = value else {
        return Err(PolicyError::new(
            pointer,
            format!("expected a statement object; found {}", kind(value)),
        ));
    };
    let sid = optional_string(map, "Sid", pointer)?;
    let effect = parse_effect(map, pointer)?;
    let actions = match (map.get("Action"), map.get("NotAction")) {
        (Some(v), None) => {
            ActionSpec::Action(string_or_array(v, &pointer_push(pointer, "Action"))?)
        }
        (None, Some(v)) => {
            ActionSpec::NotAction(string_or_array(v, &pointer_push(pointer, "NotAction"))?)
        }
        (Some(_), Some(_)) => {
            return Err(PolicyError::new(
                pointer,
                "expected either Action or NotAction in the statement, found both",
            ));
        }
        (None, None) => {
            return Err(PolicyError::new(
                pointer,
                "expected Action or NotAction in the statement",
            ));
        }
    };
    let resources = match (map.get("Resource"), map.get("NotResource")) {
        (Some(v), None) => {
            ResourceSpec::Resource(string_or_array(v, &pointer_push(pointer, "Resource"))?)
        }
        (None, Some(v)) => {
            ResourceSpec::NotResource(string_or_array(v, &pointer_push(pointer, "NotResource"))?)
        }
        (Some(_), Some(_)) => {
            return Err(PolicyError::new(
                pointer,
                "expected either Resource or NotResource in the statement, found both",
            ));
        }
        (None, None) => ResourceSpec::Absent,
    };
    let principal = map
        .get("Principal")
        .map(|v| parse_principal(v, &pointer_push(pointer, "Principal")))
        .transpose()?;
    let not_principal = map
        .get("NotPrincipal")
        .map(|v| parse_principal(v, &pointer_push(pointer, "NotPrincipal")))
        .transpose()?;
    let conditions = match map.get("Condition") {
        Some(v) => parse_conditions(v, &pointer_push(pointer, "Condition"))?,
        None => Vec::new(),
    };
    Ok(Statement {
        sid,
        effect,
        actions,
        resources,
        principal,
        not_principal,
        conditions,
        pointer: pointer.to_string(),
        json: value.to_string(),
    })
}

fn parse_effect(map: &Map<String, Value>, pointer: &str) -> Result<Effect, PolicyError> {
    match map.get("Effect") {
        Some(Value::String(s)) if s == "Allow" => Ok(Effect::Allow),
        Some(Value::String(s)) if s == "Deny" => Ok(Effect::Deny),
        Some(other) => Err(PolicyError::new(
            &pointer_push(pointer, "Effect"),
            format!(
                "expected Effect \"Allow\" or \"Deny\"; found {}",
                shown(other)
            ),
        )),
        None => Err(PolicyError::new(
            pointer,
            "expected an Effect (\"Allow\" or \"Deny\") in the statement",
        )),
    }
}

fn parse_principal(value: &Value, pointer: &str) -> Result<PrincipalSpec, PolicyError> {
    const EXPECTED: &str =
        "expected \"*\" or an object of AWS, Service, Federated and CanonicalUser principals";
    match value {
        Value::String(s) if s == "*" => Ok(PrincipalSpec::Everyone),
        Value::Object(kinds) => {
            let mut map = PrincipalMap::default();
            for (kind_name, v) in kinds {
                let list = string_or_array(v, &pointer_push(pointer, kind_name))?;
                let slot = match kind_name.as_str() {
                    "AWS" => &mut map.aws,
                    "Service" => &mut map.service,
                    "Federated" => &mut map.federated,
                    "CanonicalUser" => &mut map.canonical_user,
                    other => {
                        return Err(PolicyError::new(
                            &pointer_push(pointer, other),
                            format!("{EXPECTED}; found principal kind {other:?}"),
                        ));
                    }
                };
                slot.extend(list);
            }
            Ok(PrincipalSpec::Principals(map))
        }
        other => Err(PolicyError::new(
            pointer,
            format!("{EXPECTED}; found {}", shown(other)),
        )),
    }
}

fn parse_conditions(value: &Value, pointer: &str) -> Result<Vec<Condition>, PolicyError> {
    let Value::Object(operators) = value else {
        return Err(PolicyError::new(
            pointer,
            format!(
                "expected a Condition object of operators; found {}",
                kind(value)
            ),
        ));
    };
    let mut conditions = Vec::new();
    for (operator_text, keys) in operators {
        let operator_pointer = pointer_push(pointer, operator_text);
        let Value::Object(keys) = keys else {
            return Err(PolicyError::new(
                &operator_pointer,
                format!(
                    "expected an object of condition keys under {operator_text}; found {}",
                    kind(keys)
                ),
            ));
        };
        let operator = ConditionOperator::parse(operator_text);
        for (key, values) in keys {
            let key_pointer = pointer_push(&operator_pointer, key);
            conditions.push(Condition {
                operator: operator.clone(),
                key: ConditionKey::new(key),
                values: condition_values(values, &key_pointer)?,
                pointer: key_pointer,
            });
        }
    }
    Ok(conditions)
}

/// A condition value or list of values, as strings (`true` -> `"true"`, `60` -> `"60"`).
fn condition_values(value: &Value, pointer: &str) -> Result<Vec<String>, PolicyError> {
    fn scalar(value: &Value, pointer: &str) -> Result<String, PolicyError> {
        match value {
            Value::String(s) => Ok(s.clone()),
            Value::Bool(b) => Ok(b.to_string()),
            Value::Number(n) => Ok(n.to_string()),
            other => Err(PolicyError::new(
                pointer,
                format!(
                    "expected a condition value (string, number or boolean); found {}",
                    kind(other)
                ),
            )),
        }
    }
    match value {
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| scalar(item, &pointer_push(pointer, i)))
            .collect(),
        other => Ok(vec![scalar(other, pointer)?]),
    }
}

/// A string, or an array of strings, as a list.
fn string_or_array(value: &Value, pointer: &str) -> Result<Vec<String>, PolicyError> {
    match value {
        Value::String(s) => Ok(vec![s.clone()]),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| match item {
                Value::String(s) => Ok(s.clone()),
                other => Err(PolicyError::new(
                    &pointer_push(pointer, i),
                    format!("expected a string; found {}", kind(other)),
                )),
            })
            .collect(),
        other => Err(PolicyError::new(
            pointer,
            format!(
                "expected a string or an array of strings; found {}",
                kind(other)
            ),
        )),
    }
}

fn optional_string(
    map: &Map<String, Value>,
    name: &str,
    pointer: &str,
) -> Result<Option<String>, PolicyError> {
    match map.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(PolicyError::new(
            &pointer_push(pointer, name),
            format!("expected {name} to be a string; found {}", kind(other)),
        )),
    }
}

/// The JSON type of a value, for error messages.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A short rendering of a found value: the string itself (quoted) or its JSON type.
fn shown(value: &Value) -> String {
    match value {
        Value::String(s) if s.chars().count() <= 40 => format!("{s:?}"),
        other => kind(other).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn err(value: Value) -> PolicyError {
        match parse_export_document(&value, "/P") {
            Ok(p) => panic!("expected an error, parsed {p:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn single_statement_object_keeps_statement_pointer() {
        let p = parse_export_document(
            &json!({"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}),
            "/Doc",
        )
        .unwrap();
        assert_eq!(p.statements.len(), 1);
        assert_eq!(p.statements[0].pointer, "/Doc/Statement");
        assert_eq!(
            p.statements[0].actions,
            ActionSpec::Action(vec!["s3:GetObject".into()])
        );
    }

    #[test]
    fn statement_array_pointers_are_indexed() {
        let p = parse_export_document(
            &json!({"Statement": [
                {"Effect": "Allow", "Action": "a:b"},
                {"Effect": "Deny", "NotAction": ["c:d"], "NotResource": "x"}
            ]}),
            "/R/0/AssumeRolePolicyDocument",
        )
        .unwrap();
        assert_eq!(
            p.statements[1].pointer,
            "/R/0/AssumeRolePolicyDocument/Statement/1"
        );
        assert_eq!(p.statements[0].resources, ResourceSpec::Absent);
        assert_eq!(
            p.statements[1].resources,
            ResourceSpec::NotResource(vec!["x".into()])
        );
    }

    #[test]
    fn url_encoded_with_escaped_star_and_whitespace() {
        let encoded = "%7B%0A%20%20%22Version%22%3A%20%222012-10-17%22%2C%0A%20%20%22Statement%22%3A%20%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22%2A%22%2C%22Resource%22%3A%22%2A%22%7D%5D%7D";
        let p = parse_export_document(&json!(encoded), "/D").unwrap();
        assert_eq!(p.version.as_deref(), Some("2012-10-17"));
        assert_eq!(
            p.statements[0].actions,
            ActionSpec::Action(vec!["*".into()])
        );
    }

    #[test]
    fn url_encoded_with_literal_braces() {
        let p = parse_export_document(
            &json!("{%22Statement%22%3A%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22%2A%22}}"),
            "/D",
        )
        .unwrap();
        assert!(p.statements[0].actions.covers_all_actions());
    }

    #[test]
    fn json_text_with_percent_signs_stays_json() {
        let p = parse_export_document(
            &json!("{\"Statement\":{\"Sid\":\"100%25\",\"Effect\":\"Allow\",\"Action\":\"*\"}}"),
            "/D",
        )
        .unwrap();
        assert_eq!(p.statements[0].sid.as_deref(), Some("100%25"));
    }

    #[test]
    fn json_text_string() {
        let p = parse_export_document(
            &json!("\n {\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"*\"}]} "),
            "/D",
        )
        .unwrap();
        assert!(p.statements[0].is_deny());
    }

    #[test]
    fn string_that_is_not_a_document_names_pointer_and_expectation() {
        let e = err(json!("hello"));
        assert_eq!(e.pointer, "/P");
        assert!(e.message.contains("URL-encoded"), "{}", e.message);
        let e = err(json!("%7Bnot json"));
        assert!(e.message.contains("not valid JSON"), "{}", e.message);
        let e = err(json!("%5B%5D"));
        assert!(e.message.contains("not a JSON object"), "{}", e.message);
        let e = err(json!("%FF%FE"));
        assert!(e.message.contains("UTF-8"), "{}", e.message);
        let e = err(json!(42));
        assert!(e.message.contains("a number"), "{}", e.message);
        let e = err(json!("[1]"));
        assert_eq!(e.pointer, "/P");
        let e = err(json!("{\"Statement\": "));
        assert!(e.message.contains("not valid JSON"), "{}", e.message);
    }

    #[test]
    fn wrong_types_name_their_pointer() {
        assert_eq!(err(json!({"Statement": 3})).pointer, "/P/Statement");
        assert_eq!(err(json!({})).pointer, "/P");
        assert_eq!(err(json!({"Statement": [1]})).pointer, "/P/Statement/0");
        let missing_effect = err(json!({"Statement": [{"Action": "*"}]}));
        assert_eq!(missing_effect.pointer, "/P/Statement/0");
        assert!(missing_effect.message.contains("Effect"));
        let bad_effect = err(json!({"Statement": [{"Effect": "allow", "Action": "*"}]}));
        assert_eq!(bad_effect.pointer, "/P/Statement/0/Effect");
        assert!(bad_effect.message.contains("\"allow\""));
        assert_eq!(
            err(json!({"Statement": {"Effect": "Allow", "Action": ["a", 1]}})).pointer,
            "/P/Statement/Action/1"
        );
        assert_eq!(
            err(json!({"Statement": {"Effect": "Allow", "Action": "a", "Condition": "x"}})).pointer,
            "/P/Statement/Condition"
        );
        assert_eq!(
            err(json!({"Statement": {"Effect": "Allow", "Action": "a",
                "Condition": {"StringEquals": ["x"]}}}))
            .pointer,
            "/P/Statement/Condition/StringEquals"
        );
        assert_eq!(
            err(json!({"Statement": {"Effect": "Allow", "Action": "a",
                "Condition": {"StringEquals": {"aws:RequestTag/a~b": [null]}}}}))
            .pointer,
            "/P/Statement/Condition/StringEquals/aws:RequestTag~1a~0b/0"
        );
        assert_eq!(
            err(json!({"Statement": {"Effect": "Allow", "Action": "a", "Principal": "x"}})).pointer,
            "/P/Statement/Principal"
        );
        assert_eq!(
            err(
                json!({"Statement": {"Effect": "Allow", "Action": "a", "Principal": {"Aws": "x"}}})
            )
            .pointer,
            "/P/Statement/Principal/Aws"
        );
        assert!(
            err(json!({"Statement": {"Effect": "Allow"}}))
                .message
                .contains("Action")
        );
        assert!(
            err(json!({"Statement": {"Effect": "Allow", "Action": "a", "NotAction": "b"}}))
                .message
                .contains("both")
        );
        assert_eq!(
            err(json!({"Version": 1, "Statement": []})).pointer,
            "/P/Version"
        );
    }

    #[test]
    fn condition_values_are_strings_whatever_their_json_type() {
        let p = parse_export_document(
            &json!({"Statement": {"Effect": "Allow", "Action": "a", "Condition": {
                "Bool": {"aws:MultiFactorAuthPresent": true},
                "NumericLessThan": {"aws:MultiFactorAuthAge": [3600, "60"]}
            }}}),
            "",
        )
        .unwrap();
        let c = &p.statements[0].conditions;
        assert_eq!(c[0].values, ["true"]);
        assert_eq!(
            c[0].pointer,
            "/Statement/Condition/Bool/aws:MultiFactorAuthPresent"
        );
        assert_eq!(c[1].values, ["3600", "60"]);
        assert_eq!(c[1].key.lower, "aws:multifactorauthage");
    }

    #[test]
    fn principals_by_kind() {
        let p = parse_export_document(
            &json!({"Statement": [
                {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": "*"},
                {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": "*"}},
                {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {
                    "AWS": ["arn:aws:iam::111122223333:root", "444455556666"],
                    "Service": "ec2.amazonaws.com",
                    "Federated": "cognito-identity.amazonaws.com",
                    "CanonicalUser": "abc"}},
                {"Effect": "Deny", "Action": "sts:AssumeRole", "NotPrincipal": {"AWS": "1"}}
            ]}),
            "",
        )
        .unwrap();
        let s = &p.statements;
        let principal = |i: usize| s[i].principal.as_ref().unwrap();
        assert!(principal(0).is_everyone());
        assert!(principal(1).is_everyone());
        assert!(!principal(2).is_everyone());
        assert_eq!(principal(2).aws().len(), 2);
        assert_eq!(principal(2).service(), ["ec2.amazonaws.com"]);
        assert_eq!(principal(2).federated(), ["cognito-identity.amazonaws.com"]);
        assert_eq!(principal(2).canonical_user(), ["abc"]);
        assert_eq!(s[3].not_principal.as_ref().unwrap().aws(), ["1"]);
        assert!(s[3].principal.is_none());
    }

    #[test]
    fn statement_json_is_compact_evidence() {
        let p = parse_export_document(
            &json!({"Statement": {"Sid": "", "Effect": "Allow", "Action": "a"}}),
            "",
        )
        .unwrap();
        assert_eq!(
            p.statements[0].json,
            r#"{"Action":"a","Effect":"Allow","Sid":""}"#
        );
        assert_eq!(p.statements[0].sid.as_deref(), Some(""));
        assert_eq!(p.statements[0].sid_label(), "(no Sid)");
    }
}
