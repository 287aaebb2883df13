//! One parser per legacy syntax, each producing the same typed [`Request`](crate::Request), and the help texts.
//!
//! Parsers take any `OsString` iterator, keep names as `OsString`, and never touch the file system, the current
//! directory or the environment: they only validate and record what the user typed. `/?`, `--help` (`-h`) and
//! `--version` (`-V`) win over any error on the same line. Which long options exist is said by one table per
//! command and per family of shared operations ([`options`]). A wrong line becomes a typed
//! [`UsageError`](crate::model::UsageError), which `report::usage` words.

pub mod clone;
#[cfg(feature = "dialog")]
pub mod dialog;
pub mod help;
#[cfg(feature = "completions")]
pub mod manifest;
#[cfg(all(test, feature = "completions"))]
mod manifest_tests;
pub mod mklink;
pub mod mklnk;
pub mod options;
pub mod relink;
pub mod switches;
pub mod tree;
mod tree_select;

use crate::model::{OptionName, UsageError, ValueProblem};
use std::ffi::OsString;

/// What a parser made of the command line.
#[derive(Debug)]
pub enum Parsed<T> {
    /// Arguments to run with.
    Run(T),
    /// `/?` or `--help`.
    Help,
    /// `--version`.
    Version,
    /// `--completions SHELL` or `--man`: a generated file for installing.
    Generate(Generated),
    /// The command line is wrong; nothing may be done.
    Usage(UsageError),
}

/// The version line both commands print.
pub fn version_line(program: &str) -> String {
    format!("{program} {}\n", env!("CARGO_PKG_VERSION"))
}

/// What `--completions SHELL` and `--man` ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Generated {
    /// The completion script for a shell.
    Completions(String),
    /// The man page.
    Man,
}

/// How a long option starts: one both commands answer before anything else (`--help`, `--version`,
/// `--completions SHELL`, `--man`), one refused (not in the table, or given a value it does not take), or one
/// for the command's own code.
pub(crate) enum LongStart<T> {
    /// Stop parsing and answer this.
    Answer(Parsed<T>),
    /// Not an option of this table, or `--name=value` for a flag.
    Refused(UsageError),
    /// An option of the table for the parser's own code.
    Own(OptionName),
}

/// Reads the start of a long option `--name[=value]` against `table` (which belongs to `operation`, or to the
/// command itself when `None`); `--completions` takes the next word from `reader` when no `=value` was given.
pub(crate) fn long_start<T, I: Iterator<Item = OsString>>(
    reader: &mut switches::Reader<I>,
    table: &'static [options::Opt],
    operation: Option<OptionName>,
    name: &str,
    value: Option<&std::ffi::OsStr>,
) -> LongStart<T> {
    let Some(option) = options::find(table, name) else {
        return LongStart::Refused(options::unknown(table, &format!("--{name}"), operation));
    };
    let answer = |what| LongStart::Answer(Parsed::Generate(what));
    match option.name {
        OptionName::Help => LongStart::Answer(Parsed::Help),
        OptionName::Version => LongStart::Answer(Parsed::Version),
        OptionName::Man => answer(Generated::Man),
        OptionName::Completions => {
            let next = || match reader.next() {
                Some(switches::Token::Name(shell)) => Some(shell),
                _ => None,
            };
            let shell = value.map(|v| v.to_os_string()).or_else(next).unwrap_or_default();
            answer(Generated::Completions(shell.to_string_lossy().into_owned()))
        }
        _ if value.is_some() && option.value.is_none() => {
            LongStart::Refused(UsageError::BadValue { option: option.name, problem: ValueProblem::Unexpected })
        }
        name => LongStart::Own(name),
    }
}

/// The order in which the user's locale writes dates (`LC_ALL`, then `LC_TIME`, then `LANG`), for date ranges.
/// Read only when a range is given: this is part of the one step that turns what was typed into a request.
pub(crate) fn date_order_from_env() -> crate::select::DateOrder {
    let var = std::env::var_os;
    crate::select::DateOrder::from_env_values(
        var("LC_ALL").as_deref(),
        var("LC_TIME").as_deref(),
        var("LANG").as_deref(),
    )
}

/// Whether an argument that the reader gave as a name is a short option of `table` instead (`-h`, `-V`, `-0`):
/// only before `--`.
pub(crate) fn short_option<I: Iterator<Item = OsString>>(
    reader: &switches::Reader<I>,
    table: &'static [options::Opt],
    name: &std::ffi::OsStr,
) -> Option<&'static str> {
    if reader.past_double_dash() { None } else { options::short(table, name) }
}
