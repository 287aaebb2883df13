//! The one table of options of each command and of each family of operations the two commands share (link
//! rewriting, tree copies, whole-tree storage). Each parser accepts exactly the long names (and short forms) of
//! its table, the help screens' option lines, the shell completions and the man pages are all made from the
//! tables, and a test checks that they agree. Unknown options are matched against the table for a "did you
//! mean" suggestion.

use crate::model::{OptionName, UsageError};
use std::ffi::OsStr;

/// One option of the extensions (the classic `/X` switches are described by the help text around them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Opt {
    /// Which option; its long name is `name.long()`.
    pub name: OptionName,
    /// A one-letter short form written `-x`, if any.
    pub short: Option<char>,
    /// The classic switch that means the same, if any (`/D`).
    pub classic: Option<&'static str>,
    /// The name of the value it takes (`SHELL`, `FILE`, `DIR`), or `None` for a flag.
    pub value: Option<&'static str>,
    /// The values it accepts, when it takes one of a few words (`keep`, `drop`, `follow`).
    pub choices: &'static [&'static str],
    /// What it does, one line.
    pub help: &'static str,
}

impl Opt {
    /// The long name, without the dashes.
    pub const fn long(&self) -> &'static str {
        self.name.long()
    }
}

const fn flag(name: OptionName, help: &'static str) -> Opt {
    Opt { name, short: None, classic: None, value: None, choices: &[], help }
}

const fn classic(name: OptionName, switch: &'static str, help: &'static str) -> Opt {
    Opt { name, short: None, classic: Some(switch), value: None, choices: &[], help }
}

const fn valued(name: OptionName, value: &'static str, help: &'static str) -> Opt {
    Opt { name, short: None, classic: None, value: Some(value), choices: &[], help }
}

const fn choice(name: OptionName, choices: &'static [&'static str], help: &'static str) -> Opt {
    Opt { name, short: None, classic: None, value: Some("WORD"), choices, help }
}

const HELP: Opt = Opt {
    name: OptionName::Help,
    short: Some('h'),
    classic: Some("/?"),
    value: None,
    choices: &[],
    help: "Prints this help screen.",
};
const VERSION: Opt = Opt {
    name: OptionName::Version,
    short: Some('V'),
    classic: None,
    value: None,
    choices: &[],
    help: "Prints the version.",
};
const COMPLETIONS: Opt =
    valued(OptionName::Completions, "SHELL", "Prints the completion script for bash, zsh, fish or powershell.");
const MAN: Opt = flag(OptionName::Man, "Prints the man page (roff).");

/// `mklink`'s options.
pub const MKLINK: &[Opt] = &[
    classic(OptionName::Dir, "/D", "Creates a directory symbolic link."),
    classic(OptionName::Hard, "/H", "Creates a hard link."),
    classic(OptionName::Junction, "/J", "Creates a directory junction."),
    flag(OptionName::Relative, "Stores the target relative to the link's directory."),
    flag(OptionName::Absolute, "Stores the target as an absolute path."),
    classic(OptionName::List, "/L", "Lists the links under each path (default .), DIR style."),
    classic(OptionName::Recursive, "/S", "With /L, descends into subdirectories."),
    flag(OptionName::Dangling, "With /L, only links whose target is missing or loops."),
    flag(OptionName::Escaping, "With /L, only links whose target leaves the listed tree."),
    flag(OptionName::HardLinks, "With /L, only files with more than one name."),
    flag(OptionName::Symlinks, "With /L, only symbolic links and junctions."),
    flag(OptionName::Siblings, "FILE [TREE]: lists FILE's other names inside TREE (default .)."),
    Opt {
        name: OptionName::Print0,
        short: Some('0'),
        classic: None,
        value: None,
        choices: &[],
        help: "With /L or --siblings, prints raw names ended by NUL, for xargs -0.",
    },
    flag(OptionName::DryRun, "Says what would be done and changes nothing."),
    flag(OptionName::Json, "Writes one JSON object per result and a summary."),
    flag(OptionName::Verbose, "Adds the system's own error text and code."),
    flag(OptionName::Quiet, "Prints errors only."),
    HELP,
    VERSION,
    COMPLETIONS,
    MAN,
];

