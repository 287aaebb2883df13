//! The Win32 calls the Windows backend makes, each wrapped once: wide strings, the two ways a path is opened (a
//! name never following a final link; a directory the user named, followed), and what is read through a handle.
//! Every `unsafe` of the backend that is neither about reparse data nor a native (`Nt…`) call (see `nt.rs`)
//! lives here.

use std::ffi::OsStr;
use std::io;
use std::os::windows::ffi::OsStrExt;
use std::os::windows::io::{AsRawHandle, FromRawHandle, OwnedHandle};
use std::path::Path;
use windows_sys::Win32::Foundation::{HANDLE, INVALID_HANDLE_VALUE};
use windows_sys::Win32::Storage::FileSystem::{
    BY_HANDLE_FILE_INFORMATION, CreateFileW, FILE_ATTRIBUTE_REPARSE_POINT, FILE_ATTRIBUTE_TAG_INFO,
    FILE_FLAG_BACKUP_SEMANTICS, FILE_FLAG_OPEN_REPARSE_POINT, FILE_NAME_NORMALIZED, FILE_READ_ATTRIBUTES,
    FILE_SHARE_DELETE, FILE_SHARE_READ, FILE_SHARE_WRITE, FileAttributeTagInfo, GetFileInformationByHandle,
    GetFileInformationByHandleEx, GetFinalPathNameByHandleW, OPEN_EXISTING, SYNCHRONIZE,
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

/// Opens `path` itself, not what a final link points to (`CreateFileW` with `FILE_FLAG_OPEN_REPARSE_POINT`),
/// with `access` rights; directories open too (`FILE_FLAG_BACKUP_SEMANTICS`). Sharing is full, so the open never
/// blocks another program.
pub(super) fn open_no_follow(path: &Path, access: u32) -> io::Result<OwnedHandle> {
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
    if handle == INVALID_HANDLE_VALUE {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: CreateFileW succeeded, so `handle` is a new open handle that nothing else owns.
    Ok(unsafe { OwnedHandle::from_raw_handle(handle) })
}

/// Opens the directory `path` with `access`, following it if it is a link (as the user named it;
/// `FILE_FLAG_BACKUP_SEMANTICS` lets a directory open). A file opens too: the caller checks what it got.
pub(super) fn open_dir(path: &Path, access: u32) -> io::Result<OwnedHandle> {
    let name = wide(path);
    // SAFETY: `name` is NUL-terminated and outlives the call; a null security-attributes pointer and a null
    // template handle are documented as allowed.
    let handle = unsafe {
        CreateFileW(
            name.as_ptr(),
            access | SYNCHRONIZE,
            FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
            std::ptr::null(),
            OPEN_EXISTING,
            FILE_FLAG_BACKUP_SEMANTICS,
            std::ptr::null_mut(),
        )
    };
    if handle == INVALID_HANDLE_VALUE {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: CreateFileW succeeded, so `handle` is a new open handle that nothing else owns.
    Ok(unsafe { OwnedHandle::from_raw_handle(handle) })
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
    info_of(&open_no_follow(path, FILE_READ_ATTRIBUTES)?)
}

/// Reads [`FileInfo`] through an open handle (which needs FILE_READ_ATTRIBUTES access).
pub(super) fn info_of(handle: &impl AsRawHandle) -> io::Result<FileInfo> {
    info_within(handle, None)
}

/// Reads [`FileInfo`] through a handle opened relative to the directory `dir` (see [`info_of`]); `dir` only
/// serves where Wine cannot name the entry's volume (see `nt::information`).
pub(super) fn info_within(handle: &impl AsRawHandle, dir: Option<&OwnedHandle>) -> io::Result<FileInfo> {
    // SAFETY: the all-zero bit pattern is a valid `BY_HANDLE_FILE_INFORMATION` (integers and FILETIMEs only).
    let mut by_handle: BY_HANDLE_FILE_INFORMATION = unsafe { std::mem::zeroed() };
    // SAFETY: `handle` is open for the call and `by_handle` is a writable struct of the type the call fills.
    if unsafe { GetFileInformationByHandle(handle.as_raw_handle(), &mut by_handle) } == 0 {
        let failed = io::Error::last_os_error();
        // Wine's GetFileInformationByHandle needs the file's current name, which it loses for a handle opened
        // relative to a moved directory; the same facts read class by class do not need it.
        if failed.raw_os_error() != Some(windows_sys::Win32::Foundation::ERROR_INVALID_HANDLE as i32) {
            return Err(failed);
        }
        let volume = || dir.and_then(|d| info_of(d).ok()).map(|info| info.by_handle.dwVolumeSerialNumber);
        let (by_handle, reparse_tag) = super::nt::information(handle, volume).map_err(|_| failed)?;
        return Ok(FileInfo { by_handle, reparse_tag });
    }
    let mut reparse_tag = 0;
    if by_handle.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT != 0 {
        let mut tag = FILE_ATTRIBUTE_TAG_INFO { FileAttributes: 0, ReparseTag: 0 };
        // SAFETY: `handle` is open; `tag` is a writable `FILE_ATTRIBUTE_TAG_INFO`, the type this class fills, and
        // the size passed is its size.
        let ok = unsafe {
            GetFileInformationByHandleEx(
                handle.as_raw_handle(),
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

/// The current path of the file or directory open as `handle` (`GetFinalPathNameByHandleW`, normalised, with
/// the drive letter), as `\\?\C:\…`: where it is now, not where it was when it was opened.
pub(super) fn final_path(handle: &impl AsRawHandle) -> io::Result<std::path::PathBuf> {
    use std::os::windows::ffi::OsStringExt;
    let mut buffer = vec![0u16; 512];
    loop {
        let capacity = u32::try_from(buffer.len()).unwrap_or(u32::MAX);
        // SAFETY: `handle` is open for the call; the pointer and length describe `buffer`, writable for the call.
        let len = unsafe {
            GetFinalPathNameByHandleW(handle.as_raw_handle(), buffer.as_mut_ptr(), capacity, FILE_NAME_NORMALIZED)
        } as usize;
        if len == 0 {
            return Err(io::Error::last_os_error());
        }
        if len < buffer.len() {
            return Ok(std::ffi::OsString::from_wide(&buffer[..len]).into());
        }
        // Too small: `len` is the size needed, with the terminator.
        buffer.resize(len + 1, 0);
    }
}
