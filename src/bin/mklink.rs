//! `mklink`: cmd MKLINK syntax. Parse, run, report, exit. The C `main` comes from `program_main!` (the reason is
//! in `front/entry.rs`).

#![no_main]

use mklink::cli::{self, Parsed, help};
use mklink::model::UsageError;
use mklink::report::{self, Front, Status};

mklink::program_main!(mklink_main);

/// Runs the command line; returns the exit code.
fn mklink_main() -> u8 {
    let argv: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    if cli::clone::is_tree_copy(&argv) {
        return mklink::front::run_tree_copy(Front::Mklink, argv).code(Front::Mklink);
    }
    if cli::tree::wants(&argv) {
        // Whole-tree operations exit as the TCC family does, like listings.
        return mklink::front::run_tree_command(Front::Mklink, argv).code(Front::Mklnk);
    }
    let status = match cli::mklink::parse(argv) {
        Parsed::Run(args) => {
            let (request, options) = args.into_request();
            let status = mklink::front::run_and_report(Front::Mklink, &request, options);
            if options.listing {
                // A listing exits as the TCC family does: 2 when any directory could not be read.
                return status.code(Front::Mklnk);
            }
            status
        }
        Parsed::Help => report::print_stdout(Front::Mklink, &help::mklink()),
        Parsed::Generate(what) => mklink::front::print_generated(Front::Mklink, &what),
        Parsed::Version => report::print_stdout(Front::Mklink, &cli::version_line("mklink")),
        Parsed::Usage(UsageError::NoArguments) => {
            report::print_stderr(&help::mklink());
            Status::Usage
        }
        Parsed::Usage(error) => report::print_usage_error(Front::Mklink, &error),
    };
    status.code(Front::Mklink)
}