/// `mklnk`'s options.
pub const MKLNK: &[Opt] = &[
    flag(OptionName::Summary, "Ends with a line counting links made and errors."),
    flag(OptionName::Vars, "Prints only _mklnk_files=N and _mklnk_errors=M, for eval."),
    flag(OptionName::Json, "Writes one JSON object per result and a summary."),
    flag(OptionName::DryRun, "Says what would be done and changes nothing."),
    flag(OptionName::Verbose, "Prints one line per link, and the system's error text."),
    classic(OptionName::Quiet, "/Q", "Prints errors only."),
    classic(OptionName::IgnoreCase, "/C", "Wildcards, exclusions and rename patterns ignore case."),
    HELP,
    VERSION,
    COMPLETIONS,
    MAN,
];

/// The link-rewriting operations' options (the same on both commands): `--relink`, `--move`, `--undo`.
pub const RELINK: &[Opt] = &[
    flag(OptionName::Relink, "OLD NEW ROOT...: points every link into OLD at the same place under NEW."),
    flag(OptionName::Move, "SOURCE DEST: renames SOURCE and re-points the links into it."),
    flag(OptionName::Undo, "JOURNAL: puts back what a relink, move or dedupe did, last first."),
    flag(OptionName::Scan, "ROOT...: more trees whose links --move re-points."),
    flag(OptionName::ToRelative, "Writes every rewritten link relative to its directory."),
    flag(OptionName::ToAbsolute, "Writes every rewritten link as an absolute path."),
    flag(OptionName::DanglingOnly, "Rewrites only links that do not resolve."),
    valued(OptionName::Journal, "FILE", "Writes the journal to FILE."),
    flag(OptionName::Json, "One JSON object per item, then a summary."),
    flag(OptionName::DryRun, "Prints the plan and changes nothing."),
    flag(OptionName::Verbose, "Says more about errors."),
    classic(OptionName::Quiet, "/Q", "Prints errors only."),
    HELP,
    VERSION,
];

/// The tree copies' options (the same on both commands): `--clone`, `--snapshot`.
pub const CLONE: &[Opt] = &[
    flag(
        OptionName::Clone,
        "SOURCE DEST: directories re-created (mode, owner as root, times, extended attributes), files \
         hard-linked, symbolic links re-created: a link into SOURCE points into DEST.",
    ),
    flag(
        OptionName::Snapshot,
        "SOURCE DEST: a file unchanged in a reference (same size, time and mode) is hard-linked from it; any \
         other file is copied.",
    ),
    valued(OptionName::Ref, "DIR", "A reference for --snapshot; the first match wins."),
    flag(OptionName::Checksum, "Also compares content before linking from a reference."),
    choice(
        OptionName::Outer,
        &["keep", "drop", "follow"],
        "Links pointing outside SOURCE: kept pointing at the same place (default), left out, or replaced by a \
         hard link to the file they lead to.",
    ),
    choice(
        OptionName::LinkLimit,
        &["copy", "fail"],
        "A file that cannot take one more name: DEST gets a copy of it, or the run fails (default).",
    ),
    flag(OptionName::DryRun, "Prints the plan and changes nothing."),
    flag(OptionName::Verbose, "One line per entry."),
    flag(OptionName::Json, "One JSON object per entry and a summary."),
    classic(OptionName::Quiet, "/Q", "No closing line."),
    HELP,
    VERSION,
];

