//! The link-rewriting operations, the same on both commands when the command line starts with one of them:
//! `--relink OLD NEW ROOT…`, `--move SOURCE DEST [--scan ROOT…]` and `--undo JOURNAL`, with their options
//! `--to-relative`, `--to-absolute`, `--dangling-only`, `--journal FILE`, `--dry-run`, `--json`, `--quiet`,
//! `--verbose`, as [`options::RELINK`] lists them.

use super::options::{self, LINK_REWRITING, RELINK};
use super::switches::{Reader, Syntax, Token};
use super::{LongStart, Parsed};
use crate::model::{
    MoveRequest, Operation, OptionName, Party, RelinkRequest, RelinkStyle, Request, UsageError, ValueProblem,
};
use crate::report::{Options, Verbosity};
use std::ffi::OsString;
use std::path::PathBuf;

const SYNTAX: Syntax = Syntax { letters: "Q", tcc: false };

/// Which operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TreeOp {
    /// `--relink OLD NEW ROOT…`.
    #[default]
    Relink,
    /// `--move SOURCE DEST [--scan ROOT…]`.
    Move,
    /// `--undo JOURNAL`.
    Undo,
}

/// What the user typed for one of these operations, validated.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RelinkArgs {
    /// The operation.
    pub op: TreeOp,
    /// The names in order (OLD NEW ROOT…, SOURCE DEST, or JOURNAL).
    pub names: Vec<OsString>,
    /// `--scan` roots.
    pub scan: Vec<OsString>,
    /// `--to-relative` / `--to-absolute`.
    pub style: RelinkStyle,
    /// `--dangling-only`.
    pub dangling_only: bool,
    /// `--journal FILE`.
    pub journal: Option<OsString>,
    /// How to report.
    pub options: Options,
}

/// Whether the command line is one of these operations: its first argument is `--relink`, `--move` or `--undo`.
pub fn starts_here(args: &[OsString]) -> bool {
    args.first().is_some_and(|first| LINK_REWRITING.named(first).is_some())
}

/// Hands what [`parse`] made to the front-end, wrapped in its own argument type.
pub fn wrap<T>(parsed: Parsed<RelinkArgs>, into: impl FnOnce(RelinkArgs) -> T) -> Parsed<T> {
    match parsed {
        Parsed::Run(args) => Parsed::Run(into(args)),
        Parsed::Help => Parsed::Help,
        Parsed::Version => Parsed::Version,
        Parsed::Generate(what) => Parsed::Generate(what),
        Parsed::Usage(e) => Parsed::Usage(e),
    }
}

/// The operation a command line of this family starts with.
fn operation_of(args: &[OsString]) -> Option<OptionName> {
    args.first().and_then(|first| LINK_REWRITING.named(first))
}

/// Parses the whole command line of one of these operations (without the program name).
pub fn parse(args: Vec<OsString>) -> Parsed<RelinkArgs> {
    let options = Options { many: true, ..Options::default() };
    let mut parsed = RelinkArgs { options, ..RelinkArgs::default() };
    let mut error = None;
    let mut in_scan = false;
    let mut styles = Vec::new();
    let operation = operation_of(&args);
    let mut reader = Reader::new(args.into_iter(), SYNTAX);
    while let Some(token) = reader.next() {
        let token = match token {
            Token::Name(name) => match super::short_option(&reader, RELINK, &name) {
                Some(long) => Token::Long { name: long.to_string(), value: None },
                None => Token::Name(name),
            },
            token => token,
        };
        let mut fail = |e: UsageError| {
            error.get_or_insert(e);
        };
        match token {
            Token::Switch('?') => return Parsed::Help,
            Token::Switch('q' | 'Q') => parsed.options.verbosity = Verbosity::Quiet,
            Token::Switch(c) => fail(UsageError::UnknownSwitch(c)),
            Token::Long { name, value } => {
                match super::long_start(&mut reader, RELINK, operation, &name, value.as_deref()) {
                    LongStart::Answer(answer) => return answer,
                    LongStart::Refused(e) => fail(e),
                    LongStart::Own(option) => match option {
                        OptionName::Relink => parsed.op = TreeOp::Relink,
                        OptionName::Move => parsed.op = TreeOp::Move,
                        OptionName::Undo => parsed.op = TreeOp::Undo,
                        OptionName::Scan => in_scan = true,
                        OptionName::ToRelative => styles.push(RelinkStyle::Relative),
                        OptionName::ToAbsolute => styles.push(RelinkStyle::Absolute),
                        OptionName::DanglingOnly => parsed.dangling_only = true,
                        OptionName::Journal => match value.or_else(|| match reader.next() {
                            Some(Token::Name(file)) => Some(file),
                            _ => None,
                        }) {
                            Some(file) => parsed.journal = Some(file),
                            None => fail(UsageError::BadValue { option, problem: ValueProblem::Missing }),
                        },
                        OptionName::Json => parsed.options.json = true,
                        OptionName::DryRun => parsed.options.dry_run = true,
                        OptionName::Verbose => parsed.options.verbosity = Verbosity::Verbose,
                        OptionName::Quiet => parsed.options.verbosity = Verbosity::Quiet,
                        // The table holds nothing else; should it, the option is not this parser's.
                        _ => fail(options::unknown(RELINK, &format!("--{name}"), operation)),
                    },
                }
            }
            Token::Name(name) if in_scan => parsed.scan.push(name),
            Token::Name(name) => parsed.names.push(name),
            Token::Attributes(_) | Token::Range { .. } => {}
        }
    }
    if let Some(e) = error {
        return Parsed::Usage(e);
    }
    match styles.as_slice() {
        [] => {}
        [one] => parsed.style = *one,
        _ => {
            let (a, b) = (Party::Option(OptionName::ToRelative), Party::Option(OptionName::ToAbsolute));
            return Parsed::Usage(UsageError::Conflict(a, b));
        }
    }
    let op = parsed.op;
    let one = Party::Option;
    let conflict = match op {
        TreeOp::Relink if !parsed.scan.is_empty() => Some((one(OptionName::Scan), OptionName::Relink)),
        TreeOp::Move if parsed.dangling_only => Some((one(OptionName::DanglingOnly), OptionName::Move)),
        TreeOp::Undo if parsed.journal.is_some() => Some((one(OptionName::Journal), OptionName::Undo)),
        TreeOp::Undo if parsed.style != RelinkStyle::Keep || parsed.dangling_only => Some((
            Party::AnyOf(&[OptionName::ToRelative, OptionName::ToAbsolute, OptionName::DanglingOnly]),
            OptionName::Undo,
        )),
        TreeOp::Undo if !parsed.scan.is_empty() => Some((one(OptionName::Scan), OptionName::Undo)),
        _ => None,
    };
    if let Some((a, b)) = conflict {
        return Parsed::Usage(UsageError::Conflict(a, one(b)));
    }
    let count_ok = match op {
        TreeOp::Relink => parsed.names.len() >= 3,
        TreeOp::Move => parsed.names.len() == 2,
        TreeOp::Undo => parsed.names.len() == 1,
    };
    if !count_ok {
        return Parsed::Usage(UsageError::WrongNameCount(operation));
    }
    Parsed::Run(parsed)
}

