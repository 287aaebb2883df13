//! What deduplication, unsharing and disk usage need beyond the core calls: the full facts of an entry (opened
//! relative to its directory's handle: the link count and file index from the handle, sizes and times from the
//! metadata), copying a file's data, and
//! giving a copy the times of the original. NTFS has no owner/mode bits in the Unix sense: they read as 0, so the
//! owner and mode policy of deduplication treats every file alike.

use super::Dir;
use crate::platform::{CopyMethod, EntryInfo, FileStat};
use std::ffi::OsStr;
use std::fs::{File, Metadata};
use std::io;
use std::os::windows::fs::MetadataExt;
use std::time::{Duration, UNIX_EPOCH};
use windows_sys::Win32::Storage::FileSystem::FILE_READ_ATTRIBUTES;

/// 100-nanosecond intervals between 1601-01-01 (the FILETIME epoch) and 1970-01-01.
const EPOCH_DIFF: u64 = 116_444_736_000_000_000;

fn unix_time(filetime: u64) -> (i64, u32) {
    let since = filetime.saturating_sub(EPOCH_DIFF);
    ((since / 10_000_000) as i64, ((since % 10_000_000) * 100) as u32)
}

fn stat_of(info: EntryInfo, md: &Metadata) -> FileStat {
    let modified = unix_time(md.last_write_time());
    FileStat { accessed: unix_time(md.last_access_time()), ..stat_of_size(info, md.file_size(), modified) }
}

/// The facts of an entry of `size` bytes last written at `modified`; the access time is the write time until
/// the caller sets it.
fn stat_of_size(info: EntryInfo, size: u64, modified: (i64, u32)) -> FileStat {
    FileStat {
        kind: info.kind,
        dev: info.dev,
        ino: info.ino,
        nlink: info.nlink,
        size,
        // Allocation is not read here: the size rounded up to the usual 4 KiB cluster stands for it.
        allocated: size.div_ceil(4096) * 4096,
        mode: 0,
        uid: 0,
        gid: 0,
        modified,
        changed: modified,
        accessed: modified,
    }
}

impl Dir {
    /// Every fact about the entry `name` that deduplication compares, without following a link.
    ///
    /// # Errors
    /// The OS error, e.g. ERROR_FILE_NOT_FOUND when the name is gone.
    pub fn stat_full(&self, name: &OsStr) -> io::Result<FileStat> {
        let facts = self.facts(&self.open_entry(name, super::nt::How::open(FILE_READ_ATTRIBUTES))?)?;
        let by = &facts.by_handle;
        let ticks = |t: windows_sys::Win32::Foundation::FILETIME| {
            (u64::from(t.dwHighDateTime) << 32) | u64::from(t.dwLowDateTime)
        };
        let size = (u64::from(by.nFileSizeHigh) << 32) | u64::from(by.nFileSizeLow);
        let modified = unix_time(ticks(by.ftLastWriteTime));
        Ok(FileStat {
            accessed: unix_time(ticks(by.ftLastAccessTime)),
            ..stat_of_size(super::entry_info(&facts), size, modified)
        })
    }
}

/// Every fact about an open file.
///
/// # Errors
/// The OS error.
pub fn file_stat(file: &File) -> io::Result<FileStat> {
    Ok(stat_of(super::file_info(file)?, &file.metadata()?))
}

/// Copies the `len` bytes of `src` into the empty new file `dst` by reading and writing (block cloning needs
/// ReFS and is not attempted).
///
/// # Errors
/// The OS error of a read or write.
pub fn copy_data(src: &File, dst: &File, _len: u64) -> io::Result<CopyMethod> {
    let (mut reader, mut writer) = (src, dst);
    io::copy(&mut reader, &mut writer)?;
    Ok(CopyMethod::ReadWrite)
}

/// Sets the last access and last write times of an open file.
///
/// # Errors
/// The OS error of `SetFileTime`.
pub fn set_times(file: &File, accessed: (i64, u32), modified: (i64, u32)) -> io::Result<()> {
    let at = |(sec, nsec): (i64, u32)| {
        let d = Duration::new(sec.unsigned_abs(), nsec);
        if sec >= 0 { UNIX_EPOCH + d } else { UNIX_EPOCH - d }
    };
    let times = std::fs::FileTimes::new().set_accessed(at(accessed)).set_modified(at(modified));
    file.set_times(times)
}

/// Extended attributes are not copied on Windows (alternate data streams are left alone).
///
/// # Errors
/// None.
pub fn copy_xattrs(_src: &File, _dst: &File) -> io::Result<()> {
    Ok(())
}

/// A name from bytes read back from a file this program wrote (e.g. a journal). Only valid UTF-8 is accepted, so
/// a damaged file can never produce an ill-formed name; a name holding an unpaired surrogate cannot be restored.
pub fn name_from_stored_bytes(bytes: Vec<u8>) -> Option<std::ffi::OsString> {
    String::from_utf8(bytes).ok().map(std::ffi::OsString::from)
}

impl Dir {
    /// Opens the entry `name` for reading only if it is a regular file, with its facts.
    ///
    /// # Errors
    /// The OS error; `InvalidData` for anything but a regular file.
    pub fn open_file(&self, name: &OsStr) -> io::Result<(File, FileStat)> {
        let file = self.open_regular(name)?;
        let st = file_stat(&file)?;
        Ok((file, st))
    }
}

/// How many directories a whole-tree operation may keep open at once. Windows has no small per-process limit
/// on handles, so this only bounds memory and kernel objects.
pub fn open_dir_budget() -> usize {
    4096
}

/// Whether a name can be replaced (renamed over) while its file is open here: on Windows the replaced file's
/// open handle makes the rename fail with ERROR_ACCESS_DENIED, so it is closed first.
pub const CAN_REPLACE_OPEN_FILES: bool = false;

/// Whether [`FileStat::changed`](crate::platform::FileStat) is a true change time: one every write moves and no
/// program can set back. On Windows it is the last write time, which any program may set to an old value.
pub const CHANGE_TIME_IS_TRUE: bool = false;
