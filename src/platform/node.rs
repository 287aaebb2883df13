//! The full facts about one entry that a whole-tree copy needs to re-create it elsewhere: its kind down to FIFOs
//! and devices, permission bits, owner, size and times. Read without following a link.

/// What an entry is, finer than [`EntryKind`](super::EntryKind): the kinds a tree copy re-creates differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    /// A regular file.
    File,
    /// A directory.
    Directory,
    /// A symbolic link (on Windows also a junction, which reads back as its target text).
    Symlink,
    /// A named pipe.
    Fifo,
    /// A Unix-domain socket's name.
    Socket,
    /// A character device.
    CharDevice,
    /// A block device.
    BlockDevice,
}

/// One entry's metadata, as `lstat` gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Node {
    /// What the entry is.
    pub kind: NodeKind,
    /// Permission bits with set-id and sticky bits (`mode & 0o7777`); on Windows 0o444 or 0o666 from the
    /// read-only attribute.
    pub mode: u32,
    /// Owner (0 on Windows).
    pub uid: u32,
    /// Group (0 on Windows).
    pub gid: u32,
    /// Size in bytes.
    pub size: u64,
    /// Last write, seconds and nanoseconds since the Unix epoch.
    pub modified: (i64, u32),
    /// Last access.
    pub accessed: (i64, u32),
    /// The device holding the entry.
    pub dev: u64,
    /// The entry's identity on that device.
    pub ino: u64,
    /// How many names the entry has.
    pub nlink: u64,
    /// For a device: the device number it stands for.
    pub rdev: u64,
}

/// How a file's bytes were copied, fastest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyMethod {
    /// Shared extents (`FICLONE`): no data written until either copy changes.
    Reflink,
    /// The kernel copied inside the file system (`copy_file_range`).
    Kernel,
    /// Read and written through this process.
    ReadWrite,
}
