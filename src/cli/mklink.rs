//! The cmd MKLINK syntax: `mklink [[/D] | [/H] | [/J]] Link Target`, link first, target second.
//!
//! `/H` and `/J` override `/D`; between `/H` and `/J` the last one wins. Switches may stand anywhere, in any case.

use super::options;
use super::switches::{Reader, Syntax, Token};
use super::{Parsed, UsageError};
use crate::engine::{LinkKind, ListFilter, ListRequest, Operation, Request, TargetStyle};
use crate::report::{Options, Verbosity};
use std::ffi::OsString;
use std::path::PathBuf;

const SYNTAX: Syntax = Syntax { letters: "DHJLS", tcc: false };

/// `/H` or `/J`, whichever came last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Special {
    Hard,
    Junction,
}

/// The listing extension: `/L [/S]` and `--siblings`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Listing {
    /// `/L` or `--list` was given.
    pub list: bool,
    /// `/S`: descend into subdirectories.
    pub recursive: bool,
    /// `--dangling`, `--escaping`, `--hardlinks`.
    pub filter: ListFilter,
    /// `--siblings FILE [TREE]`.
    pub siblings: bool,
    /// The paths named (roots, or the file and tree).
    pub names: Vec<OsString>,
}

/// What the user typed, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Args {
    /// `/D` or `--dir` was given.
    pub directory: bool,
    special: Option<Special>,
    /// The new link's name.
    pub link: OsString,
    /// The target, as typed.
    pub target: OsString,
    /// The listing extension, when asked for (then `link` and `target` are empty).
    pub listing: Option<Listing>,
    /// How a symlink's stored text is made (`--relative`, `--absolute`).
    pub style: TargetStyle,
    /// How to report.
    pub options: Options,
    /// `--relink`, `--move` or `--undo` (the whole command line, see `cli::relink`).
    pub tree: Option<super::relink::RelinkArgs>,
}

impl Args {
    /// The kind of link asked for.
    pub fn kind(&self) -> LinkKind {
        match self.special {
            Some(Special::Hard) => LinkKind::HardLink,
            Some(Special::Junction) => LinkKind::Junction,
            None => LinkKind::Symlink { directory: self.directory },
        }
    }

    /// The engine request and the reporter's options.
    pub fn into_request(self) -> (Request, Options) {
        if let Some(tree) = &self.tree {
            return (tree.request(), self.options);
        }
        let kind = self.kind();
        if let Some(listing) = self.listing {
            let mut names = listing.names.into_iter().map(PathBuf::from);
            let operation = if listing.siblings {
                let file = names.next().unwrap_or_default();
                Operation::Siblings { file, tree: names.next().unwrap_or_else(|| PathBuf::from(".")) }
            } else {
                let mut roots: Vec<PathBuf> = names.collect();
                if roots.is_empty() {
                    roots.push(PathBuf::from("."));
                }
                Operation::List(ListRequest {
                    roots,
                    recursive: listing.recursive,
                    filter: listing.filter,
                    resolve: self.options.json,
                })
            };
            let options = Options { listing: true, ..self.options };
            return (Request { operation, dry_run: false }, options);
        }
        let request = Request {
            operation: Operation::Create {
                link: PathBuf::from(self.link),
                target: PathBuf::from(self.target),
                kind,
                style: self.style,
            },
            dry_run: self.options.dry_run,
        };
        (request, self.options)
    }
}

