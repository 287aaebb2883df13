//! What deduplication, unsharing and disk usage need beyond the core calls: the full facts of an entry
//! (`fstatat` without following a link: size, allocated blocks, owner, mode, change time), copying a file's data
//! the cheapest way the file system offers (a reflink, then `copy_file_range`, then reads and writes), and giving
//! a copy the times and extended attributes of the original.

use super::{Dir, kind_of_mode};
use crate::platform::{CopyMethod, FileStat};
use rustix::fs::{AtFlags, Timespec, Timestamps};
use rustix::io::Errno;
use std::ffi::OsStr;
use std::fs::File;
use std::io::{self, Read, Write};

fn stat_of(st: &rustix::fs::Stat) -> FileStat {
    #[allow(clippy::useless_conversion, clippy::unnecessary_cast)]
    FileStat {
        kind: kind_of_mode(st.st_mode as u32),
        dev: st.st_dev as u64,
        ino: st.st_ino as u64,
        nlink: st.st_nlink as u64,
        size: st.st_size as u64,
        allocated: (st.st_blocks as u64).saturating_mul(512),
        mode: st.st_mode as u32 & 0o7777,
        uid: st.st_uid as u32,
        gid: st.st_gid as u32,
        modified: (st.st_mtime as i64, st.st_mtime_nsec as u32),
        changed: (st.st_ctime as i64, st.st_ctime_nsec as u32),
        accessed: (st.st_atime as i64, st.st_atime_nsec as u32),
    }
}

impl Dir {
    /// Every fact about the entry `name` that deduplication compares, without following a link (`fstatat` with
    /// `AT_SYMLINK_NOFOLLOW`).
    ///
    /// # Errors
    /// The OS error, e.g. `ENOENT` when the name is gone.
    pub fn stat_full(&self, name: &OsStr) -> io::Result<FileStat> {
        Ok(stat_of(&rustix::fs::statat(&self.fd, name, AtFlags::SYMLINK_NOFOLLOW)?))
    }
}

/// Every fact about an open file (`fstat`).
///
/// # Errors
/// The OS error of `fstat`.
pub fn file_stat(file: &File) -> io::Result<FileStat> {
    Ok(stat_of(&rustix::fs::fstat(file)?))
}

/// Copies the `len` bytes of `src` into the empty new file `dst` (for clones, snapshots, unshare and undo): a reflink (`FICLONE`, sharing the blocks
/// copy-on-write) where the file system can, else `copy_file_range` (done in the kernel), else reads and writes.
///
/// # Errors
/// The OS error of the copy that was attempted last.
pub fn copy_data(src: &File, dst: &File, len: u64) -> io::Result<CopyMethod> {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        if rustix::fs::ioctl_ficlone(dst, src).is_ok() {
            return Ok(CopyMethod::Reflink);
        }
        let (mut off_in, mut off_out) = (0u64, 0u64);
        let mut kernel = true;
        while off_in < len {
            let chunk = usize::try_from(len - off_in).unwrap_or(usize::MAX).min(1 << 30);
            match rustix::fs::copy_file_range(src, Some(&mut off_in), dst, Some(&mut off_out), chunk) {
                Ok(0) => break,
                Ok(_) => {}
                // Not between these file systems (or not on this kernel): fall back to plain reads and writes,
                // which start from the beginning again.
                Err(Errno::XDEV | Errno::INVAL | Errno::NOSYS | Errno::OPNOTSUPP) if off_in == 0 => {
                    kernel = false;
                    break;
                }
                Err(e) => return Err(e.into()),
            }
        }
        if kernel {
            return Ok(CopyMethod::Kernel);
        }
    }
    let _ = len;
    let (mut reader, mut writer) = (src, dst);
    let mut buffer = vec![0u8; 256 * 1024];
    loop {
        let n = reader.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        writer.write_all(&buffer[..n])?;
    }
    Ok(CopyMethod::ReadWrite)
}

/// Sets the last access and last write times of an open file (`futimens`).
///
/// # Errors
/// The OS error of `futimens`.
pub fn set_times(file: &File, accessed: (i64, u32), modified: (i64, u32)) -> io::Result<()> {
    #[allow(clippy::useless_conversion, clippy::unnecessary_cast)]
    let spec = |(sec, nsec): (i64, u32)| Timespec { tv_sec: sec as _, tv_nsec: nsec as _ };
    let times = Timestamps { last_access: spec(accessed), last_modification: spec(modified) };
    Ok(rustix::fs::futimens(file, &times)?)
}

/// Copies the extended attributes of the open file `src` to `dst`, by the rules of
/// [`Dir::copy_xattrs_from`](super::Dir::copy_xattrs_from) (one copier for clones, snapshots and unshare).
///
/// # Errors
/// An OS error reading or setting a `user.*` attribute; others are skipped.
pub fn copy_xattrs(src: &File, dst: &File) -> io::Result<()> {
    super::clone::copy_xattrs(src, dst)
}

/// A name from bytes read back from a file this program wrote (e.g. a journal): on Unix any bytes are a name.
pub fn name_from_stored_bytes(bytes: Vec<u8>) -> Option<std::ffi::OsString> {
    Some(<std::ffi::OsString as std::os::unix::ffi::OsStringExt>::from_vec(bytes))
}

impl Dir {
    /// Opens the entry `name` for reading only if it is a regular file, never following a symbolic link, and
    /// reads its facts from the open file (see [`open_regular_in`](super::at::open_regular_in)).
    ///
    /// # Errors
    /// The OS error of `openat` or `fstat`; `InvalidData` for anything but a regular file.
    pub fn open_file(&self, name: &OsStr) -> io::Result<(File, FileStat)> {
        let (fd, st) = super::at::open_regular_in(&self.fd, name, false)?;
        Ok((File::from(fd), stat_of(&st)))
    }
}

/// How many directories a whole-tree operation may keep open at once: the soft limit of open descriptors is
/// first raised to the hard limit (as far as 65,536), then half of it is offered, leaving room for the files
/// being read.
pub fn open_dir_budget() -> usize {
    use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
    let limit = getrlimit(Resource::Nofile);
    let mut current = limit.current.unwrap_or(65_536);
    let max = limit.maximum.unwrap_or(65_536).min(65_536);
    if max > current && setrlimit(Resource::Nofile, Rlimit { current: Some(max), maximum: limit.maximum }).is_ok() {
        current = max;
    }
    usize::try_from(current / 2).unwrap_or(1024).clamp(16, 32_768)
}

/// Whether a name can be replaced (renamed over) while its file is open here: on Unix, always.
pub const CAN_REPLACE_OPEN_FILES: bool = true;

/// Whether [`FileStat::changed`](crate::platform::FileStat) is a true change time: one every write moves and no
/// program can set back. On Unix, `st_ctime`.
pub const CHANGE_TIME_IS_TRUE: bool = true;
