//! Usage errors worded in each command's style: `mklink` as cmd words them (`Invalid switch - "Z".`), `mklnk` as
//! TCC does (`Invalid switch "/Z"`, the `mklnk: ` prefix added when printed). The tree copies and the whole-tree
//! operations, the same on both commands, have their own usage lines.

use super::Front;
use crate::model::{Feature, OptionName, Party, SelectionProblem, UsageError, ValueProblem};
use std::ffi::OsStr;

/// The message for `error` in `front`'s style.
pub fn message(front: Front, error: &UsageError) -> String {
    let program = front.name();
    let cmd = front == Front::Mklink;
    // cmd ends its sentences with a period; TCC does not.
    let stop = if cmd { "." } else { "" };
    match error {
        UsageError::NoArguments | UsageError::WrongNameCount(None) => syntax(front),
        UsageError::WrongNameCount(Some(op)) => match family(*op) {
            Family::TreeCopy => tree_copy_usage(program),
            Family::WholeTree => {
                "The syntax of the command is incorrect.\nUsage: --dedupe ROOT... | --unshare PATH... | --du ROOT..."
                    .to_string()
            }
            Family::Own => syntax(front),
        },
        UsageError::UnknownSwitch(c) if cmd => format!("Invalid switch - \"{c}\"."),
        UsageError::UnknownSwitch(c) => format!("Invalid switch \"/{c}\""),
        UsageError::UnknownOption { typed, suggestion, operation } => {
            unknown_option(front, typed, *suggestion, operation.map(family).unwrap_or(Family::Own))
        }
        UsageError::LnHabit(typed) if cmd => {
            format!("mklink: {}", ln_habit(program, typed, "makes a symbolic link by default: mklink LINK TARGET"))
        }
        UsageError::LnHabit(typed) => {
            ln_habit(program, typed, "takes the existing name first and the new one second: mklnk EXISTING NEW")
        }
        UsageError::BadValue { option, problem: ValueProblem::Unexpected } => {
            format!("The option --{} takes no value{stop}", option.long())
        }
        UsageError::BadValue { option, problem: ValueProblem::Missing } => {
            format!("--{} needs {}", option.long(), value_kind(*option))
        }
        UsageError::BadValue { option, problem: ValueProblem::NotOneOf(choices) } => {
            format!("--{} takes {}", option.long(), listed(choices.iter().copied(), "or"))
        }
        UsageError::Requires { option, needs } => {
            let value = if *needs == OptionName::Ref { " PREVIOUS" } else { "" };
            format!("{} needs at least one {}{value}", written(*option), written(*needs))
        }
        UsageError::Conflict(a, b) => {
            format!("The options {} and {} cannot be used together{stop}", party(a), party(b))
        }
        UsageError::BadSelection(_) if cmd => syntax(front),
        UsageError::BadSelection(SelectionProblem::Unclosed(typed)) => {
            format!("The range has no closing bracket: \"{}\"", typed.to_string_lossy())
        }
        UsageError::BadSelection(SelectionProblem::Invalid(e)) => e.to_string(),
        UsageError::NotBuiltIn(Feature::Dialog) => {
            format!("The dialog (/=) is not built into this {program} (cargo feature \"dialog\"){stop}")
        }
        UsageError::NotBuiltIn(Feature::Completions) => {
            format!("Completions and man pages are not built into this {program} (cargo feature \"completions\"){stop}")
        }
        UsageError::DialogTerminal(reason) => format!("The dialog cannot use the terminal: {reason}"),
    }
}

/// "The syntax of the command is incorrect.", with TCC's usage line for `mklnk`.
fn syntax(front: Front) -> String {
    match front {
        Front::Mklink => "The syntax of the command is incorrect.".to_string(),
        Front::Mklnk => "The syntax of the command is incorrect.\n\
             Usage: mklnk [/A:[[-]rhsadecijopt] ranges] parm1 [parm2] | mklnk /D parm1 | mklnk parm1"
            .to_string(),
    }
}

/// Which command line an operation belongs to, for its wording.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Family {
    /// The command's own syntax, and the link rewriting that shares its messages.
    Own,
    /// `--clone`, `--snapshot`.
    TreeCopy,
    /// `--dedupe`, `--unshare`, `--du`.
    WholeTree,
}

fn family(op: OptionName) -> Family {
    match op {
        OptionName::Clone | OptionName::Snapshot => Family::TreeCopy,
        OptionName::Dedupe | OptionName::Unshare | OptionName::Du => Family::WholeTree,
        _ => Family::Own,
    }
}

