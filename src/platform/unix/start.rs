//! What a process needs before its first line of work, done by the binaries' own `main` (see
//! [`crate::program_main`]) instead of the Rust runtime's start-up, which also reads `/proc/self/maps` and sets up
//! an alternate signal stack: a quarter of the cost of a one-link process.

use rustix::event::{PollFd, PollFlags, poll};
use std::os::fd::{BorrowedFd, IntoRawFd};

/// Makes the process safe to run: standard streams that the parent left closed are opened on `/dev/null` (else
/// the first file we open would become stdout, and a success line would be written into it), and a closed pipe
/// on stdout becomes an `EPIPE` error the reporter handles instead of a killing `SIGPIPE`.
pub fn program_start() {
    // SAFETY: 0, 1 and 2 are only polled (an fd that is not open comes back as POLLNVAL, not an error); nothing
    // is read or written through them here.
    let mut fds =
        [0, 1, 2].map(|fd| PollFd::from_borrowed_fd(unsafe { BorrowedFd::borrow_raw(fd) }, PollFlags::empty()));
    // A zero timeout: only the POLLNVAL of a closed number is wanted, never a wait for an event.
    let now = rustix::event::Timespec { tv_sec: 0, tv_nsec: 0 };
    if poll(&mut fds, Some(&now)).is_ok() {
        for fd in &fds {
            if fd.revents().contains(PollFlags::NVAL) {
                // The lowest free number is the closed stream's; it stays open for the process's life.
                if let Ok(null) = rustix::fs::open("/dev/null", rustix::fs::OFlags::RDWR, rustix::fs::Mode::empty()) {
                    let _ = null.into_raw_fd();
                }
            }
        }
    }
    // SAFETY: setting a signal's disposition to SIG_IGN installs no handler and touches no memory of ours.
    unsafe { libc::signal(libc::SIGPIPE, libc::SIG_IGN) };
}
