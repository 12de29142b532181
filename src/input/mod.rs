//! Readers for each export form. Each turns bytes into the typed model at the edge, with
//! errors that name the file and position.

pub mod authorization;
pub mod classify;
pub mod credential_csv;
pub mod credential_json;
pub mod credential_report;
pub mod credential_xlsx;
pub mod org_list;
pub mod server_certificates;
pub mod supplementary;
pub mod text;

use crate::primitives::error::InputError;

/// An account identity read from ARNs: (partition, account ID).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AccountKey {
    /// `aws`, `aws-us-gov`, `aws-cn`.
    pub partition: String,
    /// The account field of the ARNs.
    pub account: String,
}

/// Collects the one account that a file's ARNs name; a second real account is an error.
#[derive(Debug, Default)]
pub struct AccountCollector {
    found: Option<(AccountKey, String)>,
    partition_only: Option<String>,
}

impl AccountCollector {
    /// Records an entity ARN seen at `location`; `aws` and empty account fields name no account.
    pub fn see(&mut self, file: &str, arn: &str, location: &str) -> Result<(), InputError> {
        let Some(parsed) = crate::primitives::arn::Arn::parse(arn) else {
            return Ok(());
        };
        let Some(account) = parsed.real_account() else {
            self.partition_only
                .get_or_insert_with(|| parsed.partition.to_string());
            return Ok(());
        };
        let key = AccountKey {
            partition: parsed.partition.to_string(),
            account: account.to_string(),
        };
        match &self.found {
            None => self.found = Some((key, location.to_string())),
            Some((first, first_loc)) if *first != key => {
                return Err(InputError::at(
                    file,
                    location,
                    format!(
                        "ARN {arn} names account {} (partition {}) but {first_loc} names account {} \
                         (partition {}); one file must hold one account",
                        key.account, key.partition, first.account, first.partition
                    ),
                ));
            }
            Some(_) => {}
        }
        Ok(())
    }

    /// The account named, if any.
    pub fn finish(self) -> Option<AccountKey> {
        self.found.map(|(k, _)| k)
    }
}
