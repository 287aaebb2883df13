//! The whole-tree storage operations, the same on `mklnk` and `mklink`: `--dedupe ROOT…`, `--unshare PATH…` and
//! `--du ROOT…` (a deduplication's journal goes to the shared `--undo JOURNAL`). The operation's option comes first; the rest of the line is its names and
//! these long options (and `/Q`). Names are kept as typed, as `OsString`s; nothing here touches the file system.

use super::{Parsed, UsageError};
use crate::engine::{DedupeRequest, Operation, Request};
use crate::report::{Options, Verbosity};
use std::ffi::OsString;
use std::path::PathBuf;

/// The operation options that start a whole-tree command line.
const OPERATIONS: [&str; 3] = ["--dedupe", "--unshare", "--du"];

/// The help text of the whole-tree operations.
pub const HELP: &str = "\
Whole-tree operations (the same on mklnk and mklink):

  --dedupe ROOT...   replace files of identical content (same device) by hard links to one of them
      --dry-run        print the plan and the bytes it would free; change nothing
      --trust-hash     link on equal BLAKE3 hashes without comparing the bytes first
      --ignore-owner   also merge files of different owners or groups
      --ignore-mode    also merge files of different permission bits
      --journal FILE   write the undo journal here (default: $XDG_STATE_HOME/mklink/)
      --no-journal     write no journal
      --cache FILE     the hash cache that spares re-reading unchanged files (default: $XDG_CACHE_HOME/mklink/)
      --no-cache       neither read nor write a hash cache
  --undo JOURNAL     (as for --relink and --move) give every merged name its own copy back
  --unshare PATH...  turn a name that shares its data into an independent copy
  --du ROOT...       apparent, allocated, shared-with-outside and exclusive bytes of each root

  Common: --json, --quiet (/Q), --verbose, --dry-run. See docs/dedupe.md.
";

/// A usage error of a whole-tree command line, worded for either front-end (the prefix is the reporter's).
pub fn usage_message(error: &UsageError) -> String {
    match error {
        UsageError::UnknownSwitch(s) => format!("Invalid switch \"{}\"", s.to_string_lossy()),
        UsageError::UnknownOption(name) => format!("Invalid switch \"--{name}\""),
        UsageError::BadValue(name) if name == "journal" || name == "cache" => format!("--{name} needs a file name"),
        UsageError::BadValue(name) => format!("The option --{name} takes no value"),
        UsageError::Conflict(a, b) => format!("The options {a} and {b} cannot be used together"),
        UsageError::BadSelection(text) => text.clone(),
        // The tree operations never ask for this: their names are never read as ln options.
        UsageError::LnHabit(typed) => format!("Invalid switch \"{}\"", typed.to_string_lossy()),
        UsageError::NoArguments | UsageError::WrongNameCount => "The syntax of the command is incorrect.\n\
             Usage: --dedupe ROOT... | --unshare PATH... | --du ROOT..."
            .to_string(),
    }
}

/// What the user typed, validated.
#[derive(Debug, Clone)]
pub struct TreeArgs {
    /// The request.
    pub request: Request,
    /// How to report.
    pub options: Options,
    /// A deduplication that changes things, with no `--journal` and no `--no-journal`: the front-end picks where
    /// the journal goes.
    pub default_journal: bool,
    /// A deduplication with no `--cache` and no `--no-cache`: the front-end picks where the hash cache is.
    pub default_cache: bool,
}

/// Whether the command line is a whole-tree operation: its first word is one of the operation options.
pub fn wants(argv: &[OsString]) -> bool {
    argv.first().is_some_and(|first| OPERATIONS.iter().any(|op| first == op))
}

