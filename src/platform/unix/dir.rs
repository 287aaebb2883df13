//! Reading directories: the open [`Dir`] itself, its entries (one `getdents64` call per 64 KiB on Linux), and
//! the metadata the selection and the listing ask of an entry, mapped to the `/A:` attributes as
//! `docs/spec/unix-mapping.md` says.

use super::os_string_from_bytes;
use crate::model::FileTime;
use crate::platform::{EntryInfo, EntryKind, EntryMeta, StatAt};
use rustix::fs::{AtFlags, CWD, FileType};
use std::ffi::OsString;
use std::io;
use std::path::{Path, PathBuf};

/// An open directory: entries are read from it and links made relative to it, so no path is walked twice.
pub struct Dir {
    pub(super) fd: rustix::fd::OwnedFd,
}

/// The name of an entry as the directory gave it (no allocation), with the inode number it reported.
pub struct EntryName<'a>(&'a std::ffi::CStr, u64);

impl EntryName<'_> {
    /// The name's bytes.
    pub fn as_bytes(&self) -> &[u8] {
        self.0.to_bytes()
    }

    /// The name as an owned `OsString`.
    pub fn to_os_string(&self) -> OsString {
        os_string_from_bytes(self.0.to_bytes().to_vec())
    }

    /// The name, borrowed.
    pub fn as_os_str(&self) -> &std::ffi::OsStr {
        use std::os::unix::ffi::OsStrExt;
        std::ffi::OsStr::from_bytes(self.0.to_bytes())
    }

    /// Whether the entry is hidden: on Unix, its name starts with a dot.
    pub fn is_hidden(&self) -> bool {
        self.as_bytes().first() == Some(&b'.')
    }
}

impl Dir {
    /// Opens the directory `path` for reading (`openat` with `O_DIRECTORY`). The directory the user named is
    /// followed if it is a link; entries inside it never are.
    ///
    /// # Errors
    /// The OS error: `ENOENT`, `ENOTDIR`, `EACCES`, ….
    pub fn open(path: &Path) -> io::Result<Dir> {
        use rustix::fs::{Mode, OFlags};
        let path = if path.as_os_str().is_empty() { Path::new(".") } else { path };
        let fd = rustix::fs::openat(CWD, path, OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC, Mode::empty())?;
        Ok(Dir { fd })
    }

