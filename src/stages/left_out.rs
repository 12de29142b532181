//! What `--keep-going` left out, named file by file on stderr: the Inputs sheet lists every
//! left-out file with its reason; stderr names the first [`SHOWN`] and counts the rest.

use crate::output::meta::InputRecord;

/// How many left-out files stderr names before "... and N more".
pub const SHOWN: usize = 20;

/// One warning line per left-out input (kind and account when known), at most [`SHOWN`], then
/// one line counting the rest. No lines when nothing was left out.
pub fn lines(inputs: &[InputRecord]) -> Vec<String> {
    let left_out: Vec<&InputRecord> = inputs
        .iter()
        .filter(|i| i.disposition == "left out")
        .collect();
    let mut out: Vec<String> = left_out
        .iter()
        .take(SHOWN)
        .map(|i| {
            let whose = match &i.account {
                Some(a) => format!("{}, account {a}", i.kind),
                None => i.kind.clone(),
            };
            format!("warning: left out (--keep-going): {} ({whose})", i.file)
        })
        .collect();
    if left_out.len() > SHOWN {
        out.push(format!(
            "warning: ... and {} more file(s) left out; the Inputs sheet lists every one with the reason",
            left_out.len() - SHOWN
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(file: &str, disposition: &str, account: Option<&str>) -> InputRecord {
        InputRecord {
            file: file.into(),
            kind: "authorization details".into(),
            account: account.map(Into::into),
            size: 1,
            sha256: String::new(),
            rows: None,
            generated_time: None,
            disposition: disposition.into(),
            note: "why".into(),
        }
    }

    #[test]
    fn keep_going_names_every_left_out_file_with_its_kind_and_account() {
        let inputs = [
            input("a.json", "used", Some("111111111111")),
            input("b.json", "left out", Some("111111111111")),
            input("c.json", "left out", None),
            input("d.txt", "skipped", None),
        ];
        assert_eq!(
            lines(&inputs),
            vec![
                "warning: left out (--keep-going): b.json (authorization details, account 111111111111)",
                "warning: left out (--keep-going): c.json (authorization details)",
            ]
        );
        assert!(lines(&inputs[..1]).is_empty());
    }

    #[test]
    fn keep_going_names_the_first_twenty_left_out_files_then_counts_the_rest() {
        let inputs: Vec<InputRecord> = (1..=23)
            .map(|n| input(&format!("f{n:02}.json"), "left out", None))
            .collect();
        let out = lines(&inputs);
        assert_eq!(out.len(), 21);
        assert!(out[19].contains("f20.json"), "{}", out[19]);
        assert_eq!(
            out[20],
            "warning: ... and 3 more file(s) left out; the Inputs sheet lists every one with the reason"
        );
    }
}
