//! The glue of the whole-tree operations (`--dedupe`, `--undo`, `--unshare`, `--du`), the same for both
//! binaries: parse, pick the default places of the journal and the hash cache, run with a progress bar on
//! terminals, report.

use crate::model::Operation;
use crate::{cli, report};
use std::path::{Path, PathBuf};

/// Parses and runs a whole-tree command line (see [`cli::tree::wants`]) for either front-end. A deduplication
/// that changes things gets a journal in the user's state directory and a hash cache in the user's cache
/// directory unless told otherwise.
pub fn run_tree_command(front: report::Front, argv: Vec<std::ffi::OsString>) -> report::Status {
    use std::io::IsTerminal;
    let mut args = match cli::tree::parse(argv) {
        cli::Parsed::Run(args) => args,
        cli::Parsed::Help => return report::print_stdout(front, &cli::help::tree(&front.name().to_uppercase())),
        cli::Parsed::Version => return report::print_stdout(front, &cli::version_line(front.name())),
        cli::Parsed::Generate(what) => return super::print_generated(front, &what),
        cli::Parsed::Usage(error) => return report::print_usage_error(front, &error),
    };
    if let Operation::Dedupe(dedupe) = &mut args.request.operation {
        if args.default_journal {
            dedupe.journal = Some(state_dir("XDG_STATE_HOME", ".local/state").join(journal_name()));
        }
        if args.default_cache {
            dedupe.cache = Some(state_dir("XDG_CACHE_HOME", ".cache").join("dedupe-hashes"));
        }
    }
    let o = args.options;
    let quiet = o.verbosity == report::Verbosity::Quiet;
    let progress = report::progress::wanted(std::io::stderr().is_terminal(), quiet, o.json);
    // `mklink`'s errors name the path here, as its listings do.
    let listing = front == report::Front::Mklink;
    super::run_and_report(front, &args.request, report::Options { progress, listing, ..o })
}

/// The directory for this program's files of one kind: `$VAR/mklink` (else `~/<home_rel>/mklink`, else the
/// temporary directory's `mklink`), as the XDG base directory rules say.
fn state_dir(var: &str, home_rel: &str) -> PathBuf {
    let base = std::env::var_os(var)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").filter(|v| !v.is_empty()).map(|h| Path::new(&h).join(home_rel)))
        .unwrap_or_else(std::env::temp_dir);
    base.join("mklink")
}

/// The name of a deduplication journal nobody named: one file per run, by time and process.
fn journal_name() -> String {
    let stamp = jiff::Zoned::now().strftime("%Y%m%d-%H%M%S");
    format!("dedupe-{stamp}-{}.jsonl", std::process::id())
}
