//! The Take Command MKLNK syntax: existing first, new name second; `/D` deletes; one name alone shows where a
//! link points; `/=` (or no arguments on a terminal) opens the dialog. `/A:` and ranges may stand anywhere.
//!
//! MKLNK's `/D` (delete) is a different switch from MKLINK's `/D` (directory): the two parsers share the token
//! reader but each gives the letter its own meaning.

use super::options;
use super::switches::{Reader, Syntax, Token};
use super::{Parsed, UsageError};
use crate::engine::{Batch, Operation, Request, SourceGroup, SourceName};
use crate::report::{Options, Verbosity};
use crate::select::{AttrFilter, ParseContext, Pattern, Range, Selection, is_include_list, split_include};
use std::ffi::{OsStr, OsString};
use std::path::PathBuf;

const SYNTAX: Syntax = Syntax { letters: "DQ", tcc: true };

/// A range as typed: `/[body]` or `/![body]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RangeArg {
    /// Written `/![…]`.
    pub negated: bool,
    /// The text between the brackets; `None` when unclosed.
    pub body: Option<OsString>,
    /// The whole range as typed.
    pub typed: OsString,
}

/// What the user typed, validated.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Args {
    /// The names, in order.
    pub names: Vec<OsString>,
    /// `/D`: delete.
    pub delete: bool,
    /// `/=`: open the dialog.
    pub dialog: bool,
    /// `/A:…` as typed after the colon (the last one given wins).
    pub attributes: Option<OsString>,
    /// The ranges, in order.
    pub ranges: Vec<RangeArg>,
    /// How to report.
    pub options: Options,
}

/// What to do with parsed arguments.
#[derive(Debug)]
pub enum Job {
    /// One operation on one name (or one pair).
    Single(Box<Request>),
    /// Many sources chosen by wildcards, lists or filters, hard-linked into a directory.
    Batch,
    /// Open the command dialog.
    Dialog,
}

impl Args {
    /// Whether any source needs the selection machinery: several sources, wildcards, include lists, filters.
    pub fn is_batch(&self) -> bool {
        let sources = self.names.len().saturating_sub(1);
        let special = |n: &OsString| n.as_encoded_bytes().iter().any(|b| matches!(b, b'*' | b'?' | b'[' | b';'));
        self.attributes.is_some()
            || !self.ranges.is_empty()
            || sources > 1
            || (self.names.len() == 2 && special(&self.names[0]))
    }

    /// What to do.
    ///
    /// # Errors
    /// A usage error when the names do not fit the switches.
    pub fn job(&self) -> Result<Job, UsageError> {
        if self.dialog {
            return Ok(Job::Dialog);
        }
        let dry_run = self.options.dry_run;
        let single = |operation| Ok(Job::Single(Box::new(Request { operation, dry_run })));
        match (self.delete, self.names.as_slice()) {
            (true, [link]) => single(Operation::Delete { link: PathBuf::from(link), descriptions: true }),
            (true, _) => Err(UsageError::WrongNameCount),
            (false, []) => Ok(Job::Dialog),
            (false, _) if self.is_batch() => Ok(Job::Batch),
            (false, [link]) => single(Operation::Query { link: PathBuf::from(link) }),
            (false, [target, link]) => {
                single(Operation::Make { target: PathBuf::from(target), link: PathBuf::from(link), descriptions: true })
            }
            (false, _) => Err(UsageError::WrongNameCount),
        }
    }
}

