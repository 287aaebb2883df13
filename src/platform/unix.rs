//! Linux and macOS: every call goes through rustix `*at` functions relative to the current directory, never
//! following a final symbolic link unless the name of the function says so.

use super::{EntryInfo, EntryKind, Fault};
use rustix::fs::{AtFlags, CWD, FileType, RenameFlags};
use rustix::io::Errno;
use std::ffi::OsString;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Reads what `path` is without following a final link (`fstatat` with `AT_SYMLINK_NOFOLLOW`).
///
/// # Errors
/// The OS error, e.g. `ENOENT` when the name is missing.
pub fn lstat(path: &Path) -> io::Result<EntryInfo> {
    let st = rustix::fs::statat(CWD, path, AtFlags::SYMLINK_NOFOLLOW)?;
    let kind = match FileType::from_raw_mode(st.st_mode) {
        FileType::RegularFile => EntryKind::File,
        FileType::Directory => EntryKind::Directory,
        FileType::Symlink => EntryKind::Symlink,
        _ => EntryKind::Other,
    };
    Ok(EntryInfo {
        kind,
        #[allow(clippy::useless_conversion, clippy::unnecessary_cast)]
        nlink: st.st_nlink as u64,
        #[allow(clippy::useless_conversion, clippy::unnecessary_cast)]
        dev: st.st_dev as u64,
        #[allow(clippy::useless_conversion, clippy::unnecessary_cast)]
        ino: st.st_ino as u64,
    })
}

/// Makes the symbolic link `link` holding exactly `target` (`symlinkat`). Fails with `EEXIST` when `link`
/// exists in any form, so no check beforehand is needed and none can be raced.
///
/// # Errors
/// The OS error of `symlinkat`.
pub fn symlink(target: &Path, link: &Path, _target_is_dir: bool) -> io::Result<()> {
    Ok(rustix::fs::symlinkat(target, CWD, link)?)
}

/// Makes `link` a new name of the file `target` (`linkat` without `AT_SYMLINK_FOLLOW`: a symbolic link given as
/// target is linked itself, as `ln -P` does, so a target swapped for a link mid-way is never followed).
///
/// # Errors
/// The OS error of `linkat`: `EEXIST`, `ENOENT`, `EPERM` for a directory, `EXDEV`, `EMLINK`, ….
pub fn hard_link(target: &Path, link: &Path) -> io::Result<()> {
    Ok(rustix::fs::linkat(CWD, target, CWD, link, AtFlags::empty())?)
}

/// Atomically swaps the two names (`renameat2` with `RENAME_EXCHANGE`): afterwards each name holds what the other
/// held, and neither is ever missing.
///
/// # Errors
/// `EINVAL`/`ENOSYS`/`EOPNOTSUPP` (see [`is_unsupported`]) where the file system cannot exchange; other OS errors.
pub fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    Ok(rustix::fs::renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE)?)
}

/// Renames `from` to `to` only if `to` does not exist (`renameat2` with `RENAME_NOREPLACE`).
///
/// # Errors
/// `EEXIST` when `to` exists; other OS errors.
pub fn rename_noreplace(from: &Path, to: &Path) -> io::Result<()> {
    Ok(rustix::fs::renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE)?)
}

/// Renames `from` over `to`, replacing it (`renameat`).
///
/// # Errors
/// The OS error of `renameat`.
pub fn rename_replace(from: &Path, to: &Path) -> io::Result<()> {
    Ok(rustix::fs::renameat(CWD, from, CWD, to)?)
}

/// Removes one directory entry that is not a directory (`unlinkat` without `AT_REMOVEDIR`): for a symbolic link
/// the link itself, never what it points to.
///
/// # Errors
/// The OS error of `unlinkat`; `EISDIR`/`EPERM` for a real directory.
pub fn remove_entry(path: &Path) -> io::Result<()> {
    Ok(rustix::fs::unlinkat(CWD, path, AtFlags::empty())?)
}

/// True when the error says the file system cannot do an exchange or no-replace rename at all.
pub fn is_unsupported(err: &io::Error) -> bool {
    matches!(Errno::from_io_error(err), Some(Errno::INVAL) | Some(Errno::NOSYS) | Some(Errno::OPNOTSUPP))
}

/// Reduces an OS error to the cases the engine words differently.
pub fn fault(err: &io::Error) -> Fault {
    let Some(errno) = Errno::from_io_error(err) else {
        return Fault::Other;
    };
    match errno {
        Errno::EXIST => Fault::Exists,
        Errno::NOENT => Fault::NotFound,
        Errno::ACCESS | Errno::PERM => Fault::Denied,
        Errno::XDEV => Fault::CrossDevice,
        Errno::NOSPC | Errno::DQUOT => Fault::NoSpace,
        Errno::ROFS => Fault::ReadOnly,
        Errno::MLINK => Fault::TooManyLinks,
        Errno::NAMETOOLONG => Fault::NameTooLong,
        Errno::LOOP => Fault::Loop,
        Errno::NOTDIR => Fault::NotADirectory,
        Errno::ISDIR => Fault::IsADirectory,
        Errno::OPNOTSUPP | Errno::NOSYS => Fault::Unsupported,
        _ => Fault::Other,
    }
}

/// Whether the file system holding `dir` is one that cannot hold the link kind at all (FAT, exFAT), so an
/// `EPERM` from it means "not supported" rather than "access denied".
///
/// # Platform specific behavior
/// Linux reads the file-system magic with `statfs`; elsewhere this always answers false.
pub fn lacks_link_support(dir: &Path) -> bool {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        const MSDOS_SUPER_MAGIC: i64 = 0x4d44;
        const EXFAT_SUPER_MAGIC: i64 = 0x2011_bab0;
        let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
        match rustix::fs::statfs(dir) {
            #[allow(clippy::unnecessary_cast, clippy::useless_conversion)]
            Ok(st) => matches!(st.f_type as i64, MSDOS_SUPER_MAGIC | EXFAT_SUPER_MAGIC),
            Err(_) => false,
        }
    }
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    {
        let _ = dir;
        false
    }
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A fresh name for a temporary entry in `dir`, unique to this process and call. It is short and fixed in
/// length so that it fits wherever the final name fits, and hidden so that listings skip it.
pub fn temp_name(dir: &Path) -> PathBuf {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    let mut name = OsString::from(".mklink-");
    name.push(format!("{:x}-{n:x}-{nanos:x}.tmp", std::process::id()));
    dir.join(name)
}

/// Whether the name is hidden in the Unix sense (starts with a dot).
pub fn is_hidden_name(name: &std::ffi::OsStr) -> bool {
    use std::os::unix::ffi::OsStrExt;
    name.as_bytes().first() == Some(&b'.')
}

/// An `OsString` made of the given bytes.
///
/// # Platform specific behavior
/// On Unix any bytes form a valid name. Callers pass bytes cut out of an `OsStr` next to ASCII characters.
pub fn os_string_from_bytes(bytes: Vec<u8>) -> OsString {
    use std::os::unix::ffi::OsStringExt;
    OsString::from_vec(bytes)
}
