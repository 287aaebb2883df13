//! The one timestamp type of the crate: a file time as the operating system reports it.

/// A point in time as file systems store it: seconds and nanoseconds since the Unix epoch (1970-01-01 UTC).
/// Times before the epoch have negative `secs`; `nanos` is always below one second.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FileTime {
    /// Whole seconds since the Unix epoch.
    pub secs: i64,
    /// Nanoseconds within the second (0 to 999,999,999).
    pub nanos: u32,
}

impl FileTime {
    /// A file time of `secs` seconds and `nanos` nanoseconds since the Unix epoch.
    pub const fn new(secs: i64, nanos: u32) -> FileTime {
        FileTime { secs, nanos }
    }

    /// The same instant as a `jiff` timestamp, for calendar arithmetic; `None` when it lies outside the range
    /// `jiff` can represent (years -9999 to 9999).
    pub fn to_timestamp(self) -> Option<jiff::Timestamp> {
        jiff::Timestamp::new(self.secs, i32::try_from(self.nanos).ok()?).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_times_order_by_seconds_then_nanoseconds_and_convert_within_range() {
        assert!(FileTime::new(1, 0) < FileTime::new(1, 1) && FileTime::new(1, 999) < FileTime::new(2, 0));
        assert_eq!(FileTime::new(0, 500).to_timestamp().map(|t| t.as_nanosecond()), Some(500));
        assert_eq!(FileTime::new(i64::MAX, 0).to_timestamp(), None);
    }
}
