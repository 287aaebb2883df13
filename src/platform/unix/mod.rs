//! Linux and macOS: every call goes through rustix `*at` functions relative to the current directory, never
//! following a final symbolic link unless the name of the function says so.

mod at;
mod clone;
mod dedupe;
mod dir;
mod file;
#[cfg(all(target_os = "linux", target_env = "gnu", feature = "progress"))]
mod libm;
mod raw_name;
mod start;

pub use at::{file_info, lock_file, owner_and_mode, process_alive, set_owner_and_mode};
pub use clone::is_privileged;
pub use dedupe::{
    CAN_REPLACE_OPEN_FILES, CHANGE_TIME_IS_TRUE, copy_data, copy_xattrs, file_stat, name_from_stored_bytes,
    open_dir_budget, set_times,
};
pub(super) use dir::kind_of_mode;
pub use dir::{Dir, EntryName};
pub use file::lock_unavailable;
pub use raw_name::{name_from_raw, raw_name};
pub use start::program_start;

use super::{EntryInfo, EntryKind, Fault};
use rustix::fs::{AtFlags, CWD, FileType};
use rustix::io::Errno;
use std::ffi::OsString;
use std::io;
use std::path::{Path, PathBuf};

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

/// Reads a link's stored target exactly as written (`readlinkat`).
///
/// # Errors
/// The OS error; `EINVAL` when the name is not a link.
pub fn read_link(path: &Path) -> io::Result<PathBuf> {
    std::fs::read_link(path)
}

/// Opens a file this program reads for its own use (a journal, the hash cache) at `path`, following a symbolic
/// link the user may have put there, but only if it is a regular file: a FIFO neither blocks the open nor is
/// waited on, a device such as `/dev/zero` is never read (see `at::open_regular_in`).
///
/// # Errors
/// The OS error of the open; `InvalidData` for anything but a regular file.
pub fn open_regular_file(path: &Path) -> io::Result<std::fs::File> {
    let (fd, _) = at::open_regular_in(CWD, path, true)?;
    rustix::fs::fcntl_setfl(&fd, rustix::fs::OFlags::empty())?;
    Ok(std::fs::File::from(fd))
}

/// Reads the text of the link `name` in `dir` (`readlinkat`) into a buffer on the stack first, so the path
/// returned owns exactly its bytes: a listing keeps thousands of targets until they are printed, and the
/// growing buffer of `rustix::fs::readlinkat` starts at 256 bytes each. A text that fills the stack buffer is
/// read again with a buffer that grows until it fits.
fn read_link_in<P: rustix::path::Arg + Copy>(dir: &impl rustix::fd::AsFd, name: P) -> io::Result<PathBuf> {
    const STACK: usize = 512;
    let mut buf = [std::mem::MaybeUninit::<u8>::uninit(); STACK];
    let (text, _) = rustix::fs::readlinkat_raw(dir, name, &mut buf)?;
    let bytes =
        if text.len() < STACK { text.to_vec() } else { rustix::fs::readlinkat(dir, name, Vec::new())?.into_bytes() };
    Ok(PathBuf::from(os_string_from_bytes(bytes)))
}

/// Whether this program runs under Wine. Always false on Unix.
pub fn running_under_wine() -> bool {
    false
}

/// True when the error says the file system cannot do an exchange or no-replace rename at all.
pub fn is_unsupported(err: &io::Error) -> bool {
    matches!(Errno::from_io_error(err), Some(Errno::INVAL) | Some(Errno::NOSYS) | Some(Errno::OPNOTSUPP))
}

/// True when a call that needs a symbolic link met something else (`readlink` fails with `EINVAL`).
pub fn is_not_a_link(err: &io::Error) -> bool {
    Errno::from_io_error(err) == Some(Errno::INVAL)
}

/// Reduces an OS error to the cases the engine words differently.
pub fn fault(err: &io::Error) -> Fault {
    let Some(errno) = Errno::from_io_error(err) else {
        return super::fault_of_kind(err.kind());
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

/// Whether the file system holding the open directory `dir` is one that cannot hold the link kind at all (FAT,
/// exFAT), so an `EPERM` from it means "not supported" rather than "access denied".
///
/// # Platform specific behavior
/// Linux reads the file-system magic with `fstatfs`; elsewhere this always answers false.
pub fn lacks_link_support(dir: &Dir) -> bool {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        const MSDOS_SUPER_MAGIC: i64 = 0x4d44;
        const EXFAT_SUPER_MAGIC: i64 = 0x2011_bab0;
        match rustix::fs::fstatfs(&dir.fd) {
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

/// Whether a link's stored text names an entry of the link's own directory: no separator in it.
pub fn is_plain_name(text: &[u8]) -> bool {
    !text.is_empty() && !text.contains(&b'/')
}

/// An `OsString` made of the given bytes.
///
/// # Platform specific behavior
/// On Unix any bytes form a valid name. Callers pass bytes cut out of an `OsStr` next to ASCII characters.
pub(crate) fn os_string_from_bytes(bytes: Vec<u8>) -> OsString {
    use std::os::unix::ffi::OsStringExt;
    OsString::from_vec(bytes)
}

/// Whether names match without regard to case by default.
///
/// # Platform specific behavior
/// Linux: case-sensitive. macOS (whose usual file systems ignore case): case-insensitive.
pub const CASE_INSENSITIVE_NAMES: bool = cfg!(target_os = "macos");

/// A name that is not valid Unicode (`caf` and a lone Latin-1 byte), for tests of every layer.
#[cfg(test)]
pub fn sample_non_unicode_name() -> OsString {
    os_string_from_bytes(b"caf\xe9".to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Link texts shorter than, exactly as long as, and longer than the stack buffer come back whole, through
    /// both ways of naming the link; a short one owns exactly its bytes.
    #[test]
    fn link_texts_of_every_length_read_back_exactly() {
        let tree = tempfile::tempdir().expect("temporary directory");
        let dir = Dir::open(tree.path()).expect("open");
        for len in [1, 9, 511, 512, 513, 1024, 4000] {
            let text: String = (0..len).map(|i| if i % 100 == 99 { '/' } else { 'a' }).collect();
            let name = format!("l{len}");
            std::os::unix::fs::symlink(&text, tree.path().join(&name)).expect("symlink");
            let c_name = std::ffi::CString::new(name.clone()).expect("no NUL");
            let read = dir.read_link_at(&c_name).expect("read through Dir");
            assert_eq!(read.as_os_str().as_encoded_bytes(), text.as_bytes(), "length {len}");
            if len < 512 {
                assert_eq!(read.capacity(), len, "a short text owns exactly its bytes");
            }
            let read = dir.read_link(name.as_ref()).expect("read by OsStr name");
            assert_eq!(read.as_os_str().as_encoded_bytes(), text.as_bytes(), "length {len}");
        }
        let c_file = std::ffi::CString::new("file").expect("no NUL");
        std::fs::write(tree.path().join("file"), b"x").expect("file");
        let err = dir.read_link_at(&c_file).expect_err("not a link");
        assert_eq!(Errno::from_io_error(&err), Some(Errno::INVAL));
    }
}
