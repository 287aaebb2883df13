//! The cmd MKLINK syntax: `mklink [[/D] | [/H] | [/J]] Link Target`, link first, target second.
//!
//! `/H` and `/J` override `/D`; between `/H` and `/J` the last one wins. Switches may stand anywhere, in any case.

use super::options;
use super::switches::{Reader, Syntax, Token};
use super::{LongStart, Parsed};
use crate::model::{LinkKind, ListFilter, ListRequest, Operation, OptionName, Party, Request, TargetStyle, UsageError};
use crate::report::{Options, Verbosity};
use std::ffi::OsString;
use std::path::PathBuf;

const SYNTAX: Syntax = Syntax { letters: "DHJLS", tcc: false };

/// The listing's options that make no sense for a link to make.
const LISTING_FILTERS: &[OptionName] =
    &[OptionName::Recursive, OptionName::Dangling, OptionName::Escaping, OptionName::HardLinks, OptionName::Symlinks];

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
                _ => fail(UsageError::UnknownSwitch(c)),
            },
            Token::Long { name, value } => {
                match super::long_start(&mut reader, options::MKLINK, None, &name, value.as_deref()) {
                    LongStart::Answer(answer) => return answer,
                    LongStart::Refused(e) => fail(e),
                    LongStart::Own(option) => match option {
                        OptionName::Dir => directory = true,
                        OptionName::Hard => special = Some(Special::Hard),
                        OptionName::Junction => special = Some(Special::Junction),
                        OptionName::Json => options.json = true,
                        OptionName::DryRun => options.dry_run = true,
                        OptionName::Verbose => options.verbosity = Verbosity::Verbose,
                        OptionName::Quiet => options.verbosity = Verbosity::Quiet,
                        OptionName::Relative => style = TargetStyle::Relative,
                        OptionName::Absolute => style = TargetStyle::Absolute,
                        OptionName::List => listing.list = true,
                        OptionName::Recursive => listing.recursive = true,
                        OptionName::Dangling => listing.filter = ListFilter::Dangling,
                        OptionName::Escaping => listing.filter = ListFilter::Escaping,
                        OptionName::HardLinks => listing.filter = ListFilter::HardLinks,
                        OptionName::Symlinks => listing.filter = ListFilter::SoftLinks,
                        OptionName::Siblings => listing.siblings = true,
                        OptionName::Print0 => options.print0 = true,
                        // The table holds nothing else; should it, the option is not this parser's.
                        _ => fail(options::unknown(options::MKLINK, &format!("--{name}"), None)),
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
        return Parsed::Usage(UsageError::Conflict(Party::Option(OptionName::Print0), Party::LinkToMake));
    }
    // `mklink -s target` (the ln habit) would make a link named `-s`; any dash-letters word is suspect when the
    // names do not fit either.
    if let Some(&at) = habits.iter().find(|&&at| at == 0 || names.len() != 2) {
        return Parsed::Usage(UsageError::LnHabit(names[at].clone()));
    }
    if listing.recursive || listing.filter != ListFilter::All {
        return Parsed::Usage(UsageError::Conflict(Party::Group(LISTING_FILTERS), Party::LinkToMake));
    }
    if style != TargetStyle::AsTyped && special.is_some() {
        let which = if style == TargetStyle::Relative { OptionName::Relative } else { OptionName::Absolute };
        let other = if special == Some(Special::Hard) { OptionName::Hard } else { OptionName::Junction };
        return Parsed::Usage(UsageError::Conflict(Party::Option(which), Party::Option(other)));
    }
    let [link, target]: [OsString; 2] = match names.try_into() {
        Ok(pair) => pair,
        Err(_) => return Parsed::Usage(UsageError::WrongNameCount(None)),
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
        return Parsed::Usage(UsageError::Conflict(
            Party::Option(OptionName::List),
            Party::AnyOf(&[OptionName::Dir, OptionName::Hard, OptionName::Junction]),
        ));
    }
    if listing.siblings && !(1..=2).contains(&names.len()) {
        return Parsed::Usage(UsageError::WrongNameCount(None));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Front, usage::message};

    fn usage_message(error: &UsageError) -> String {
        message(Front::Mklink, error)
    }

    fn unknown(typed: &str) -> UsageError {
        options::unknown(options::MKLINK, typed, None)
    }

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
        assert_eq!(usage(&["/Z", "l", "t"]), UsageError::UnknownSwitch('Z'));
        assert_eq!(usage(&["--frob", "l", "t"]), unknown("--frob"));
    }

    #[test]
    fn an_unknown_option_with_a_value_is_unknown_and_a_typo_gets_a_suggestion() {
        assert_eq!(usage(&["--bogus=1", "l", "t"]), unknown("--bogus"));
        let text = usage_message(&usage(&["--dryrun", "l", "t"]));
        assert!(text.contains("Did you mean --dry-run?") && text.contains("mklink --help"), "{text}");
    }

    #[test]
    fn short_help_version_and_print0() {
        assert!(matches!(run(&["-h"]), Parsed::Help));
        assert!(matches!(run(&["l", "-V"]), Parsed::Version));
        let Parsed::Run(args) = run(&["/L", "-0"]) else { panic!("not parsed") };
        assert!(args.options.print0);
        assert_eq!(
            usage(&["-0", "l", "t"]),
            UsageError::Conflict(Party::Option(OptionName::Print0), Party::LinkToMake)
        );
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
        assert_eq!(usage(&["/H", "l"]), UsageError::WrongNameCount(None));
        assert_eq!(usage(&["a", "b", "c"]), UsageError::WrongNameCount(None));
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
        assert_eq!(usage_message(&usage(&["/L", "/H"])), "The options /L and /D, /H or /J cannot be used together.");
        assert_eq!(usage(&["--siblings"]), UsageError::WrongNameCount(None));
        assert!(matches!(usage(&["/S", "a", "b"]), UsageError::Conflict(..)));
    }

    #[test]
    fn a_value_given_to_a_flag_is_refused() {
        assert_eq!(usage_message(&usage(&["--dir=yes", "l", "t"])), "The option --dir takes no value.");
    }

    #[test]
    fn relative_does_not_go_with_hard_or_junction() {
        assert_eq!(
            usage_message(&usage(&["--relative", "/H", "l", "t"])),
            "The options --relative and /H cannot be used together."
        );
        assert_eq!(
            usage_message(&usage(&["/S", "a", "b"])),
            "The options /S, --dangling, --escaping, --hardlinks and --symlinks and a link to make cannot be used \
             together."
        );
    }
}
