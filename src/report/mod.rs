//! Turns what the engine did into what the user sees: cmd-style or TCC-style text, JSON, counters and the exit
//! status. The reporter words things and counts them; it never decides policy and never touches the file system.

pub mod clone;
pub mod escape;
pub mod exit;
pub mod json;
pub mod listing;
pub mod messages;
pub mod output;
pub mod progress;
pub mod tree;
pub mod usage;

pub use exit::{Front, Status};

use crate::model::{LinkKind, Outcome, Removed, Sink, Warning};
use messages::{error_text, hint, os_detail, quote};
use std::io::{self, Write};
use std::path::Path;

/// How much text to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Verbosity {
    /// Errors only (`/Q`, `--quiet`).
    Quiet,
    /// What the command prints by default.
    #[default]
    Normal,
    /// Also the OS's own error text, and one line per link for `mklnk` (`--verbose`).
    Verbose,
}

/// How the reporter prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Options {
    /// Text verbosity.
    pub verbosity: Verbosity,
    /// JSON objects instead of text.
    pub json: bool,
    /// The run changes nothing: word outcomes as what would be done.
    pub dry_run: bool,
    /// End with a line counting links made and errors (`mklnk --summary`; implied for batches).
    pub summary: bool,
    /// End with `_mklnk_files=N` and `_mklnk_errors=M` lines for `eval` (`mklnk --vars`).
    pub vars: bool,
    /// Show a progress bar on stderr when the run takes longer than about a second (batches on a terminal).
    pub progress: bool,
    /// The run is a listing: the JSON summary counts links found.
    pub listing: bool,
    /// Colour errors (red) and warnings (yellow) on stderr; see [`colour_wanted`].
    pub colour: bool,
    /// A listing prints each name raw, ended by a NUL byte, and nothing else (`mklink /L -0`, `--print0`).
    pub print0: bool,
    /// The run acts on many names found by a walk (`--relink`, `--move`, `--undo`, `--clone`, `--snapshot`): every
    /// error names its path, even in cmd's style.
    pub many: bool,
}

/// Whether to colour stderr: only on a terminal, and never when `NO_COLOR` is set to anything non-empty.
pub fn colour_wanted(stderr_is_terminal: bool, no_color: Option<&std::ffi::OsStr>) -> bool {
    stderr_is_terminal && no_color.is_none_or(|v| v.is_empty())
}

const RED: &str = "\x1b[31m";
const YELLOW: &str = "\x1b[33m";
const RESET: &str = "\x1b[0m";

/// Counts of a run: TCC's `_mklnk_files` and `_mklnk_errors`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    /// Links created or updated (TCC's `_mklnk_files`; a delete makes no link), or entries listed.
    pub files: u64,
    /// Items that failed.
    pub errors: u64,
}

/// Prints outcomes as they arrive and keeps the counts. A closed pipe on stdout ends printing quietly; any other
/// write error on stdout is said once on stderr at the end and fails the run. Nothing here panics.
pub struct Reporter<O: Write, E: Write> {
    front: Front,
    options: Options,
    out: output::Output<O>,
    err: E,
    counts: Counts,
    progress: Option<progress::Progress>,
    /// The listing's date column, made on the first listed entry.
    dates: Option<listing::Dates>,
    /// A listing line's buffer, kept between lines.
    scratch: Vec<u8>,
    /// An item failed as a usage error ([`ErrorKind::Usage`](crate::model::ErrorKind)): the run ends with
    /// the usage status.
    usage: bool,
}

impl<O: Write, E: Write> Reporter<O, E> {
    /// A reporter for `front` writing to `out` and `err`.
    pub fn new(front: Front, options: Options, out: O, err: E) -> Self {
        let progress = options.progress.then(progress::Progress::new);
        Reporter {
            front,
            options,
            out: output::Output::new(out),
            err,
            counts: Counts::default(),
            progress,
            dates: None,
            scratch: Vec::new(),
            usage: false,
        }
    }

    /// Prints the closing summary (if asked) and returns how the run ended.
    pub fn finish(mut self) -> Status {
        if let Some(progress) = &mut self.progress {
            progress.finish();
        }
        let Counts { files, errors } = self.counts;
        if self.options.json {
            let summary = match self.front {
                _ if self.options.listing => {
                    serde_json::json!({"type": "summary", "links": files, "errors": errors})
                }
                Front::Mklink => serde_json::json!({"type": "summary", "created": files, "errors": errors}),
                Front::Mklnk => serde_json::json!({
                    "type": "summary", "_mklnk_files": files, "_mklnk_errors": errors,
                }),
            };
            self.line(summary.to_string().as_bytes());
        } else {
            if self.options.summary && self.options.verbosity != Verbosity::Quiet {
                let line = summary_line(self.counts, self.options.dry_run);
                // With --vars, stdout holds only the variables, so `eval "$(mklnk --vars …)"` works.
                if self.options.vars { self.err_line(&line) } else { self.line(line.as_bytes()) }
            }
            if self.options.vars {
                self.line(format!("_mklnk_files={files}\n_mklnk_errors={errors}").as_bytes());
            }
        }
        let write_error = self.out.finish();
        if let Some(err) = &write_error {
            let line = output::write_error_line(self.front, err);
            self.err_line(&line);
        }
        let _ = self.err.flush();
        match errors {
            0 if write_error.is_none() => Status::Success,
            0 => Status::ItemFailed,
            _ if self.usage => Status::Usage,
            _ => Status::ItemFailed,
        }
    }

