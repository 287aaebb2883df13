//! The Take Command MKLNK syntax: existing first, new name second; `/D` deletes; one name alone shows where a
//! link points; `/=` (or no arguments on a terminal) opens the dialog. `/A:` and ranges may stand anywhere.
//!
//! MKLNK's `/D` (delete) is a different switch from MKLINK's `/D` (directory): the two parsers share the token
//! reader but each gives the letter its own meaning.

use super::options;
use super::switches::{Reader, Syntax, Token};
use super::{LongStart, Parsed};
use crate::model::{Link, Operation, OptionName, Party, Request, SelectionProblem, UsageError};
use crate::report::{Options, Verbosity};
use crate::select::{AttrFilter, ParseContext, Range, Selection};
use std::ffi::{OsStr, OsString};
use std::path::PathBuf;

const SYNTAX: Syntax = Syntax { letters: "DQC", tcc: true };

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
    /// `/C` or `--ignore-case`: wildcards, exclusions and rename patterns ignore ASCII case (names are already
    /// compared so on Windows and macOS).
    pub ignore_case: bool,
    /// How to report.
    pub options: Options,
    /// `--relink`, `--move` or `--undo` (the whole command line, see `cli::relink`).
    pub tree: Option<super::relink::RelinkArgs>,
}

/// What to do with parsed arguments.
#[derive(Debug)]
pub enum Job {
    /// Run this request (one link, a batch, a delete or a query: the engine tells links from batches).
    Run(Box<Request>),
    /// Open the command dialog.
    Dialog,
}

impl Args {
    /// What to do: the request, with every name as typed. Nothing is looked up on disk; "now" is asked for only
    /// when there are ranges (their relative dates and times count from it).
    ///
    /// # Errors
    /// A usage error naming the bad text: a malformed `/A:` or range, or names that do not fit the switches.
    pub fn job(&self, now: impl FnOnce() -> jiff::Zoned) -> Result<Job, UsageError> {
        if let Some(tree) = &self.tree {
            return Ok(Job::Run(Box::new(tree.request())));
        }
        if self.dialog {
            return Ok(Job::Dialog);
        }
        let filtered = self.attributes.is_some() || !self.ranges.is_empty();
        let operation = match (self.delete, self.names.as_slice()) {
            (true, [link]) => Operation::Delete { link: PathBuf::from(link), descriptions: true },
            (true, _) => return Err(UsageError::WrongNameCount(None)),
            (false, []) => return Ok(Job::Dialog),
            (false, [_]) if filtered => return Err(UsageError::WrongNameCount(None)),
            (false, [link]) => Operation::Query { link: PathBuf::from(link) },
            (false, [sources @ .., destination]) => Operation::Link(Link {
                sources: sources.to_vec(),
                destination: destination.clone(),
                filters: self.filters(now)?,
                descriptions: true,
            }),
        };
        Ok(Job::Run(Box::new(Request { operation, dry_run: self.options.dry_run })))
    }

    /// The `/A:` filter and the ranges, case-insensitive with `/C` (or where the system's names are).
    pub(super) fn filters(&self, now: impl FnOnce() -> jiff::Zoned) -> Result<Selection, UsageError> {
        let bad = |e: crate::select::SelectError| UsageError::BadSelection(SelectionProblem::Invalid(e));
        let mut filters = Selection::new(self.ignore_case || crate::platform::CASE_INSENSITIVE_NAMES);
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
        Ok(filters)
    }
}

/// Whether `name`, standing alone on a command line, is read as a name (not as a switch, a range or a long
/// option). The dialog puts `--` before its names when one of them is not.
pub fn is_read_as_name(name: &OsStr) -> bool {
    let mut tokens = Reader::new(std::iter::once(name.to_owned()), SYNTAX);
    matches!((tokens.next(), tokens.next()), (Some(Token::Name(n)), None) if n == name)
}

