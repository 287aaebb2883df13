//! What a process needs before its first line of work (see [`crate::program_main`]): nothing on Windows, where
//! standard handles that are missing fail on use and there is no SIGPIPE.

/// Nothing to prepare on Windows.
pub fn program_start() {}