    fn line(&mut self, bytes: &[u8]) {
        self.out.write(bytes);
        self.out.write(b"\n");
    }

    /// Writes a line on stderr with control characters escaped.
    fn err_line(&mut self, text: &str) {
        self.err_painted(None, text);
    }

    /// Writes a line on stderr with control characters escaped, then painted in `colour` when colour is on.
    fn err_painted(&mut self, colour: Option<&str>, text: &str) {
        let text = match colour {
            Some(colour) if self.options.colour => format!("{colour}{}{RESET}", escape::text(text)),
            _ => escape::text(text),
        };
        let err = &mut self.err;
        let mut write = || writeln!(err, "{text}");
        let _ = match &self.progress {
            Some(progress) => progress.suspend(write),
            None => write(),
        };
    }

    fn text_outcome(&mut self, outcome: &Outcome) {
        let quiet = self.options.verbosity == Verbosity::Quiet;
        match (self.front, outcome) {
            (Front::Mklink, Outcome::Created { kind, link, target, .. }) if !quiet => {
                let what = match kind {
                    LinkKind::Symlink { .. } => "symbolic link",
                    LinkKind::HardLink => "Hardlink",
                    LinkKind::Junction => "Junction",
                };
                let verb = if self.options.dry_run { "would be created" } else { "created" };
                let mut line = format!("{what} {verb} for ").into_bytes();
                escape::push_display(link.as_os_str(), &mut line);
                line.extend_from_slice(b" <<===>> ");
                escape::push_display(target.as_os_str(), &mut line);
                self.line(&line);
            }
            (_, Outcome::Listed(entry)) if self.options.print0 => self.raw0(&entry.path),
            (_, Outcome::Sibling { path }) if self.options.print0 => self.raw0(path),
            (_, Outcome::Listed(entry)) => {
                let dates = self.dates.get_or_insert_with(|| listing::Dates::new(jiff::tz::TimeZone::system()));
                let mut line = std::mem::take(&mut self.scratch);
                line.clear();
                listing::write_line(entry, dates, &mut line);
                self.line(&line);
                self.scratch = line;
            }
            (_, Outcome::Tree(item)) => {
                let verbose = self.options.verbosity == Verbosity::Verbose;
                for line in tree::text_lines(item, self.options.dry_run, verbose) {
                    match line {
                        tree::Line::Out(text) if !quiet => self.line(text.as_bytes()),
                        tree::Line::Err(text) => self.err_line(&format!("{}: {text}", self.front.name())),
                        tree::Line::Out(_) => {}
                    }
                }
            }
            (_, Outcome::Sibling { path }) => self.line(escape::display(path.as_os_str()).as_bytes()),
            (_, Outcome::Relinked { .. } | Outcome::Moved { .. } | Outcome::Journal { .. }) if !quiet => {
                let line = relink_line(outcome, self.options.dry_run);
                self.line(line.as_bytes());
            }
            (_, Outcome::Cloned(item)) if self.options.verbosity == Verbosity::Verbose || self.options.dry_run => {
                self.line(&clone::item_line(item, self.options.dry_run));
            }
            (_, Outcome::CloneDone(summary)) => {
                if !quiet {
                    self.line(clone::summary_line(summary).as_bytes());
                }
                if let Some(text) = clone::unpublished_line(summary) {
                    let line = format!("{}: {text}", self.front.name());
                    self.err_painted(Some(RED), &line);
                }
            }
            (Front::Mklnk, Outcome::Queried { target, .. }) => {
                self.line(escape::display(target.as_os_str()).as_bytes());
            }
            (Front::Mklnk, _) if self.options.verbosity == Verbosity::Verbose || self.options.dry_run => {
                if let Some(line) = self.mklnk_verbose_line(outcome) {
                    self.line(&line);
                }
            }
            _ => {}
        }
    }

