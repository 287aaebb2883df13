//! One parser per legacy syntax, each producing the same typed [`Request`](crate::Request), and the help texts.
//!
//! Parsers take any `OsString` iterator, keep names as `OsString`, and never touch the file system, the current
//! directory or the environment: they only validate and record what the user typed. `/?`, `--help` and
//! `--version` win over any error on the same line.

pub mod dialog;
pub mod help;
pub mod manifest;
pub mod mklink;
pub mod mklnk;
pub mod switches;

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

/// The long options both commands answer before anything else: `--help`, `--version`, `--completions SHELL`
/// and `--man`. `next_name` supplies the word after `--completions` when no `=value` was given.
pub(crate) fn special_long<T>(
    name: &str,
    value: Option<&std::ffi::OsStr>,
    next_name: impl FnOnce() -> Option<OsString>,
) -> Option<Parsed<T>> {
    match name {
        "help" => Some(Parsed::Help),
        "version" => Some(Parsed::Version),
        "man" => Some(Parsed::Generate(Generated::Man)),
        "completions" => {
            let shell = value.map(|v| v.to_os_string()).or_else(next_name).unwrap_or_default();
            Some(Parsed::Generate(Generated::Completions(shell.to_string_lossy().into_owned())))
        }
        _ => None,
    }
}