impl Args {
    /// The batch request: the last name is the directory that receives the links, every other name a source
    /// group. This is the one step that looks outside the command line: "now" for the ranges (asked only when
    /// there are ranges) and whether a name holding `[...]` exactly names an existing file (then it is taken
    /// literally, as TCC does).
    ///
    /// # Errors
    /// A usage error naming the bad text: a malformed pattern, include list, `/A:` or range, or too few names.
    pub fn batch_request(&self, now: impl FnOnce() -> jiff::Zoned) -> Result<Request, UsageError> {
        let Some((link_dir, sources)) = self.names.split_last().filter(|(_, s)| !s.is_empty()) else {
            return Err(UsageError::WrongNameCount);
        };
        let case_insensitive = crate::platform::CASE_INSENSITIVE_NAMES;
        let bad = |e: crate::select::SelectError| UsageError::BadSelection(e.to_string());
        let mut filters = Selection::new(case_insensitive);
        if let Some(letters) = &self.attributes {
            filters.set_attr_filter(AttrFilter::parse(letters.as_encoded_bytes()).map_err(bad)?);
        }
        if !self.ranges.is_empty() {
            let now = now();
            let order = super::date_order_from_env();
            for range in &self.ranges {
                // `parse` refused unclosed ranges already.
                let Some(body) = &range.body else { continue };
                let parsed = Range::parse(body.as_encoded_bytes(), range.negated, ParseContext::new(&now, order))
                    .map_err(bad)?;
                filters.add_range(parsed).map_err(bad)?;
            }
        }
        let groups =
            sources.iter().map(|s| source_group(s, case_insensitive)).collect::<Result<_, _>>().map_err(bad)?;
        let batch = Batch { groups, filters, link_dir: PathBuf::from(link_dir), descriptions: true };
        Ok(Request { operation: Operation::Batch(batch), dry_run: self.options.dry_run })
    }
}

/// One source name as a group: an include list, or one name or pattern with its directory.
fn source_group(typed: &OsString, case_insensitive: bool) -> Result<SourceGroup, crate::select::SelectError> {
    let bytes = typed.as_encoded_bytes();
    let (dir, names) = if is_include_list(bytes) {
        let list = split_include(bytes, crate::platform::is_separator_byte)?;
        (list.dir, list.names)
    } else {
        let cut = bytes.iter().rposition(|&b| crate::platform::is_separator_byte(b)).map_or(0, |i| i + 1);
        (bytes[..cut].to_vec(), vec![bytes[cut..].to_vec()])
    };
    let dir = PathBuf::from(crate::platform::os_string_from_bytes(dir));
    let mut sources = Vec::new();
    for name in names {
        let pattern = Pattern::parse(&name)?.with_case_insensitive(case_insensitive);
        let literal_file = name.contains(&b'[') && crate::platform::exists_no_follow(&dir.join(os(&name)));
        sources.push(if !pattern.has_wildcards() || literal_file {
            SourceName::Literal(os(pattern.literal().filter(|_| !literal_file).unwrap_or(&name)))
        } else {
            SourceName::Pattern(pattern)
        });
    }
    Ok(SourceGroup { dir, names: sources, typed: typed.clone() })
}

fn os(bytes: &[u8]) -> OsString {
    crate::platform::os_string_from_bytes(bytes.to_vec())
}

/// Whether `name`, standing alone on a command line, is read as a name (not as a switch, a range or a long
/// option). The dialog puts `--` before its names when one of them is not.
pub fn is_read_as_name(name: &OsStr) -> bool {
    let mut tokens = Reader::new(std::iter::once(name.to_owned()), SYNTAX);
    matches!((tokens.next(), tokens.next()), (Some(Token::Name(n)), None) if n == name)
}

