//! The whole-tree storage operations, the same on `mklnk` and `mklink`: `--dedupe ROOT…`, `--unshare PATH…` and
//! `--du ROOT…` (a deduplication's journal goes to the shared `--undo JOURNAL`). The operation's option comes
//! first; the rest of the line is its names and the options of [`options::TREE`] (and `/Q`), and for `--dedupe`
//! the TCC selection switches (`/A:`, ranges, `/C`; see `cli::tree_select`). Names are kept as typed, as
//! `OsString`s; nothing here touches the file system.

use super::Parsed;
use super::options::{self, TREE, WHOLE_TREE};
use super::tree_select::SelectArgs;
use crate::model::{DedupeRequest, Operation, OptionName, Party, Request, UsageError, ValueProblem};
use crate::report::{Options, Verbosity};
use std::ffi::OsString;
use std::path::PathBuf;

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
    argv.first().is_some_and(|first| WHOLE_TREE.named(first).is_some())
}

/// The options that only a deduplication takes.
const DEDUPE_ONLY: &[OptionName] = &[
    OptionName::TrustHash,
    OptionName::IgnoreOwner,
    OptionName::IgnoreMode,
    OptionName::Journal,
    OptionName::NoJournal,
    OptionName::Cache,
    OptionName::NoCache,
];

/// Parses a whole-tree command line (without the program name; the first word is the operation). Which long
/// options exist, and which take a value, is said by [`options::TREE`].
pub fn parse(argv: impl IntoIterator<Item = OsString>) -> Parsed<TreeArgs> {
    let mut args = argv.into_iter();
    let first = args.next().unwrap_or_default();
    let op = WHOLE_TREE.named(&first).unwrap_or(OptionName::Dedupe);
    let mut names: Vec<OsString> = Vec::new();
    let mut options = Options::default();
    let mut dedupe = DedupeRequest::default();
    let (mut journal, mut no_journal) = (None, false);
    let (mut cache, mut no_cache) = (None, false);
    let mut dedupe_only: Option<OptionName> = None;
    let mut names_only = false;
    let mut select = SelectArgs::default();
    while let Some(arg) = args.next() {
        if !names_only {
            match select.take(&arg, &mut args) {
                Ok(true) => continue,
                Ok(false) => {}
                Err(e) => return Parsed::Usage(e),
            }
        }
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
        let (name, value) = match (options::short(TREE, &arg), text.split_once('=')) {
            (Some(long), _) => (format!("--{long}"), None),
            (None, Some((n, _))) => (n.to_string(), Some(os_tail(&arg, n.len() + 1))),
            (None, None) => (text.to_string(), None),
        };
        let Some(opt) = name.strip_prefix("--").and_then(|long| options::find(TREE, long)) else {
            return Parsed::Usage(options::unknown(TREE, &name, Some(op)));
        };
        let option = opt.name;
        if value.is_some() && opt.value.is_none() {
            return Parsed::Usage(UsageError::BadValue { option, problem: ValueProblem::Unexpected });
        }
        if DEDUPE_ONLY.contains(&option) {
            dedupe_only = Some(option);
        }
        let mut file = || match value.clone().or_else(|| args.next()) {
            Some(file) if !file.is_empty() => Ok(PathBuf::from(file)),
            _ => Err(UsageError::BadValue { option, problem: ValueProblem::Missing }),
        };
        match option {
            OptionName::Help => return Parsed::Help,
            OptionName::Version => return Parsed::Version,
            OptionName::Dedupe | OptionName::Unshare | OptionName::Du if option == op => {}
            OptionName::Dedupe | OptionName::Unshare | OptionName::Du => {
                return Parsed::Usage(UsageError::Conflict(Party::Option(op), Party::Option(option)));
            }
            OptionName::DryRun => options.dry_run = true,
            OptionName::Json => options.json = true,
            OptionName::Quiet => options.verbosity = Verbosity::Quiet,
            OptionName::Verbose => options.verbosity = Verbosity::Verbose,
            OptionName::TrustHash => dedupe.trust_hash = true,
            OptionName::IgnoreOwner => dedupe.ignore_owner = true,
            OptionName::IgnoreMode => dedupe.ignore_mode = true,
            OptionName::IgnoreCase => select.ignore_case = true,
            OptionName::NoJournal => no_journal = true,
            OptionName::NoCache => no_cache = true,
            OptionName::Cache | OptionName::Journal => match file() {
                Ok(file) if option == OptionName::Cache => cache = Some(file),
                Ok(file) => journal = Some(file),
                Err(e) => return Parsed::Usage(e),
            },
            // The table holds nothing else; should it, the option is not this parser's.
            _ => return Parsed::Usage(options::unknown(TREE, &name, Some(op))),
        }
    }
    let paths = || names.iter().map(PathBuf::from).collect::<Vec<_>>();
    let conflict = |a, b| Parsed::Usage(UsageError::Conflict(Party::Option(a), b));
    if let Some(option) = dedupe_only.filter(|_| op != OptionName::Dedupe) {
        return conflict(option, Party::OtherOperation(OptionName::Dedupe));
    }
    if let (false, Some(switch)) = (op == OptionName::Dedupe, select.given()) {
        return Parsed::Usage(UsageError::Conflict(switch, Party::OtherOperation(OptionName::Dedupe)));
    }
    if journal.is_some() && no_journal {
        return conflict(OptionName::Journal, Party::Option(OptionName::NoJournal));
    }
    if cache.is_some() && no_cache {
        return conflict(OptionName::Cache, Party::Option(OptionName::NoCache));
    }
    if names.is_empty() || WHOLE_TREE.named(&first).is_none() {
        return Parsed::Usage(UsageError::WrongNameCount(Some(op)));
    }
    let operation = match op {
        OptionName::Unshare => Operation::Unshare { paths: paths() },
        OptionName::Du => Operation::DiskUsage { roots: paths() },
        _ => {
            dedupe.roots = paths();
            dedupe.journal = journal;
            dedupe.cache = cache;
            dedupe.selection = match select.selection(jiff::Zoned::now) {
                Ok(selection) => selection,
                Err(e) => return Parsed::Usage(e),
            };
            Operation::Dedupe(dedupe)
        }
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
        assert!(matches!(parsed(&["--dedupe"]), Parsed::Usage(UsageError::WrongNameCount(Some(OptionName::Dedupe)))));
        assert!(matches!(
            parsed(&["--dedupe", "a", "--trust-hsh"]),
            Parsed::Usage(UsageError::UnknownOption { suggestion: Some(OptionName::TrustHash), .. })
        ));
        assert!(matches!(
            parsed(&["--dedupe", "a", "--json=1"]),
            Parsed::Usage(UsageError::BadValue { option: OptionName::Json, problem: ValueProblem::Unexpected })
        ));
        assert!(matches!(
            parsed(&["--dedupe", "a", "--journal"]),
            Parsed::Usage(UsageError::BadValue { option: OptionName::Journal, problem: ValueProblem::Missing })
        ));
        assert!(matches!(parsed(&["--du", "a", "--unshare"]), Parsed::Usage(UsageError::Conflict(..))));
        assert!(matches!(parsed(&["--du", "a", "-h"]), Parsed::Help));
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
