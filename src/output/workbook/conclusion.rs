//! The conclusion drafted from a set of results' counts, for the reviewer to confirm or
//! rewrite: what was decided, how many exceptions, and what is still open.

/// Drafts a conclusion from counts by status (pass, fail, partial, manual, not determinable):
/// "No exceptions noted in N items" (N = items decided) or "N exceptions noted, see
/// Findings", then "N items not determinable, see Open items" when any is MANUAL or
/// NOT_DETERMINABLE.
pub fn draft(counts: &[u64; 5]) -> String {
    let [pass, fail, partial, manual, undetermined] = *counts;
    let exceptions = fail + partial;
    let open = manual + undetermined;
    let decided = if exceptions == 0 {
        format!("No exceptions noted in {} items", pass)
    } else {
        format!("{exceptions} exceptions noted, see Findings")
    };
    match (pass + exceptions, open) {
        (0, 0) => "No items tested".to_string(),
        (0, _) => format!("{open} items not determinable, see Open items"),
        (_, 0) => decided,
        _ => format!("{decided}; {open} items not determinable, see Open items"),
    }
}

#[cfg(test)]
mod tests {
    use super::draft;

    #[test]
    fn all_pass_notes_no_exceptions_in_the_items_decided() {
        assert_eq!(draft(&[12, 0, 0, 0, 0]), "No exceptions noted in 12 items");
    }

    #[test]
    fn fail_and_partial_are_exceptions_that_point_at_the_findings() {
        assert_eq!(draft(&[3, 2, 1, 0, 0]), "3 exceptions noted, see Findings");
    }

    #[test]
    fn manual_and_not_determinable_are_open_items_not_decided_items() {
        assert_eq!(
            draft(&[5, 0, 0, 1, 2]),
            "No exceptions noted in 5 items; 3 items not determinable, see Open items"
        );
        assert_eq!(
            draft(&[0, 1, 0, 0, 1]),
            "1 exceptions noted, see Findings; 1 items not determinable, see Open items"
        );
    }

    #[test]
    fn nothing_decided_says_only_what_is_open() {
        assert_eq!(
            draft(&[0, 0, 0, 2, 0]),
            "2 items not determinable, see Open items"
        );
        assert_eq!(draft(&[0; 5]), "No items tested");
    }
}
