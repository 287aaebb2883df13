//! Names relative to an open directory: every call here is an `*at` call on a directory descriptor that was
//! opened once, so a rename, exchange or symbolic link planted by another process on the way to that directory
//! cannot redirect the work or strand a temporary name elsewhere. No call follows a final symbolic link unless its
//! name says so.

use super::{Dir, kind_of_mode};
use crate::platform::{EntryInfo, Rename};
#[cfg(any(target_os = "linux", target_os = "android"))]
use rustix::fs::ResolveFlags;
use rustix::fs::{AtFlags, FileType, Mode, OFlags, RenameFlags};
use rustix::io::Errno;
use std::ffi::OsStr;
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
#[cfg(any(target_os = "linux", target_os = "android"))]
use std::sync::atomic::{AtomicBool, Ordering};

/// Set once `openat2` turned out to be missing (kernels before 5.6) or refused by a sandbox, so later opens go
/// straight to `openat`.
#[cfg(any(target_os = "linux", target_os = "android"))]
static NO_OPENAT2: AtomicBool = AtomicBool::new(false);

fn info_of(st: &rustix::fs::Stat) -> EntryInfo {
    #[allow(clippy::useless_conversion, clippy::unnecessary_cast)]
    EntryInfo {
        kind: kind_of_mode(st.st_mode as u32),
        nlink: st.st_nlink as u64,
        dev: st.st_dev as u64,
        ino: st.st_ino as u64,
    }
}

/// The facts about an open file (`fstat`).
///
/// # Errors
/// The OS error of `fstat`.
pub fn file_info(file: &File) -> io::Result<EntryInfo> {
    Ok(info_of(&rustix::fs::fstat(file)?))
}

