//! Files this tool rewrites for its own use (`DESCRIPT.ION`): the new copy that replaces one atomically, and
//! whether a lock can be had at all.

use super::Dir;
use rustix::io::Errno;
use std::ffi::OsStr;
use std::fs::File;
use std::io;

impl Dir {
    /// Creates the new regular file `name` that is to replace `like`: readable and writable by its owner only
    /// (0600), so nothing written to it can be read by others before the caller gives it `like`'s owner and
    /// mode. With no `like` it is a new file and gets a new file's usual mode (0666 less the umask). Fails when
    /// the name exists in any form; never follows a link.
    ///
    /// # Errors
    /// The OS error of `openat`.
    pub fn create_replacement(&self, name: &OsStr, like: Option<&File>) -> io::Result<File> {
        self.create_new(name, if like.is_some() { 0o600 } else { 0o666 })
    }
}

/// True when a lock failed because the file system cannot lock at all (`ENOLCK`, `EOPNOTSUPP`, `ENOSYS`,
/// `EINVAL`, or `EBADF` from NFS, which wants a descriptor open for writing), not because of a holder: the
/// caller may then go on unlocked.
pub fn lock_unavailable(err: &io::Error) -> bool {
    matches!(
        Errno::from_io_error(err),
        Some(Errno::NOLCK | Errno::OPNOTSUPP | Errno::NOSYS | Errno::INVAL | Errno::BADF)
    )
}
