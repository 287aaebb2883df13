//! The glue the two binaries call: run a request and report it in a front-end's style,
//! print a generated file (completions, man page), open the dialog. It reads the terminal and the environment
//! (colour, progress), installs the interrupt handler, and holds no rule of its own.

mod entry;
mod tree;

pub use tree::run_tree_command;

use crate::model::{Operation, Request};
use crate::{cli, platform, report, run};

/// Runs `request` and reports to stdout and stderr in `front`'s style; returns how the run ended. A `mklnk` link
/// request that the engine finds to be a batch ends with the count line, and on a terminal shows a progress bar
/// when it runs longer than about a second.
pub fn run_and_report(front: report::Front, request: &Request, options: report::Options) -> report::Status {
    use std::io::IsTerminal;
    let mut options = options;
    if matches!(
        request.operation,
        Operation::Delete { .. }
            | Operation::Link(_)
            | Operation::Relink(_)
            | Operation::Move(_)
            | Operation::Undo { .. }
            | Operation::Clone(_)
    ) {
        // These hold names aside or write descriptions: an interrupt is taken between items, never inside one.
        platform::catch_interrupts();
    }
    if let Operation::Link(_) = request.operation {
        let quiet = options.verbosity == report::Verbosity::Quiet;
        options.progress = report::progress::wanted(std::io::stderr().is_terminal(), quiet, options.json);
    }
    let colour = report::colour_wanted(std::io::stderr().is_terminal(), std::env::var_os("NO_COLOR").as_deref());
    let options = report::Options { colour, ..options };
    let out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut reporter = report::Reporter::new(front, options, out, std::io::stderr());
    run(request, &mut reporter);
    reporter.finish()
}

/// Parses and runs a tree copy (`--clone`, `--snapshot`) for either front-end, with a progress bar on a
/// terminal; the binaries hand a command line here when [`cli::clone::is_tree_copy`] says so.
pub fn run_tree_copy(front: report::Front, argv: Vec<std::ffi::OsString>) -> report::Status {
    use std::io::IsTerminal;
    match cli::clone::parse(argv) {
        cli::Parsed::Run(args) => {
            let o = args.options;
            let quiet = o.verbosity == report::Verbosity::Quiet;
            let progress = report::progress::wanted(std::io::stderr().is_terminal(), quiet, o.json);
            run_and_report(front, &args.request, report::Options { progress, many: true, ..o })
        }
        cli::Parsed::Help => report::print_stdout(front, &cli::help::clone(&front.name().to_uppercase())),
        cli::Parsed::Version => report::print_stdout(front, &cli::version_line(front.name())),
        cli::Parsed::Generate(what) => print_generated(front, &what),
        cli::Parsed::Usage(error) => report::print_usage_error(front, &error),
    }
}

/// Prints a generated file (`--completions SHELL`, `--man`) for `front` on stdout. The file is made in memory
/// first, so a closed pipe or a full disk is met by our own writer (quiet end, or a message and a failed status),
/// never inside a generator.
#[cfg(feature = "completions")]
pub fn print_generated(front: report::Front, what: &cli::Generated) -> report::Status {
    let command = match front {
        report::Front::Mklink => cli::manifest::mklink(),
        report::Front::Mklnk => cli::manifest::mklnk(),
    };
    let mut text = Vec::new();
    let made = match what {
        cli::Generated::Man => cli::manifest::write_man_page(command, &mut text).map(|()| true),
        cli::Generated::Completions(shell) => cli::manifest::write_completions(command, shell, &mut text),
    };
    match made {
        Ok(true) => report::output::print_stdout_bytes(front, &text),
        Ok(false) => {
            let problem = crate::model::ValueProblem::NotOneOf(&cli::manifest::SHELLS);
            let error = crate::model::UsageError::BadValue { option: crate::model::OptionName::Completions, problem };
            report::print_usage_error(front, &error)
        }
        // Writing into memory does not fail; should it, it is said like any other write error.
        Err(err) => {
            report::print_stderr(&format!("{}\n", report::output::write_error_line(front, &err)));
            report::Status::ItemFailed
        }
    }
}

/// What the dialog (`mklnk /=`) ended with.
pub enum DialogEnd {
    /// Run this command line as if typed.
    Run(Vec<std::ffi::OsString>),
    /// Cancelled, or failed with a message already printed: exit with this status.
    Done(report::Status),
}

/// Opens the `/=` dialog pre-filled with `args`.
///
/// # Platform specific behavior
/// Without the cargo feature `dialog`, this says the dialog is not built in and ends with a usage error.
pub fn open_dialog(args: &cli::mklnk::Args) -> DialogEnd {
    #[cfg(feature = "dialog")]
    {
        use cli::dialog::{self, Choice};
        match dialog::open(args) {
            Choice::Run(built) => DialogEnd::Run(built),
            Choice::Cancel => DialogEnd::Done(report::Status::Success),
            Choice::NoTerminal => {
                let status = report::print_usage_error(report::Front::Mklnk, &crate::model::UsageError::NoArguments);
                DialogEnd::Done(status)
            }
            Choice::Failed(error) => {
                let error = crate::model::UsageError::DialogTerminal(error.to_string());
                DialogEnd::Done(report::print_usage_error(report::Front::Mklnk, &error))
            }
        }
    }
    #[cfg(not(feature = "dialog"))]
    {
        let _ = args;
        let error = crate::model::UsageError::NotBuiltIn(crate::model::Feature::Dialog);
        DialogEnd::Done(report::print_usage_error(report::Front::Mklnk, &error))
    }
}

/// Prints a generated file: not built in without the cargo feature `completions`.
#[cfg(not(feature = "completions"))]
pub fn print_generated(front: report::Front, _what: &cli::Generated) -> report::Status {
    report::print_usage_error(front, &crate::model::UsageError::NotBuiltIn(crate::model::Feature::Completions))
}
