//! The typed IAM policy model. Policy JSON in every export shape is normalized here, once,
//! and checks work only on these types.
//!
//! - [`parse_export_document`] turns a document (JSON object, URL-encoded JSON string, or JSON
//!   text string) into a [`Policy`] of [`Statement`]s; errors carry the JSON Pointer.
//! - [`ActionSpec`], [`ResourceSpec`] and [`PrincipalSpec`] answer what a statement covers,
//!   with IAM's wildcard matching.
//! - [`evaluate_conditions`] evaluates a `Condition` block in a request [`Context`] (K, S, M
//!   of SPEC) to a three-valued [`Truth`]; [`statement_applies`] and [`allow_requires_mfa`]
//!   build the checks' questions on it.
//!
//! ```
//! use iam_evidence::policy::{Context, parse_export_document, statement_applies};
//!
//! let doc = serde_json::json!({"Version": "2012-10-17", "Statement": [{
//!     "Effect": "Deny", "NotAction": ["iam:ChangePassword"], "Resource": "*",
//!     "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}]});
//! let policy = parse_export_document(&doc, "/Policies/0/Document").unwrap();
//! let deny = &policy.statements[0];
//! assert_eq!(deny.pointer, "/Policies/0/Document/Statement/0");
//! assert!(statement_applies(deny, Context::K).is_always());
//! assert!(statement_applies(deny, Context::S).is_always());
//! assert!(statement_applies(deny, Context::M).is_never());
//! ```

mod analysis;
mod condition;
mod context;
mod error;
mod matching;
mod model;
mod parse;

pub use analysis::{Applicability, NarrowingCondition, allow_requires_mfa, statement_applies};
pub use condition::{Truth, evaluate_condition, evaluate_conditions};
pub use context::{Context, KeyState, MFA_AGE_KEY, MFA_PRESENT_KEY, VIA_AWS_SERVICE_KEY};
pub use error::PolicyError;
pub use matching::{
    ASSUME_ROLE_ACTIONS, STS_ASSUME_ROLE, STS_ASSUME_ROLE_WITH_SAML,
    STS_ASSUME_ROLE_WITH_WEB_IDENTITY, action_matches, is_all_actions_pattern, resource_matches,
    wildcard_match,
};
pub use model::{
    ActionSpec, BaseOperator, Condition, ConditionKey, ConditionOperator, Effect, Policy,
    PrincipalMap, PrincipalSpec, ResourceSpec, SetQualifier, Statement,
};
pub use parse::parse_export_document;
