//! Shared by the targets: the fuzz input as an argument list, and a fixed "now".
#![allow(dead_code)]

use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;

/// The input cut at NUL bytes into arguments (argv can hold any byte but NUL), at most 64 of them.
pub fn args(data: &[u8]) -> Vec<OsString> {
    if data.is_empty() {
        return Vec::new();
    }
    data.split(|&b| b == 0).take(64).map(|a| OsString::from_vec(a.to_vec())).collect()
}

/// A fixed instant for the ranges, so that a run is reproducible: 2023-11-14 22:13:20 UTC.
pub fn now() -> jiff::Zoned {
    jiff::Timestamp::from_second(1_700_000_000).map(|t| t.to_zoned(jiff::tz::TimeZone::UTC)).unwrap_or_default()
}
