//! The typed IAM policy model. Policy JSON in every export shape is normalized here, once,
//! and checks work only on these types.

/// A parsed policy document.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// The document's statements, in order.
    pub statements: Vec<serde_json::Value>,
}

/// A policy document that could not be parsed: where and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    /// JSON Pointer of the offending value.
    pub pointer: String,
    /// What was expected there.
    pub message: String,
}

/// Parses a policy document as found in an export: a JSON object, a URL-encoded JSON string,
/// or a JSON text string. `pointer` is the document's JSON Pointer in its file.
pub fn parse_export_document(
    value: &serde_json::Value,
    pointer: &str,
) -> Result<Policy, PolicyError> {
    match value {
        serde_json::Value::Object(map) => match map.get("Statement") {
            Some(serde_json::Value::Array(items)) => Ok(Policy {
                statements: items.clone(),
            }),
            Some(one @ serde_json::Value::Object(_)) => Ok(Policy {
                statements: vec![one.clone()],
            }),
            _ => Err(PolicyError {
                pointer: format!("{pointer}/Statement"),
                message: "expected a Statement object or array".into(),
            }),
        },
        _ => Err(PolicyError {
            pointer: pointer.to_string(),
            message: "expected a policy document object".into(),
        }),
    }
}
