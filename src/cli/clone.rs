//! The tree copies' command line, the same on `mklnk` and `mklink`: `--clone SOURCE DEST` and
//! `--snapshot SOURCE DEST --ref PREVIOUS [--ref …]`, source first as `cp`, `rsync` and `ln` take it, with their
//! own options: `--outer keep|drop|follow`, `--link-limit copy|fail`, `--checksum`, and the common
//! `--dry-run`, `--json`, `--verbose`, `--quiet`. A value may follow its option as the next word or after `=`;
//! `--` ends the options.

use super::{Parsed, UsageError};
use crate::model::{CloneRequest, LinkLimit, Operation, OuterLinks, Request};
use crate::report::{Options, Verbosity};
use std::ffi::{OsStr, OsString};
use std::path::PathBuf;

/// A parsed tree-copy command line.
#[derive(Debug)]
pub struct Args {
    /// What to do.
    pub request: Request,
    /// How to report.
    pub options: Options,
}

/// Whether this command line asks for a tree copy: `--clone` or `--snapshot` stands among the options (before
/// any `--`). The front-ends hand such a line to [`parse`].
pub fn is_tree_copy(args: &[OsString]) -> bool {
    args.iter().take_while(|a| a.as_os_str() != "--").any(|a| a == "--clone" || a == "--snapshot")
}