impl RelinkArgs {
    /// The engine request.
    pub fn request(&self) -> Request {
        let path = |n: &OsString| PathBuf::from(n);
        let name = |i: usize| self.names.get(i).map(path).unwrap_or_default();
        let journal = self.journal.as_ref().map(path);
        let operation = match self.op {
            TreeOp::Relink => Operation::Relink(RelinkRequest {
                old: name(0),
                new: name(1),
                roots: self.names.iter().skip(2).map(path).collect(),
                style: self.style,
                dangling_only: self.dangling_only,
                journal,
            }),
            TreeOp::Move => Operation::Move(MoveRequest {
                source: name(0),
                dest: name(1),
                scan: self.scan.iter().map(path).collect(),
                style: self.style,
                journal,
            }),
            TreeOp::Undo => Operation::Undo { journal: name(0) },
        };
        Request { operation, dry_run: self.options.dry_run }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(list: &[&str]) -> Parsed<RelinkArgs> {
        parse(list.iter().map(OsString::from).collect())
    }

    fn args(list: &[&str]) -> RelinkArgs {
        match parse_str(list) {
            Parsed::Run(a) => a,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn relink_takes_old_new_and_roots_with_absolute_unix_paths() {
        let a = args(&["--relink", "/data/a", "/data/b", "/home", "/srv", "--to-relative", "--dry-run"]);
        let Operation::Relink(r) = a.request().operation else { panic!("not a relink") };
        assert_eq!((r.old, r.new), (PathBuf::from("/data/a"), PathBuf::from("/data/b")));
        assert_eq!(r.roots, [PathBuf::from("/home"), PathBuf::from("/srv")]);
        assert_eq!(r.style, RelinkStyle::Relative);
        assert!(a.options.dry_run);
    }

    #[test]
    fn move_takes_scan_roots_and_a_journal() {
        let a = args(&["--move", "src", "dst", "--journal", "j.log", "--scan", "r1", "r2"]);
        let Operation::Move(m) = a.request().operation else { panic!("not a move") };
        assert_eq!(m.scan, [PathBuf::from("r1"), PathBuf::from("r2")]);
        assert_eq!(m.journal, Some(PathBuf::from("j.log")));
    }

    #[test]
    fn wrong_counts_and_conflicts_are_usage_errors() {
        assert!(matches!(parse_str(&["--relink", "a", "b"]), Parsed::Usage(UsageError::WrongNameCount(_))));
        assert!(matches!(parse_str(&["--move", "a"]), Parsed::Usage(UsageError::WrongNameCount(_))));
        assert!(matches!(parse_str(&["--undo"]), Parsed::Usage(UsageError::WrongNameCount(_))));
        assert!(matches!(
            parse_str(&["--relink", "a", "b", "c", "--to-relative", "--to-absolute"]),
            Parsed::Usage(UsageError::Conflict(..))
        ));
        assert!(matches!(parse_str(&["--move", "a", "b", "--dangling-only"]), Parsed::Usage(UsageError::Conflict(..))));
        assert!(matches!(parse_str(&["--undo", "j", "--bogus"]), Parsed::Usage(UsageError::UnknownOption { .. })));
        assert!(matches!(parse_str(&["--undo", "j", "-h"]), Parsed::Help));
    }

    #[test]
    fn only_a_leading_operation_is_taken_here() {
        assert!(starts_here(&["--move".into(), "a".into()]));
        assert!(!starts_here(&["a".into(), "--move".into()]));
    }
}
