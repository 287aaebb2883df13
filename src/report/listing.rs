//! The DIR-style listing line: date, time, the tag left-aligned in a 14-wide field, the name (shown as
//! [`super::escape`] says), the stored target in brackets, and a mark for dangling and looping links.

use crate::model::FileTime;
use crate::model::{LinkEntry, LinkState, LinkTag};
use jiff::tz::TimeZone;

/// The tag as DIR shows it, written to `out`.
fn write_tag(tag: LinkTag, out: &mut Vec<u8>) {
    match tag {
        LinkTag::Symlink => out.extend_from_slice(b"<SYMLINK>"),
        LinkTag::SymlinkDir => out.extend_from_slice(b"<SYMLINKD>"),
        LinkTag::Junction => out.extend_from_slice(b"<JUNCTION>"),
        LinkTag::HardLink(n) => {
            use std::io::Write;
            let _ = write!(out, "<HARDLINK:{n}>");
        }
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

/// The date and time column in one time zone. Entries of one tree mostly share a minute, so the text of the last
/// local minute is kept and reused.
pub struct Dates {
    tz: TimeZone,
    /// The local minute (seconds since the epoch plus the zone's offset, over 60) and its text.
    last: Option<(i64, Vec<u8>)>,
}

impl Dates {
    /// Dates shown in `tz`.
    pub fn new(tz: TimeZone) -> Dates {
        Dates { tz, last: None }
    }

    /// `YYYY-MM-DD  HH:MM` for a time in seconds and nanoseconds since the Unix epoch.
    fn text(&mut self, time: FileTime) -> &[u8] {
        let Some(when) = time.to_timestamp() else {
            return b"????-??-??  ??:??";
        };
        let secs = time.secs;
        // The text is a function of the local time to the minute, which is the offset-shifted minute.
        let minute = (secs + i64::from(self.tz.to_offset(when).seconds())).div_euclid(60);
        if self.last.as_ref().is_none_or(|(last, _)| *last != minute) {
            let text = when.to_zoned(self.tz.clone()).strftime("%Y-%m-%d  %H:%M").to_string().into_bytes();
            self.last = Some((minute, text));
        }
        self.last.as_ref().map_or(b"", |(_, text)| text)
    }
}

/// One listing line (without the newline), appended to `out`.
pub fn write_line(entry: &LinkEntry, dates: &mut Dates, out: &mut Vec<u8>) {
    out.extend_from_slice(dates.text(entry.modified));
    out.extend_from_slice(b"    ");
    let tag_start = out.len();
    write_tag(entry.tag, out);
    let width = out.len() - tag_start;
    out.resize(out.len() + 14usize.saturating_sub(width) + 1, b' ');
    super::escape::push_display(entry.path.as_os_str(), out);
    if let Some(target) = &entry.target {
        out.extend_from_slice(b" [");
        super::escape::push_display(target.as_os_str(), out);
        out.push(b']');
    }
    match entry.state {
        LinkState::Resolves => {}
        LinkState::Dangling => out.extend_from_slice(b" (dangling)"),
        LinkState::Loop => out.extend_from_slice(b" (loop)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn line(entry: &LinkEntry, tz: &TimeZone) -> Vec<u8> {
        let mut out = Vec::new();
        write_line(entry, &mut Dates::new(tz.clone()), &mut out);
        out
    }

    fn entry(tag: LinkTag, target: Option<&str>, state: LinkState) -> LinkEntry {
        LinkEntry {
            path: PathBuf::from("notes.txt"),
            tag,
            target: target.map(PathBuf::from),
            resolved: None,
            state,
            nlink: 1,
            modified: FileTime::new(1_700_000_000, 0),
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
    fn the_kept_minute_is_the_local_one() {
        // An offset that is not whole minutes (Amsterdam's +00:19:32 before 1937): two times in one UTC minute
        // can fall in two local minutes, and each must still get its own text.
        let offset = jiff::tz::Offset::from_seconds(19 * 60 + 32).unwrap();
        for tz in [TimeZone::UTC, TimeZone::fixed(offset)] {
            let mut kept = Dates::new(tz.clone());
            for secs in (1_700_000_000..1_700_000_300).step_by(7) {
                let fresh = Dates::new(tz.clone()).text(FileTime::new(secs, 0)).to_vec();
                assert_eq!(kept.text(FileTime::new(secs, 0)), fresh.as_slice(), "at {secs}");
            }
        }
    }

    #[test]
    fn a_time_out_of_range_gets_question_marks() {
        let mut far = entry(LinkTag::Symlink, Some("t"), LinkState::Resolves);
        far.modified = FileTime::new(i64::MAX, 0);
        let text = String::from_utf8(line(&far, &TimeZone::UTC)).unwrap();
        assert_eq!(text, "????-??-??  ??:??    <SYMLINK>      notes.txt [t]");
    }

    #[test]
    fn a_newline_in_a_name_or_target_never_starts_a_line() {
        let mut forged = entry(LinkTag::Symlink, Some("t\x1b[2J"), LinkState::Resolves);
        forged.path = PathBuf::from("a\n2023-11-14  22:13    <SYMLINK>      b");
        let text = String::from_utf8(line(&forged, &TimeZone::UTC)).unwrap();
        assert_eq!(text.lines().count(), 1, "{text}");
        assert!(text.ends_with(r"[$'t\x1b[2J']"), "{text}");
    }

    #[test]
    fn hard_links_show_their_count_without_brackets() {
        let text = line(&entry(LinkTag::HardLink(3), None, LinkState::Resolves), &TimeZone::UTC);
        assert_eq!(String::from_utf8(text).unwrap(), "2023-11-14  22:13    <HARDLINK:3>   notes.txt");
    }
}
