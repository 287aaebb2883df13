//! A description of both commands' switches as `clap` commands, used only to generate shell completions
//! (`clap_complete`) and man pages (`clap_mangen`). Parsing is done by our own readers: clap cannot read cmd's
//! `/X` forms, so here the slash switches are described by their long equivalents and in the text.

use clap::{Arg, ArgAction, Command, ValueHint};
use std::io::{self, Write};

fn flag(name: &'static str, help: &'static str) -> Arg {
    Arg::new(name).long(name).help(help).action(ArgAction::SetTrue)
}

/// The `mklink` command as completions and the man page see it.
pub fn mklink() -> Command {
    Command::new("mklink")
        .version(env!("CARGO_PKG_VERSION"))
        .about("Creates a symbolic link, hard link or junction (cmd MKLINK syntax: link first, target second)")
        .long_about(
            "Creates a symbolic link, hard link or directory junction, with cmd's MKLINK syntax: \
             mklink [[/D] | [/H] | [/J]] Link Target. Switches are case-insensitive and may stand anywhere: \
             /D directory symbolic link, /H hard link, /J junction (on Unix an absolute, normalised directory \
             symlink). /L [/S] [path ...] lists the links under each path, recursing with /S. Exit status: 0 on \
             success, 1 on any failure (2 for a listing that met unreadable directories).",
        )
        .disable_help_flag(true)
        .disable_version_flag(true)
        .arg(flag("dir", "Creates a directory symbolic link (/D)"))
        .arg(flag("hard", "Creates a hard link instead of a symbolic link (/H)"))
        .arg(flag("junction", "Creates a directory junction (/J)"))
        .arg(flag("relative", "Stores the target relative to the link's directory"))
        .arg(flag("absolute", "Stores the target as an absolute path"))
        .arg(flag("list", "Lists the links under each path (/L)"))
        .arg(flag("recursive", "With --list, descends into subdirectories (/S)"))
        .arg(flag("dangling", "With --list, only links whose target is missing or loops"))
        .arg(flag("escaping", "With --list, only links whose target leaves the listed tree"))
        .arg(flag("hardlinks", "With --list, only files with more than one name"))
        .arg(flag("symlinks", "With --list, only symbolic links and junctions"))
        .arg(flag("siblings", "Lists the other names of FILE inside TREE"))
        .arg(flag("dry-run", "Says what would be done and changes nothing"))
        .arg(flag("json", "Writes one JSON object per result and a summary"))
        .arg(flag("verbose", "Adds the system's own error text and code"))
        .arg(flag("quiet", "Prints errors only"))
        .arg(flag("help", "Prints the help screen (/?)"))
        .arg(flag("version", "Prints the version"))
        .arg(Arg::new("link").help("The new link's name").value_hint(ValueHint::AnyPath))
        .arg(Arg::new("target").help("What the link refers to").value_hint(ValueHint::AnyPath))
}

/// The `mklnk` command as completions and the man page see it.
pub fn mklnk() -> Command {
    Command::new("mklnk")
        .version(env!("CARGO_PKG_VERSION"))
        .about("Creates, updates, shows or deletes a link (Take Command MKLNK syntax: existing first, new second)")
        .long_about(
            "Creates or updates a link with Take Command's MKLNK syntax: mklnk [/A:[[-]rhsadecijopt] ranges] \
             parm1 [parm2]. A file gets a hard link, a directory a soft link (junction); an existing soft link at \
             parm2 is retargeted atomically. mklnk parm1 shows where a link points; mklnk /D parm1 deletes a link \
             and never a file's last name. parm1 may hold wildcards, several names and include lists (a;b;*.c), \
             filtered by /A: attributes and /[d...] /[t...] /[s...] /[!...] ranges anywhere on the line. /= opens \
             the command dialog. Exit status: 0 success, 1 usage error, 2 when any item failed.",
        )
        .disable_help_flag(true)
        .disable_version_flag(true)
        .arg(flag("summary", "Ends with a line counting links made and errors"))
        .arg(flag("vars", "Ends with _mklnk_files=N and _mklnk_errors=M lines for eval"))
        .arg(flag("json", "Writes one JSON object per result and a summary"))
        .arg(flag("dry-run", "Says what would be done and changes nothing"))
        .arg(flag("verbose", "Prints one line per link, and the system's error text"))
        .arg(flag("quiet", "Prints errors only (/Q)"))
        .arg(flag("help", "Prints the help screen (/?)"))
        .arg(flag("version", "Prints the version"))
        .arg(
            Arg::new("parm1")
                .help("The existing file or directory, or the link to show or delete")
                .value_hint(ValueHint::AnyPath),
        )
        .arg(
            Arg::new("parm2")
                .help("The new link, or the directory that receives the links")
                .value_hint(ValueHint::AnyPath),
        )
}

/// The shells completions are made for.
pub const SHELLS: [&str; 4] = ["bash", "zsh", "fish", "powershell"];

/// Writes the completion script of `command` for `shell` (one of [`SHELLS`]); `false` for an unknown shell.
///
/// # Errors
/// A write error.
pub fn write_completions(mut command: Command, shell: &str, out: &mut dyn Write) -> io::Result<bool> {
    use clap_complete::Shell;
    let shell = match shell {
        "bash" => Shell::Bash,
        "zsh" => Shell::Zsh,
        "fish" => Shell::Fish,
        "powershell" => Shell::PowerShell,
        _ => return Ok(false),
    };
    let name = command.get_name().to_string();
    clap_complete::generate(shell, &mut command, name, out);
    Ok(true)
}

/// Writes the man page of `command` (roff).
///
/// # Errors
/// A write error.
pub fn write_man_page(command: Command, out: &mut dyn Write) -> io::Result<()> {
    clap_mangen::Man::new(command).render(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completions_exist_for_every_shell() {
        for shell in SHELLS {
            let mut out = Vec::new();
            assert!(write_completions(mklink(), shell, &mut out).unwrap());
            assert!(String::from_utf8(out).unwrap().contains("mklink"));
        }
        assert!(!write_completions(mklnk(), "tcsh", &mut Vec::new()).unwrap());
    }

    #[test]
    fn man_page_names_the_command() {
        let mut out = Vec::new();
        write_man_page(mklnk(), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains(".TH mklnk") && text.contains("summary"));
    }
}
