//! The evidence sheets (Users, Roles, Privileged access, MFA policies): the rows [`crate::output::evidence_rows`] builds per
//! account, laid out with their types and streamed as the accounts are done (see
//! [`super::stream`]).

use super::cells::{Kind, Limits};
use super::paged::Layout;
use super::stream::StreamedSheet;
use crate::output::evidence_rows::EvidenceSheet;

/// One evidence sheet, empty, ready to take rows.
pub fn sheet(sheet: EvidenceSheet, limits: &Limits) -> std::io::Result<StreamedSheet> {
    StreamedSheet::new(
        Layout {
            name: sheet.name(),
            headers: sheet.headers(),
            wrap: sheet.wrap_columns(),
            typed: typed_columns(sheet),
        },
        *limits,
    )
}

/// The columns of an evidence sheet that hold dates, booleans or counts (see
/// [`crate::output::evidence_rows`] for how each row is built).
fn typed_columns(sheet: EvidenceSheet) -> &'static [(u16, Kind)] {
    match sheet {
        EvidenceSheet::Users => &[
            (4, Kind::Date),
            (5, Kind::Flag),
            (6, Kind::Date),
            (7, Kind::Date),
            (8, Kind::Flag),
            (9, Kind::Flag),
            (10, Kind::Date),
            (11, Kind::Date),
            (12, Kind::Flag),
            (13, Kind::Date),
            (14, Kind::Date),
        ],
        EvidenceSheet::Roles => &[
            (8, Kind::Flag),
            (9, Kind::Flag),
            (10, Kind::Count),
            (11, Kind::Count),
        ],
        EvidenceSheet::PrivilegedAccess => &[
            (7, Kind::Flag),
            (8, Kind::Flag),
            (10, Kind::Date),
            (11, Kind::Date),
            (13, Kind::Flag),
            (14, Kind::Date),
        ],
        EvidenceSheet::MfaPolicies => &[],
    }
}
