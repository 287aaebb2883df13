//! Standard output as the commands use it: a closed pipe (`| head`) ends printing quietly, any other write error
//! (a full disk, `/dev/full`, an I/O error) is said once on stderr and makes the run fail. Nothing here panics.

use super::exit::{Front, Status};
use std::io::{self, Write};

/// What became of the writes so far.
#[derive(Debug, Default)]
enum State {
    /// Every write went through.
    #[default]
    Open,
    /// The reader went away (EPIPE): stop writing, say nothing.
    Closed,
    /// A write failed for another reason: stop writing, report it at the end.
    Failed(io::Error),
}

/// A writer that remembers the first write error instead of returning it at every call site.
#[derive(Debug)]
pub struct Output<W: Write> {
    inner: W,
    state: State,
}

impl<W: Write> Output<W> {
    /// Wraps `inner`.
    pub fn new(inner: W) -> Self {
        Output { inner, state: State::Open }
    }

    /// Whether writes still go out.
    pub fn is_open(&self) -> bool {
        matches!(self.state, State::Open)
    }

    fn record(&mut self, result: io::Result<()>) {
        if let Err(err) = result {
            self.state = if err.kind() == io::ErrorKind::BrokenPipe { State::Closed } else { State::Failed(err) };
        }
    }

    /// Writes `bytes` unless an earlier write failed.
    pub fn write(&mut self, bytes: &[u8]) {
        if self.is_open() {
            let result = self.inner.write_all(bytes);
            self.record(result);
        }
    }

    /// Flushes and returns the write error to report, if any (a closed pipe is not one).
    pub fn finish(&mut self) -> Option<io::Error> {
        if self.is_open() {
            let result = self.inner.flush();
            self.record(result);
        }
        match std::mem::take(&mut self.state) {
            State::Failed(err) => Some(err),
            _ => None,
        }
    }
}

/// The stderr line for a write error on stdout, in `front`'s style.
pub fn write_error_line(front: Front, err: &io::Error) -> String {
    let detail = super::messages::os_detail(err);
    match front {
        Front::Mklink => format!("The output could not be written: {detail}."),
        Front::Mklnk => format!("mklnk: The output could not be written: {detail}"),
    }
}

/// Writes `bytes` to stdout and flushes: success, a quiet end on a closed pipe, or the error said on stderr and
/// a failed status.
pub fn print_stdout_bytes(front: Front, bytes: &[u8]) -> Status {
    let mut out = Output::new(io::stdout().lock());
    out.write(bytes);
    match out.finish() {
        None => Status::Success,
        Some(err) => {
            let _ = writeln!(io::stderr().lock(), "{}", write_error_line(front, &err));
            Status::ItemFailed
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A writer that fails every write with `kind`.
    struct Failing(io::ErrorKind);

    impl Write for Failing {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::Error::from(self.0))
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_closed_pipe_ends_quietly() {
        let mut out = Output::new(Failing(io::ErrorKind::BrokenPipe));
        out.write(b"x");
        assert!(!out.is_open());
        assert!(out.finish().is_none());
    }

    #[test]
    fn any_other_write_error_is_kept_for_the_report() {
        let mut out = Output::new(Failing(io::ErrorKind::StorageFull));
        out.write(b"x");
        out.write(b"y");
        let err = out.finish().map(|e| e.kind());
        assert_eq!(err, Some(io::ErrorKind::StorageFull));
    }

    #[test]
    fn the_error_line_follows_each_commands_style() {
        let err = io::Error::from_raw_os_error(28);
        assert!(write_error_line(Front::Mklink, &err).starts_with("The output could not be written: "));
        assert!(write_error_line(Front::Mklnk, &err).starts_with("mklnk: The output could not be written: "));
        assert!(write_error_line(Front::Mklnk, &err).contains("errno 28"));
    }
}
