//! Path arithmetic done without the file system where possible: lexical normalisation, absolute paths against
//! the current directory, and relative paths from a link's directory.

use std::io;
use std::path::{Component, Path, PathBuf};

/// Removes `.` components and folds `name/..` pairs, without looking at the file system. A `..` above the
/// root stays at the root.
pub fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for comp in path.components() {
        match comp {
            Component::CurDir => {}
            Component::ParentDir => {
                let last_is_normal = matches!(out.components().next_back(), Some(Component::Normal(_)));
                if last_is_normal {
                    out.pop();
                } else if !out.has_root() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

/// The absolute, lexically normalised form of `path`, resolved against the current directory. This is what a
/// junction stores.
///
/// # Errors
/// When the current directory cannot be read.
///
/// # Examples
/// ```
/// use mklink::absolute_normalised;
/// let abs = absolute_normalised(std::path::Path::new("a/./b/../c")).unwrap();
/// assert!(abs.is_absolute() && abs.ends_with("a/c"));
/// ```
pub fn absolute_normalised(path: &Path) -> io::Result<PathBuf> {
    Ok(normalise(&std::path::absolute(path)?))
}

/// The path that reaches `target` (relative to the current directory) from the directory holding `link`, after
/// resolving symbolic links in that directory and in as much of the target as exists, as `ln -r` does.
///
/// # Errors
/// When the current directory cannot be read or the link's directory cannot be resolved.
///
/// # Examples
/// ```
/// use mklink::relative_target;
/// let dir = tempfile::tempdir().unwrap();
/// std::fs::create_dir_all(dir.path().join("a/b")).unwrap();
/// std::fs::write(dir.path().join("x.txt"), "x").unwrap();
/// let rel = relative_target(&dir.path().join("a/b/link"), &dir.path().join("x.txt")).unwrap();
/// assert_eq!(rel, std::path::Path::new("../../x.txt"));
/// ```
pub fn relative_target(link: &Path, target: &Path) -> io::Result<PathBuf> {
    let link_dir = std::fs::canonicalize(super::error::parent_of(link))?;
    let target = resolve_existing_prefix(&absolute_normalised(target)?);
    Ok(pathdiff::diff_paths(&target, &link_dir).unwrap_or(target))
}

/// Resolves links in the longest existing leading part of an absolute path and appends the rest unchanged.
pub(crate) fn resolve_existing_prefix(path: &Path) -> PathBuf {
    let mut tail = Vec::new();
    let mut head = path;
    loop {
        if let Ok(real) = std::fs::canonicalize(head) {
            let mut out = real;
            out.extend(tail.iter().rev());
            return out;
        }
        match (head.parent(), head.file_name()) {
            (Some(parent), Some(name)) => {
                tail.push(name);
                head = parent;
            }
            _ => return path.to_path_buf(),
        }
    }
}

/// For a relative `target` that does not exist from the link's directory but does from the current one: the
/// text that would reach it from the link's directory. `None` when there is nothing to suggest.
pub(crate) fn cwd_mistake(link: &Path, target: &Path) -> Option<PathBuf> {
    if target.is_absolute() || !target.exists() {
        return None;
    }
    let from_link = super::error::parent_of(link).join(target);
    if crate::platform::exists_no_follow(&from_link) {
        return None;
    }
    let link_dir = absolute_normalised(super::error::parent_of(link)).ok()?;
    let wanted = absolute_normalised(target).ok()?;
    pathdiff::diff_paths(wanted, link_dir)
}

/// True when following the link would reach the link itself or a directory holding it (a loop).
pub(crate) fn is_loop(link: &Path, stored: &Path) -> bool {
    let Ok(link_abs) = absolute_normalised(link) else { return false };
    let base = super::error::parent_of(&link_abs);
    let reached = normalise(&base.join(stored));
    link_abs.starts_with(&reached)
}

/// `dir` joined with one `name`, as `Path::join` does, allocated once at its final size (`Path::join` grows its
/// buffer a second time, which a batch would pay for every link).
///
/// # Platform specific behavior
/// Unix: the bytes are put together directly (a separator between unless `dir` is empty or ends in one; a
/// `name` that starts with `/` replaces `dir`, as `join` does). Windows: `PathBuf::push`, which knows drive
/// prefixes and verbatim paths.
pub(crate) fn joined(dir: &Path, name: &std::ffi::OsStr) -> PathBuf {
    let (head, tail) = (dir.as_os_str(), name.as_encoded_bytes());
    #[cfg(unix)]
    if tail.first() != Some(&b'/') {
        let separator = !head.is_empty() && !head.as_encoded_bytes().ends_with(b"/");
        let mut path = std::ffi::OsString::with_capacity(head.len() + usize::from(separator) + tail.len());
        path.push(head);
        if separator {
            path.push("/");
        }
        path.push(name);
        return PathBuf::from(path);
    }
    let mut path = PathBuf::with_capacity(head.len() + 1 + tail.len());
    path.push(dir);
    path.push(name);
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joined_is_join() {
        for dir in ["", "/", "a", "a/", "/a/b", "a//", "."] {
            for name in ["x", "x y", ".", "..", "/abs", "a/b"] {
                let (dir, name) = (Path::new(dir), std::ffi::OsStr::new(name));
                let made = joined(dir, name);
                assert_eq!(made, dir.join(name), "{dir:?} + {name:?}");
                assert_eq!(made.as_os_str(), dir.join(name).as_os_str(), "{dir:?} + {name:?}");
            }
        }
    }

    #[test]
    fn normalise_folds_dot_and_dotdot() {
        assert_eq!(normalise(Path::new("/a/./b/../c")), Path::new("/a/c"));
        assert_eq!(normalise(Path::new("/../x")), Path::new("/x"));
        assert_eq!(normalise(Path::new("../x/..")), Path::new(".."));
        assert_eq!(normalise(Path::new("a/..")), Path::new("."));
    }

    #[test]
    fn loop_is_detected_for_self_and_ancestor() {
        assert!(is_loop(Path::new("/t/l"), Path::new("l")));
        assert!(is_loop(Path::new("/t/l"), Path::new(".")));
        assert!(is_loop(Path::new("/t/sub/l"), Path::new("/t")));
        assert!(!is_loop(Path::new("/t/l"), Path::new("other")));
    }
}