fn unknown_option(front: Front, typed: &str, suggestion: Option<OptionName>, family: Family) -> String {
    let program = front.name();
    // cmd's sentence takes a sentence of its own; TCC's runs on after a semicolon.
    let (cmd_hint, tcc_hint) = match suggestion {
        Some(near) => (format!(" Did you mean --{}?", near.long()), format!("; did you mean --{}?", near.long())),
        None => (String::new(), String::new()),
    };
    match (family, front) {
        (Family::Own, Front::Mklink) => {
            format!("Invalid switch - \"{typed}\".{cmd_hint} Type mklink --help for the options.")
        }
        (Family::Own, Front::Mklnk) => {
            format!("Invalid switch \"{typed}\"{tcc_hint} ({program} --help lists the options)")
        }
        (Family::TreeCopy, _) => format!(
            "Invalid option \"{}\" for --clone or --snapshot{tcc_hint} ({program} --clone --help lists the options)",
            typed.strip_prefix("--").unwrap_or(typed),
        ),
        (Family::WholeTree, _) => {
            format!("Invalid switch \"{typed}\"{tcc_hint} ({program} --dedupe --help lists the options)")
        }
    }
}

/// The usage lines of the tree copies.
fn tree_copy_usage(program: &str) -> String {
    let lead = format!("Usage: {program} --clone SOURCE DEST ");
    let pad = " ".repeat(lead.len());
    format!(
        "The syntax of the command is incorrect.\n\
         {lead}[--outer keep|drop|follow] [--link-limit copy|fail] [--dry-run] [--json]\n\
         {pad}[--verbose] [--quiet]\n       \
         {program} --snapshot SOURCE DEST --ref PREVIOUS [--ref ...] [--checksum] [the same options]"
    )
}

/// How an option is named in a message: its classic switch where cmd's users know it by that, else `--long`.
fn written(option: OptionName) -> String {
    let classic = match option {
        OptionName::Dir => "/D",
        OptionName::Hard => "/H",
        OptionName::Junction => "/J",
        OptionName::List => "/L",
        OptionName::Recursive => "/S",
        other => return format!("--{}", other.long()),
    };
    classic.to_string()
}

/// What an option's missing value is.
fn value_kind(option: OptionName) -> &'static str {
    match option {
        OptionName::Journal | OptionName::Cache => "a file name",
        OptionName::Ref => "a directory name",
        OptionName::Completions => "a shell name",
        _ => "a value",
    }
}

fn party(party: &Party) -> String {
    match party {
        Party::Option(option) => written(*option),
        Party::AnyOf(options) => listed(options.iter().map(|o| written(*o)), "or"),
        Party::Group(options) => listed(options.iter().map(|o| written(*o)), "and"),
        Party::Switch(c) => format!("/{c}"),
        Party::Selection => "/A: or a range".to_string(),
        Party::LinkToMake => "a link to make".to_string(),
        Party::OtherOperation(op) => format!("an operation other than {}", written(*op)),
    }
}

/// `a, b or c`.
fn listed<S: AsRef<str>>(items: impl Iterator<Item = S>, conjunction: &str) -> String {
    let items: Vec<S> = items.collect();
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 && i + 1 == items.len() {
            out.push(' ');
            out.push_str(conjunction);
            out.push(' ');
        } else if i > 0 {
            out.push_str(", ");
        }
        out.push_str(item.as_ref());
    }
    out
}

