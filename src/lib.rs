//! iam-evidence: offline audit of AWS IAM exports into an audit-ready workpaper.

pub mod arn;
pub mod error;
pub mod policy;
pub mod source;
pub mod timestamp;
