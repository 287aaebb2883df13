//! The Take Command MKLNK syntax: existing first, new name second; `/D` deletes; one name alone shows where a
//! link points; `/=` (or no arguments on a terminal) opens the dialog. `/A:` and ranges may stand anywhere.
//!
//! MKLNK's `/D` (delete) is a different switch from MKLINK's `/D` (directory): the two parsers share the token
//! reader but each gives the letter its own meaning.

use super::switches::{Reader, Syntax, Token};
use super::{Parsed, UsageError};
use crate::engine::{Operation, Request};
use crate::report::{Options, Verbosity};
use std::ffi::OsString;
use std::path::PathBuf;

const SYNTAX: Syntax = Syntax { letters: "DQ", tcc: true };

/// A range as typed: `/[body]` or `/![body]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RangeArg {
    /// Written `/![…]`.
    pub negated: bool,
    /// The text between the brackets; `None` when unclosed.
    pub body: Option<OsString>,
    /// The whole range as typed.
    pub typed: OsString,
}

/// What the user typed, validated.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Args {
    /// The names, in order.
    pub names: Vec<OsString>,
    /// `/D`: delete.
    pub delete: bool,
    /// `/=`: open the dialog.
    pub dialog: bool,
    /// `/A:…` as typed after the colon (the last one given wins).
    pub attributes: Option<OsString>,
    /// The ranges, in order.
    pub ranges: Vec<RangeArg>,
    /// How to report.
    pub options: Options,
}

/// What to do with parsed arguments.
#[derive(Debug)]
pub enum Job {
    /// One operation on one name (or one pair).
    Single(Request),
    /// Many sources chosen by wildcards, lists or filters, hard-linked into a directory.
    Batch,
    /// Open the command dialog.
    Dialog,
}

impl Args {
    /// Whether any source needs the selection machinery: several sources, wildcards, include lists, filters.
    pub fn is_batch(&self) -> bool {
        let sources = self.names.len().saturating_sub(1);
        let special = |n: &OsString| n.as_encoded_bytes().iter().any(|b| matches!(b, b'*' | b'?' | b'[' | b';'));
        self.attributes.is_some()
            || !self.ranges.is_empty()
            || sources > 1
            || (self.names.len() == 2 && special(&self.names[0]))
    }

    /// What to do.
    ///
    /// # Errors
    /// A usage error when the names do not fit the switches.
    pub fn job(&self) -> Result<Job, UsageError> {
        if self.dialog {
            return Ok(Job::Dialog);
        }
        let dry_run = self.options.dry_run;
        let single = |operation| Ok(Job::Single(Request { operation, dry_run }));
        match (self.delete, self.names.as_slice()) {
            (true, [link]) => single(Operation::Delete { link: PathBuf::from(link), descriptions: true }),
            (true, _) => Err(UsageError::WrongNameCount),
            (false, []) => Ok(Job::Dialog),
            (false, _) if self.is_batch() => Ok(Job::Batch),
            (false, [link]) => single(Operation::Query { link: PathBuf::from(link) }),
            (false, [target, link]) => {
                single(Operation::Make { target: PathBuf::from(target), link: PathBuf::from(link), descriptions: true })
            }
            (false, _) => Err(UsageError::WrongNameCount),
        }
    }
}

/// Parses MKLNK arguments (without the program name).
pub fn parse(args: impl IntoIterator<Item = OsString>) -> Parsed<Args> {
    let mut parsed = Args::default();
    let mut error = None;
    for token in Reader::new(args.into_iter(), SYNTAX) {
        let mut fail = |e: UsageError| {
            error.get_or_insert(e);
        };
        match token {
            Token::Switch('?') => return Parsed::Help,
            Token::Switch('=') => parsed.dialog = true,
            Token::Switch(c) => match c.to_ascii_uppercase() {
                'D' => parsed.delete = true,
                'Q' => parsed.options.verbosity = Verbosity::Quiet,
                'A' => parsed.attributes = Some(OsString::new()),
                _ => fail(UsageError::UnknownSwitch(format!("/{c}").into())),
            },
            Token::Attributes(letters) => parsed.attributes = Some(letters),
            Token::Range { negated, body, typed } => parsed.ranges.push(RangeArg { negated, body, typed }),
            Token::Long { name, value } => {
                if value.is_some() {
                    fail(UsageError::BadValue(name.clone()));
                }
                match name.as_str() {
                    "help" => return Parsed::Help,
                    "version" => return Parsed::Version,
                    "json" => parsed.options.json = true,
                    "summary" => parsed.options.summary = true,
                    "vars" => parsed.options.vars = true,
                    "dry-run" => parsed.options.dry_run = true,
                    "verbose" => parsed.options.verbosity = Verbosity::Verbose,
                    "quiet" => parsed.options.verbosity = Verbosity::Quiet,
                    _ => fail(UsageError::UnknownOption(name)),
                }
            }
            Token::Name(name) => parsed.names.push(name),
        }
    }
    if let Some(e) = error {
        return Parsed::Usage(e);
    }
    if parsed.delete && (parsed.attributes.is_some() || !parsed.ranges.is_empty()) {
        return Parsed::Usage(UsageError::Conflict("/D", "/A: or a range"));
    }
    Parsed::Run(parsed)
}