/// Parses MKLNK arguments (without the program name).
pub fn parse(args: impl IntoIterator<Item = OsString>) -> Parsed<Args> {
    let args: Vec<OsString> = args.into_iter().collect();
    if super::relink::starts_here(&args) {
        let tree = |t: super::relink::RelinkArgs| Args { options: t.options, tree: Some(t), ..Args::default() };
        return super::relink::wrap(super::relink::parse(args), tree);
    }
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
                'C' => parsed.ignore_case = true,
                _ => fail(UsageError::UnknownSwitch(c)),
            },
            Token::Attributes(letters) => parsed.attributes = Some(letters),
            Token::Range { negated, body, typed } => parsed.ranges.push(RangeArg { negated, body, typed }),
            Token::Long { name, value } => {
                match super::long_start(&mut reader, options::MKLNK, None, &name, value.as_deref()) {
                    LongStart::Answer(answer) => return answer,
                    LongStart::Refused(e) => fail(e),
                    LongStart::Own(option) => match option {
                        OptionName::Json => parsed.options.json = true,
                        OptionName::Summary => parsed.options.summary = true,
                        OptionName::Vars => parsed.options.vars = true,
                        OptionName::DryRun => parsed.options.dry_run = true,
                        OptionName::Verbose => parsed.options.verbosity = Verbosity::Verbose,
                        OptionName::Quiet => parsed.options.verbosity = Verbosity::Quiet,
                        OptionName::IgnoreCase => parsed.ignore_case = true,
                        // The table holds nothing else; should it, the option is not this parser's.
                        _ => fail(options::unknown(options::MKLNK, &format!("--{name}"), None)),
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
        return Parsed::Usage(UsageError::BadSelection(SelectionProblem::Unclosed(open.typed.clone())));
    }
    if parsed.delete && (parsed.attributes.is_some() || !parsed.ranges.is_empty()) {
        return Parsed::Usage(UsageError::Conflict(Party::Switch('D'), Party::Selection));
    }
    // The new name (the last of two or more) or the first of three (`mklnk -s a b`, the ln habit).
    let count = parsed.names.len();
    let habit = |&&at: &&usize| (count >= 2 && at == count - 1) || (count >= 3 && at == 0);
    if !parsed.delete && !parsed.dialog {
        if let Some(&at) = habits.iter().find(habit) {
            return Parsed::Usage(UsageError::LnHabit(parsed.names[at].clone()));
        }
    }
    Parsed::Run(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Front, usage::message};

    fn usage_message(error: &UsageError) -> String {
        message(Front::Mklnk, error)
    }

    fn args(list: &[&str]) -> Args {
        match parse(list.iter().map(OsString::from)) {
            Parsed::Run(a) => a,
            other => panic!("expected arguments, got {other:?}"),
        }
    }

    fn job(list: &[&str]) -> Job {
        args(list).job(jiff::Zoned::now).unwrap_or_else(|e| panic!("{e:?}"))
    }

    fn operation(list: &[&str]) -> Operation {
        match job(list) {
            Job::Run(request) => request.operation,
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
        let Operation::Link(link) = operation(&["existing", "new"]) else { panic!("not a link") };
        assert_eq!(link.sources, [OsString::from("existing")]);
        assert_eq!(link.destination, "new");
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
    fn names_are_recorded_as_typed_for_the_engine_to_read() {
        // Brackets, wildcards, lists and several names: the parser decides nothing about them.
        for line in [&["p [1].jpg", "copy.jpg"][..], &["*.txt", "*.bak"], &["a;b", "dst"], &["a", "b", "dst"]] {
            let Operation::Link(link) = operation(line) else { panic!("not a link: {line:?}") };
            let (destination, sources) = line.split_last().unwrap();
            assert_eq!(link.sources, sources.iter().map(OsString::from).collect::<Vec<_>>());
            assert_eq!(link.destination, *destination);
        }
    }

    #[test]
    fn filters_go_with_a_single_source_too() {
        let Operation::Link(link) = operation(&["/A:-h", "a.txt", "new.txt"]) else { panic!("not a link") };
        assert!(link.filters.attr_filter().is_some());
        assert_eq!(link.sources.len(), 1);
        assert_eq!(args(&["/A:-h", "a.txt"]).job(jiff::Zoned::now).err(), Some(UsageError::WrongNameCount(None)));
    }

    #[test]
    fn ignore_case_switch_and_long_form() {
        for switch in ["/C", "/c", "--ignore-case"] {
            let Operation::Link(link) = operation(&[switch, "*.TXT", "dst"]) else { panic!("not a link") };
            assert!(link.filters.is_case_insensitive(), "{switch}");
        }
        let Operation::Link(link) = operation(&["*.TXT", "dst"]) else { panic!("not a link") };
        assert_eq!(link.filters.is_case_insensitive(), crate::platform::CASE_INSENSITIVE_NAMES);
    }

    #[test]
    fn delete_takes_exactly_one_name() {
        assert_eq!(args(&["/D", "a", "b"]).job(jiff::Zoned::now).err(), Some(UsageError::WrongNameCount(None)));
        assert_eq!(args(&["/D"]).job(jiff::Zoned::now).err(), Some(UsageError::WrongNameCount(None)));
    }

    #[test]
    fn unknown_switch_is_reported_with_its_slash() {
        match parse(["/Z", "a"].map(OsString::from)) {
            Parsed::Usage(e @ UsageError::UnknownSwitch('Z')) => assert_eq!(usage_message(&e), "Invalid switch \"/Z\""),
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
        assert_eq!(error, options::unknown(options::MKLNK, "--bogus", None));
        let Parsed::Usage(error) = parse(["/D", "/[s1", "a"].map(OsString::from)) else { panic!("parsed") };
        assert_eq!(usage_message(&error), "The range has no closing bracket: \"/[s1 a\"");
        let Parsed::Usage(error) = parse(["/D", "/A:h", "a"].map(OsString::from)) else { panic!("parsed") };
        assert_eq!(usage_message(&error), "The options /D and /A: or a range cannot be used together");
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
