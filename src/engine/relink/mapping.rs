//! The text a link gets when the place OLD becomes NEW, worked out lexically, without the file system.
//!
//! A link is re-pointed when its target, resolved lexically against the link's own directory, is OLD or lies
//! under it (component by component: `/data/a` never matches `/data/ab`), or when its text *passes through* OLD
//! on the way elsewhere (`/data/a/../x`): after a move that text no longer resolves, because OLD is gone. When
//! the links themselves move with the tree (`--move`), a relative link inside it is recomputed from its new
//! directory, so it keeps reaching the same object whether that object moved with it or stayed behind.

use crate::engine::paths::normalise;
use crate::model::RelinkStyle;
use std::path::{Component, Path, PathBuf};

/// OLD and NEW, absolute and normalised, and how new texts are written.
#[derive(Debug, Clone)]
pub(crate) struct Mapping {
    /// The forms OLD may be written in by links (as typed, made absolute; and with links in its existing part
    /// resolved). A link matching any of them is re-pointed.
    pub olds: Vec<PathBuf>,
    /// NEW, absolute and normalised.
    pub new: PathBuf,
    /// The links under OLD move to NEW with it (`--move`).
    pub moving: bool,
    /// How new texts are written.
    pub style: RelinkStyle,
}

impl Mapping {
    /// Where a link in `dir` will be after the change: under NEW when it lies under OLD and moves with it.
    pub(crate) fn dir_after(&self, dir: &Path) -> PathBuf {
        if self.moving {
            for old in &self.olds {
                if let Ok(rest) = dir.strip_prefix(old) {
                    return self.new.join(rest);
                }
            }
        }
        dir.to_path_buf()
    }

    /// The new text for a link in the absolute, normalised directory `dir` that holds `text`; `None` when the
    /// link is not concerned (or its text would not change).
    pub(crate) fn rewrite(&self, dir: &Path, text: &Path) -> Option<PathBuf> {
        let dir_after = self.dir_after(dir);
        let target = self.olds.iter().find_map(|old| self.target_after(old, dir, text)).or_else(|| {
            // A relative link that moves with the tree but leads outside it: same target, new starting point.
            (dir_after != dir && text.is_relative()).then(|| normalise(&dir.join(text)))
        })?;
        let absolute = match self.style {
            RelinkStyle::Keep => text.is_absolute() || has_prefix(text),
            RelinkStyle::Relative => false,
            RelinkStyle::Absolute => true,
        };
        let mut out = if absolute { target } else { pathdiff::diff_paths(&target, &dir_after).unwrap_or(target) };
        if out.as_os_str().is_empty() {
            out.push(".");
        }
        (out != text).then_some(out)
    }

    /// Where `text`, read in `dir`, must lead once `old` is NEW (absolute, normalised); `None` when it neither
    /// leads into `old` nor passes through it.
    fn target_after(&self, old: &Path, dir: &Path, text: &Path) -> Option<PathBuf> {
        let start = if text.is_absolute() || has_prefix(text) { PathBuf::new() } else { dir.to_path_buf() };
        let resolved = normalise(&start.join(text));
        if let Ok(rest) = resolved.strip_prefix(old) {
            // NEW inside OLD: a link already leading into NEW is where it belongs.
            if self.new.starts_with(old) && resolved.starts_with(&self.new) {
                return None;
            }
            return Some(self.new.join(rest));
        }
        // Not leading into OLD: does the text step into it on the way (`OLD/../x`)? Once OLD is gone that text
        // no longer resolves, so it is rewritten to the place it reached, which lies outside OLD and stays. Only
        // a step that enters OLD from outside counts: a link that merely lives inside OLD and climbs out does not
        // pass through it.
        let mut here = normalise(&start);
        let mut inside = here.starts_with(old);
        for component in text.components() {
            here = normalise(&here.join(component.as_os_str()));
            let now_inside = here.starts_with(old);
            if now_inside && !inside {
                return Some(resolved);
            }
            inside = now_inside;
        }
        None
    }
}