/// A usage error worded as TCC words it (the `mklnk: ` prefix is added by the reporter).
pub fn usage_message(error: &UsageError) -> String {
    match error {
        UsageError::UnknownSwitch(s) => format!("Invalid switch \"{}\"", s.to_string_lossy()),
        UsageError::UnknownOption(name) => format!("Invalid switch \"--{name}\""),
        UsageError::BadValue(name) => format!("The option --{name} takes no value"),
        UsageError::Conflict(a, b) => format!("The options {a} and {b} cannot be used together"),
        UsageError::BadSelection(text) => text.clone(),
        UsageError::NoArguments | UsageError::WrongNameCount => {
            "The syntax of the command is incorrect.\nUsage: mklnk [/A:[[-]rhsadecijopt] ranges] parm1 [parm2] | mklnk /D parm1 | mklnk parm1".to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Args {
        match parse(list.iter().map(OsString::from)) {
            Parsed::Run(a) => a,
            other => panic!("expected arguments, got {other:?}"),
        }
    }

    fn job(list: &[&str]) -> Job {
        args(list).job().unwrap_or_else(|e| panic!("{e:?}"))
    }

    #[test]
    fn mklnk_d_means_delete_not_directory() {
        match job(&["/D", "name"]) {
            Job::Single(Request { operation: Operation::Delete { link, .. }, .. }) => {
                assert_eq!(link, PathBuf::from("name"))
            }
            other => panic!("{other:?}"),
        }
        match job(&["name", "/d"]) {
            Job::Single(Request { operation: Operation::Delete { .. }, .. }) => {}
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn existing_comes_first_and_new_second() {
        match job(&["existing", "new"]) {
            Job::Single(Request { operation: Operation::Make { target, link, .. }, .. }) => {
                assert_eq!(target, PathBuf::from("existing"));
                assert_eq!(link, PathBuf::from("new"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn one_name_queries() {
        assert!(matches!(job(&["l"]), Job::Single(Request { operation: Operation::Query { .. }, .. })));
    }

    #[test]
    fn dialog_anywhere_or_no_arguments() {
        assert!(matches!(job(&["a", "/=", "b"]), Job::Dialog));
        assert!(matches!(job(&[]), Job::Dialog));
    }

    #[test]
    fn wildcards_filters_and_many_names_make_a_batch() {
        assert!(matches!(job(&["*.txt", "dst"]), Job::Batch));
        assert!(matches!(job(&["a;b", "dst"]), Job::Batch));
        assert!(matches!(job(&["a", "b", "dst"]), Job::Batch));
        assert!(matches!(job(&["/A:-h", "a", "dst"]), Job::Batch));
        assert!(matches!(job(&["a", "/[s1k]", "dst"]), Job::Batch));
    }

    #[test]
    fn delete_takes_exactly_one_name() {
        assert_eq!(args(&["/D", "a", "b"]).job().err(), Some(UsageError::WrongNameCount));
        assert_eq!(args(&["/D"]).job().err(), Some(UsageError::WrongNameCount));
    }

    #[test]
    fn unknown_switch_is_reported_with_its_slash() {
        match parse(["/Z", "a"].map(OsString::from)) {
            Parsed::Usage(UsageError::UnknownSwitch(s)) => assert_eq!(s, "/Z"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn quiet_and_counters() {
        let a = args(&["/q", "--summary", "--vars", "--json", "a", "b"]);
        assert_eq!(a.options.verbosity, Verbosity::Quiet);
        assert!(a.options.summary && a.options.vars && a.options.json);
    }

    #[test]
    fn help_wins() {
        assert!(matches!(parse(["/Z", "/?"].map(OsString::from)), Parsed::Help));
    }
}
