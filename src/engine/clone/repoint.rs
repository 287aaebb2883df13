//! Where a re-created symbolic link must point: the same place inside DEST for a link into SOURCE, the same
//! outside place for any other, keeping the link's style (relative stays relative, absolute stays absolute).
//!
//! The decision is lexical, as the kernel walks a path when no link stands in it: `..` climbs one directory.
//! SOURCE's own absolute path is taken with links resolved (so `..` out of SOURCE reaches its real parent);
//! an absolute link may name SOURCE by that path or by the path as typed.

use super::super::paths::normalise;
use crate::model::LinkPlace;
use std::path::{Component, Path, PathBuf};

/// The two trees' absolute paths.
pub(super) struct Roots {
    /// SOURCE with links resolved.
    pub source_real: PathBuf,
    /// SOURCE as typed, made absolute and normalised (may equal `source_real`).
    pub source_typed: PathBuf,
    /// DEST's final path: its real parent joined with its name.
    pub dest: PathBuf,
}

/// The text for DEST's copy of a link holding `text`, found in the directory `rel_dir` (relative to SOURCE),
/// and where the link points.
pub(super) fn repoint(text: &Path, rel_dir: &Path, roots: &Roots) -> (PathBuf, LinkPlace) {
    if text.is_absolute() {
        let full = normalise(text);
        for root in [&roots.source_real, &roots.source_typed] {
            if let Ok(rest) = full.strip_prefix(root) {
                let stored = if rest.as_os_str().is_empty() { roots.dest.clone() } else { roots.dest.join(rest) };
                return (stored, LinkPlace::Inside);
            }
        }
        return (text.to_path_buf(), LinkPlace::Outside);
    }
    let mut depth = rel_dir.components().count() as i64;
    let mut climbed = false;
    for comp in text.components() {
        match comp {
            Component::ParentDir => {
                depth -= 1;
                climbed |= depth < 0;
            }
            Component::Normal(_) => depth += 1,
            _ => {}
        }
    }
    if !climbed {
        // Never leaves SOURCE on the way: the same text reaches the same place in DEST.
        return (text.to_path_buf(), LinkPlace::Inside);
    }
    let full = normalise(&roots.source_real.join(rel_dir).join(text));
    if let Ok(rest) = full.strip_prefix(&roots.source_real) {
        return (relative(rest, rel_dir), LinkPlace::Inside);
    }
    let from = roots.dest.join(rel_dir);
    (pathdiff::diff_paths(&full, &from).unwrap_or(full), LinkPlace::Outside)
}

/// A resolved path as a link would hold it: Windows resolves a path to its verbatim form (`\\?\C:\data`),
/// while links hold (and junctions report) the plain one (`C:\data`); the verbatim prefix of a drive path is
/// dropped so both compare, and so a rebased link holds the plain form. Any other path is returned as it is.
pub(super) fn plain(path: PathBuf) -> PathBuf {
    let bytes = path.as_os_str().as_encoded_bytes();
    match bytes {
        [b'\\', b'\\', b'?', b'\\', drive, b':', b'\\', ..] if drive.is_ascii_alphabetic() => {
            // Cut after ASCII bytes: the rest is still a valid name.
            PathBuf::from(crate::platform::os_string_from_bytes(bytes[4..].to_vec()))
        }
        _ => path,
    }
}

/// The relative path from the directory `from` to `to`, both relative to the same root and normalised.
fn relative(to: &Path, from: &Path) -> PathBuf {
    let to: Vec<_> = to.components().collect();
    let from: Vec<_> = from.components().collect();
    let common = to.iter().zip(&from).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..from.len() {
        out.push("..");
    }
    for comp in &to[common..] {
        out.push(comp.as_os_str());
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn roots() -> Roots {
        Roots {
            source_real: PathBuf::from("/data/src"),
            source_typed: PathBuf::from("/home/u/src"),
            dest: PathBuf::from("/data/dst"),
        }
    }

    fn check(text: &str, dir: &str) -> (String, LinkPlace) {
        let (stored, place) = repoint(Path::new(text), Path::new(dir), &roots());
        (stored.to_string_lossy().into_owned(), place)
    }

    #[test]
    fn a_verbatim_drive_path_compares_as_the_plain_path_links_hold() {
        assert_eq!(plain(PathBuf::from(r"\\?\C:\data\src")), PathBuf::from(r"C:\data\src"));
        assert_eq!(plain(PathBuf::from(r"\\?\UNC\server\share")), PathBuf::from(r"\\?\UNC\server\share"));
        assert_eq!(plain(PathBuf::from("/data/src")), PathBuf::from("/data/src"));
    }

    #[test]
    fn a_relative_link_that_stays_inside_keeps_its_text() {
        assert_eq!(check("../b/x", "a"), ("../b/x".into(), LinkPlace::Inside));
        assert_eq!(check("x", ""), ("x".into(), LinkPlace::Inside));
    }

    #[test]
    fn a_relative_link_climbing_out_and_back_in_is_rewritten() {
        assert_eq!(check("../../src/b/x", "a"), ("../b/x".into(), LinkPlace::Inside));
        assert_eq!(check("../src", ""), (".".into(), LinkPlace::Inside));
        assert_eq!(check("../../src/a", "a"), (".".into(), LinkPlace::Inside));
    }

    #[test]
    fn a_relative_link_pointing_outside_still_reaches_the_same_place() {
        assert_eq!(check("../../etc/x", "a"), ("../../etc/x".into(), LinkPlace::Outside));
        assert_eq!(check("../other/y", ""), ("../other/y".into(), LinkPlace::Outside));
    }

    #[test]
    fn an_absolute_link_inside_is_rebased_and_one_outside_is_kept() {
        assert_eq!(check("/data/src/a/x", "b"), ("/data/dst/a/x".into(), LinkPlace::Inside));
        assert_eq!(check("/home/u/src/./a/../x", "b"), ("/data/dst/x".into(), LinkPlace::Inside));
        assert_eq!(check("/data/src", ""), ("/data/dst".into(), LinkPlace::Inside));
        assert_eq!(check("/data/srcx", ""), ("/data/srcx".into(), LinkPlace::Outside));
        assert_eq!(check("/etc/passwd", "a"), ("/etc/passwd".into(), LinkPlace::Outside));
    }
}
