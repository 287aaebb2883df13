//! The TCC selection switches on a whole-tree command line (`--dedupe ROOT… /A:… /[…] /C`), read by the shared
//! switch reader and turned into a [`Selection`] by MKLNK's own rules, so that a deduplication selects files
//! exactly as `mklnk` does: `/A:letters` (or bare `/A`), the ranges `/[d…]`, `/[t…]`, `/[s…]`, `/[!…]` and
//! `/![…]` (a range split by the shell is joined back), `/C` (and `--ignore-case`, read by the caller).

use super::mklnk::{Args, RangeArg};
use super::switches::{Reader, Syntax, Token};
use crate::model::{OptionName, Party, SelectionProblem, UsageError};
use crate::select::Selection;
use std::ffi::{OsStr, OsString};

/// `/A:` and the ranges; no runs of one-letter switches (`/Q/C` stays a name, as before).
const SYNTAX: Syntax = Syntax { letters: "", tcc: true };

/// The selection switches seen so far.
#[derive(Debug, Clone, Default)]
pub(super) struct SelectArgs {
    attributes: Option<OsString>,
    ranges: Vec<RangeArg>,
    /// `/C` or `--ignore-case`.
    pub ignore_case: bool,
}

impl SelectArgs {
    /// Records `arg` when it is a selection switch (pulling the rest of a range the shell split from `rest`) and
    /// says so; `Ok(false)` leaves `arg` to the caller (`/Q`, `/?`, names). Any other `/X` is a bad switch.
    pub(super) fn take(&mut self, arg: &OsStr, rest: &mut dyn Iterator<Item = OsString>) -> Result<bool, UsageError> {
        if !arg.as_encoded_bytes().starts_with(b"/") {
            return Ok(false);
        }
        let mut reader = Reader::new(std::iter::once(arg.to_os_string()).chain(rest), SYNTAX);
        match reader.next() {
            Some(Token::Switch(c)) => match c.to_ascii_uppercase() {
                'A' => self.attributes = Some(OsString::new()),
                'C' => self.ignore_case = true,
                'Q' | '?' => return Ok(false),
                _ => return Err(UsageError::UnknownSwitch(c)),
            },
            Some(Token::Attributes(letters)) => self.attributes = Some(letters),
            Some(Token::Range { negated, body, typed }) => self.ranges.push(RangeArg { negated, body, typed }),
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// The switch that makes this a selection, for the message when the operation takes none.
    pub(super) fn given(&self) -> Option<Party> {
        if self.attributes.is_some() || !self.ranges.is_empty() {
            Some(Party::Selection)
        } else if self.ignore_case {
            Some(Party::Option(OptionName::IgnoreCase))
        } else {
            None
        }
    }

    /// The selection, parsed as MKLNK parses it (`now` is asked for only when there are ranges); `None` when no
    /// switch was given.
    ///
    /// # Errors
    /// A usage error naming the bad text: a malformed `/A:` or range, a range with no closing bracket, or two
    /// ranges of one kind.
    pub(super) fn selection(&self, now: impl FnOnce() -> jiff::Zoned) -> Result<Option<Selection>, UsageError> {
        if let Some(open) = self.ranges.iter().find(|r| r.body.is_none()) {
            return Err(UsageError::BadSelection(SelectionProblem::Unclosed(open.typed.clone())));
        }
        if self.given().is_none() {
            return Ok(None);
        }
        let args = Args {
            attributes: self.attributes.clone(),
            ranges: self.ranges.clone(),
            ignore_case: self.ignore_case,
            ..Args::default()
        };
        args.filters(now).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::select::Candidate;

    fn read(list: &[&str]) -> (SelectArgs, Vec<OsString>) {
        let mut args = list.iter().map(OsString::from);
        let (mut select, mut names) = (SelectArgs::default(), Vec::new());
        while let Some(arg) = args.next() {
            if !select.take(&arg, &mut args).unwrap() {
                names.push(arg);
            }
        }
        (select, names)
    }

    #[test]
    fn attributes_ranges_and_case_are_read_and_the_rest_is_left() {
        let (select, names) = read(&["/A:-h", "/[s1k,2k]", "root", "/[!*.bak", "*.tmp]", "/C", "/Q", "/tmp/x"]);
        assert_eq!(names, ["root", "/Q", "/tmp/x"]);
        let filter = select.selection(jiff::Zoned::now).unwrap().unwrap();
        assert!(filter.is_case_insensitive());
        assert!(!filter.matches_name(b"A.TMP") && filter.matches_name(b"a.txt"));
        let mut c = Candidate::file(b"a.txt");
        c.size = 1500;
        assert!(filter.passes_filters(&c));
        c.size = 3000;
        assert!(!filter.passes_filters(&c));
    }

    #[test]
    fn no_switch_is_no_selection() {
        assert!(read(&["root"]).0.selection(jiff::Zoned::now).unwrap().is_none());
    }

    #[test]
    fn bad_switches_and_ranges_are_usage_errors() {
        let mut rest = std::iter::empty();
        let err = SelectArgs::default().take(OsStr::new("/x"), &mut rest);
        assert!(matches!(err, Err(UsageError::UnknownSwitch('x'))));
        for bad in [&["/[s1k"][..], &["/[q5]"], &["/A:z"], &["/[s1,2]", "/[s3,4]"]] {
            let result = read(bad).0.selection(jiff::Zoned::now);
            assert!(matches!(result, Err(UsageError::BadSelection(_))), "{bad:?}: {result:?}");
        }
    }
}