/// Whether the text starts with a Windows drive or UNC prefix (`C:foo` is not absolute, yet not relative to the
/// link's directory either); always false on Unix.
fn has_prefix(text: &Path) -> bool {
    matches!(text.components().next(), Some(Component::Prefix(_)))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn mapping(old: &str, new: &str, moving: bool, style: RelinkStyle) -> Mapping {
        Mapping { olds: vec![PathBuf::from(old)], new: PathBuf::from(new), moving, style }
    }

    fn relink(dir: &str, text: &str) -> Option<PathBuf> {
        mapping("/data/a", "/srv/b", false, RelinkStyle::Keep).rewrite(Path::new(dir), Path::new(text))
    }

    #[test]
    fn absolute_links_into_old_point_under_new() {
        assert_eq!(relink("/home", "/data/a"), Some(PathBuf::from("/srv/b")));
        assert_eq!(relink("/home", "/data/a/x/y.txt"), Some(PathBuf::from("/srv/b/x/y.txt")));
        assert_eq!(relink("/home", "/data/./a//x"), Some(PathBuf::from("/srv/b/x")));
    }

    #[test]
    fn matching_is_by_component() {
        assert_eq!(relink("/home", "/data/ab"), None);
        assert_eq!(relink("/home", "/data/ab/x"), None);
        assert_eq!(relink("/home", "/data"), None);
    }

    #[test]
    fn relative_links_stay_relative_from_their_own_directory() {
        assert_eq!(relink("/data", "a/x"), Some(PathBuf::from("../srv/b/x")));
        assert_eq!(relink("/srv/c", "../../data/a"), Some(PathBuf::from("../b")));
        assert_eq!(relink("/srv/b/deep", "../../../data/a/x"), Some(PathBuf::from("../x")));
    }

    #[test]
    fn text_passing_through_old_is_pointed_where_it_led() {
        assert_eq!(relink("/home", "/data/a/../x"), Some(PathBuf::from("/data/x")));
        assert_eq!(relink("/data", "a/../x"), Some(PathBuf::from("x")));
        assert_eq!(relink("/data", "a/sub/../../ab/y"), Some(PathBuf::from("ab/y")));
        // Living inside OLD and climbing out is not passing through it.
        assert_eq!(relink("/data/a/sub", "../../x"), None);
    }

    #[test]
    fn links_already_inside_a_new_place_under_old_stay() {
        let m = mapping("/data", "/data/v2", false, RelinkStyle::Keep);
        assert_eq!(m.rewrite(Path::new("/home"), Path::new("/data/v2/x")), None);
        assert_eq!(m.rewrite(Path::new("/home"), Path::new("/data/x")), Some(PathBuf::from("/data/v2/x")));
    }

    #[test]
    fn styles_convert_the_rewritten_links() {
        let to_rel = mapping("/data/a", "/srv/b", false, RelinkStyle::Relative);
        assert_eq!(to_rel.rewrite(Path::new("/srv"), Path::new("/data/a/x")), Some(PathBuf::from("b/x")));
        let to_abs = mapping("/data/a", "/srv/b", false, RelinkStyle::Absolute);
        assert_eq!(to_abs.rewrite(Path::new("/data"), Path::new("a/x")), Some(PathBuf::from("/srv/b/x")));
        assert_eq!(to_rel.rewrite(Path::new("/srv/b"), Path::new("/data/a")), Some(PathBuf::from(".")));
    }

    #[test]
    fn moving_links_keep_inner_relative_links_and_fix_outward_ones() {
        let m = mapping("/p/src", "/q/dest", true, RelinkStyle::Keep);
        // Inner relative link: moves with its target, text unchanged.
        assert_eq!(m.rewrite(Path::new("/p/src/sub"), Path::new("../f")), None);
        // Inner absolute link into the tree: re-pointed.
        assert_eq!(m.rewrite(Path::new("/p/src/sub"), Path::new("/p/src/f")), Some(PathBuf::from("/q/dest/f")));
        // Inner relative link to the outside: recomputed from the new place.
        assert_eq!(m.rewrite(Path::new("/p/src"), Path::new("../x")), Some(PathBuf::from("../../p/x")));
        // Inner absolute link to the outside: unchanged.
        assert_eq!(m.rewrite(Path::new("/p/src"), Path::new("/p/x")), None);
        // Outer relative link into the tree.
        assert_eq!(m.rewrite(Path::new("/p"), Path::new("src/f")), Some(PathBuf::from("../q/dest/f")));
    }
}