/// Parses MKLINK arguments (without the program name).
pub fn parse(args: impl IntoIterator<Item = OsString>) -> Parsed<Args> {
    let args: Vec<OsString> = args.into_iter().collect();
    if super::relink::starts_here(&args) {
        let tree = |t: super::relink::RelinkArgs| Args {
            directory: false,
            special: None,
            link: OsString::new(),
            target: OsString::new(),
            listing: None,
            style: TargetStyle::AsTyped,
            options: t.options,
            tree: Some(t),
        };
        return super::relink::wrap(super::relink::parse(args), tree);
    }
    let mut directory = false;
    let mut special = None;
    let mut style = TargetStyle::AsTyped;
    let mut options = Options::default();
    let mut names = Vec::new();
    let mut listing = Listing::default();
    let mut error = None;
    let mut any = false;
    // Which names (by index) were typed before `--` and look like GNU ln options.
    let mut habits = Vec::new();
    let mut reader = Reader::new(args.into_iter(), SYNTAX);
    while let Some(token) = reader.next() {
        any = true;
        let token = match token {
            Token::Name(name) => match super::short_option(&reader, options::MKLINK, &name) {
                Some(long) => Token::Long { name: long.to_string(), value: None },
                None => {
                    if !reader.past_double_dash() && options::looks_like_ln_option(&name) {
                        habits.push(names.len());
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
            Token::Switch(c) => match c.to_ascii_uppercase() {
                'D' => directory = true,
                'H' => special = Some(Special::Hard),
                'J' => special = Some(Special::Junction),
                'L' => listing.list = true,
                'S' => listing.recursive = true,
                _ => fail(UsageError::UnknownSwitch(c.to_string().into())),
            },
            Token::Long { name, value } => {
                match super::long_start(&mut reader, options::MKLINK, &name, value.as_deref()) {
                    super::LongStart::Answer(answer) => return answer,
                    super::LongStart::Unknown => fail(UsageError::UnknownOption(name)),
                    super::LongStart::BadValue => fail(UsageError::BadValue(name)),
                    super::LongStart::Own => match name.as_str() {
                        "dir" => directory = true,
                        "hard" => special = Some(Special::Hard),
                        "junction" => special = Some(Special::Junction),
                        "json" => options.json = true,
                        "dry-run" => options.dry_run = true,
                        "verbose" => options.verbosity = Verbosity::Verbose,
                        "quiet" => options.verbosity = Verbosity::Quiet,
                        "relative" => style = TargetStyle::Relative,
                        "absolute" => style = TargetStyle::Absolute,
                        "list" => listing.list = true,
                        "recursive" => listing.recursive = true,
                        "dangling" => listing.filter = ListFilter::Dangling,
                        "escaping" => listing.filter = ListFilter::Escaping,
                        "hardlinks" => listing.filter = ListFilter::HardLinks,
                        "symlinks" => listing.filter = ListFilter::SoftLinks,
                        "siblings" => listing.siblings = true,
                        "print0" => options.print0 = true,
                        _ => fail(UsageError::UnknownOption(name)),
                    },
                }
            }
            Token::Name(name) => names.push(name),
            // Not produced for this syntax.
            Token::Attributes(_) | Token::Range { .. } => {}
        }
    }
    if !any {
        return Parsed::Usage(UsageError::NoArguments);
    }
    if let Some(e) = error {
        return Parsed::Usage(e);
    }
    if listing.list || listing.siblings {
        return list_args(listing, names, directory, special, options);
    }
    if options.print0 {
        return Parsed::Usage(UsageError::Conflict("--print0", "a link to make"));
    }
    // `mklink -s target` (the ln habit) would make a link named `-s`; any dash-letters word is suspect when the
    // names do not fit either.
    if let Some(&at) = habits.iter().find(|&&at| at == 0 || names.len() != 2) {
        return Parsed::Usage(UsageError::LnHabit(names[at].clone()));
    }
    if listing.recursive || listing.filter != ListFilter::All {
        return Parsed::Usage(UsageError::Conflict(
            "/S, --dangling, --escaping, --hardlinks and --symlinks",
            "a link to make",
        ));
    }
    if style != TargetStyle::AsTyped && special.is_some() {
        let which = if style == TargetStyle::Relative { "--relative" } else { "--absolute" };
        let other = if special == Some(Special::Hard) { "/H" } else { "/J" };
        return Parsed::Usage(UsageError::Conflict(which, other));
    }
    let [link, target]: [OsString; 2] = match names.try_into() {
        Ok(pair) => pair,
        Err(_) => return Parsed::Usage(UsageError::WrongNameCount),
    };
    Parsed::Run(Args { directory, special, link, target, style, options, listing: None, tree: None })
}

/// Checks the listing forms: `/L [/S] [path ...]` and `--siblings FILE [TREE]`.
fn list_args(
    mut listing: Listing,
    names: Vec<OsString>,
    directory: bool,
    special: Option<Special>,
    options: Options,
) -> Parsed<Args> {
    if directory || special.is_some() {
        return Parsed::Usage(UsageError::Conflict("/L", "/D, /H or /J"));
    }
    if listing.siblings && !(1..=2).contains(&names.len()) {
        return Parsed::Usage(UsageError::WrongNameCount);
    }
    listing.names = names;
    let empty = OsString::new();
    Parsed::Run(Args {
        directory,
        special,
        link: empty.clone(),
        target: empty,
        style: TargetStyle::AsTyped,
        options,
        listing: Some(listing),
        tree: None,
    })
}

/// A usage error worded as cmd words it.
pub fn usage_message(error: &UsageError) -> String {
    match error {
        UsageError::UnknownSwitch(s) => format!("Invalid switch - \"{}\".", s.to_string_lossy()),
        UsageError::UnknownOption(name) => {
            let hint = match options::suggest(options::MKLINK, name) {
                Some(near) => format!(" Did you mean --{near}?"),
                None => String::new(),
            };
            format!("Invalid switch - \"--{name}\".{hint} Type mklink --help for the options.")
        }
        UsageError::LnHabit(typed) => format!(
            "mklink: {}",
            super::ln_habit_message("mklink", typed, "makes a symbolic link by default: mklink LINK TARGET")
        ),
        UsageError::BadValue(name) => format!("The option --{name} takes no value."),
        UsageError::Conflict(a, b) => format!("The options {a} and {b} cannot be used together."),
        UsageError::NoArguments | UsageError::WrongNameCount | UsageError::BadSelection(_) => {
            "The syntax of the command is incorrect.".to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Parsed<Args> {
        parse(args.iter().map(OsString::from))
    }

    fn kind(args: &[&str]) -> LinkKind {
        match run(args) {
            Parsed::Run(a) => a.kind(),
            other => panic!("expected arguments, got {other:?}"),
        }
    }

    fn usage(args: &[&str]) -> UsageError {
        match run(args) {
            Parsed::Usage(e) => e,
            other => panic!("expected a usage error, got {other:?}"),
        }
    }

    #[test]
    fn default_is_a_file_symlink() {
        assert_eq!(kind(&["l", "t"]), LinkKind::Symlink { directory: false });
    }

    #[test]
    fn switches_work_in_any_case_and_position() {
        assert_eq!(kind(&["/d", "l", "t"]), LinkKind::Symlink { directory: true });
        assert_eq!(kind(&["l", "/D", "t"]), LinkKind::Symlink { directory: true });
        assert_eq!(kind(&["l", "t", "/h"]), LinkKind::HardLink);
        assert_eq!(kind(&["--junction", "l", "t"]), LinkKind::Junction);
    }

    #[test]
    fn hard_and_junction_override_dir_in_both_orders() {
        assert_eq!(kind(&["/D", "/H", "l", "t"]), LinkKind::HardLink);
        assert_eq!(kind(&["/H", "/D", "l", "t"]), LinkKind::HardLink);
        assert_eq!(kind(&["/D/J", "l", "t"]), LinkKind::Junction);
        assert_eq!(kind(&["/J", "/D", "l", "t"]), LinkKind::Junction);
    }

    #[test]
    fn last_of_hard_and_junction_wins() {
        assert_eq!(kind(&["/H", "/J", "l", "t"]), LinkKind::Junction);
        assert_eq!(kind(&["/J", "/H", "l", "t"]), LinkKind::HardLink);
    }

    #[test]
    fn help_wins_over_errors() {
        assert!(matches!(run(&["/Z", "/?"]), Parsed::Help));
        assert!(matches!(run(&["--help"]), Parsed::Help));
        assert!(matches!(run(&["--version"]), Parsed::Version));
    }

    #[test]
    fn unknown_switch_is_named_without_the_slash() {
        assert_eq!(usage(&["/Z", "l", "t"]), UsageError::UnknownSwitch("Z".into()));
        assert_eq!(usage(&["--frob", "l", "t"]), UsageError::UnknownOption("frob".into()));
    }

    #[test]
    fn an_unknown_option_with_a_value_is_unknown_and_a_typo_gets_a_suggestion() {
        assert_eq!(usage(&["--bogus=1", "l", "t"]), UsageError::UnknownOption("bogus".into()));
        let text = usage_message(&usage(&["--dryrun", "l", "t"]));
        assert!(text.contains("Did you mean --dry-run?") && text.contains("mklink --help"), "{text}");
    }

    #[test]
    fn short_help_version_and_print0() {
        assert!(matches!(run(&["-h"]), Parsed::Help));
        assert!(matches!(run(&["l", "-V"]), Parsed::Version));
        let Parsed::Run(args) = run(&["/L", "-0"]) else { panic!("not parsed") };
        assert!(args.options.print0);
        assert_eq!(usage(&["-0", "l", "t"]), UsageError::Conflict("--print0", "a link to make"));
        match run(&["--", "-h", "t"]) {
            Parsed::Run(a) => assert_eq!(a.link, "-h"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn gnu_ln_habits_are_refused_with_a_hint() {
        assert_eq!(usage(&["-s", "target"]), UsageError::LnHabit("-s".into()));
        assert_eq!(usage(&["-sf", "target", "link"]), UsageError::LnHabit("-sf".into()));
        let text = usage_message(&UsageError::LnHabit("-s".into()));
        assert!(text.starts_with("mklink: \"-s\" looks like a GNU ln option;"), "{text}");
        assert!(text.contains("./-s or after --"), "{text}");
        for written in [&["--", "-s", "t"][..], &["./-s", "t"], &["l", "-s"]] {
            assert!(matches!(run(written), Parsed::Run(_)), "{written:?}");
        }
    }

    #[test]
    fn two_names_are_required() {
        assert_eq!(usage(&[]), UsageError::NoArguments);
        assert_eq!(usage(&["/H", "l"]), UsageError::WrongNameCount);
        assert_eq!(usage(&["a", "b", "c"]), UsageError::WrongNameCount);
    }

    #[test]
    fn a_name_spelled_like_a_switch_needs_dot_slash_or_double_dash() {
        match run(&["--", "/D", "t"]) {
            Parsed::Run(a) => assert_eq!(a.link, "/D"),
            other => panic!("{other:?}"),
        }
        match run(&["./D", "t"]) {
            Parsed::Run(a) => assert_eq!(a.link, "./D"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn list_switches() {
        let Parsed::Run(args) = run(&["/L", "/s", "--dangling", "a", "b"]) else { panic!("not parsed") };
        let listing = args.listing.expect("a listing");
        assert!(listing.list && listing.recursive && listing.filter == ListFilter::Dangling);
        assert_eq!(listing.names, ["a", "b"]);
        assert_eq!(usage(&["/L", "/H"]), UsageError::Conflict("/L", "/D, /H or /J"));
        assert_eq!(usage(&["--siblings"]), UsageError::WrongNameCount);
        assert!(matches!(usage(&["/S", "a", "b"]), UsageError::Conflict(..)));
    }

    #[test]
    fn a_value_given_to_a_flag_is_refused() {
        assert_eq!(usage(&["--dir=yes", "l", "t"]), UsageError::BadValue("dir".into()));
        assert_eq!(usage_message(&UsageError::BadValue("dir".into())), "The option --dir takes no value.");
    }

    #[test]
    fn relative_does_not_go_with_hard_or_junction() {
        assert_eq!(usage(&["--relative", "/H", "l", "t"]), UsageError::Conflict("--relative", "/H"));
    }
}
