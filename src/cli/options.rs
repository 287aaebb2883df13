//! The one table of each command's options. The parser accepts exactly these long names (and short forms), the
//! help screen's extension lines, the shell completions and the man page are all made from it, and a test checks
//! that the four agree. Unknown options are matched against it for a "did you mean" suggestion.

use std::ffi::OsStr;

/// One option of the extensions (the classic `/X` switches are described by the help text around them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Opt {
    /// The long name, without the dashes.
    pub long: &'static str,
    /// A one-letter short form written `-x`, if any.
    pub short: Option<char>,
    /// The classic switch that means the same, if any (`/D`).
    pub classic: Option<&'static str>,
    /// The name of the value it takes (`SHELL`), or `None` for a flag.
    pub value: Option<&'static str>,
    /// What it does, one line.
    pub help: &'static str,
}

const fn flag(long: &'static str, help: &'static str) -> Opt {
    Opt { long, short: None, classic: None, value: None, help }
}

const fn classic(long: &'static str, switch: &'static str, help: &'static str) -> Opt {
    Opt { long, short: None, classic: Some(switch), value: None, help }
}

/// The options both commands answer before anything else.
const COMMON: [Opt; 4] = [
    Opt { long: "help", short: Some('h'), classic: Some("/?"), value: None, help: "Prints this help screen." },
    Opt { long: "version", short: Some('V'), classic: None, value: None, help: "Prints the version." },
    Opt {
        long: "completions",
        short: None,
        classic: None,
        value: Some("SHELL"),
        help: "Prints the completion script for bash, zsh, fish or powershell.",
    },
    flag("man", "Prints the man page (roff)."),
];

/// `mklink`'s options.
pub const MKLINK: &[Opt] = &[
    classic("dir", "/D", "Creates a directory symbolic link."),
    classic("hard", "/H", "Creates a hard link."),
    classic("junction", "/J", "Creates a directory junction."),
    flag("relative", "Stores the target relative to the link's directory."),
    flag("absolute", "Stores the target as an absolute path."),
    classic("list", "/L", "Lists the links under each path (default .), DIR style."),
    classic("recursive", "/S", "With /L, descends into subdirectories."),
    flag("dangling", "With /L, only links whose target is missing or loops."),
    flag("escaping", "With /L, only links whose target leaves the listed tree."),
    flag("hardlinks", "With /L, only files with more than one name."),
    flag("symlinks", "With /L, only symbolic links and junctions."),
    flag("siblings", "FILE [TREE]: lists FILE's other names inside TREE (default .)."),
    Opt {
        long: "print0",
        short: Some('0'),
        classic: None,
        value: None,
        help: "With /L or --siblings, prints raw names ended by NUL, for xargs -0.",
    },
    flag("dry-run", "Says what would be done and changes nothing."),
    flag("json", "Writes one JSON object per result and a summary."),
    flag("verbose", "Adds the system's own error text and code."),
    flag("quiet", "Prints errors only."),
    COMMON[0],
    COMMON[1],
    COMMON[2],
    COMMON[3],
];

/// `mklnk`'s options.
pub const MKLNK: &[Opt] = &[
    flag("summary", "Ends with a line counting links made and errors."),
    flag("vars", "Prints only _mklnk_files=N and _mklnk_errors=M, for eval."),
    flag("json", "Writes one JSON object per result and a summary."),
    flag("dry-run", "Says what would be done and changes nothing."),
    flag("verbose", "Prints one line per link, and the system's error text."),
    classic("quiet", "/Q", "Prints errors only."),
    classic("ignore-case", "/C", "Wildcards, exclusions and rename patterns ignore case."),
    COMMON[0],
    COMMON[1],
    COMMON[2],
    COMMON[3],
];

/// The option of `table` with the long name `name`.
pub fn find(table: &'static [Opt], name: &str) -> Option<&'static Opt> {
    table.iter().find(|o| o.long == name)
}

/// The long name that `-x` stands for in `table`, when `arg` is exactly such a short option.
pub fn short(table: &'static [Opt], arg: &OsStr) -> Option<&'static str> {
    let [b'-', letter] = arg.as_encoded_bytes() else { return None };
    table.iter().find(|o| o.short == Some(char::from(*letter))).map(|o| o.long)
}

/// The long name closest to a mistyped `name`, when one is close enough to be what was meant.
pub fn suggest(table: &'static [Opt], name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    let (best, score) =
        table.iter().map(|o| (o.long, strsim::jaro_winkler(&lower, o.long))).max_by(|a, b| a.1.total_cmp(&b.1))?;
    let prefix = !lower.is_empty() && best.starts_with(&lower);
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
        for table in [MKLINK, MKLNK] {
            for (i, opt) in table.iter().enumerate() {
                assert!(table[i + 1..].iter().all(|o| o.long != opt.long), "{} twice", opt.long);
            }
        }
    }

    #[test]
    fn a_typo_gets_the_closest_name() {
        assert_eq!(suggest(MKLINK, "dryrun"), Some("dry-run"));
        assert_eq!(suggest(MKLNK, "sumary"), Some("summary"));
        assert_eq!(suggest(MKLINK, "verb"), Some("verbose"));
        assert_eq!(suggest(MKLINK, "xyzzy"), None);
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
