//! The Win32 calls the Windows backend makes, each wrapped once: wide strings, a handle that closes itself, and
//! the one way we open a name (never following a final link). Every `unsafe` of the backend that is not about
//! reparse data lives here.

use std::ffi::OsStr;
use std::io;
use std::os::windows::ffi::OsStrExt;
use std::path::Path;
use windows_sys::Win32::Foundation::{CloseHandle, HANDLE, INVALID_HANDLE_VALUE};
use windows_sys::Win32::Storage::FileSystem::{
    BY_HANDLE_FILE_INFORMATION, CreateFileW, FILE_ATTRIBUTE_REPARSE_POINT, FILE_ATTRIBUTE_TAG_INFO,
    FILE_FLAG_BACKUP_SEMANTICS, FILE_FLAG_OPEN_REPARSE_POINT, FILE_READ_ATTRIBUTES, FILE_SHARE_DELETE, FILE_SHARE_READ,
    FILE_SHARE_WRITE, FileAttributeTagInfo, GetFileInformationByHandle, GetFileInformationByHandleEx, OPEN_EXISTING,
};

/// `path` as a NUL-terminated UTF-16 string for the `W` calls. An empty path means the current directory.
pub(super) fn wide(path: &Path) -> Vec<u16> {
    let path = if path.as_os_str().is_empty() { OsStr::new(".") } else { path.as_os_str() };
    path.encode_wide().chain(std::iter::once(0)).collect()
}

/// Turns a Win32 `BOOL`-style result into `io::Result`, reading `GetLastError` on failure.
pub(super) fn check(ok: bool) -> io::Result<()> {
    if ok { Ok(()) } else { Err(io::Error::last_os_error()) }
}

/// An open handle, closed on drop.
pub(super) struct Handle(HANDLE);

impl Handle {
    /// The raw handle, valid while `self` lives.
    pub(super) fn raw(&self) -> HANDLE {
        self.0
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        // SAFETY: `self.0` came from a successful `CreateFileW` in `open_no_follow` and is closed only here.
        unsafe { CloseHandle(self.0) };
    }
}

/// Opens `path` itself, not what a final link points to (`CreateFileW` with `FILE_FLAG_OPEN_REPARSE_POINT`),
/// with `access` rights; directories open too (`FILE_FLAG_BACKUP_SEMANTICS`). Sharing is full, so the open never
/// blocks another program.
pub(super) fn open_no_follow(path: &Path, access: u32) -> io::Result<Handle> {
    let name = wide(path);
    // SAFETY: `name` is NUL-terminated and outlives the call; a null security-attributes pointer and a null
    // template handle are documented as allowed.
    let handle = unsafe {
        CreateFileW(
            name.as_ptr(),
            access,
            FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
            std::ptr::null(),
            OPEN_EXISTING,
            FILE_FLAG_OPEN_REPARSE_POINT | FILE_FLAG_BACKUP_SEMANTICS,
            std::ptr::null_mut(),
        )
    };
    if handle == INVALID_HANDLE_VALUE { Err(io::Error::last_os_error()) } else { Ok(Handle(handle)) }
}

/// What one name is, read through a handle that did not follow a final link.
pub(super) struct FileInfo {
    /// `GetFileInformationByHandle`: attributes, times, size, volume serial, file index, link count.
    pub(super) by_handle: BY_HANDLE_FILE_INFORMATION,
    /// The reparse tag when the entry is a reparse point, else 0.
    pub(super) reparse_tag: u32,
}

/// Reads [`FileInfo`] for `path` without following a final link.
pub(super) fn file_info(path: &Path) -> io::Result<FileInfo> {
    let handle = open_no_follow(path, FILE_READ_ATTRIBUTES)?;
    // SAFETY: the all-zero bit pattern is a valid `BY_HANDLE_FILE_INFORMATION` (integers and FILETIMEs only).
    let mut by_handle: BY_HANDLE_FILE_INFORMATION = unsafe { std::mem::zeroed() };
    // SAFETY: `handle` is open (see `open_no_follow`) and `by_handle` is a writable struct of the type the call
    // fills.
    check(unsafe { GetFileInformationByHandle(handle.raw(), &mut by_handle) } != 0)?;
    let mut reparse_tag = 0;
    if by_handle.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT != 0 {
        let mut tag = FILE_ATTRIBUTE_TAG_INFO { FileAttributes: 0, ReparseTag: 0 };
        // SAFETY: `handle` is open; `tag` is a writable `FILE_ATTRIBUTE_TAG_INFO`, the type this class fills, and
        // the size passed is its size.
        let ok = unsafe {
            GetFileInformationByHandleEx(
                handle.raw(),
                FileAttributeTagInfo,
                (&raw mut tag).cast(),
                size_of::<FILE_ATTRIBUTE_TAG_INFO>() as u32,
            )
        };
        check(ok != 0)?;
        reparse_tag = tag.ReparseTag;
    }
    Ok(FileInfo { by_handle, reparse_tag })
}

/// The facts about an open file (`GetFileInformationByHandle`): kind from its attributes, link count, volume
/// serial and file index.
pub(super) fn handle_info(file: &std::fs::File) -> io::Result<crate::platform::EntryInfo> {
    use std::os::windows::io::AsRawHandle;
    // SAFETY: the all-zero bit pattern is a valid `BY_HANDLE_FILE_INFORMATION` (integers and FILETIMEs only).
    let mut by: BY_HANDLE_FILE_INFORMATION = unsafe { std::mem::zeroed() };
    // SAFETY: the handle belongs to `file`, which is open for the whole call; `by` is a writable struct of the
    // type the call fills.
    check(unsafe { GetFileInformationByHandle(file.as_raw_handle() as HANDLE, &mut by) } != 0)?;
    Ok(crate::platform::EntryInfo {
        kind: super::kind_of(by.dwFileAttributes, 0),
        nlink: u64::from(by.nNumberOfLinks),
        dev: u64::from(by.dwVolumeSerialNumber),
        ino: (u64::from(by.nFileIndexHigh) << 32) | u64::from(by.nFileIndexLow),
    })
}

/// Takes an exclusive lock on all of an open file (`LockFileEx`), waiting while another handle holds one. The lock
/// goes with the handle: closing `file` releases it.
pub(super) fn lock_exclusive(file: &std::fs::File) -> io::Result<()> {
    use std::os::windows::io::AsRawHandle;
    use windows_sys::Win32::Storage::FileSystem::{LOCKFILE_EXCLUSIVE_LOCK, LockFileEx};
    use windows_sys::Win32::System::IO::OVERLAPPED;
    // SAFETY: the all-zero bit pattern is a valid `OVERLAPPED` (offsets 0, no event): the range starts at byte 0.
    let mut overlapped: OVERLAPPED = unsafe { std::mem::zeroed() };
    // SAFETY: the handle belongs to `file`, open for the whole call; the handle is synchronous, so the call returns
    // only when the lock is held and `overlapped` is not used after it.
    let ok = unsafe {
        LockFileEx(file.as_raw_handle() as HANDLE, LOCKFILE_EXCLUSIVE_LOCK, 0, u32::MAX, u32::MAX, &mut overlapped)
    };
    check(ok != 0)
}
