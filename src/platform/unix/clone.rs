//! What a whole-tree copy needs beyond links, all relative to open directories: full `lstat`, `mkdirat`,
//! `mknodat`, owner, permission bits and times set through descriptors (directories last, when the copy leaves
//! them), extended attributes, and a file copy that shares extents (`FICLONE`) or lets the kernel copy
//! (`copy_file_range`) before falling back to reading and writing.

use super::Dir;
use crate::platform::{CopyMethod, Node, NodeKind};
use rustix::fs::{AtFlags, FileType, Mode, Timespec, Timestamps};
use rustix::io::Errno;
use std::ffi::OsStr;
use std::io;

#[allow(clippy::useless_conversion, clippy::unnecessary_cast)]
fn node_of(st: &rustix::fs::Stat) -> Node {
    let kind = match FileType::from_raw_mode(st.st_mode as _) {
        FileType::RegularFile => NodeKind::File,
        FileType::Directory => NodeKind::Directory,
        FileType::Symlink => NodeKind::Symlink,
        FileType::Fifo => NodeKind::Fifo,
        FileType::Socket => NodeKind::Socket,
        FileType::CharacterDevice => NodeKind::CharDevice,
        FileType::BlockDevice => NodeKind::BlockDevice,
        FileType::Unknown => NodeKind::File,
    };
    Node {
        kind,
        mode: st.st_mode as u32 & 0o7777,
        uid: st.st_uid as u32,
        gid: st.st_gid as u32,
        size: st.st_size as u64,
        modified: (st.st_mtime as i64, st.st_mtime_nsec as u32),
        accessed: (st.st_atime as i64, st.st_atime_nsec as u32),
        dev: st.st_dev as u64,
        ino: st.st_ino as u64,
        nlink: st.st_nlink as u64,
        rdev: st.st_rdev as u64,
    }
}

#[allow(clippy::useless_conversion, clippy::unnecessary_cast)]
fn timestamps(node: &Node) -> Timestamps {
    let spec = |(s, ns): (i64, u32)| Timespec { tv_sec: s as _, tv_nsec: ns as _ };
    Timestamps { last_access: spec(node.accessed), last_modification: spec(node.modified) }
}

/// Whether this process may give files away to other owners and make devices (effective user id 0).
pub fn is_privileged() -> bool {
    rustix::process::geteuid().is_root()
}

/// True when the error says the file system keeps no extended attributes (or not that one).
fn no_xattrs(err: &io::Error) -> bool {
    matches!(Errno::from_io_error(err), Some(Errno::OPNOTSUPP | Errno::NODATA | Errno::PERM | Errno::ACCESS))
}

impl Dir {
    /// Reads everything about the entry `name` without following a link (`fstatat` with
    /// `AT_SYMLINK_NOFOLLOW`).
    ///
    /// # Errors
    /// The OS error, e.g. `ENOENT`.
    pub fn node(&self, name: &OsStr) -> io::Result<Node> {
        Ok(node_of(&rustix::fs::statat(&self.fd, name, AtFlags::SYMLINK_NOFOLLOW)?))
    }

    /// Reads everything about this directory itself (`fstat`).
    ///
    /// # Errors
    /// The OS error of `fstat`.
    pub fn self_node(&self) -> io::Result<Node> {
        Ok(node_of(&rustix::fs::fstat(&self.fd)?))
    }

    /// Makes the directory `name` with permission bits `mode` (`mkdirat`, before the umask); fails with
    /// `EEXIST` when the name exists in any form.
    ///
    /// # Errors
    /// The OS error of `mkdirat`.
    pub fn make_dir(&self, name: &OsStr, mode: u32) -> io::Result<()> {
        Ok(rustix::fs::mkdirat(&self.fd, name, Mode::from_raw_mode(mode as _))?)
    }

    /// Removes the empty directory `name` (`unlinkat` with `AT_REMOVEDIR`; a link is never followed).
    ///
    /// # Errors
    /// `ENOTEMPTY`, `ENOTDIR` and other OS errors.
    pub fn remove_dir(&self, name: &OsStr) -> io::Result<()> {
        Ok(rustix::fs::unlinkat(&self.fd, name, AtFlags::REMOVEDIR)?)
    }

