//! One parser per legacy syntax, each producing the same typed [`Request`](crate::Request), and the help texts.
//!
//! Parsers take any `OsString` iterator, keep names as `OsString`, and never touch the file system, the current
//! directory or the environment: they only validate and record what the user typed. `/?`, `--help` (`-h`) and
//! `--version` (`-V`) win over any error on the same line. Which long options exist is said by one table per
//! command ([`options`]).

pub mod clone;
#[cfg(feature = "dialog")]
pub mod dialog;
pub mod help;
#[cfg(feature = "completions")]
pub mod manifest;
pub mod mklink;
pub mod mklnk;
pub mod options;
pub mod relink;
pub mod switches;
pub mod tree;

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

/// Why a command line is wrong, in terms of the situation; the front-end words it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UsageError {
    /// No arguments at all.
    NoArguments,
    /// `/X` that the command does not know: the character(s) after the slash.
    UnknownSwitch(OsString),
    /// `--name` that the command does not know.
    UnknownOption(String),
    /// A long option given a value it does not take, or missing one it needs.
    BadValue(String),
    /// Too few or too many names.
    WrongNameCount,
    /// Two options that cannot go together.
    Conflict(&'static str, &'static str),
    /// A malformed `/A:`, range or pattern: the message and the text as typed.
    BadSelection(String),
    /// A name where a link would be made that looks like a GNU `ln` option (`-s`, `-sf`): an `ln` habit.
    LnHabit(OsString),
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
/// `--completions SHELL`, `--man`), one not in the command's table, one given a value it does not take, or one
/// for the command's own code.
pub(crate) enum LongStart<T> {
    /// Stop parsing and answer this.
    Answer(Parsed<T>),
    /// Not an option of this command.
    Unknown,
    /// `--name=value` for an option that takes no value.
    BadValue,
    /// The command's own option.
    Own,
}

/// Reads the start of a long option against the command's `table`; `--completions` takes the next word from
/// `reader` when no `=value` was given.
pub(crate) fn long_start<T, I: Iterator<Item = OsString>>(
    reader: &mut switches::Reader<I>,
    table: &'static [options::Opt],
    name: &str,
    value: Option<&std::ffi::OsStr>,
) -> LongStart<T> {
    let Some(option) = options::find(table, name) else {
        return LongStart::Unknown;
    };
    let answer = |what| LongStart::Answer(Parsed::Generate(what));
    match name {
        "help" => LongStart::Answer(Parsed::Help),
        "version" => LongStart::Answer(Parsed::Version),
        "man" => answer(Generated::Man),
        "completions" => {
            let next = || match reader.next() {
                Some(switches::Token::Name(shell)) => Some(shell),
                _ => None,
            };
            let shell = value.map(|v| v.to_os_string()).or_else(next).unwrap_or_default();
            answer(Generated::Completions(shell.to_string_lossy().into_owned()))
        }
        _ if value.is_some() && option.value.is_none() => LongStart::BadValue,
        _ => LongStart::Own,
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

/// The ln-habit refusal, for both commands: what was typed, what the command does instead, and how to write a
/// name that really starts with `-`.
pub(crate) fn ln_habit_message(program: &str, typed: &std::ffi::OsStr, how: &str) -> String {
    let shown = crate::report::escape::quote(typed);
    let plain = typed.to_string_lossy();
    format!(
        "{shown} looks like a GNU ln option; {program} {how} (a name starting with - is written ./{plain} or after --)"
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
