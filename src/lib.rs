//! `mklink`: cmd's MKLINK and Take Command's MKLNK for Linux, Windows and macOS.
//!
//! The crate is a library with two thin binaries. A front-end parser (`cli`) turns a command line into a typed
//! [`Request`]; the [`engine`] carries it out through the platform layer and hands one [`Outcome`] per item to a
//! [`Sink`]; the reporter (`report`) words the outcomes as cmd or TCC would and sets the exit status. Other Rust
//! programs can build a [`Request`] themselves and call [`run`].
#![deny(missing_docs)]

pub mod cli;
pub mod describe;
pub mod engine;
pub mod platform;
pub mod report;
pub mod select;

pub use engine::{
    Collected, Error, ErrorKind, LinkEntry, LinkKind, LinkState, LinkTag, ListFilter, ListRequest, Operation, Outcome,
    Removed, Request, Sink, TargetStyle, Warning, absolute_normalised, relative_target, run,
};

/// Runs `request` and reports to stdout and stderr in `front`'s style; returns how the run ended.
pub fn run_and_report(front: report::Front, request: &Request, options: report::Options) -> report::Status {
    use std::io::IsTerminal;
    let colour = report::colour_wanted(std::io::stderr().is_terminal(), std::env::var_os("NO_COLOR").as_deref());
    let options = report::Options { colour, ..options };
    let out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut reporter = report::Reporter::new(front, options, out, std::io::stderr());
    run(request, &mut reporter);
    reporter.finish()
}

/// Builds and runs a `mklnk` batch (wildcards, include lists, filters, several sources) and reports it, with the
/// closing count line that batches always print.
pub fn run_batch_and_report(args: &cli::mklnk::Args) -> report::Status {
    match args.batch_request(jiff::Zoned::now) {
        Ok(request) => {
            use std::io::IsTerminal;
            let o = args.options;
            let quiet = o.verbosity == report::Verbosity::Quiet;
            let progress = report::progress::wanted(std::io::stderr().is_terminal(), quiet, o.json);
            let options = report::Options { summary: true, progress, ..o };
            run_and_report(report::Front::Mklnk, &request, options)
        }
        Err(error) => {
            report::usage_error(report::Front::Mklnk, &cli::mklnk::usage_message(&error));
            report::Status::Usage
        }
    }
}

/// Prints a generated file (`--completions SHELL`, `--man`) for `front` on stdout.
pub fn print_generated(front: report::Front, what: &cli::Generated) -> report::Status {
    let command = match front {
        report::Front::Mklink => cli::manifest::mklink(),
        report::Front::Mklnk => cli::manifest::mklnk(),
    };
    let mut out = std::io::stdout().lock();
    let written = match what {
        cli::Generated::Man => cli::manifest::write_man_page(command, &mut out).map(|()| true),
        cli::Generated::Completions(shell) => cli::manifest::write_completions(command, shell, &mut out),
    };
    match written {
        Ok(true) => report::Status::Success,
        Ok(false) => {
            let shells = cli::manifest::SHELLS.join(", ");
            report::usage_error(front, &format!("--completions takes one of: {shells}"));
            report::Status::Usage
        }
        // A closed pipe or full disk: nothing more can be said on stdout.
        Err(_) => report::Status::ItemFailed,
    }
}