/// Parses MKLNK arguments (without the program name).
pub fn parse(args: impl IntoIterator<Item = OsString>) -> Parsed<Args> {
    let mut parsed = Args::default();
    let mut error = None;
    // Which names (by index) were typed before `--` and look like GNU ln options.
    let mut habits = Vec::new();
    let mut reader = Reader::new(args.into_iter(), SYNTAX);
    while let Some(token) = reader.next() {
        let token = match token {
            Token::Name(name) => match super::short_option(&reader, options::MKLNK, &name) {
                Some(long) => Token::Long { name: long.to_string(), value: None },
                None => {
                    if !reader.past_double_dash() && options::looks_like_ln_option(&name) {
                        habits.push(parsed.names.len());
                    }
                    Token::Name(name)
                }
            },
            token => token,
        };
        let mut fail = |e: UsageError| {
            error.get_or_insert(e);
        };
        match token {
            Token::Switch('?') => return Parsed::Help,
            Token::Switch('=') => parsed.dialog = true,
            Token::Switch(c) => match c.to_ascii_uppercase() {
                'D' => parsed.delete = true,
                'Q' => parsed.options.verbosity = Verbosity::Quiet,
                'A' => parsed.attributes = Some(OsString::new()),
                _ => fail(UsageError::UnknownSwitch(format!("/{c}").into())),
            },
            Token::Attributes(letters) => parsed.attributes = Some(letters),
            Token::Range { negated, body, typed } => parsed.ranges.push(RangeArg { negated, body, typed }),
            Token::Long { name, value } => {
                match super::long_start(&mut reader, options::MKLNK, &name, value.as_deref()) {
                    super::LongStart::Answer(answer) => return answer,
                    super::LongStart::Unknown => fail(UsageError::UnknownOption(name)),
                    super::LongStart::BadValue => fail(UsageError::BadValue(name)),
                    super::LongStart::Own => match name.as_str() {
                        "json" => parsed.options.json = true,
                        "summary" => parsed.options.summary = true,
                        "vars" => parsed.options.vars = true,
                        "dry-run" => parsed.options.dry_run = true,
                        "verbose" => parsed.options.verbosity = Verbosity::Verbose,
                        "quiet" => parsed.options.verbosity = Verbosity::Quiet,
                        _ => fail(UsageError::UnknownOption(name)),
                    },
                }
            }
            Token::Name(name) => parsed.names.push(name),
        }
    }
    if let Some(e) = error {
        return Parsed::Usage(e);
    }
    if let Some(open) = parsed.ranges.iter().find(|r| r.body.is_none()) {
        let typed = open.typed.to_string_lossy();
        return Parsed::Usage(UsageError::BadSelection(format!("The range has no closing bracket: \"{typed}\"")));
    }
    if parsed.delete && (parsed.attributes.is_some() || !parsed.ranges.is_empty()) {
        return Parsed::Usage(UsageError::Conflict("/D", "/A: or a range"));
    }
    // The new name (the last of two or more) or the first of three (`mklnk -s a b`, the ln habit).
    let count = parsed.names.len();
    let habit = |&&at: &&usize| (count >= 2 && at == count - 1) || (count >= 3 && at == 0);
    if !parsed.delete
        && !parsed.dialog
        && let Some(&at) = habits.iter().find(habit)
    {
        return Parsed::Usage(UsageError::LnHabit(parsed.names[at].clone()));
    }
    Parsed::Run(parsed)
}

