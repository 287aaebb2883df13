//! File descriptions: the 4DOS/4NT/TCC `DESCRIPT.ION` format ([`format`], pure) and its safe, linear update
//! ([`file`], through directory handles).
//!
//! The format (docs/spec/reference.md §3.11): one line per file, `name SP remainder CRLF`, the name double-quoted when it
//! holds a separator or is not 8.3-shaped, the remainder (description plus any Ctrl-D extension data of other
//! programs) copied whole. Lines this tool does not own are kept byte for byte.
//!
//! The rules of the I/O, each one a defence against a hostile or busy world:
//! - **Handles, not paths.** A description file is read and written only through the [`Dir`] the operation
//!   opened (the source's directory, the batch's destination), so a directory swapped for a link meanwhile never
//!   receives or leaks a description.
//! - **Regular files only, and not too large.** The name is looked at without following it and opened with
//!   `O_NOFOLLOW | O_NONBLOCK`; a symbolic link, FIFO, device or directory named `DESCRIPT.ION` is reported and
//!   left alone — never read, written through or replaced — and so is a file over [`SIZE_LIMIT`] (64 MiB). A
//!   link to a secret file therefore cannot copy the secret into a description, a FIFO cannot hang a run, and
//!   `/dev/zero` cannot fill memory.
//! - **Read once, write once.** A run reads each source directory's file once into an [`Index`] and gathers
//!   every change for the destination into one [`Edit`], applied in one pass and one atomic rewrite at the end
//!   ([`Copier`]): a batch of n described files costs O(n), not O(n²), and is fsynced once.
//! - **Atomic, and nothing lost to a concurrent writer.** The rewrite is a new temporary in the same directory
//!   (`.DESCRIPT.ION` followed by the crate's temporary name, e.g. `.DESCRIPT.ION.mklink-1f2e-0-3b9ac9ff.tmp`),
//!   synced and renamed over the file; the file is deleted when its last entry goes. The whole
//!   read-modify-write holds an exclusive `flock` on the directory (taken on a second descriptor of the
//!   directory, so it is released as soon as the write is done). The directory was chosen over a lock file
//!   beside `DESCRIPT.ION` because it needs no extra name that could be left behind, planted as a link, or
//!   removed under a holder; and over a lock on `DESCRIPT.ION` itself because that file is replaced by every
//!   write and may not exist yet. Every instance of this tool takes the same lock, so twenty batches writing
//!   into one directory at once keep every line. Where the file system cannot lock (some NFS setups) the update
//!   goes on unlocked; Windows has no directory lock and is not protected.
//! - **Owner, group and mode kept.** The temporary of a rewrite is created 0600 and given the old file's owner,
//!   group and mode before any text is written; when that is not allowed (a user rewriting another user's
//!   file), the old file is left untouched and a warning says why. A new file gets a new file's usual mode.
//! - **Case as the file system has it.** Names match exactly where the file system tells `Report` from `report`
//!   (Linux) and without regard to ASCII case where it does not (Windows, macOS): see [`native_case`]. Where case
//!   matters, a lower-case `descript.ion` is used when it is the only one (no second `DESCRIPT.ION` is made).
//! - **No temporary outlives a run.** A run stops between items on SIGINT, SIGTERM or SIGHUP and still finishes
//!   (or abandons and removes) its rewrite. A temporary left by a killed run is recognised by its name and
//!   removed by the next rewrite in that directory, under the lock, once its process no longer runs.
//!
//! [`Dir`]: crate::platform::Dir
#![deny(missing_docs)]

pub mod file;
#[cfg(test)]
mod file_tests;
pub mod format;
#[cfg(test)]
mod format_tests;
mod names;

pub use file::{Copier, CopyError, Failure, SIZE_LIMIT, native_case, remove_entry, update};
pub use format::{
    Case, Edit, EntryError, Index, find_description, is_empty_of_entries, parse_line, remove_description,
    set_description,
};

/// The name of the description file written in every directory.
pub const FILE_NAME: &str = "DESCRIPT.ION";
/// The lower-case variant used when it is the only one (where names differ by case).
const FILE_NAME_LOWER: &str = "descript.ion";