    /// Lets the owner read, write and search this open directory (`fchmod 0700`), so a tree this process made
    /// with read-only directories can be taken apart again.
    ///
    /// # Errors
    /// The OS error of `fchmod`.
    pub fn make_owner_writable(&self) -> io::Result<()> {
        Ok(rustix::fs::fchmod(&self.fd, Mode::from_raw_mode(0o700))?)
    }

    /// Re-creates a FIFO, socket name or device `name` like `node` (`mknodat`; devices need privilege).
    ///
    /// # Platform specific behavior
    /// macOS has no `mknodat`: the error kind is `Unsupported` there.
    ///
    /// # Errors
    /// `EPERM` for a device without privilege; `EINVAL` for a kind `mknodat` does not make; other OS errors.
    pub fn make_special(&self, name: &OsStr, node: &Node) -> io::Result<()> {
        #[cfg(not(target_vendor = "apple"))]
        {
            let kind = match node.kind {
                NodeKind::Fifo => FileType::Fifo,
                NodeKind::Socket => FileType::Socket,
                NodeKind::CharDevice => FileType::CharacterDevice,
                NodeKind::BlockDevice => FileType::BlockDevice,
                _ => return Err(io::Error::from(io::ErrorKind::InvalidInput)),
            };
            let mode = Mode::from_raw_mode(node.mode as _);
            #[allow(clippy::useless_conversion, clippy::unnecessary_cast)]
            Ok(rustix::fs::mknodat(&self.fd, name, kind, mode, node.rdev as _)?)
        }
        #[cfg(target_vendor = "apple")]
        {
            let _ = (name, node);
            Err(io::Error::from(io::ErrorKind::Unsupported))
        }
    }

    /// Gives this open directory the permission bits and times of `node`, and its owner when `owner` is set
    /// (`fchown`, then `fchmod`, then `futimens`: a change of owner clears set-id bits, and the times must be
    /// set after everything else written into the directory).
    ///
    /// # Errors
    /// The first OS error.
    pub fn set_self_meta(&self, node: &Node, owner: bool) -> io::Result<()> {
        if owner {
            set_owner(&self.fd, node)?;
        }
        rustix::fs::fchmod(&self.fd, Mode::from_raw_mode(node.mode as _))?;
        Ok(rustix::fs::futimens(&self.fd, &timestamps(node))?)
    }

    /// Gives the entry `name` (a symbolic link, FIFO, socket or device) the times of `node`, its owner when
    /// `owner` is set, and its permission bits when it is not a link (`fchownat`, `fchmodat`, `utimensat`, none
    /// following a link).
    ///
    /// # Errors
    /// The first OS error.
    pub fn set_entry_meta(&self, name: &OsStr, node: &Node, owner: bool) -> io::Result<()> {
        if owner {
            let (u, g) = (rustix::fs::Uid::from_raw(node.uid), rustix::fs::Gid::from_raw(node.gid));
            rustix::fs::chownat(&self.fd, name, Some(u), Some(g), AtFlags::SYMLINK_NOFOLLOW)?;
        }
        if node.kind != NodeKind::Symlink {
            rustix::fs::chmodat(&self.fd, name, Mode::from_raw_mode(node.mode as _), AtFlags::empty())?;
        }
        Ok(rustix::fs::utimensat(&self.fd, name, &timestamps(node), AtFlags::SYMLINK_NOFOLLOW)?)
    }

    /// The most names one file may have on this directory's file system, where it is known (from the file
    /// system's type, as `statfs` reports it): ext2/3/4 65,000, Btrfs 65,535, NTFS (`ntfs3`) 1,024. `None`
    /// when the file system sets no limit a file can reach in practice (tmpfs, XFS) or is not in the table.
    ///
    /// # Platform specific behavior
    /// Linux only; elsewhere `None`.
    pub fn link_max(&self) -> Option<u64> {
        #[cfg(any(target_os = "linux", target_os = "android"))]
        {
            let fs = rustix::fs::fstatfs(&self.fd).ok()?;
            // The magic numbers are 32 bits wide; the field is signed on some targets.
            #[allow(clippy::useless_conversion, clippy::unnecessary_cast)]
            let magic = fs.f_type as u32;
            match magic {
                0xEF53 => Some(65_000),
                0x9123_683E => Some(65_535),
                0x7366_746E => Some(1_024),
                _ => None,
            }
        }
        #[cfg(not(any(target_os = "linux", target_os = "android")))]
        {
            None
        }
    }