/// The whole-tree storage operations' options (the same on both commands): `--dedupe`, `--unshare`, `--du`.
pub const TREE: &[Opt] = &[
    flag(
        OptionName::Dedupe,
        "ROOT...: replaces files of identical content (same device) by hard links to one of them.",
    ),
    flag(OptionName::Unshare, "PATH...: turns a name that shares its data into an independent copy."),
    flag(OptionName::Du, "ROOT...: apparent, allocated, shared-with-outside and exclusive bytes of each root."),
    flag(OptionName::DryRun, "Prints the plan and the bytes it would free; changes nothing."),
    flag(OptionName::TrustHash, "Links on equal BLAKE3 hashes without comparing the bytes first."),
    flag(OptionName::IgnoreOwner, "Also merges files of different owners or groups."),
    flag(OptionName::IgnoreMode, "Also merges files of different permission bits."),
    classic(OptionName::IgnoreCase, "/C", "--dedupe: wildcards and exclusions ignore case."),
    valued(OptionName::Journal, "FILE", "Writes the undo journal here (default: $XDG_STATE_HOME/mklink/)."),
    flag(OptionName::NoJournal, "Writes no journal."),
    valued(
        OptionName::Cache,
        "FILE",
        "The hash cache that spares re-reading unchanged files (default: $XDG_CACHE_HOME/mklink/).",
    ),
    flag(OptionName::NoCache, "Neither reads nor writes a hash cache."),
    flag(OptionName::Json, "One JSON object per item, then a summary."),
    flag(OptionName::Verbose, "Says more about errors."),
    classic(OptionName::Quiet, "/Q", "Prints errors only."),
    HELP,
    VERSION,
];

/// A family of operations that share one command line and one table of options, the same on both commands.
#[derive(Debug, Clone, Copy)]
pub struct Operations {
    /// The options that name the operations (`--clone`, `--snapshot`).
    pub starts: &'static [OptionName],
    /// Every option these command lines take, the starting ones included.
    pub options: &'static [Opt],
}

/// `--relink`, `--move`, `--undo`: first on the line.
pub const LINK_REWRITING: Operations =
    Operations { starts: &[OptionName::Relink, OptionName::Move, OptionName::Undo], options: RELINK };
/// `--clone`, `--snapshot`: anywhere before `--`.
pub const TREE_COPIES: Operations = Operations { starts: &[OptionName::Clone, OptionName::Snapshot], options: CLONE };
/// `--dedupe`, `--unshare`, `--du`: first on the line.
pub const WHOLE_TREE: Operations =
    Operations { starts: &[OptionName::Dedupe, OptionName::Unshare, OptionName::Du], options: TREE };

/// Every family of operations both commands take besides their own syntax.
pub const OPERATIONS: [Operations; 3] = [LINK_REWRITING, TREE_COPIES, WHOLE_TREE];

impl Operations {
    /// The operation `arg` names, when it is one of these written `--name`.
    pub fn named(&self, arg: &OsStr) -> Option<OptionName> {
        let name = arg.as_encoded_bytes().strip_prefix(b"--")?;
        self.starts.iter().copied().find(|op| op.long().as_bytes() == name)
    }

    /// How the operations are named in a message or a heading: `--clone, --snapshot`.
    pub fn names(&self) -> String {
        self.starts.iter().map(|op| format!("--{}", op.long())).collect::<Vec<_>>().join(", ")
    }
}