impl Dir {
    /// Opens the subdirectory `name` of this directory without following a link: `openat2` with
    /// `RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS` where the kernel has it, else `openat` with `O_NOFOLLOW`. A name
    /// that is (or was just swapped for) a symbolic link fails with `ELOOP`, one that is not a directory with
    /// `ENOTDIR`; it is never entered.
    ///
    /// # Errors
    /// The OS error: `ELOOP`, `ENOTDIR`, `ENOENT`, `EACCES`, `EXDEV` (a name that resolves out of this
    /// directory, which a single component cannot do unless it is `..`).
    pub fn open_subdir(&self, name: &OsStr) -> io::Result<Dir> {
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC | OFlags::NOCTTY;
        #[cfg(any(target_os = "linux", target_os = "android"))]
        if !NO_OPENAT2.load(Ordering::Relaxed) {
            let resolve = ResolveFlags::BENEATH | ResolveFlags::NO_SYMLINKS | ResolveFlags::NO_MAGICLINKS;
            match rustix::fs::openat2(&self.fd, name, flags, Mode::empty(), resolve) {
                Ok(fd) => return Ok(Dir { fd }),
                Err(Errno::NOSYS | Errno::PERM) => NO_OPENAT2.store(true, Ordering::Relaxed),
                // openat2 may ask to be retried (EAGAIN), or see an escape (EXDEV), while another process
                // renames things around the walk; plain openat with O_NOFOLLOW gives the same guarantee for a
                // single name.
                Err(Errno::AGAIN | Errno::XDEV) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(Dir { fd: rustix::fs::openat(&self.fd, name, flags, Mode::empty())? })
    }

    /// A second descriptor of the same open directory (`fcntl(F_DUPFD_CLOEXEC)`).
    ///
    /// # Errors
    /// The OS error, e.g. `EMFILE`.
    pub fn try_clone(&self) -> io::Result<Dir> {
        Ok(Dir { fd: rustix::io::fcntl_dupfd_cloexec(&self.fd, 0)? })
    }

    /// The facts about this directory itself (`fstat`).
    ///
    /// # Errors
    /// The OS error of `fstat`.
    pub fn info(&self) -> io::Result<EntryInfo> {
        Ok(info_of(&rustix::fs::fstat(&self.fd)?))
    }

    /// Reads what the entry `name` is without following a link (`fstatat` with `AT_SYMLINK_NOFOLLOW`).
    ///
    /// # Errors
    /// The OS error, e.g. `ENOENT` when the name is missing.
    pub fn lstat(&self, name: &OsStr) -> io::Result<EntryInfo> {
        Ok(info_of(&rustix::fs::statat(&self.fd, name, AtFlags::SYMLINK_NOFOLLOW)?))
    }

    /// Reads what the entry `name` leads to, following links (`fstatat`).
    ///
    /// # Errors
    /// The OS error: `ENOENT` for a dangling link, `ELOOP` for a loop.
    pub fn stat_follow(&self, name: &OsStr) -> io::Result<EntryInfo> {
        Ok(info_of(&rustix::fs::statat(&self.fd, name, AtFlags::empty())?))
    }

    /// Reads the text stored in the link `name` (`readlinkat`).
    ///
    /// # Errors
    /// The OS error; `EINVAL` when `name` is not a link.
    pub fn read_link(&self, name: &OsStr) -> io::Result<PathBuf> {
        super::read_link_in(&self.fd, name)
    }

    /// Makes the symbolic link `name` holding exactly `target` (`symlinkat`). Fails with `EEXIST` when the name
    /// exists in any form, so no check beforehand is needed and none can be raced.
    ///
    /// # Errors
    /// The OS error of `symlinkat`.
    pub fn symlink(&self, target: &Path, name: &OsStr, _target_is_dir: bool) -> io::Result<()> {
        Ok(rustix::fs::symlinkat(target, &self.fd, name)?)
    }

    /// Makes the junction `name` to the directory `target`, which the engine has made absolute and normalised.
    ///
    /// # Platform specific behavior
    /// Unix has no junctions: this is a symbolic link holding `target` (see `docs/spec/unix-mapping.md`).
    ///
    /// # Errors
    /// The OS error of `symlinkat`.
    pub fn junction(&self, target: &Path, name: &OsStr) -> io::Result<()> {
        self.symlink(target, name, true)
    }

    /// Makes `dest/dest_name` a new name of this directory's entry `name` (`linkat` between the two directory
    /// descriptors, without `AT_SYMLINK_FOLLOW`: a symbolic link is linked itself, never followed).
    ///
    /// # Errors
    /// The OS error of `linkat`: `EEXIST`, `ENOENT`, `EPERM` for a directory, `EXDEV`, `EMLINK`, ….
    pub fn hard_link(&self, name: &OsStr, dest: &Dir, dest_name: &OsStr) -> io::Result<()> {
        Ok(rustix::fs::linkat(&self.fd, name, &dest.fd, dest_name, AtFlags::empty())?)
    }

    /// Renames this directory's entry `from` to `dest/to` (`renameat2`), replacing, never replacing, or
    /// exchanging with what is there, as `how` says.
    ///
    /// # Errors
    /// `EEXIST` for [`Rename::NoReplace`] onto an existing name; `EINVAL`/`ENOSYS`/`EOPNOTSUPP` (see
    /// [`is_unsupported`](super::is_unsupported)) where the file system cannot exchange or refuse to replace;
    /// other OS errors.
    pub fn rename(&self, from: &OsStr, dest: &Dir, to: &OsStr, how: Rename) -> io::Result<()> {
        let flags = match how {
            Rename::Replace => RenameFlags::empty(),
            Rename::NoReplace => RenameFlags::NOREPLACE,
            Rename::Exchange => RenameFlags::EXCHANGE,
        };
        Ok(rustix::fs::renameat_with(&self.fd, from, &dest.fd, to, flags)?)
    }

    /// Removes the entry `name`, which must not be a directory (`unlinkat` without `AT_REMOVEDIR`): for a
    /// symbolic link the link itself, never what it points to.
    ///
    /// # Errors
    /// The OS error of `unlinkat`; `EISDIR`/`EPERM` for a real directory.
    pub fn remove(&self, name: &OsStr) -> io::Result<()> {
        Ok(rustix::fs::unlinkat(&self.fd, name, AtFlags::empty())?)
    }

    /// Opens the entry `name` for reading only if it is a regular file (see [`open_regular_in`]), without
    /// following a symbolic link (`ELOOP`). The returned file blocks normally again.
    ///
    /// # Errors
    /// The OS error of `openat`; `InvalidData` for a FIFO, device, socket or directory.
    pub fn open_regular(&self, name: &OsStr) -> io::Result<File> {
        let (fd, _) = open_regular_in(&self.fd, name, false)?;
        rustix::fs::fcntl_setfl(&fd, OFlags::empty())?;
        Ok(File::from(fd))
    }

    /// Creates the new regular file `name` for writing with permission bits `mode` (before the umask); fails
    /// with `EEXIST` when the name exists in any form, and never follows a link (`O_CREAT | O_EXCL`).
    ///
    /// # Errors
    /// The OS error of `openat`.
    pub fn create_new(&self, name: &OsStr, mode: u32) -> io::Result<File> {
        let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        let fd = rustix::fs::openat(&self.fd, name, flags, Mode::from_raw_mode(mode as _))?;
        Ok(File::from(fd))
    }

    /// Takes an exclusive advisory lock on this directory (`flock`), waiting for other holders; it is released
    /// when the descriptor is closed (the [`Dir`] dropped). Cooperating processes of this tool serialise on it.
    ///
    /// # Errors
    /// The OS error of `flock`.
    pub fn lock(&self) -> io::Result<()> {
        Ok(rustix::fs::flock(&self.fd, rustix::fs::FlockOperation::LockExclusive)?)
    }

    /// Whether this process may add and remove names in this directory (`faccessat(".", W_OK|X_OK)` with the
    /// effective ids): what a dry run checks before saying a link would be made. A read-only file system
    /// answers `EROFS`.
    ///
    /// # Errors
    /// `EACCES`, `EROFS`, or another OS error.
    pub fn check_writable(&self) -> io::Result<()> {
        let how = rustix::fs::Access::WRITE_OK | rustix::fs::Access::EXEC_OK;
        Ok(rustix::fs::accessat(&self.fd, ".", how, AtFlags::EACCESS)?)
    }

    /// Makes the renames and removals made in this directory durable (`fsync` on the directory), best effort.
    pub fn sync(&self) {
        let _ = rustix::fs::fsync(&self.fd);
    }
}

/// Takes an exclusive advisory lock on an open file (`flock`), waiting for other holders; released when the
/// file is closed. Every name of a file shares the lock, so two processes working on two names of one file
/// serialise on it.
///
/// # Errors
/// The OS error of `flock`.
pub fn lock_file(file: &File) -> io::Result<()> {
    Ok(rustix::fs::flock(file, rustix::fs::FlockOperation::LockExclusive)?)
}

/// The owner and permission bits of an open file, to give a rewritten copy the same.
///
/// # Errors
/// The OS error of `fstat`.
pub fn owner_and_mode(file: &File) -> io::Result<(u32, u32, u32)> {
    let st = rustix::fs::fstat(file)?;
    #[allow(clippy::useless_conversion, clippy::unnecessary_cast)]
    Ok((st.st_uid as u32, st.st_gid as u32, st.st_mode as u32 & 0o7777))
}

/// Gives an open file an owner, a group and permission bits (`fchown`, then `fchmod`, which must come second:
/// a change of owner clears set-id bits).
///
/// # Errors
/// The OS error: `EPERM` when the caller may not give the file that owner.
pub fn set_owner_and_mode(file: &File, uid: u32, gid: u32, mode: u32) -> io::Result<()> {
    let st = rustix::fs::fstat(file)?;
    #[allow(clippy::useless_conversion, clippy::unnecessary_cast)]
    if (st.st_uid as u32, st.st_gid as u32) != (uid, gid) {
        let (u, g) = (rustix::fs::Uid::from_raw(uid), rustix::fs::Gid::from_raw(gid));
        rustix::fs::fchown(file, Some(u), Some(g))?;
    }
    Ok(rustix::fs::fchmod(file, Mode::from_raw_mode(mode as _))?)
}

/// Whether a process with this id is still running (`kill(pid, 0)`); used to tell a temporary left by a killed
/// run from one a running process is still writing.
pub fn process_alive(pid: u32) -> bool {
    let Ok(raw) = i32::try_from(pid) else { return false };
    let Some(pid) = rustix::process::Pid::from_raw(raw) else { return false };
    !matches!(rustix::process::test_kill_process(pid), Err(Errno::SRCH))
}

/// Opens `name` in `dir` for reading only if it is a regular file, with its `fstat`: `O_NONBLOCK`, so a FIFO does
/// not block the open (reads of a regular file ignore the flag), `O_NOFOLLOW` unless `follow`, then one `fstat`,
/// which must say "regular file", else the error kind is `InvalidData`: a FIFO, a device (`/dev/zero`, endless), a
/// socket or a directory is never read.
///
/// # Errors
/// The OS error of `openat` or `fstat`; `InvalidData` for anything but a regular file.
pub(super) fn open_regular_in<P: rustix::path::Arg>(
    dir: impl rustix::fd::AsFd,
    name: P,
    follow: bool,
) -> io::Result<(rustix::fd::OwnedFd, rustix::fs::Stat)> {
    let mut flags = OFlags::RDONLY | OFlags::NONBLOCK | OFlags::CLOEXEC | OFlags::NOCTTY;
    if !follow {
        flags |= OFlags::NOFOLLOW;
    }
    let fd = rustix::fs::openat(dir, name, flags, Mode::empty())?;
    let st = rustix::fs::fstat(&fd)?;
    if FileType::from_raw_mode(st.st_mode) != FileType::RegularFile {
        return Err(io::Error::new(io::ErrorKind::InvalidData, "not a regular file"));
    }
    Ok((fd, st))
}
