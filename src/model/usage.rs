//! Why a command line is wrong, in terms of the situation: the parsers build these, the reporter words them in
//! the command's style. Options are named by identity ([`OptionName`]), never by free text, so the wording of an
//! option (`/H` or `--hard`) is decided in one place.

use crate::select::SelectError;
use std::ffi::OsString;

macro_rules! option_names {
    ($($(#[$doc:meta])* $variant:ident = $long:literal,)*) => {
        /// An option of either command, by identity. Its long name is [`OptionName::long`]; the classic switch
        /// that means the same (`/H` for `--hard`) is part of the command's option table.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum OptionName {
            $($(#[$doc])* $variant,)*
        }

        impl OptionName {
            /// Every option, in declaration order.
            pub const ALL: &'static [OptionName] = &[$(OptionName::$variant,)*];

            /// The long name, without the dashes (`dry-run`).
            pub const fn long(self) -> &'static str {
                match self {
                    $(OptionName::$variant => $long,)*
                }
            }
        }
    };
}

option_names! {
    /// `--help`, `-h`, `/?`.
    Help = "help",
    /// `--version`, `-V`.
    Version = "version",
    /// `--completions SHELL`.
    Completions = "completions",
    /// `--man`.
    Man = "man",
    /// `mklink --dir`, `/D`.
    Dir = "dir",
    /// `mklink --hard`, `/H`.
    Hard = "hard",
    /// `mklink --junction`, `/J`.
    Junction = "junction",
    /// `mklink --relative`.
    Relative = "relative",
    /// `mklink --absolute`.
    Absolute = "absolute",
    /// `mklink --list`, `/L`.
    List = "list",
    /// `mklink --recursive`, `/S`.
    Recursive = "recursive",
    /// `mklink --dangling`.
    Dangling = "dangling",
    /// `mklink --escaping`.
    Escaping = "escaping",
    /// `mklink --hardlinks`.
    HardLinks = "hardlinks",
    /// `mklink --symlinks`.
    Symlinks = "symlinks",
    /// `mklink --siblings`.
    Siblings = "siblings",
    /// `mklink --print0`, `-0`.
    Print0 = "print0",
    /// `--dry-run`.
    DryRun = "dry-run",
    /// `--json`.
    Json = "json",
    /// `--verbose`.
    Verbose = "verbose",
    /// `--quiet` (`/Q` where the command has it).
    Quiet = "quiet",
    /// `mklnk --summary`.
    Summary = "summary",
    /// `mklnk --vars`.
    Vars = "vars",
    /// `mklnk --ignore-case`, `/C`.
    IgnoreCase = "ignore-case",
    /// `--relink OLD NEW ROOT…`.
    Relink = "relink",
    /// `--move SOURCE DEST`.
    Move = "move",
    /// `--undo JOURNAL`.
    Undo = "undo",
    /// `--scan ROOT…` (with `--move`).
    Scan = "scan",
    /// `--to-relative`.
    ToRelative = "to-relative",
    /// `--to-absolute`.
    ToAbsolute = "to-absolute",
    /// `--dangling-only`.
    DanglingOnly = "dangling-only",
    /// `--journal FILE`.
    Journal = "journal",
    /// `--clone SOURCE DEST`.
    Clone = "clone",
    /// `--snapshot SOURCE DEST`.
    Snapshot = "snapshot",
    /// `--ref PREVIOUS` (with `--snapshot`).
    Ref = "ref",
    /// `--checksum` (with `--snapshot`).
    Checksum = "checksum",
    /// `--outer keep|drop|follow`.
    Outer = "outer",
    /// `--link-limit copy|fail`.
    LinkLimit = "link-limit",
    /// `--dedupe ROOT…`.
    Dedupe = "dedupe",
    /// `--unshare PATH…`.
    Unshare = "unshare",
    /// `--du ROOT…`.
    Du = "du",
    /// `--trust-hash` (with `--dedupe`).
    TrustHash = "trust-hash",
    /// `--ignore-owner` (with `--dedupe`).
    IgnoreOwner = "ignore-owner",
    /// `--ignore-mode` (with `--dedupe`).
    IgnoreMode = "ignore-mode",
    /// `--no-journal` (with `--dedupe`).
    NoJournal = "no-journal",
    /// `--cache FILE` (with `--dedupe`).
    Cache = "cache",
    /// `--no-cache` (with `--dedupe`).
    NoCache = "no-cache",
}

/// One side of a conflict: what was given that does not go with the other side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    /// One option.
    Option(OptionName),
    /// Any one of these options (worded "a, b or c").
    AnyOf(&'static [OptionName]),
    /// These options as a group (worded "a, b and c").
    Group(&'static [OptionName]),
    /// A classic switch that has no long name, by its letter (`mklnk /D`).
    Switch(char),
    /// `/A:` or a range.
    Selection,
    /// Names of a link to make (`LINK TARGET`).
    LinkToMake,
    /// An operation other than this one.
    OtherOperation(OptionName),
}

/// What is wrong with an option's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueProblem {
    /// The option is a flag and was given `=value`.
    Unexpected,
    /// The option needs a value and none followed.
    Missing,
    /// The value is not one of these (or none was given).
    NotOneOf(&'static [&'static str]),
}

/// What is wrong with a selection (`/A:` or a range).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SelectionProblem {
    /// A range without its closing bracket: the range as typed.
    Unclosed(OsString),
    /// The selection's own parser refused it.
    Invalid(SelectError),
}

/// Why a command line is wrong; nothing may be done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UsageError {
    /// No arguments at all.
    NoArguments,
    /// A classic switch the command does not know: the character after the slash.
    UnknownSwitch(char),
    /// An option the command (or the operation) does not know.
    UnknownOption {
        /// The word as typed, up to any `=` (`--dryrun`, `-x`).
        typed: String,
        /// The known option closest to it, when one is close enough to be what was meant.
        suggestion: Option<OptionName>,
        /// The operation whose options were searched (`--clone`), or `None` for the command's own.
        operation: Option<OptionName>,
    },
    /// An option's value is wrong.
    BadValue {
        /// The option.
        option: OptionName,
        /// What is wrong.
        problem: ValueProblem,
    },
    /// An option that needs another one given with it (`--snapshot` without `--ref`).
    Requires {
        /// The option given.
        option: OptionName,
        /// The option it needs.
        needs: OptionName,
    },
    /// Two things that cannot go together.
    Conflict(Party, Party),
    /// A malformed `/A:` or range.
    BadSelection(SelectionProblem),
    /// Too few or too many names for the operation (`None`: the command's own form).
    WrongNameCount(Option<OptionName>),
    /// A name where a link would be made that looks like a GNU `ln` option (`-s`, `-sf`): an `ln` habit.
    LnHabit(OsString),
    /// A part this program was built without (a cargo feature left out).
    NotBuiltIn(Feature),
    /// The dialog (`mklnk /=`) could not use the terminal: the system's reason.
    DialogTerminal(String),
}

/// The optional parts of the program, each a cargo feature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feature {
    /// The full-screen dialog of `mklnk /=` (cargo feature `dialog`).
    Dialog,
    /// `--completions` and `--man` (cargo feature `completions`).
    Completions,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_are_unique() {
        for (i, a) in OptionName::ALL.iter().enumerate() {
            assert!(OptionName::ALL[i + 1..].iter().all(|b| b.long() != a.long()), "{} twice", a.long());
        }
    }
}