    /// `mklnk --verbose`: `<new> -> <existing>` per link, `deleted <name>` per delete.
    fn mklnk_verbose_line(&self, outcome: &Outcome) -> Option<Vec<u8>> {
        let prefix: &[u8] = if self.options.dry_run { b"would link " } else { b"" };
        let arrow = |link: &Path, target: &Path, tail: &str| {
            let mut line = prefix.to_vec();
            escape::push_display(link.as_os_str(), &mut line);
            line.extend_from_slice(b" -> ");
            escape::push_display(target.as_os_str(), &mut line);
            line.extend_from_slice(tail.as_bytes());
            line
        };
        match outcome {
            Outcome::Created { link, target, .. } => Some(arrow(link, target, "")),
            Outcome::Updated { link, target, .. } => Some(arrow(link, target, " (updated)")),
            Outcome::Deleted { link, removed } => {
                let verb: &[u8] = if self.options.dry_run { b"would delete " } else { b"deleted " };
                let mut line = verb.to_vec();
                escape::push_display(link.as_os_str(), &mut line);
                if let Removed::HardLinkName { remaining } = removed {
                    let names = if *remaining == 1 { "name remains" } else { "names remain" };
                    line.extend_from_slice(format!(" ({remaining} other {names})").as_bytes());
                }
                Some(line)
            }
            _ => None,
        }
    }

    /// `--print0`: the raw name and a NUL, for `xargs -0`.
    fn raw0(&mut self, path: &Path) {
        self.out.write(path.as_os_str().as_encoded_bytes());
        self.out.write(b"\0");
    }

    fn failure(&mut self, err: &crate::model::Error) {
        let text = error_text(err);
        // A dry run checks what the real run would check first; what it finds is worded as a forecast.
        let text = if self.options.dry_run { format!("would fail: {text}") } else { text };
        let prog = self.front.name();
        let line = match self.front {
            // cmd prints the bare sentence; TCC and a listing name the path.
            Front::Mklink if !self.options.listing && !self.options.many => text,
            _ => format!("{prog}: {text} {}", quote(err.path().as_os_str())),
        };
        self.err_painted(Some(RED), &line);
        if let Some(kept) = err.kept() {
            self.err_line(&format!("{prog}: the displaced entry is kept as {}", quote(kept.as_os_str())));
        }
        if let (Verbosity::Verbose, Some(os)) = (self.options.verbosity, err.source_error()) {
            self.err_line(&format!("{prog}: {}: {}", quote(err.path().as_os_str()), os_detail(os)));
        }
        // A usage error found by the engine always says what would fit.
        let usage = err.kind() == crate::model::ErrorKind::Usage;
        if let (true, Some(hint)) = (usage || self.options.verbosity == Verbosity::Verbose, hint(err.kind())) {
            self.err_line(&format!("{prog}: {hint}"));
        }
    }

    fn warning_text(warning: &Warning) -> String {
        match warning {
            Warning::TargetOnlyFromCwd { target, suggestion } => format!(
                "warning: the target {} does not exist relative to the link's directory, but does from the \
                 current directory; a relative target is read from the link's directory, so you probably meant {}",
                quote(target.as_os_str()),
                quote(suggestion.as_os_str())
            ),
            Warning::Loop { link } => {
                format!("warning: {} points at itself or a directory holding it (a loop)", quote(link.as_os_str()))
            }
            Warning::Skipped(err) => format!(
                "warning: left out or copied without all its properties: {} {}",
                error_text(err),
                quote(err.path().as_os_str())
            ),
            Warning::Description(err) => format!(
                "warning: the link is done, but its line in DESCRIPT.ION was not updated: {} {}",
                error_text(err),
                quote(err.path().as_os_str())
            ),
        }
    }
}

impl<O: Write, E: Write> Sink for Reporter<O, E> {
    fn outcome(&mut self, outcome: Outcome) {
        match &outcome {
            Outcome::Failed(e) => {
                self.counts.errors += 1;
                self.usage |= e.kind() == crate::model::ErrorKind::Usage;
            }
            Outcome::Queried { .. }
            | Outcome::Deleted { .. }
            | Outcome::Moved { .. }
            | Outcome::Journal { .. }
            | Outcome::CloneDone(_) => {}
            Outcome::Tree(item) if !tree::counts_as_file(item) => {}
            _ => self.counts.files += 1,
        }
        if let Some(progress) = &mut self.progress {
            progress.tick(self.counts.files, self.counts.errors);
        }
        if self.options.json {
            let value = json::outcome(&outcome, self.options.dry_run);
            self.line(value.to_string().as_bytes());
        } else if let Outcome::Failed(err) = &outcome {
            self.failure(err);
        } else {
            self.text_outcome(&outcome);
        }
    }

    fn warning(&mut self, warning: Warning) {
        let text = Self::warning_text(&warning);
        if self.options.json {
            let value = json::warning(&warning, &text);
            self.line(value.to_string().as_bytes());
        } else if self.options.verbosity != Verbosity::Quiet {
            let line = format!("{}: {text}", self.front.name());
            self.err_painted(Some(YELLOW), &line);
        }
    }