    /// Copies the extended attributes of the open directory `from` onto this one. Attributes the file system
    /// or the caller cannot set (e.g. `trusted.*` without privilege) are skipped; a file system without
    /// attributes copies nothing.
    ///
    /// # Platform specific behavior
    /// Linux and macOS; elsewhere nothing is copied.
    ///
    /// # Errors
    /// An OS error reading or setting a `user.*` attribute.
    pub fn copy_xattrs_from(&self, from: &Dir) -> io::Result<()> {
        copy_xattrs(&from.fd, &self.fd)
    }

    /// Copies the regular file `name` of this directory to the new file `dest/dest_name` with the bytes,
    /// permission bits, times, extended attributes and (when `owner` is set) the owner of `node`. The bytes
    /// share extents where the file system can (`FICLONE`), else the kernel copies them (`copy_file_range`),
    /// else this process reads and writes them. The new name must not exist (`O_EXCL`); the source is opened
    /// without following a link and must still be a regular file.
    ///
    /// # Errors
    /// The OS error of any step; the new file may stay, partly written, for the caller to remove.
    pub fn copy_file(
        &self,
        name: &OsStr,
        dest: &Dir,
        dest_name: &OsStr,
        node: &Node,
        owner: bool,
    ) -> io::Result<CopyMethod> {
        let from = self.open_regular(name)?;
        let to = dest.create_new(dest_name, 0o600)?;
        let method = super::dedupe::copy_data(&from, &to, node.size)?;
        let _ = copy_xattrs(&from, &to);
        if owner {
            set_owner(&to, node)?;
        }
        rustix::fs::fchmod(&to, Mode::from_raw_mode(node.mode as _))?;
        rustix::fs::futimens(&to, &timestamps(node))?;
        Ok(method)
    }
}

fn set_owner(fd: impl rustix::fd::AsFd, node: &Node) -> io::Result<()> {
    let (u, g) = (rustix::fs::Uid::from_raw(node.uid), rustix::fs::Gid::from_raw(node.gid));
    Ok(rustix::fs::fchown(fd, Some(u), Some(g))?)
}

#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
pub(super) fn copy_xattrs(from: impl rustix::fd::AsFd, to: impl rustix::fd::AsFd) -> io::Result<()> {
    let size = match rustix::fs::flistxattr_query(&from) {
        Ok(0) => return Ok(()),
        Ok(size) => size,
        Err(e) => {
            let e = io::Error::from(e);
            return if no_xattrs(&e) { Ok(()) } else { Err(e) };
        }
    };
    let mut list = vec![0u8; size];
    let n = rustix::fs::flistxattr(&from, &mut list[..])?;
    list.truncate(n);
    for name in list.split(|&b| b == 0).filter(|n| !n.is_empty()) {
        let user = name.starts_with(b"user.");
        let cname = std::ffi::CString::new(name).map_err(|_| io::Error::from(io::ErrorKind::InvalidData))?;
        let len = match rustix::fs::fgetxattr_query(&from, &cname) {
            Ok(len) => len,
            Err(_) if !user => continue,
            Err(e) => return Err(e.into()),
        };
        let mut value = vec![0u8; len];
        let n = rustix::fs::fgetxattr(&from, &cname, &mut value[..])?;
        value.truncate(n);
        match rustix::fs::fsetxattr(&to, &cname, &value, rustix::fs::XattrFlags::empty()) {
            Ok(()) => {}
            Err(e) if !user || no_xattrs(&e.into()) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
pub(super) fn copy_xattrs(_from: impl rustix::fd::AsFd, _to: impl rustix::fd::AsFd) -> io::Result<()> {
    Ok(())
}
