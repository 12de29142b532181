//! Every item of the CIS AWS Foundations Benchmark IAM section (v3.0 section 1, v6.0
//! section 2) and what accounts for it: a registered check, or, for an item IAM exports cannot
//! decide, the manual procedure and the command whose output an auditor would request.
//! `docs/checks.md` and the workbook's Checks sheet both read [`CIS_IAM_SECTION`].

/// What covers a CIS item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coverage {
    /// A registered check (its ID).
    Check(&'static str),
    /// Not decidable from IAM exports: what the auditor does, and what to request.
    Manual {
        /// The procedure, in an auditor's words.
        procedure: &'static str,
        /// The CLI command (or console path) whose output to request.
        command: &'static str,
    },
}

/// One item of the CIS IAM section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CisItem {
    /// The v3.0 number (section 1).
    pub v3: &'static str,
    /// The v6.0 number (section 2), when the item is in v6.0.
    pub v6: Option<&'static str>,
    /// The recommendation, shortened.
    pub title: &'static str,
    /// What covers it.
    pub coverage: Coverage,
}

impl CisItem {
    /// The covering check's ID, or none for a manual item.
    pub fn check(&self) -> Option<&'static str> {
        match self.coverage {
            Coverage::Check(id) => Some(id),
            Coverage::Manual { .. } => None,
        }
    }

    /// The manual procedure and command, for an item no check decides.
    pub fn manual(&self) -> Option<(&'static str, &'static str)> {
        match self.coverage {
            Coverage::Manual { procedure, command } => Some((procedure, command)),
            _ => None,
        }
    }
}

