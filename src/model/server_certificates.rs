//! `aws iam list-server-certificates`: the account's server certificates, merged from every
//! page or file of the list.

use crate::primitives::error::InputError;
use crate::primitives::source::SourceRef;
use time::OffsetDateTime;

/// One entry of `ServerCertificateMetadataList`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerCertificate {
    /// `ServerCertificateName`.
    pub name: String,
    /// `Arn`, as exported.
    pub arn: String,
    /// `UploadDate`.
    pub upload_date: OffsetDateTime,
    /// `Expiration`; `None` when the entry has none (its expiry cannot be decided).
    pub expiration: Option<OffsetDateTime>,
    /// The file and the entry's JSON Pointer (`/ServerCertificateMetadataList/N`).
    pub source: SourceRef,
}

/// The account's server certificates: every entry of its list files, one per ARN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerCertificates {
    /// The certificates in the order first seen (file order, then list order).
    pub certificates: Vec<ServerCertificate>,
    /// True when one of the files is a last page (no `IsTruncated: true`, no `NextToken`):
    /// the merged list then holds every certificate.
    pub complete: bool,
    /// Each file's list (`/ServerCertificateMetadataList`), in file order.
    pub sources: Vec<SourceRef>,
}

impl ServerCertificates {
    /// Merges another file or page of the list. An entry whose ARN is already listed must
    /// say the same (name and dates), else it is an error naming both places.
    pub fn merge(&mut self, other: ServerCertificates) -> Result<(), InputError> {
        for cert in other.certificates {
            match self.certificates.iter().find(|c| c.arn == cert.arn) {
                None => self.certificates.push(cert),
                Some(known) if known.same_as(&cert) => {}
                Some(known) => {
                    return Err(InputError::at(
                        &cert.source.file,
                        cert.source.location.clone(),
                        format!(
                            "certificate {} differs from the entry for the same ARN in {} at {}",
                            cert.arn, known.source.file, known.source.location
                        ),
                    ));
                }
            }
        }
        self.complete |= other.complete;
        self.sources.extend(other.sources);
        Ok(())
    }
}

impl ServerCertificate {
    /// True when both entries give the same name and dates (their sources may differ).
    fn same_as(&self, other: &ServerCertificate) -> bool {
        self.name == other.name
            && self.upload_date == other.upload_date
            && self.expiration == other.expiration
    }
}