    fn batch_started(&mut self) {
        self.options.summary = true;
    }
}

/// The closing count line of `mklnk --summary` and of batches; a dry run says what would be linked.
fn summary_line(Counts { files, errors }: Counts, dry_run: bool) -> String {
    let noun = if files == 1 { "file" } else { "files" };
    let errs = if errors == 1 { "error" } else { "errors" };
    let verb = if dry_run { "would be linked" } else { "linked" };
    format!("{files:>6} {noun} {verb}, {errors} {errs}")
}

/// A count with its noun: "1 file", "2 files", "0 files".
pub(crate) fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The text line of a relink, move or journal outcome: `relinked LINK: OLD -> NEW`, `moved SOURCE -> DEST`,
/// `journal: PATH` (`would relink` and `would move` in a dry run); names are shown as everywhere else.
fn relink_line(outcome: &Outcome, dry_run: bool) -> String {
    let name = |p: &Path| escape::display(p.as_os_str());
    let would = if dry_run { "would " } else { "" };
    match outcome {
        Outcome::Relinked { link, previous, stored } => {
            let verb = if dry_run { "relink" } else { "relinked" };
            format!("{would}{verb} {}: {} -> {}", name(link), name(previous), name(stored))
        }
        Outcome::Moved { source, dest } => {
            let verb = if dry_run { "move" } else { "moved" };
            format!("{would}{verb} {} -> {}", name(source), name(dest))
        }
        Outcome::Journal { path } => format!("journal: {}", name(path)),
        _ => String::new(),
    }
}

/// Prints a usage error in `front`'s style on stderr, with control characters escaped.
pub fn usage_error(front: Front, message: &str) {
    let message = escape::text(message);
    let mut err = io::stderr().lock();
    let _ = match front {
        Front::Mklink => writeln!(err, "{message}"),
        Front::Mklnk => writeln!(err, "mklnk: {message}"),
    };
}

/// Prints a usage error in `front`'s style on stderr (see [`usage::message`]) and returns the usage status.
pub fn print_usage_error(front: Front, error: &crate::model::UsageError) -> Status {
    usage_error(front, &usage::message(front, error));
    Status::Usage
}

/// Writes `text` to stdout: a closed pipe ends quietly, another write error is said on stderr in `front`'s style
/// and fails the run.
pub fn print_stdout(front: Front, text: &str) -> Status {
    output::print_stdout_bytes(front, text.as_bytes())
}

/// Writes `text` to stderr.
pub fn print_stderr(text: &str) {
    let _ = io::stderr().lock().write_all(text.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Error, ErrorKind};
    use std::ffi::OsStr;

    #[test]
    fn colour_only_on_a_terminal_and_never_with_no_color() {
        assert!(colour_wanted(true, None));
        assert!(colour_wanted(true, Some(OsStr::new(""))));
        assert!(!colour_wanted(true, Some(OsStr::new("1"))));
        assert!(!colour_wanted(false, None));
    }

    #[test]
    fn errors_are_painted_only_when_asked() {
        let err = crate::model::Error::new(crate::model::ErrorKind::LinkExists, "x");
        for (colour, expected) in [
            (false, "Cannot create a file when that file already exists.\n".to_string()),
            (true, format!("{RED}Cannot create a file when that file already exists.{RESET}\n")),
        ] {
            let mut stderr = Vec::new();
            let options = Options { colour, ..Options::default() };
            let mut reporter = Reporter::new(Front::Mklink, options, Vec::new(), &mut stderr);
            reporter.outcome(Outcome::Failed(crate::model::Error::new(err.kind(), err.path())));
            reporter.finish();
            assert_eq!(String::from_utf8(stderr).unwrap(), expected);
        }
    }

    fn failure_text(verbosity: Verbosity) -> String {
        let options = Options { verbosity, ..Options::default() };
        let mut err = Vec::new();
        let mut reporter = Reporter::new(Front::Mklink, options, Vec::new(), &mut err);
        let os = io::Error::from_raw_os_error(1314);
        reporter.outcome(Outcome::Failed(Error::with_source(ErrorKind::PrivilegeMissing, "link", os)));
        drop(reporter);
        String::from_utf8_lossy(&err).into_owned()
    }

    #[test]
    fn missing_privilege_prints_mklinks_sentence_and_verbose_adds_the_way_out() {
        let plain = failure_text(Verbosity::Normal);
        assert_eq!(plain, "You do not have sufficient privilege to perform this operation.\n");
        let verbose = failure_text(Verbosity::Verbose);
        assert!(verbose.starts_with(&plain), "{verbose}");
        assert!(verbose.contains("mklink: to make symbolic links, run from an elevated prompt"), "{verbose}");
        assert!(verbose.contains("Developer Mode"), "{verbose}");
    }
}