/// Parses a whole-tree command line (without the program name; the first word is the operation).
pub fn parse(argv: impl IntoIterator<Item = OsString>) -> Parsed<TreeArgs> {
    let mut args = argv.into_iter();
    let op = args.next().unwrap_or_default();
    let mut names: Vec<OsString> = Vec::new();
    let mut options = Options::default();
    let mut dedupe = DedupeRequest::default();
    let (mut journal, mut no_journal) = (None, false);
    let (mut cache, mut no_cache) = (None, false);
    let mut dedupe_only: Option<&'static str> = None;
    let mut names_only = false;
    while let Some(arg) = args.next() {
        let bytes = arg.as_encoded_bytes();
        if names_only || !bytes.starts_with(b"-") && !bytes.eq_ignore_ascii_case(b"/q") || bytes == b"-" {
            names.push(arg);
            continue;
        }
        if bytes == b"--" {
            names_only = true;
            continue;
        }
        if bytes.eq_ignore_ascii_case(b"/q") {
            options.verbosity = Verbosity::Quiet;
            continue;
        }
        let text = arg.to_string_lossy();
        let (name, value) = match text.split_once('=') {
            Some((n, _)) => (n.to_string(), Some(os_tail(&arg, n.len() + 1))),
            None => (text.to_string(), None),
        };
        let flag = |value: &Option<OsString>| {
            if value.is_some() { Err(UsageError::BadValue(name[2..].to_string())) } else { Ok(()) }
        };
        let result = match name.as_str() {
            "--help" => return Parsed::Help,
            "--version" => return Parsed::Version,
            "--dry-run" => flag(&value).map(|()| options.dry_run = true),
            "--json" => flag(&value).map(|()| options.json = true),
            "--quiet" => flag(&value).map(|()| options.verbosity = Verbosity::Quiet),
            "--verbose" => flag(&value).map(|()| options.verbosity = Verbosity::Verbose),
            "--trust-hash" => {
                flag(&value).map(|()| dedupe.trust_hash = true).map(|()| dedupe_only = Some("--trust-hash"))
            }
            "--ignore-owner" => {
                flag(&value).map(|()| dedupe.ignore_owner = true).map(|()| dedupe_only = Some("--ignore-owner"))
            }
            "--ignore-mode" => {
                flag(&value).map(|()| dedupe.ignore_mode = true).map(|()| dedupe_only = Some("--ignore-mode"))
            }
            "--no-journal" => flag(&value).map(|()| no_journal = true).map(|()| dedupe_only = Some("--no-journal")),
            "--no-cache" => flag(&value).map(|()| no_cache = true).map(|()| dedupe_only = Some("--no-cache")),
            "--cache" => match value.clone().or_else(|| args.next()) {
                Some(file) if !file.is_empty() => {
                    cache = Some(PathBuf::from(file));
                    dedupe_only = Some("--cache");
                    Ok(())
                }
                _ => Err(UsageError::BadValue("cache".to_string())),
            },
            "--journal" => match value.or_else(|| args.next()) {
                Some(file) if !file.is_empty() => {
                    journal = Some(PathBuf::from(file));
                    dedupe_only = Some("--journal");
                    Ok(())
                }
                _ => Err(UsageError::BadValue("journal".to_string())),
            },
            _ => Err(UsageError::UnknownOption(name.trim_start_matches('-').to_string())),
        };
        if let Err(e) = result {
            return Parsed::Usage(e);
        }
    }
    let paths = || names.iter().map(PathBuf::from).collect::<Vec<_>>();
    let op = op.to_string_lossy();
    if let Some(option) = dedupe_only.filter(|_| op != "--dedupe") {
        return Parsed::Usage(UsageError::Conflict(option, "an operation other than --dedupe"));
    }
    if journal.is_some() && no_journal {
        return Parsed::Usage(UsageError::Conflict("--journal", "--no-journal"));
    }
    if cache.is_some() && no_cache {
        return Parsed::Usage(UsageError::Conflict("--cache", "--no-cache"));
    }
    let operation = match (op.as_ref(), names.len()) {
        (_, 0) => return Parsed::Usage(UsageError::WrongNameCount),
        ("--dedupe", _) => {
            dedupe.roots = paths();
            dedupe.journal = journal;
            dedupe.cache = cache;
            Operation::Dedupe(dedupe)
        }
        ("--unshare", _) => Operation::Unshare { paths: paths() },
        ("--du", _) => Operation::DiskUsage { roots: paths() },
        _ => return Parsed::Usage(UsageError::WrongNameCount),
    };
    let default_journal =
        matches!(&operation, Operation::Dedupe(d) if d.journal.is_none()) && !no_journal && !options.dry_run;
    let default_cache = matches!(&operation, Operation::Dedupe(d) if d.cache.is_none()) && !no_cache;
    let request = Request { operation, dry_run: options.dry_run };
    Parsed::Run(TreeArgs { request, options, default_journal, default_cache })
}

/// The part of `arg` from byte `at` on (after an ASCII `=`, so the cut is on a character boundary).
fn os_tail(arg: &OsString, at: usize) -> OsString {
    crate::platform::os_string_from_bytes(arg.as_encoded_bytes()[at..].to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(list: &[&str]) -> Parsed<TreeArgs> {
        parse(list.iter().map(OsString::from))
    }

    #[test]
    fn dedupe_takes_roots_and_its_options() {
        let Parsed::Run(args) = parsed(&["--dedupe", "a", "/abs/b", "--trust-hash", "--journal=j.jsonl", "/Q"]) else {
            panic!("not parsed")
        };
        let Operation::Dedupe(d) = args.request.operation else { panic!("not a dedupe") };
        assert_eq!(d.roots, [PathBuf::from("a"), PathBuf::from("/abs/b")]);
        assert!(d.trust_hash && !d.ignore_owner);
        assert_eq!(d.journal, Some(PathBuf::from("j.jsonl")));
        assert_eq!(args.options.verbosity, Verbosity::Quiet);
        assert!(!args.default_journal);
    }

    #[test]
    fn a_dedupe_that_changes_things_gets_a_default_journal_unless_told() {
        let journal = |list: &[&str]| match parsed(list) {
            Parsed::Run(args) => args.default_journal,
            other => panic!("{other:?}"),
        };
        assert!(journal(&["--dedupe", "a"]));
        assert!(!journal(&["--dedupe", "a", "--dry-run"]));
        assert!(!journal(&["--dedupe", "a", "--no-journal"]));
    }

    #[test]
    fn dedupe_options_belong_to_dedupe_and_names_are_required() {
        assert!(matches!(parsed(&["--du", "a", "--trust-hash"]), Parsed::Usage(UsageError::Conflict(..))));
        assert!(matches!(parsed(&["--dedupe"]), Parsed::Usage(UsageError::WrongNameCount)));
        assert!(matches!(parsed(&["--dedupe", "a", "--bogus"]), Parsed::Usage(UsageError::UnknownOption(_))));
        assert!(matches!(parsed(&["--dedupe", "a", "--json=1"]), Parsed::Usage(UsageError::BadValue(_))));
    }

    #[test]
    fn a_double_dash_makes_the_rest_names() {
        let Parsed::Run(args) = parsed(&["--unshare", "--", "--json"]) else { panic!("not parsed") };
        assert!(matches!(args.request.operation, Operation::Unshare { paths } if paths == [PathBuf::from("--json")]));
    }

    #[test]
    fn only_an_operation_first_makes_a_tree_line() {
        assert!(wants(&["--du".into(), "x".into()]));
        assert!(!wants(&["x".into(), "--du".into()]));
    }
}
