//! What the link-rewriting operations ask for: re-point links from one place to another (`--relink`), move a
//! tree and re-point the links into it (`--move`), and replay a journal backwards (`--undo`).

use std::path::PathBuf;

/// How a rewritten link's text is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RelinkStyle {
    /// As the link was: a relative link stays relative (recomputed from its directory), an absolute one absolute.
    #[default]
    Keep,
    /// Every rewritten link becomes relative to its own directory (`--to-relative`).
    Relative,
    /// Every rewritten link becomes absolute and lexically normalised (`--to-absolute`).
    Absolute,
}

/// `--relink OLD NEW ROOT…`: every link under the roots whose target is `old` or lies under it is pointed at the
/// same place under `new`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelinkRequest {
    /// The place links point to now, as typed.
    pub old: PathBuf,
    /// The place they are to point to, as typed.
    pub new: PathBuf,
    /// The trees to search; links in them are never followed into a directory.
    pub roots: Vec<PathBuf>,
    /// How the new text is written.
    pub style: RelinkStyle,
    /// Only links that do not resolve (`--dangling-only`).
    pub dangling_only: bool,
    /// Where the journal goes; `None` for a fresh name in the current directory.
    pub journal: Option<PathBuf>,
}

/// `--move SOURCE DEST [--scan ROOT…]`: rename a tree on its device, then re-point the links that led into it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoveRequest {
    /// The file or directory to move.
    pub source: PathBuf,
    /// Its new name, which must not exist.
    pub dest: PathBuf,
    /// More trees whose links are re-pointed (the parent of `source` always is).
    pub scan: Vec<PathBuf>,
    /// How the new text is written.
    pub style: RelinkStyle,
    /// Where the journal goes; `None` for a fresh name in the current directory.
    pub journal: Option<PathBuf>,
}