/// Every option a command takes on any of its command lines: its own `table` first, then each family's options
/// not already listed, each with the families it belongs to (none for the command's own).
pub fn everything(table: &'static [Opt]) -> Vec<(&'static Opt, Vec<Operations>)> {
    let mut all: Vec<(&'static Opt, Vec<Operations>)> = table.iter().map(|o| (o, Vec::new())).collect();
    for family in OPERATIONS {
        for opt in family.options {
            match all.iter_mut().find(|(o, _)| o.name == opt.name) {
                Some((_, families)) if table.iter().all(|o| o.name != opt.name) => families.push(family),
                Some(_) => {}
                None => all.push((opt, vec![family])),
            }
        }
    }
    all
}

/// The usage error for an unknown option `typed` (`--dryrun`, `-x`), with the closest option of `table` as a
/// suggestion; `operation` names the family the table belongs to, if not the command's own.
pub fn unknown(table: &'static [Opt], typed: &str, operation: Option<OptionName>) -> UsageError {
    let bare = typed.trim_start_matches('-');
    UsageError::UnknownOption { typed: typed.to_string(), suggestion: suggest(table, bare), operation }
}

/// The option of `table` with the long name `name`.
pub fn find(table: &'static [Opt], name: &str) -> Option<&'static Opt> {
    table.iter().find(|o| o.long() == name)
}

/// The long name that `-x` stands for in `table`, when `arg` is exactly such a short option.
pub fn short(table: &'static [Opt], arg: &OsStr) -> Option<&'static str> {
    let [b'-', letter] = arg.as_encoded_bytes() else { return None };
    table.iter().find(|o| o.short == Some(char::from(*letter))).map(|o| o.long())
}

/// The long name closest to a mistyped `name`, when one is close enough to be what was meant.
pub fn suggest(table: &'static [Opt], name: &str) -> Option<OptionName> {
    let lower = name.to_ascii_lowercase();
    let (best, score) =
        table.iter().map(|o| (o.name, strsim::jaro_winkler(&lower, o.long()))).max_by(|a, b| a.1.total_cmp(&b.1))?;
    let prefix = !lower.is_empty() && best.long().starts_with(&lower);
    (score >= 0.8 || prefix).then_some(best)
}

/// Whether `arg` looks like a GNU `ln` option (`-s`, `-f`, `-sf`, `-snf`, `-rs`): one dash, then only letters
/// that `ln` takes as options. Such a name is almost always a habit from `ln`, not a name the user wants made.
pub fn looks_like_ln_option(arg: &OsStr) -> bool {
    const LN_LETTERS: &[u8] = b"bdFfiLnPrsSTtv";
    match arg.as_encoded_bytes() {
        [b'-', rest @ ..] => !rest.is_empty() && rest.iter().all(|b| LN_LETTERS.contains(b)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_are_unique_in_each_table() {
        for table in [MKLINK, MKLNK, RELINK, CLONE, TREE] {
            for (i, opt) in table.iter().enumerate() {
                assert!(table[i + 1..].iter().all(|o| o.name != opt.name), "{} twice", opt.long());
            }
        }
    }

    #[test]
    fn a_typo_gets_the_closest_name() {
        assert_eq!(suggest(MKLINK, "dryrun"), Some(OptionName::DryRun));
        assert_eq!(suggest(MKLNK, "sumary"), Some(OptionName::Summary));
        assert_eq!(suggest(MKLINK, "verb"), Some(OptionName::Verbose));
        assert_eq!(suggest(CLONE, "link-limt"), Some(OptionName::LinkLimit));
        assert_eq!(suggest(MKLINK, "xyzzy"), None);
    }

    #[test]
    fn everything_lists_each_option_once_with_the_families_it_belongs_to() {
        let all = everything(MKLINK);
        for (i, (opt, _)) in all.iter().enumerate() {
            assert!(all[i + 1..].iter().all(|(o, _)| o.name != opt.name), "{} twice", opt.long());
        }
        let families = |name| all.iter().find(|(o, _)| o.name == name).map(|(_, f)| f.len());
        assert_eq!(families(OptionName::Json), Some(0));
        assert_eq!(families(OptionName::Journal), Some(2));
        assert_eq!(families(OptionName::Outer), Some(1));
        assert_eq!(TREE_COPIES.named(OsStr::new("--snapshot")), Some(OptionName::Snapshot));
        assert_eq!(TREE_COPIES.named(OsStr::new("--dedupe")), None);
    }

    #[test]
    fn short_forms() {
        assert_eq!(short(MKLINK, OsStr::new("-h")), Some("help"));
        assert_eq!(short(MKLNK, OsStr::new("-V")), Some("version"));
        assert_eq!(short(MKLINK, OsStr::new("-0")), Some("print0"));
        assert_eq!(short(MKLNK, OsStr::new("-0")), None);
        assert_eq!(short(MKLINK, OsStr::new("-hV")), None);
    }

    #[test]
    fn gnu_ln_habits_are_recognised_and_ordinary_dash_names_are_not() {
        for habit in ["-s", "-f", "-sf", "-snf", "-rs", "-v", "-T"] {
            assert!(looks_like_ln_option(OsStr::new(habit)), "{habit}");
        }
        for name in ["-", "--", "-plain", "-dash", "-x", "s", "-s.txt", "-1"] {
            assert!(!looks_like_ln_option(OsStr::new(name)), "{name}");
        }
    }
}