/// A usage error worded as TCC words it (the `mklnk: ` prefix is added by the reporter).
pub fn usage_message(error: &UsageError) -> String {
    match error {
        UsageError::UnknownSwitch(s) => format!("Invalid switch \"{}\"", s.to_string_lossy()),
        UsageError::UnknownOption(name) => {
            let hint = match options::suggest(options::MKLNK, name) {
                Some(near) => format!("; did you mean --{near}?"),
                None => String::new(),
            };
            format!("Invalid switch \"--{name}\"{hint} (mklnk --help lists the options)")
        }
        UsageError::LnHabit(typed) => super::ln_habit_message(
            "mklnk",
            typed,
            "takes the existing name first and the new one second: mklnk EXISTING NEW",
        ),
        UsageError::BadValue(name) => format!("The option --{name} takes no value"),
        UsageError::Conflict(a, b) => format!("The options {a} and {b} cannot be used together"),
        UsageError::BadSelection(text) => text.clone(),
        UsageError::NoArguments | UsageError::WrongNameCount => {
            "The syntax of the command is incorrect.\nUsage: mklnk [/A:[[-]rhsadecijopt] ranges] parm1 [parm2] | mklnk /D parm1 | mklnk parm1".to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Args {
        match parse(list.iter().map(OsString::from)) {
            Parsed::Run(a) => a,
            other => panic!("expected arguments, got {other:?}"),
        }
    }

    fn job(list: &[&str]) -> Job {
        args(list).job().unwrap_or_else(|e| panic!("{e:?}"))
    }

    fn operation(list: &[&str]) -> Operation {
        match job(list) {
            Job::Single(request) => request.operation,
            other => panic!("expected one operation, got {other:?}"),
        }
    }

    #[test]
    fn mklnk_d_means_delete_not_directory() {
        assert!(
            matches!(operation(&["/D", "name"]), Operation::Delete { link, .. } if link.as_path() == std::path::Path::new("name"))
        );
        assert!(matches!(operation(&["name", "/d"]), Operation::Delete { .. }));
    }

    #[test]
    fn existing_comes_first_and_new_second() {
        let Operation::Make { target, link, .. } = operation(&["existing", "new"]) else { panic!("not a make") };
        assert_eq!(target, PathBuf::from("existing"));
        assert_eq!(link, PathBuf::from("new"));
    }

    #[test]
    fn one_name_queries() {
        assert!(matches!(operation(&["l"]), Operation::Query { .. }));
    }

    #[test]
    fn dialog_anywhere_or_no_arguments() {
        assert!(matches!(job(&["a", "/=", "b"]), Job::Dialog));
        assert!(matches!(job(&[]), Job::Dialog));
    }

    #[test]
    fn wildcards_filters_and_many_names_make_a_batch() {
        assert!(matches!(job(&["*.txt", "dst"]), Job::Batch));
        assert!(matches!(job(&["a;b", "dst"]), Job::Batch));
        assert!(matches!(job(&["a", "b", "dst"]), Job::Batch));
        assert!(matches!(job(&["/A:-h", "a", "dst"]), Job::Batch));
        assert!(matches!(job(&["a", "/[s1k]", "dst"]), Job::Batch));
    }

    #[test]
    fn delete_takes_exactly_one_name() {
        assert_eq!(args(&["/D", "a", "b"]).job().err(), Some(UsageError::WrongNameCount));
        assert_eq!(args(&["/D"]).job().err(), Some(UsageError::WrongNameCount));
    }

    #[test]
    fn unknown_switch_is_reported_with_its_slash() {
        match parse(["/Z", "a"].map(OsString::from)) {
            Parsed::Usage(UsageError::UnknownSwitch(s)) => assert_eq!(s, "/Z"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn quiet_and_counters() {
        let a = args(&["/q", "--summary", "--vars", "--json", "a", "b"]);
        assert_eq!(a.options.verbosity, Verbosity::Quiet);
        assert!(a.options.summary && a.options.vars && a.options.json);
    }

    #[test]
    fn short_help_and_version_and_typos() {
        assert!(matches!(parse(["-h"].map(OsString::from)), Parsed::Help));
        assert!(matches!(parse(["a", "-V"].map(OsString::from)), Parsed::Version));
        assert_eq!(args(&["--", "-h"]).names, ["-h"]);
        let Parsed::Usage(error) = parse(["--vras", "a", "b"].map(OsString::from)) else { panic!("parsed") };
        assert!(usage_message(&error).contains("did you mean --vars?"));
        let Parsed::Usage(error) = parse(["--bogus=1", "a"].map(OsString::from)) else { panic!("parsed") };
        assert_eq!(error, UsageError::UnknownOption("bogus".into()));
    }

    #[test]
    fn gnu_ln_habits_are_refused_where_a_link_would_be_made() {
        for line in [&["a", "-s"][..], &["-sf", "a", "b"], &["a", "b", "-f"]] {
            match parse(line.iter().map(OsString::from)) {
                Parsed::Usage(UsageError::LnHabit(_)) => {}
                other => panic!("{line:?}: {other:?}"),
            }
        }
        // Queries, deletes and names after `--` or written ./-s are left alone.
        for line in [&["-s"][..], &["/D", "-s"], &["a", "--", "-s"], &["a", "./-s"]] {
            assert!(matches!(parse(line.iter().map(OsString::from)), Parsed::Run(_)), "{line:?}");
        }
    }

    #[test]
    fn help_wins() {
        assert!(matches!(parse(["/Z", "/?"].map(OsString::from)), Parsed::Help));
    }
}
