//! `mklnk`: Take Command MKLNK syntax. Parse, run, report, exit.

use mklink::cli::mklnk::{Job, usage_message};
use mklink::cli::{self, Parsed, UsageError, help};
use mklink::report::{self, Front, Status};
use std::process::ExitCode;

fn main() -> ExitCode {
    let status = match cli::mklnk::parse(std::env::args_os().skip(1)) {
        Parsed::Run(args) => match args.job() {
            Ok(Job::Single(request)) => mklink::run_and_report(Front::Mklnk, &request, args.options),
            Ok(Job::Batch) => mklink::run_batch_and_report(&args),
            Ok(Job::Dialog) => mklink::cli::dialog::open(&args),
            Err(error) => usage(&error),
        },
        Parsed::Help => {
            report::print_stdout(help::MKLNK);
            Status::Success
        }
        Parsed::Version => {
            report::print_stdout(&cli::version_line("mklnk"));
            Status::Success
        }
        Parsed::Usage(error) => usage(&error),
    };
    status.exit_code(Front::Mklnk)
}

fn usage(error: &UsageError) -> Status {
    report::usage_error(Front::Mklnk, &usage_message(error));
    Status::Usage
}
