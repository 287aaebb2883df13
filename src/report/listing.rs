//! The DIR-style listing line: date, time, the tag left-aligned in a 14-wide field, the name (raw bytes), the
//! stored target in brackets, and a mark for dangling and looping links.

use crate::engine::{LinkEntry, LinkState, LinkTag};
use jiff::tz::TimeZone;

/// The tag as DIR shows it.
pub fn tag(tag: LinkTag) -> String {
    match tag {
        LinkTag::Symlink => "<SYMLINK>".to_string(),
        LinkTag::SymlinkDir => "<SYMLINKD>".to_string(),
        LinkTag::Junction => "<JUNCTION>".to_string(),
        LinkTag::HardLink(n) => format!("<HARDLINK:{n}>"),
    }
}

/// The JSON name of a tag.
pub fn kind_name(tag: LinkTag) -> &'static str {
    match tag {
        LinkTag::Symlink => "symlink",
        LinkTag::SymlinkDir => "symlink_dir",
        LinkTag::Junction => "junction",
        LinkTag::HardLink(_) => "hardlink",
    }
}

/// One listing line (without the newline), times shown in `tz`.
pub fn line(entry: &LinkEntry, tz: &TimeZone) -> Vec<u8> {
    let (secs, nanos) = entry.modified;
    let when = jiff::Timestamp::new(secs, i32::try_from(nanos).unwrap_or(0))
        .map(|t| t.to_zoned(tz.clone()).strftime("%Y-%m-%d  %H:%M").to_string())
        .unwrap_or_else(|_| "????-??-??  ??:??".to_string());
    let mut out = format!("{when}    {:<14} ", tag(entry.tag)).into_bytes();
    out.extend_from_slice(entry.path.as_os_str().as_encoded_bytes());
    if let Some(target) = &entry.target {
        out.extend_from_slice(b" [");
        out.extend_from_slice(target.as_os_str().as_encoded_bytes());
        out.push(b']');
    }
    match entry.state {
        LinkState::Resolves => {}
        LinkState::Dangling => out.extend_from_slice(b" (dangling)"),
        LinkState::Loop => out.extend_from_slice(b" (loop)"),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn entry(tag: LinkTag, target: Option<&str>, state: LinkState) -> LinkEntry {
        LinkEntry {
            path: PathBuf::from("notes.txt"),
            tag,
            target: target.map(PathBuf::from),
            resolved: None,
            state,
            nlink: 1,
            modified: (1_700_000_000, 0),
        }
    }

    #[test]
    fn symlink_line_has_the_dir_layout() {
        let text = line(&entry(LinkTag::Symlink, Some("../docs/notes.txt"), LinkState::Resolves), &TimeZone::UTC);
        assert_eq!(
            String::from_utf8(text).unwrap(),
            "2023-11-14  22:13    <SYMLINK>      notes.txt [../docs/notes.txt]"
        );
    }

    #[test]
    fn dangling_and_loop_are_marked() {
        let text = line(&entry(LinkTag::Symlink, Some("gone"), LinkState::Dangling), &TimeZone::UTC);
        assert!(String::from_utf8(text).unwrap().ends_with("notes.txt [gone] (dangling)"));
        let text = line(&entry(LinkTag::Symlink, Some("l"), LinkState::Loop), &TimeZone::UTC);
        assert!(String::from_utf8(text).unwrap().ends_with("[l] (loop)"));
    }

    #[test]
    fn hard_links_show_their_count_without_brackets() {
        let text = line(&entry(LinkTag::HardLink(3), None, LinkState::Resolves), &TimeZone::UTC);
        assert_eq!(String::from_utf8(text).unwrap(), "2023-11-14  22:13    <HARDLINK:3>   notes.txt");
    }
}
