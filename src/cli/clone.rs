//! The tree copies' command line, the same on `mklnk` and `mklink`: `--clone SOURCE DEST` and
//! `--snapshot SOURCE DEST --ref PREVIOUS [--ref …]`, source first as `cp`, `rsync` and `ln` take it, with their
//! own options: `--outer keep|drop|follow`, `--link-limit copy|fail`, `--checksum`, and the common
//! `--dry-run`, `--json`, `--verbose`, `--quiet`. A value may follow its option as the next word or after `=`;
//! `--` ends the options.

use super::Parsed;
use super::options::{self, CLONE, TREE_COPIES};
use crate::model::{
    CloneRequest, LinkLimit, Operation, OptionName, OuterLinks, Party, Request, UsageError, ValueProblem,
};
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
    operation(args).is_some()
}

/// The first tree-copy operation named before any `--`.
fn operation(args: &[OsString]) -> Option<OptionName> {
    args.iter().take_while(|a| a.as_os_str() != "--").find_map(|a| TREE_COPIES.named(a))
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

/// Parses a tree-copy command line (without the program name). Which long options exist, and which take a
/// value, is said by [`options::CLONE`].
pub fn parse(args: impl IntoIterator<Item = OsString>) -> Parsed<Args> {
    let args: Vec<OsString> = args.into_iter().collect();
    let op = operation(&args).unwrap_or(OptionName::Clone);
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
        let (name, inline) = match (split_long(&arg), options::short(CLONE, &arg)) {
            (Some(long), _) => long,
            (None, Some(long)) => (long.to_string(), None),
            (None, None) => return Parsed::Usage(options::unknown(CLONE, &arg.to_string_lossy(), Some(op))),
        };
        let Some(opt) = options::find(CLONE, &name) else {
            return Parsed::Usage(options::unknown(CLONE, &format!("--{name}"), Some(op)));
        };
        let option = opt.name;
        let bad = |problem| Parsed::Usage(UsageError::BadValue { option, problem });
        if inline.is_some() && opt.value.is_none() {
            return bad(ValueProblem::Unexpected);
        }
        let value = match opt.value {
            Some(_) => match inline.or_else(|| args.next()) {
                Some(v) => Some(v),
                None if opt.choices.is_empty() => return bad(ValueProblem::Missing),
                None => return bad(ValueProblem::NotOneOf(opt.choices)),
            },
            None => None,
        };
        let value_str = value.as_ref().map(|v| v.to_string_lossy().into_owned()).unwrap_or_default();
        match option {
            OptionName::Help => return Parsed::Help,
            OptionName::Version => return Parsed::Version,
            OptionName::Clone => ops |= 1,
            OptionName::Snapshot => {
                ops |= 2;
                req.snapshot = true;
            }
            OptionName::Ref => req.refs.push(PathBuf::from(value.unwrap_or_default())),
            OptionName::Checksum => req.checksum = true,
            OptionName::Outer => {
                req.outer = match value_str.as_str() {
                    "keep" => OuterLinks::Keep,
                    "drop" => OuterLinks::Drop,
                    "follow" => OuterLinks::Follow,
                    _ => return bad(ValueProblem::NotOneOf(opt.choices)),
                }
            }
            OptionName::LinkLimit => {
                req.link_limit = match value_str.as_str() {
                    "fail" => LinkLimit::Fail,
                    "copy" => LinkLimit::Copy,
                    _ => return bad(ValueProblem::NotOneOf(opt.choices)),
                }
            }
            OptionName::DryRun => options.dry_run = true,
            OptionName::Json => options.json = true,
            OptionName::Verbose => options.verbosity = Verbosity::Verbose,
            OptionName::Quiet => options.verbosity = Verbosity::Quiet,
            // The table holds nothing else; should it, the option is not this parser's.
            _ => return Parsed::Usage(options::unknown(CLONE, &format!("--{name}"), Some(op))),
        }
    }
    let one = Party::Option;
    if ops == 3 {
        return Parsed::Usage(UsageError::Conflict(one(OptionName::Clone), one(OptionName::Snapshot)));
    }
    if req.snapshot && req.refs.is_empty() {
        return Parsed::Usage(UsageError::Requires { option: OptionName::Snapshot, needs: OptionName::Ref });
    }
    if !req.snapshot && (!req.refs.is_empty() || req.checksum) {
        let refs = Party::AnyOf(&[OptionName::Ref, OptionName::Checksum]);
        return Parsed::Usage(UsageError::Conflict(one(OptionName::Clone), refs));
    }
    let [source, dest]: [OsString; 2] = match names.try_into() {
        Ok(pair) => pair,
        Err(_) => return Parsed::Usage(UsageError::WrongNameCount(Some(op))),
    };
    req.source = PathBuf::from(source);
    req.dest = PathBuf::from(dest);
    let request = Request { operation: Operation::Clone(Box::new(req)), dry_run: options.dry_run };
    Parsed::Run(Args { request, options })
}

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
    fn refusals_name_the_option_and_the_reason() {
        let refused = |line: &[&str]| match run(line) {
            Parsed::Usage(e) => e,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            refused(&["--clone", "a", "b", "--outer"]),
            UsageError::BadValue {
                option: OptionName::Outer,
                problem: ValueProblem::NotOneOf(&["keep", "drop", "follow"])
            }
        );
        assert_eq!(
            refused(&["--snapshot", "a", "b"]),
            UsageError::Requires { option: OptionName::Snapshot, needs: OptionName::Ref }
        );
        assert!(matches!(
            refused(&["--snapshot", "a", "b", "--chksum"]),
            UsageError::UnknownOption {
                suggestion: Some(OptionName::Checksum),
                operation: Some(OptionName::Snapshot),
                ..
            }
        ));
        assert_eq!(refused(&["--clone", "a"]), UsageError::WrongNameCount(Some(OptionName::Clone)));
        assert!(matches!(run(&["--clone", "-h"]), Parsed::Help));
    }

    #[test]
    fn only_lines_naming_a_tree_copy_are_taken() {
        let v = |l: &[&str]| l.iter().map(OsString::from).collect::<Vec<_>>();
        assert!(is_tree_copy(&v(&["a", "--clone", "b"])));
        assert!(!is_tree_copy(&v(&["--", "--clone", "b"])));
        assert!(!is_tree_copy(&v(&["a", "b"])));
    }
}
