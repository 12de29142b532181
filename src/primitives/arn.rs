//! ARN parsing: partition, account and resource of `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`.

/// A parsed ARN. Only the parts the checks need are kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arn<'a> {
    /// `aws`, `aws-us-gov`, `aws-cn`, ...
    pub partition: &'a str,
    /// `iam`, `sts`, ...
    pub service: &'a str,
    /// The account field; `aws` for AWS-managed policies, empty for some services.
    pub account: &'a str,
    /// Everything after the account field (`user/path/name`, `root`, `policy/Name`).
    pub resource: &'a str,
}

impl<'a> Arn<'a> {
    /// Parses an ARN; `None` when the text is not `arn:` followed by five `:`-separated fields.
    pub fn parse(text: &'a str) -> Option<Arn<'a>> {
        let mut parts = text.splitn(6, ':');
        if parts.next()? != "arn" {
            return None;
        }
        let partition = parts.next()?;
        let service = parts.next()?;
        let _region = parts.next()?;
        let account = parts.next()?;
        let resource = parts.next()?;
        if partition.is_empty() || service.is_empty() {
            return None;
        }
        Some(Arn {
            partition,
            service,
            account,
            resource,
        })
    }

    /// The account that owns this entity, unless the field is `aws` (AWS-managed) or empty.
    pub fn real_account(&self) -> Option<&'a str> {
        match self.account {
            "" | "aws" => None,
            a => Some(a),
        }
    }
}

/// True for a 12-digit AWS account ID; others are accepted but flagged.
pub fn is_standard_account_id(id: &str) -> bool {
    id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit())
}

/// The root user's ARN in an account.
pub fn root_arn(partition: &str, account: &str) -> String {
    format!("arn:{partition}:iam::{account}:root")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_user_arn_with_path() {
        let arn = Arn::parse("arn:aws-us-gov:iam::123456789012:user/ops/alice").unwrap();
        assert_eq!(arn.partition, "aws-us-gov");
        assert_eq!(arn.account, "123456789012");
        assert_eq!(arn.resource, "user/ops/alice");
    }

    #[test]
    fn aws_account_field_is_not_a_real_account() {
        let arn = Arn::parse("arn:aws:iam::aws:policy/AdministratorAccess").unwrap();
        assert_eq!(arn.real_account(), None);
    }

    #[test]
    fn rejects_non_arns() {
        assert!(Arn::parse("AIDAEXAMPLE").is_none());
        assert!(Arn::parse("arn:aws:iam").is_none());
    }

    #[test]
    fn flags_non_standard_account_ids() {
        assert!(is_standard_account_id("012345678901"));
        assert!(!is_standard_account_id("test"));
    }
}