/// The ln-habit refusal: what was typed, what the command does instead, and how to write a name that really
/// starts with `-`.
fn ln_habit(program: &str, typed: &OsStr, how: &str) -> String {
    let shown = super::escape::quote(typed);
    let plain = typed.to_string_lossy();
    format!(
        "{shown} looks like a GNU ln option; {program} {how} (a name starting with - is written ./{plain} or after --)"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn both(error: &UsageError) -> (String, String) {
        (message(Front::Mklink, error), message(Front::Mklnk, error))
    }

    /// Parts left out of the build and a dialog without a terminal are usage errors worded like the others: a
    /// period for cmd's MKLINK, none for TCC's MKLNK.
    #[test]
    fn missing_parts_and_the_dialogs_terminal_are_worded_per_command() {
        assert_eq!(
            both(&UsageError::NotBuiltIn(Feature::Dialog)),
            (
                "The dialog (/=) is not built into this mklink (cargo feature \"dialog\").".to_string(),
                "The dialog (/=) is not built into this mklnk (cargo feature \"dialog\")".to_string()
            )
        );
        assert_eq!(
            both(&UsageError::NotBuiltIn(Feature::Completions)).1,
            "Completions and man pages are not built into this mklnk (cargo feature \"completions\")"
        );
        assert_eq!(
            both(&UsageError::DialogTerminal("not a terminal".into())).1,
            "The dialog cannot use the terminal: not a terminal"
        );
    }

    #[test]
    fn unknown_switches_keep_each_commands_shape() {
        let (cmd, tcc) = both(&UsageError::UnknownSwitch('Z'));
        assert_eq!((cmd.as_str(), tcc.as_str()), ("Invalid switch - \"Z\".", "Invalid switch \"/Z\""));
    }

    #[test]
    fn unknown_options_carry_their_suggestion() {
        let error = UsageError::UnknownOption {
            typed: "--dryrun".into(),
            suggestion: Some(OptionName::DryRun),
            operation: None,
        };
        assert_eq!(
            message(Front::Mklink, &error),
            "Invalid switch - \"--dryrun\". Did you mean --dry-run? Type mklink --help for the options."
        );
        let error = UsageError::UnknownOption { typed: "--frob".into(), suggestion: None, operation: None };
        assert_eq!(message(Front::Mklnk, &error), "Invalid switch \"--frob\" (mklnk --help lists the options)");
        let error = UsageError::UnknownOption {
            typed: "--chksum".into(),
            suggestion: Some(OptionName::Checksum),
            operation: Some(OptionName::Snapshot),
        };
        assert!(
            message(Front::Mklnk, &error)
                .starts_with("Invalid option \"chksum\" for --clone or --snapshot; did you mean --checksum?")
        );
    }

    #[test]
    fn conflicts_name_both_sides() {
        let error = UsageError::Conflict(
            Party::Group(&[OptionName::Recursive, OptionName::Dangling, OptionName::Symlinks]),
            Party::LinkToMake,
        );
        assert_eq!(
            message(Front::Mklink, &error),
            "The options /S, --dangling and --symlinks and a link to make cannot be used together."
        );
        let error = UsageError::Conflict(Party::Switch('D'), Party::Selection);
        assert_eq!(message(Front::Mklnk, &error), "The options /D and /A: or a range cannot be used together");
        let error = UsageError::Conflict(
            Party::Option(OptionName::Clone),
            Party::AnyOf(&[OptionName::Ref, OptionName::Checksum]),
        );
        assert_eq!(
            message(Front::Mklnk, &error),
            "The options --clone and --ref or --checksum cannot be used together"
        );
    }

    #[test]
    fn values_say_what_was_wanted() {
        let bad = |option, problem| UsageError::BadValue { option, problem };
        assert_eq!(
            message(Front::Mklink, &bad(OptionName::Dir, ValueProblem::Unexpected)),
            "The option --dir takes no value."
        );
        assert_eq!(
            message(Front::Mklnk, &bad(OptionName::Journal, ValueProblem::Missing)),
            "--journal needs a file name"
        );
        let choices: &'static [&'static str] = &["keep", "drop", "follow"];
        assert_eq!(
            message(Front::Mklnk, &bad(OptionName::Outer, ValueProblem::NotOneOf(choices))),
            "--outer takes keep, drop or follow"
        );
        let error = UsageError::Requires { option: OptionName::Snapshot, needs: OptionName::Ref };
        assert_eq!(message(Front::Mklink, &error), "--snapshot needs at least one --ref PREVIOUS");
    }

    #[test]
    fn wrong_name_counts_show_the_operations_usage() {
        assert_eq!(
            message(Front::Mklink, &UsageError::WrongNameCount(None)),
            "The syntax of the command is incorrect."
        );
        assert!(message(Front::Mklnk, &UsageError::NoArguments).contains("Usage: mklnk [/A:"));
        let clone = message(Front::Mklnk, &UsageError::WrongNameCount(Some(OptionName::Clone)));
        assert!(clone.contains("Usage: mklnk --clone SOURCE DEST"), "{clone}");
        let dedupe = message(Front::Mklink, &UsageError::WrongNameCount(Some(OptionName::Du)));
        assert!(dedupe.ends_with("Usage: --dedupe ROOT... | --unshare PATH... | --du ROOT..."), "{dedupe}");
    }

    #[test]
    fn ln_habits_say_how_to_write_the_name() {
        let (cmd, tcc) = both(&UsageError::LnHabit("-s".into()));
        assert!(cmd.starts_with("mklink: \"-s\" looks like a GNU ln option;"), "{cmd}");
        assert!(cmd.contains("./-s or after --"), "{cmd}");
        assert!(tcc.contains("mklnk EXISTING NEW"), "{tcc}");
    }

    #[test]
    fn selections_are_worded_by_mklnk_only() {
        let error = UsageError::BadSelection(SelectionProblem::Unclosed("/[s1k".into()));
        let (cmd, tcc) = both(&error);
        assert_eq!(cmd, "The syntax of the command is incorrect.");
        assert_eq!(tcc, "The range has no closing bracket: \"/[s1k\"");
    }
}
