//! `mklnk`: Take Command MKLNK syntax. Parse, run, report, exit. The C `main` comes from `program_main!` (the reason
//! is in `front/entry.rs`).

#![no_main]

use mklink::cli::mklnk::Job;
use mklink::cli::{self, Parsed, help};
use mklink::front::{self, DialogEnd};
use mklink::model::UsageError;
use mklink::report::{self, Front, Status};
use std::ffi::OsString;

mklink::program_main!(mklnk_main);

/// Runs the command line; returns the exit code.
fn mklnk_main() -> u8 {
    run(std::env::args_os().skip(1).collect(), true).code(Front::Mklnk)
}

/// Runs one command line. The dialog hands back the command line it built, which is run here as if typed;
/// `dialog` is false then, so a built line can never open the dialog again.
fn run(argv: Vec<OsString>, dialog: bool) -> Status {
    if cli::clone::is_tree_copy(&argv) {
        return front::run_tree_copy(Front::Mklnk, argv);
    }
    if cli::tree::wants(&argv) {
        return mklink::front::run_tree_command(Front::Mklnk, argv);
    }
    match cli::mklnk::parse(argv) {
        Parsed::Run(args) => match args.job(jiff::Zoned::now) {
            Ok(Job::Run(request)) => front::run_and_report(Front::Mklnk, &request, args.options),
            Ok(Job::Dialog) if dialog => match front::open_dialog(&args) {
                DialogEnd::Run(built) => run(built, false),
                DialogEnd::Done(status) => status,
            },
            Ok(Job::Dialog) => report::print_usage_error(Front::Mklnk, &UsageError::WrongNameCount(None)),
            Err(error) => report::print_usage_error(Front::Mklnk, &error),
        },
        Parsed::Help => report::print_stdout(Front::Mklnk, &help::mklnk()),
        Parsed::Generate(what) => front::print_generated(Front::Mklnk, &what),
        Parsed::Version => report::print_stdout(Front::Mklnk, &cli::version_line("mklnk")),
        Parsed::Usage(error) => report::print_usage_error(Front::Mklnk, &error),
    }
}
