//! The only place that touches the operating system.
//!
//! Every `cfg(unix)`/`cfg(windows)` and every `unsafe` of the crate lives below this module. The rest of the
//! crate calls the same few safe functions on every OS: make a symbolic link or a hard link, read what a name is
//! without following it, swap or rename names atomically, remove one directory entry. Nothing here decides
//! policy (may this link be deleted?) and nothing here prints.

use crate::model::FileTime;
use std::path::Path;

mod interrupt;
mod node;
pub use interrupt::{catch_interrupts, interrupted};
pub use node::{CopyMethod, Node, NodeKind};

#[cfg(unix)]
mod unix;
#[cfg(unix)]
pub use unix::*;
#[cfg(windows)]
mod windows;
#[cfg(windows)]
pub use windows::*;

/// What kind of directory entry a name is, read without following a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    /// A regular file.
    File,
    /// A real directory (not a link to one).
    Directory,
    /// A symbolic link.
    Symlink,
    /// A directory junction (a mount-point reparse point). Only Windows has them; on Unix a junction is made as
    /// a symbolic link and reads back as [`EntryKind::Symlink`].
    Junction,
    /// Anything else: device, socket, fifo.
    Other,
}

impl EntryKind {
    /// True for a symbolic link or a junction: a name that only refers to something else, so removing it never
    /// removes data.
    pub fn is_link(self) -> bool {
        matches!(self, EntryKind::Symlink | EntryKind::Junction)
    }
}

/// The facts about one directory entry that the engine needs, read without following a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntryInfo {
    /// What the entry is.
    pub kind: EntryKind,
    /// Number of hard links to the file.
    pub nlink: u64,
    /// The device (volume) the entry lives on.
    pub dev: u64,
    /// The file's identity on that device.
    pub ino: u64,
}

impl EntryInfo {
    /// True when `other` is the very same file (same device and inode).
    pub fn same_file(&self, other: &EntryInfo) -> bool {
        self.dev == other.dev && self.ino == other.ino
    }
}

/// Metadata of one directory entry for the selection filters, read without following a link.
#[derive(Debug, Clone, Copy)]
pub struct EntryMeta {
    /// What the entry is.
    pub kind: EntryKind,
    /// Size in bytes.
    pub size: u64,
    /// Last write, seconds and nanoseconds since the Unix epoch.
    pub modified: FileTime,
    /// Last access.
    pub accessed: FileTime,
    /// Creation (birth), when the platform and file system report it.
    pub created: Option<FileTime>,
    /// The `/A:` attributes: the real ones on Windows, mapped as `docs/spec/unix-mapping.md` says on Unix.
    pub attrs: crate::select::Attributes,
}

/// Every fact about one entry that deduplication, unsharing and disk usage compare, read without following a
/// link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStat {
    /// What the entry is.
    pub kind: EntryKind,
    /// The device (volume) the entry lives on.
    pub dev: u64,
    /// The file's identity on that device.
    pub ino: u64,
    /// Number of names of the file.
    pub nlink: u64,
    /// Size in bytes (the apparent size).
    pub size: u64,
    /// Bytes of storage allocated to the file (Unix: `st_blocks * 512`).
    pub allocated: u64,
    /// Permission bits (with set-id and sticky bits); 0 where the platform has none.
    pub mode: u32,
    /// Owner's user id; 0 where the platform has none.
    pub uid: u32,
    /// Owner's group id; 0 where the platform has none.
    pub gid: u32,
    /// Last write, seconds and nanoseconds since the Unix epoch.
    pub modified: (i64, u32),
    /// Last change of the inode (Unix `ctime`; Windows: the change time where known, else the last write).
    pub changed: (i64, u32),
    /// Last access.
    pub accessed: (i64, u32),
}

/// What a listing needs of one entry: its kind and facts, and its last write time.
#[derive(Debug, Clone, Copy)]
pub struct StatAt {
    /// Kind, link count and identity.
    pub info: EntryInfo,
    /// Last write, seconds and nanoseconds since the Unix epoch.
    pub modified: FileTime,
}

/// The operating system's reason for a failed call, reduced to the cases the engine words differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The name exists already (EEXIST).
    Exists,
    /// A component of the path is missing (ENOENT).
    NotFound,
    /// Permission denied (EACCES) or operation not permitted (EPERM).
    Denied,
    /// The two names are on different devices (EXDEV).
    CrossDevice,
    /// No space left, or quota exceeded (ENOSPC, EDQUOT).
    NoSpace,
    /// Read-only file system (EROFS).
    ReadOnly,
    /// Too many links to the file (EMLINK).
    TooManyLinks,
    /// A name or path is too long (ENAMETOOLONG).
    NameTooLong,
    /// Too many levels of symbolic links (ELOOP).
    Loop,
    /// A path component is not a directory (ENOTDIR).
    NotADirectory,
    /// The name is a directory (EISDIR).
    IsADirectory,
    /// The file system does not support the operation (EOPNOTSUPP, ENOSYS).
    Unsupported,
    /// The user lacks the privilege the call needs (Windows: making a symbolic link without elevation or
    /// Developer Mode, ERROR_PRIVILEGE_NOT_HELD). Unix has no such case.
    PrivilegeMissing,
    /// Anything else.
    Other,
}

