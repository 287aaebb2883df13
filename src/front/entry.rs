//! The binaries' `main`, without the Rust runtime's start-up.
//!
//! A link command is often run once per link, thousands of times from a script, so its start-up is most of its
//! cost. The runtime's own start (before `fn main`) reads `/proc/self/maps` to find the main thread's stack and
//! maps an alternate signal stack for stack-overflow messages: about a quarter of a one-link process. The
//! binaries are `#![no_main]` and define the C `main` with [`program_main!`](crate::program_main), which does only
//! what a link command needs: standard streams and SIGPIPE made safe ([`crate::platform::program_start`]), the
//! command, stdout flushed, the exit code returned. Without the runtime's handler a stack overflow ends the
//! process with SIGSEGV instead of a message; nothing here recurses without bound.

/// Defines the C `main` of a `#![no_main]` binary around `$run`, a `fn() -> u8` that runs the command and returns
/// its exit code.
#[macro_export]
#[doc(hidden)]
macro_rules! program_main {
    ($run:path) => {
        /// The process entry point the C runtime calls.
        #[unsafe(no_mangle)]
        extern "C" fn main(_argc: core::ffi::c_int, _argv: *const *const core::ffi::c_char) -> core::ffi::c_int {
            $crate::platform::program_start();
            let code: u8 = $run();
            // The runtime's exit would flush stdout; returning from C `main` does not.
            let _ = std::io::Write::flush(&mut std::io::stdout());
            core::ffi::c_int::from(code)
        }
    };
}