/// The IAM section, in v3.0 order.
pub const CIS_IAM_SECTION: &[CisItem] = &[
    CisItem {
        v3: "1.1",
        v6: Some("2.1"),
        title: "Maintain current contact details",
        coverage: Coverage::Manual {
            procedure: "Ask the account owner to show the account's contact information (email, phone, \
                        address) and confirm it reaches a monitored, role-based mailbox, not one person \
                        (from the management account, add --account-id ACCOUNT).",
            command: "aws account get-contact-information",
        },
    },
    CisItem {
        v3: "1.2",
        v6: Some("2.2"),
        title: "Ensure security contact information is registered",
        coverage: Coverage::Manual {
            procedure: "Confirm a security alternate contact is registered and reaches the security team.",
            command: "aws account get-alternate-contact --alternate-contact-type SECURITY",
        },
    },
    CisItem {
        v3: "1.3",
        v6: None,
        title: "Ensure security questions are registered in the AWS account",
        coverage: Coverage::Manual {
            procedure: "Have the root user owner show, signed in as root, whether security challenge questions \
                        are configured (AWS no longer offers them to accounts that never set them).",
            command: "none: console only (root user > Account > Configure security challenge \
                      questions); request a screenshot",
        },
    },
    CisItem {
        v3: "1.4",
        v6: Some("2.3"),
        title: "Ensure no 'root' user account access key exists",
        coverage: Coverage::Check("root-access-keys"),
    },
    CisItem {
        v3: "1.5",
        v6: Some("2.4"),
        title: "Ensure MFA is enabled for the 'root' user account",
        coverage: Coverage::Check("root-mfa"),
    },
    CisItem {
        v3: "1.6",
        v6: Some("2.5"),
        title: "Ensure hardware MFA is enabled for the 'root' user account",
        coverage: Coverage::Check("root-hardware-mfa"),
    },
    CisItem {
        v3: "1.7",
        v6: Some("2.6"),
        title: "Eliminate use of the 'root' user for administrative and daily tasks",
        coverage: Coverage::Check("root-usage"),
    },
    CisItem {
        v3: "1.8",
        v6: Some("2.7"),
        title: "Ensure IAM password policy requires minimum length of 14 or greater",
        coverage: Coverage::Check("password-policy"),
    },
    CisItem {
        v3: "1.9",
        v6: Some("2.8"),
        title: "Ensure IAM password policy prevents password reuse",
        coverage: Coverage::Check("password-policy"),
    },
    CisItem {
        v3: "1.10",
        v6: Some("2.9"),
        title: "Ensure MFA is enabled for all IAM users that have a console password",
        coverage: Coverage::Check("console-user-mfa"),
    },
    CisItem {
        v3: "1.11",
        v6: Some("2.10"),
        title: "Do not setup access keys during initial user setup for all IAM users that have a console password",
        coverage: Coverage::Check("no-initial-setup-keys"),
    },
    CisItem {
        v3: "1.12",
        v6: Some("2.11"),
        title: "Ensure credentials unused for 45 days or greater are disabled",
        coverage: Coverage::Check("unused-credentials"),
    },
    CisItem {
        v3: "1.13",
        v6: Some("2.12"),
        title: "Ensure there is only one active access key for any single IAM user",
        coverage: Coverage::Check("single-active-access-key"),
    },
    CisItem {
        v3: "1.14",
        v6: Some("2.13"),
        title: "Ensure access keys are rotated every 90 days or less",
        coverage: Coverage::Check("access-key-rotation"),
    },
    CisItem {
        v3: "1.15",
        v6: Some("2.14"),
        title: "Ensure IAM users receive permissions only through groups",
        coverage: Coverage::Check("no-user-attached-policies"),
    },
    CisItem {
        v3: "1.16",
        v6: Some("2.15"),
        title: "Ensure IAM policies that allow full \"*:*\" administrative privileges are not attached",
        coverage: Coverage::Check("no-full-admin-policies"),
    },
    CisItem {
        v3: "1.17",
        v6: Some("2.16"),
        title: "Ensure a support role has been created to manage incidents with AWS Support",
        coverage: Coverage::Check("support-role"),
    },
    CisItem {
        v3: "1.18",
        v6: Some("2.17"),
        title: "Ensure IAM instance roles are used for AWS resource access from instances",
        coverage: Coverage::Manual {
            procedure: "List the instances of every region in use and confirm each one that calls AWS has \
                        an instance profile, and that no access keys are stored on instances.",
            command: "aws ec2 describe-instances --region REGION --query \
                      'Reservations[].Instances[].[InstanceId,IamInstanceProfile.Arn]'",
        },
    },
    CisItem {
        v3: "1.19",
        v6: Some("2.18"),
        title: "Ensure that all the expired SSL/TLS certificates stored in AWS IAM are removed",
        coverage: Coverage::Check("expired-server-certificates"),
    },
    CisItem {
        v3: "1.20",
        v6: Some("2.19"),
        title: "Ensure that IAM Access Analyzer is enabled for all regions",
        coverage: Coverage::Manual {
            procedure: "Confirm an analyzer with status ACTIVE (account or organization zone of trust) \
                        exists in every enabled region, as listed by aws ec2 describe-regions.",
            command: "aws accessanalyzer list-analyzers --region REGION",
        },
    },
    CisItem {
        v3: "1.21",
        v6: Some("2.20"),
        title: "Ensure IAM users are managed centrally via identity federation or AWS Organizations for \
                multi-account environments",
        coverage: Coverage::Manual {
            procedure: "Ask how people get access: IAM Identity Center or a federated identity provider, with \
                        IAM users kept for documented exceptions only; compare with the IAM users in the \
                        credential reports.",
            command: "aws sso-admin list-instances; aws iam list-saml-providers; aws organizations \
                      describe-organization",
        },
    },
    CisItem {
        v3: "1.22",
        v6: Some("2.21"),
        title: "Ensure access to AWSCloudShellFullAccess is restricted",
        coverage: Coverage::Check("cloudshell-full-access"),
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_covering_check_is_registered_and_every_check_with_a_cis_number_is_listed() {
        for item in CIS_IAM_SECTION {
            if let Some(id) = item.check() {
                assert!(crate::checks::find(id).is_some(), "{}: {id}", item.v3);
            }
        }
        for check in crate::checks::REGISTRY {
            if let Some(v3) = check.meta.references.cis_v1_4_to_v4 {
                for n in v3.split(", ") {
                    let item = CIS_IAM_SECTION.iter().find(|i| i.v3 == n);
                    assert!(
                        item.is_some_and(|i| i.check() == Some(check.meta.id)),
                        "{} {n}",
                        check.meta.id
                    );
                }
            }
        }
    }

    #[test]
    fn the_v6_numbers_agree_with_the_checks_references() {
        for item in CIS_IAM_SECTION {
            if let Some(id) = item.check() {
                let refs = crate::checks::find(id).map(|c| c.meta.references);
                let v6 = refs.and_then(|r| r.cis_v6).unwrap_or_default();
                assert!(
                    item.v6.is_some_and(|n| v6.split(", ").any(|x| x == n)),
                    "{} {id}: {v6}",
                    item.v3
                );
            }
        }
    }

    #[test]
    fn the_section_has_all_22_items_in_order() {
        let numbers: Vec<String> = (1..=22).map(|n| format!("1.{n}")).collect();
        let listed: Vec<&str> = CIS_IAM_SECTION.iter().map(|i| i.v3).collect();
        assert_eq!(listed, numbers);
        assert!(
            CIS_IAM_SECTION
                .iter()
                .all(|i| i.manual().is_some() != i.check().is_some())
        );
    }
}