/// How [`Dir::rename`] treats an entry already at the new name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rename {
    /// Replace it atomically.
    Replace,
    /// Fail with "already exists" (`RENAME_NOREPLACE`).
    NoReplace,
    /// Swap the two names atomically; both must exist (`RENAME_EXCHANGE`).
    Exchange,
}

/// The fault for an error that carries no OS code (made by the engine itself, e.g. for a dry run's checks).
fn fault_of_kind(kind: std::io::ErrorKind) -> Fault {
    use std::io::ErrorKind as K;
    match kind {
        K::AlreadyExists => Fault::Exists,
        K::NotFound => Fault::NotFound,
        K::PermissionDenied => Fault::Denied,
        K::CrossesDevices => Fault::CrossDevice,
        K::ReadOnlyFilesystem => Fault::ReadOnly,
        K::NotADirectory => Fault::NotADirectory,
        K::IsADirectory => Fault::IsADirectory,
        K::Unsupported => Fault::Unsupported,
        _ => Fault::Other,
    }
}

static TEMP_COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// A fresh name for a temporary entry, unique to this process and call: `.mklink-<pid>-<n>-<nanos>.tmp` in
/// hexadecimal. It is short so that it fits wherever the final name fits, hidden so that listings skip it, and
/// carries the process id so that a leftover of a killed run can be told from a running one's.
pub fn temp_name() -> std::ffi::OsString {
    let n = TEMP_COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    // The process id is asked once: `getpid` is a system call each time, and a deduplication makes a temporary
    // name per merged file.
    static PID: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    let pid = *PID.get_or_init(std::process::id);
    std::ffi::OsString::from(format!(".mklink-{pid:x}-{n:x}-{nanos:x}.tmp"))
}

/// The process id inside a name made by [`temp_name`], or `None` when the name does not have exactly that shape:
/// how a temporary left by a killed run is told from one a running process is still writing.
pub fn temp_name_pid(name: &[u8]) -> Option<u32> {
    let rest = name.strip_prefix(b".mklink-")?.strip_suffix(b".tmp")?;
    let mut parts = rest.split(|&b| b == b'-');
    let pid = parts.next()?;
    let (n, nanos) = (parts.next()?, parts.next()?);
    let hex = |p: &[u8]| !p.is_empty() && p.len() <= 16 && p.iter().all(u8::is_ascii_hexdigit);
    if parts.next().is_some() || !hex(pid) || !hex(n) || !hex(nanos) || pid.len() > 8 {
        return None;
    }
    u32::from_str_radix(std::str::from_utf8(pid).ok()?, 16).ok()
}

/// Reads into `buf` from `offset` of `file` (`pread`), without using or moving the file position on Unix;
/// returns how many bytes were read, 0 at the end of the file.
///
/// # Platform specific behavior
/// Windows: `ReadFile` with an offset, which moves the file position too (no caller relies on it).
///
/// # Errors
/// The OS error of the read.
pub fn read_at(file: &std::fs::File, buf: &mut [u8], offset: u64) -> std::io::Result<usize> {
    #[cfg(unix)]
    return std::os::unix::fs::FileExt::read_at(file, buf, offset);
    #[cfg(windows)]
    return std::os::windows::fs::FileExt::seek_read(file, buf, offset);
}

/// Fills `buf` from `offset` of `file` ([`read_at`] until full).
///
/// # Errors
/// `UnexpectedEof` when the file ends first; any other OS error of the reads.
pub fn read_exact_at(file: &std::fs::File, mut buf: &mut [u8], mut offset: u64) -> std::io::Result<()> {
    while !buf.is_empty() {
        match read_at(file, buf, offset) {
            Ok(0) => return Err(std::io::Error::from(std::io::ErrorKind::UnexpectedEof)),
            Ok(n) => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Whether the byte separates path components in a name typed here: `/` on Unix; `\` and `/` on Windows.
pub fn is_separator_byte(b: u8) -> bool {
    b.is_ascii() && std::path::is_separator(char::from(b))
}

/// Returns true when `path` names an existing entry, without following a final link.
pub fn exists_no_follow(path: &Path) -> bool {
    lstat(path).is_ok()
}

/// A named point where a debug build of the program can be held by a test: when the environment variable
/// `MKLINK_TEST_PAUSE` equals `name`, the process creates the file `$MKLINK_TEST_PAUSE_DIR/<name>.reached` and
/// waits until `$MKLINK_TEST_PAUSE_DIR/<name>.go` exists. Tests use it to act at the most delicate moment of an
/// operation (a deterministic race). Release builds compile it to nothing.
#[inline]
pub fn pause_point(name: &str) {
    #[cfg(debug_assertions)]
    {
        let (Some(wanted), Some(dir)) =
            (std::env::var_os("MKLINK_TEST_PAUSE"), std::env::var_os("MKLINK_TEST_PAUSE_DIR"))
        else {
            return;
        };
        if wanted != name {
            return;
        }
        let dir = std::path::PathBuf::from(dir);
        let _ = std::fs::write(dir.join(format!("{name}.reached")), b"");
        let go = dir.join(format!("{name}.go"));
        for _ in 0..30_000 {
            if go.exists() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
    }
    #[cfg(not(debug_assertions))]
    let _ = name;
}