fn split_long(arg: &OsStr) -> Option<(String, Option<OsString>)> {
    let bytes = arg.as_encoded_bytes();
    let rest = bytes.strip_prefix(b"--")?;
    let (name, value) = match rest.iter().position(|&b| b == b'=') {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    let name = String::from_utf8_lossy(name).into_owned();
    // Cut after an ASCII `=`, so the rest is still a valid name.
    let value = value.map(|v| crate::platform::os_string_from_bytes(v.to_vec()));
    Some((name, value))
}

/// Parses a tree-copy command line (without the program name).
pub fn parse(args: impl IntoIterator<Item = OsString>) -> Parsed<Args> {
    let mut req = CloneRequest::default();
    let mut options = Options::default();
    let mut names: Vec<OsString> = Vec::new();
    let mut ops = 0;
    let mut args = args.into_iter();
    let mut only_names = false;
    while let Some(arg) = args.next() {
        if !only_names && (arg == "/Q" || arg == "/q") {
            options.verbosity = Verbosity::Quiet;
            continue;
        }
        if only_names || arg == "-" || !arg.as_encoded_bytes().starts_with(b"-") {
            names.push(arg);
            continue;
        }
        if arg == "--" {
            only_names = true;
            continue;
        }
        let Some((name, inline)) = split_long(&arg) else {
            return Parsed::Usage(UsageError::UnknownOption(arg.to_string_lossy().into_owned()));
        };
        let takes_value = matches!(name.as_str(), "ref" | "outer" | "link-limit");
        if inline.is_some() && !takes_value {
            return Parsed::Usage(UsageError::BadValue(name));
        }
        let value = if takes_value {
            match inline.or_else(|| args.next()) {
                Some(v) => Some(v),
                None => return Parsed::Usage(UsageError::BadValue(name)),
            }
        } else {
            None
        };
        let value_str = value.as_ref().map(|v| v.to_string_lossy().into_owned()).unwrap_or_default();
        match name.as_str() {
            "help" => return Parsed::Help,
            "version" => return Parsed::Version,
            "clone" => ops |= 1,
            "snapshot" => {
                ops |= 2;
                req.snapshot = true;
            }
            "ref" => req.refs.push(PathBuf::from(value.unwrap_or_default())),
            "checksum" => req.checksum = true,
            "outer" => {
                req.outer = match value_str.as_str() {
                    "keep" => OuterLinks::Keep,
                    "drop" => OuterLinks::Drop,
                    "follow" => OuterLinks::Follow,
                    _ => return Parsed::Usage(UsageError::BadValue(name)),
                }
            }
            "link-limit" => {
                req.link_limit = match value_str.as_str() {
                    "fail" => LinkLimit::Fail,
                    "copy" => LinkLimit::Copy,
                    _ => return Parsed::Usage(UsageError::BadValue(name)),
                }
            }
            "dry-run" => options.dry_run = true,
            "json" => options.json = true,
            "verbose" => options.verbosity = Verbosity::Verbose,
            "quiet" => options.verbosity = Verbosity::Quiet,
            _ => return Parsed::Usage(UsageError::UnknownOption(name)),
        }
    }
    if ops == 3 {
        return Parsed::Usage(UsageError::Conflict("--clone", "--snapshot"));
    }
    if req.snapshot && req.refs.is_empty() {
        return Parsed::Usage(UsageError::BadValue("ref".into()));
    }
    if !req.snapshot && (!req.refs.is_empty() || req.checksum) {
        return Parsed::Usage(UsageError::Conflict("--clone", "--ref or --checksum"));
    }
    let [source, dest]: [OsString; 2] = match names.try_into() {
        Ok(pair) => pair,
        Err(_) => return Parsed::Usage(UsageError::WrongNameCount),
    };
    req.source = PathBuf::from(source);
    req.dest = PathBuf::from(dest);
    let request = Request { operation: Operation::Clone(Box::new(req)), dry_run: options.dry_run };
    Parsed::Run(Args { request, options })
}

/// A usage error of a tree copy, worded for either front-end (the reporter adds `mklnk: ` where due).
pub fn usage_message(error: &UsageError) -> String {
    match error {
        UsageError::UnknownOption(name) => format!("Invalid option \"{name}\" for --clone or --snapshot"),
        UsageError::UnknownSwitch(s) => format!("Invalid switch \"{}\"", s.to_string_lossy()),
        UsageError::BadValue(name) if name == "ref" => "--snapshot needs at least one --ref PREVIOUS".to_string(),
        UsageError::BadValue(name) => match name.as_str() {
            "outer" => "--outer takes keep, drop or follow".to_string(),
            "link-limit" => "--link-limit takes copy or fail".to_string(),
            _ => format!("The option --{name} takes no value"),
        },
        UsageError::Conflict(a, b) => format!("The options {a} and {b} cannot be used together"),
        UsageError::BadSelection(text) => text.clone(),
        UsageError::LnHabit(typed) => format!("Invalid name \"{}\"", typed.to_string_lossy()),
        UsageError::NoArguments | UsageError::WrongNameCount => USAGE.to_string(),
    }
}

/// `--clone --help`: the tree copies' own help screen, the same for both commands.
pub const HELP: &str = "\
Copies a tree as hard links (--clone) or as a snapshot against earlier copies (--snapshot). The source comes
first. DEST is built beside itself under a hidden name and appears by one rename only when complete; DEST that
exists is refused.

MKLNK --clone SOURCE DEST [options]
MKLNK --snapshot SOURCE DEST --ref PREVIOUS [--ref PREVIOUS ...] [--checksum] [options]

        --clone     Directories re-created (mode, owner as root, times,
                    extended attributes), files hard-linked, symbolic links
                    re-created: a link into SOURCE points into DEST.
        --snapshot  A file unchanged in a reference (same size, time and
                    mode) is hard-linked from it; any other file is copied.
        --ref DIR   A reference for --snapshot; the first match wins.
        --checksum  Also compares content before linking from a reference.
        --outer keep|drop|follow
                    Links pointing outside SOURCE: kept pointing at the same
                    place (default), left out, or replaced by a hard link to
                    the file they lead to.
        --link-limit fail|copy
                    A file that cannot take one more name: the run fails
                    (default) or DEST gets a copy of it.
        --dry-run   Prints the plan and changes nothing.
        --verbose   One line per entry.
        --json      One JSON object per entry and a summary.
        --quiet, /Q No closing line.

A run with any failed entry, or an interrupted one, publishes nothing and removes its partial tree.
Exit status: 0 published, 1 usage error, 2 (mklink: 1) otherwise.
";

/// The short usage of the tree copies.
pub const USAGE: &str = concat!(
    "The syntax of the command is incorrect.\n",
    "Usage: mklnk --clone SOURCE DEST [--outer keep|drop|follow] [--link-limit copy|fail] [--dry-run] [--json]\n",
    "                                 [--verbose] [--quiet]\n",
    "       mklnk --snapshot SOURCE DEST --ref PREVIOUS [--ref ...] [--checksum] [the same options]",
);

#[cfg(test)]
mod tests {
    use super::*;

    fn run(list: &[&str]) -> Parsed<Args> {
        parse(list.iter().map(OsString::from))
    }

    fn request(list: &[&str]) -> CloneRequest {
        match run(list) {
            Parsed::Run(Args { request: Request { operation: Operation::Clone(req), .. }, .. }) => *req,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn clone_takes_the_source_first() {
        let req = request(&["--clone", "src", "dst"]);
        assert_eq!((req.source, req.dest), (PathBuf::from("src"), PathBuf::from("dst")));
        assert!(!req.snapshot);
    }

    #[test]
    fn options_take_values_after_a_space_or_an_equals_sign() {
        let req = request(&["--snapshot", "s", "d", "--ref", "r1", "--ref=r2", "--outer=drop", "--link-limit", "copy"]);
        assert_eq!(req.refs, [PathBuf::from("r1"), PathBuf::from("r2")]);
        assert_eq!((req.outer, req.link_limit), (OuterLinks::Drop, LinkLimit::Copy));
    }

    #[test]
    fn bad_lines_are_usage_errors() {
        for line in [
            &["--clone", "a"][..],
            &["--clone", "a", "b", "c"],
            &["--snapshot", "a", "b"],
            &["--clone", "--snapshot", "a", "b", "--ref", "r"],
            &["--clone", "a", "b", "--outer", "maybe"],
            &["--clone", "a", "b", "--ref", "r"],
            &["--clone", "a", "b", "--frobnicate"],
        ] {
            assert!(matches!(run(line), Parsed::Usage(_)), "{line:?}");
        }
    }

    #[test]
    fn slash_q_is_quiet_anywhere() {
        match run(&["/Q", "--clone", "a", "b"]) {
            Parsed::Run(args) => assert_eq!(args.options.verbosity, Verbosity::Quiet),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_name_after_double_dash_may_look_like_an_option() {
        let req = request(&["--clone", "--", "--src", "dst"]);
        assert_eq!(req.source, PathBuf::from("--src"));
    }

    #[test]
    fn only_lines_naming_a_tree_copy_are_taken() {
        let v = |l: &[&str]| l.iter().map(OsString::from).collect::<Vec<_>>();
        assert!(is_tree_copy(&v(&["a", "--clone", "b"])));
        assert!(!is_tree_copy(&v(&["--", "--clone", "b"])));
        assert!(!is_tree_copy(&v(&["a", "b"])));
    }
}
