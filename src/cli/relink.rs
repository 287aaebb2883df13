//! The link-rewriting operations, the same on both commands when the command line starts with one of them:
//! `--relink OLD NEW ROOT…`, `--move SOURCE DEST [--scan ROOT…]` and `--undo JOURNAL`, with their options
//! `--to-relative`, `--to-absolute`, `--dangling-only`, `--journal FILE`, `--dry-run`, `--json`, `--quiet`,
//! `--verbose`.

use super::options::Opt;
use super::switches::{Reader, Syntax, Token};
use super::{Parsed, UsageError};
use crate::model::{MoveRequest, Operation, RelinkRequest, RelinkStyle, Request};
use crate::report::{Options, Verbosity};
use std::ffi::OsString;
use std::path::PathBuf;

const SYNTAX: Syntax = Syntax { letters: "Q", tcc: false };

const fn flag(long: &'static str, help: &'static str) -> Opt {
    Opt { long, short: None, classic: None, value: None, help }
}

/// The options of these operations (the same on both commands).
pub const OPTIONS: &[Opt] = &[
    Opt { long: "help", short: Some('h'), classic: Some("/?"), value: None, help: "Prints this help screen." },
    Opt { long: "version", short: Some('V'), classic: None, value: None, help: "Prints the version." },
    flag("relink", "OLD NEW ROOT...: points every link into OLD at the same place under NEW."),
    flag("move", "SOURCE DEST: renames SOURCE and re-points the links into it."),
    flag("undo", "JOURNAL: puts back what a relink or move did, last first."),
    flag("scan", "ROOT...: more trees whose links --move re-points."),
    flag("to-relative", "Writes every rewritten link relative to its directory."),
    flag("to-absolute", "Writes every rewritten link as an absolute path."),
    flag("dangling-only", "Rewrites only links that do not resolve."),
    Opt { long: "journal", short: None, classic: None, value: Some("FILE"), help: "Writes the journal to FILE." },
    flag("json", "One JSON object per item, then a summary."),
    flag("dry-run", "Prints the plan and changes nothing."),
    Opt { long: "verbose", short: None, classic: None, value: None, help: "Says more about errors." },
    Opt { long: "quiet", short: None, classic: Some("/Q"), value: None, help: "Prints errors only." },
];

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
    matches!(args.first().map(|a| a.as_encoded_bytes()), Some(b"--relink" | b"--move" | b"--undo"))
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

/// Parses the whole command line of one of these operations (without the program name).
pub fn parse(args: Vec<OsString>) -> Parsed<RelinkArgs> {
    let options = Options { many: true, ..Options::default() };
    let mut parsed = RelinkArgs { options, ..RelinkArgs::default() };
    let mut error = None;
    let mut in_scan = false;
    let mut styles = Vec::new();
    let mut reader = Reader::new(args.into_iter(), SYNTAX);
    while let Some(token) = reader.next() {
        let mut fail = |e: UsageError| {
            error.get_or_insert(e);
        };
        match token {
            Token::Switch('?') => return Parsed::Help,
            Token::Switch('q' | 'Q') => parsed.options.verbosity = Verbosity::Quiet,
            Token::Switch(c) => fail(UsageError::UnknownSwitch(format!("/{c}").into())),
            Token::Long { name, value } => match super::long_start(&mut reader, OPTIONS, &name, value.as_deref()) {
                super::LongStart::Answer(answer) => return answer,
                super::LongStart::Unknown => fail(UsageError::UnknownOption(name)),
                super::LongStart::BadValue => fail(UsageError::BadValue(name)),
                super::LongStart::Own => match name.as_str() {
                    "relink" => parsed.op = TreeOp::Relink,
                    "move" => parsed.op = TreeOp::Move,
                    "undo" => parsed.op = TreeOp::Undo,
                    "scan" => in_scan = true,
                    "to-relative" => styles.push(RelinkStyle::Relative),
                    "to-absolute" => styles.push(RelinkStyle::Absolute),
                    "dangling-only" => parsed.dangling_only = true,
                    "journal" => match value.or_else(|| match reader.next() {
                        Some(Token::Name(file)) => Some(file),
                        _ => None,
                    }) {
                        Some(file) => parsed.journal = Some(file),
                        None => fail(UsageError::BadValue(name)),
                    },
                    "json" => parsed.options.json = true,
                    "dry-run" => parsed.options.dry_run = true,
                    "verbose" => parsed.options.verbosity = Verbosity::Verbose,
                    "quiet" => parsed.options.verbosity = Verbosity::Quiet,
                    _ => fail(UsageError::UnknownOption(name)),
                },
            },
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
        _ => return Parsed::Usage(UsageError::Conflict("--to-relative", "--to-absolute")),
    }
    let op = parsed.op;
    let conflict = match op {
        TreeOp::Relink if !parsed.scan.is_empty() => Some(("--scan", "--relink")),
        TreeOp::Move if parsed.dangling_only => Some(("--dangling-only", "--move")),
        TreeOp::Undo if parsed.journal.is_some() => Some(("--journal", "--undo")),
        TreeOp::Undo if parsed.style != RelinkStyle::Keep || parsed.dangling_only => {
            Some(("--to-relative, --to-absolute or --dangling-only", "--undo"))
        }
        TreeOp::Undo if !parsed.scan.is_empty() => Some(("--scan", "--undo")),
        _ => None,
    };
    if let Some((a, b)) = conflict {
        return Parsed::Usage(UsageError::Conflict(a, b));
    }
    let count_ok = match op {
        TreeOp::Relink => parsed.names.len() >= 3,
        TreeOp::Move => parsed.names.len() == 2,
        TreeOp::Undo => parsed.names.len() == 1,
    };
    if !count_ok {
        return Parsed::Usage(UsageError::WrongNameCount);
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
        assert!(matches!(parse_str(&["--relink", "a", "b"]), Parsed::Usage(UsageError::WrongNameCount)));
        assert!(matches!(parse_str(&["--move", "a"]), Parsed::Usage(UsageError::WrongNameCount)));
        assert!(matches!(parse_str(&["--undo"]), Parsed::Usage(UsageError::WrongNameCount)));
        assert!(matches!(
            parse_str(&["--relink", "a", "b", "c", "--to-relative", "--to-absolute"]),
            Parsed::Usage(UsageError::Conflict(..))
        ));
        assert!(matches!(parse_str(&["--move", "a", "b", "--dangling-only"]), Parsed::Usage(UsageError::Conflict(..))));
        assert!(matches!(parse_str(&["--undo", "j", "--bogus"]), Parsed::Usage(UsageError::UnknownOption(_))));
    }

    #[test]
    fn only_a_leading_operation_is_taken_here() {
        assert!(starts_here(&["--move".into(), "a".into()]));
        assert!(!starts_here(&["a".into(), "--move".into()]));
    }
}