    /// Calls `each` for every entry but `.` and `..`, in the order the directory gives them, with the kind the
    /// directory entry reports (`None` when the file system does not say). Stops early when `each` returns
    /// `false`. Nothing is collected: memory stays flat whatever the directory's size.
    ///
    /// # Platform specific behavior
    /// Linux reads this descriptor itself with `getdents64` into a 64 KiB buffer kept per thread (a
    /// thousand-entry directory in one call, no second descriptor); other systems read a duplicate of it.
    ///
    /// # Errors
    /// An error reading the directory; entries handed out before it stand.
    pub fn for_each_entry(&self, mut each: impl FnMut(&EntryName<'_>, Option<EntryKind>) -> bool) -> io::Result<()> {
        let mut visit = |name: &std::ffi::CStr, ino: u64, file_type: FileType| {
            let bytes = name.to_bytes();
            if bytes == b"." || bytes == b".." {
                return true;
            }
            let kind = match file_type {
                FileType::RegularFile => Some(EntryKind::File),
                FileType::Directory => Some(EntryKind::Directory),
                FileType::Symlink => Some(EntryKind::Symlink),
                FileType::Unknown => None,
                _ => Some(EntryKind::Other),
            };
            each(&EntryName(name, ino), kind)
        };
        #[cfg(any(target_os = "linux", target_os = "android"))]
        {
            use std::cell::Cell;
            use std::mem::MaybeUninit;
            thread_local! {
                static BUFFER: Cell<Vec<MaybeUninit<u8>>> = const { Cell::new(Vec::new()) };
            }
            // Taken out of the thread's slot while in use, so a nested walk simply gets a buffer of its own.
            let mut buffer = BUFFER.take();
            buffer.resize(64 * 1024, MaybeUninit::uninit());
            rustix::fs::seek(&self.fd, rustix::fs::SeekFrom::Start(0))?;
            let mut dir = rustix::fs::RawDir::new(&self.fd, &mut buffer);
            let mut outcome = Ok(());
            while let Some(entry) = dir.next() {
                match entry {
                    Ok(entry) => {
                        if !visit(entry.file_name(), entry.ino(), entry.file_type()) {
                            break;
                        }
                    }
                    Err(e) => {
                        outcome = Err(e.into());
                        break;
                    }
                }
            }
            BUFFER.set(buffer);
            outcome
        }
        #[cfg(not(any(target_os = "linux", target_os = "android")))]
        {
            let mut dir = rustix::fs::Dir::read_from(&self.fd)?;
            while let Some(entry) = dir.read() {
                let entry = entry?;
                if !visit(entry.file_name(), entry.ino(), entry.file_type()) {
                    break;
                }
            }
            Ok(())
        }
    }

    /// Makes `dest/name` a new name of this directory's entry `name` (`linkat` between the two directory
    /// descriptors, not following a symlink).
    ///
    /// # Errors
    /// The OS error of `linkat`.
    pub fn hard_link_into(&self, name: &EntryName<'_>, dest: &Dir) -> io::Result<()> {
        Ok(rustix::fs::linkat(&self.fd, name.0, &dest.fd, name.0, AtFlags::empty())?)
    }

    /// Reads the metadata of the entry `name` without following a link.
    ///
    /// # Platform specific behavior
    /// Linux uses `statx` (birth time, and the encrypted, compressed, immutable and nodump attributes); other
    /// Unix systems use `fstatat` and report no birth time.
    ///
    /// # Errors
    /// The OS error.
    pub fn entry_meta(&self, name: &std::ffi::OsStr) -> io::Result<EntryMeta> {
        use std::os::unix::ffi::OsStrExt;
        let name = std::ffi::CString::new(name.as_bytes()).map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
        #[cfg(any(target_os = "linux", target_os = "android"))]
        let meta = {
            use crate::select::Attributes;
            use rustix::fs::{StatxAttributes, StatxFlags};
            let st = rustix::fs::statx(
                &self.fd,
                &name,
                AtFlags::SYMLINK_NOFOLLOW,
                StatxFlags::BASIC_STATS | StatxFlags::BTIME,
            )?;
            let kind = kind_of_mode(u32::from(st.stx_mode));
            let a = st.stx_attributes;
            let mut attrs = attributes(kind, name.to_bytes(), u32::from(st.stx_mode), st.stx_size, st.stx_blocks);
            if a.contains(StatxAttributes::IMMUTABLE) {
                attrs.insert(Attributes::READ_ONLY);
            }
            if a.contains(StatxAttributes::NODUMP) {
                attrs.remove(Attributes::ARCHIVE);
            }
            if a.contains(StatxAttributes::ENCRYPTED) {
                attrs.insert(Attributes::ENCRYPTED);
            }
            if a.contains(StatxAttributes::COMPRESSED) {
                attrs.insert(Attributes::COMPRESSED);
            }
            let has_btime = st.stx_mask & StatxFlags::BTIME.bits() != 0;
            EntryMeta {
                kind,
                size: st.stx_size,
                modified: FileTime::new(st.stx_mtime.tv_sec, st.stx_mtime.tv_nsec),
                accessed: FileTime::new(st.stx_atime.tv_sec, st.stx_atime.tv_nsec),
                created: has_btime.then_some(FileTime::new(st.stx_btime.tv_sec, st.stx_btime.tv_nsec)),
                attrs,
            }
        };
        #[cfg(not(any(target_os = "linux", target_os = "android")))]
        let meta = {
            let st = rustix::fs::statat(&self.fd, &name, AtFlags::SYMLINK_NOFOLLOW)?;
            #[allow(clippy::unnecessary_cast, clippy::useless_conversion)]
            let (mode, size, blocks) = (st.st_mode as u32, st.st_size as u64, st.st_blocks as u64);
            let kind = kind_of_mode(mode);
            #[allow(clippy::unnecessary_cast, clippy::useless_conversion)]
            EntryMeta {
                kind,
                size,
                modified: FileTime::new(st.st_mtime as i64, st.st_mtime_nsec as u32),
                accessed: FileTime::new(st.st_atime as i64, st.st_atime_nsec as u32),
                created: None,
                attrs: attributes(kind, name.to_bytes(), mode, size, blocks),
            }
        };
        Ok(meta)
    }
}

pub(crate) fn kind_of_mode(mode: u32) -> EntryKind {
    match FileType::from_raw_mode(mode as _) {
        FileType::RegularFile => EntryKind::File,
        FileType::Directory => EntryKind::Directory,
        FileType::Symlink => EntryKind::Symlink,
        _ => EntryKind::Other,
    }
}

/// The attributes every Unix system can tell: read-only (owner write bit clear), hidden (dot name), archive
/// (always, unless nodump), directory, reparse point (symlink), sparse (fewer blocks than the size needs).
fn attributes(kind: EntryKind, name: &[u8], mode: u32, size: u64, blocks: u64) -> crate::select::Attributes {
    use crate::select::Attributes;
    let mut attrs = Attributes::ARCHIVE;
    if mode & 0o200 == 0 {
        attrs.insert(Attributes::READ_ONLY);
    }
    if name.first() == Some(&b'.') {
        attrs.insert(Attributes::HIDDEN);
    }
    match kind {
        EntryKind::Directory => attrs.insert(Attributes::DIRECTORY),
        EntryKind::Symlink => attrs.insert(Attributes::REPARSE_POINT),
        _ => {}
    }
    if kind == EntryKind::File && blocks.saturating_mul(512) < size {
        attrs.insert(Attributes::SPARSE);
    }
    attrs
}

impl Dir {
    /// Reads the entry `name` (`fstatat` relative to this directory), following a final link only if `follow`.
    ///
    /// # Errors
    /// The OS error: `ENOENT` for a dangling link when following, `ELOOP` for a loop.
    pub fn stat_at(&self, name: &std::ffi::CStr, follow: bool) -> io::Result<StatAt> {
        let flags = if follow { AtFlags::empty() } else { AtFlags::SYMLINK_NOFOLLOW };
        let st = rustix::fs::statat(&self.fd, name, flags)?;
        #[allow(clippy::useless_conversion, clippy::unnecessary_cast)]
        Ok(StatAt {
            info: EntryInfo {
                kind: kind_of_mode(st.st_mode as u32),
                nlink: st.st_nlink as u64,
                dev: st.st_dev as u64,
                ino: st.st_ino as u64,
            },
            modified: FileTime::new(st.st_mtime as i64, st.st_mtime_nsec as u32),
        })
    }

    /// Reads the text stored in the link `name` (`readlinkat` relative to this directory).
    ///
    /// # Errors
    /// The OS error; `EINVAL` when `name` is not a link.
    pub fn read_link_at(&self, name: &std::ffi::CStr) -> io::Result<PathBuf> {
        super::read_link_in(&self.fd, name)
    }
}

impl EntryName<'_> {
    /// The inode number the directory entry reports, without a `stat`.
    ///
    /// # Platform specific behavior
    /// Unix reads `d_ino`; the value is the file's inode except at mount points.
    pub fn ino_hint(&self) -> Option<u64> {
        Some(self.1)
    }
}
