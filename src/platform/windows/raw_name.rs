//! Names as raw bytes for files this program writes and reads back (journals): on Windows a name is a sequence
//! of 16-bit units, which may hold unpaired surrogates, written here as little-endian byte pairs.

use std::ffi::{OsStr, OsString};
use std::os::windows::ffi::{OsStrExt, OsStringExt};

/// The bytes that make up `name` (its UTF-16 units, little-endian), for writing it where only bytes can go.
pub fn raw_name(name: &OsStr) -> Vec<u8> {
    name.encode_wide().flat_map(u16::to_le_bytes).collect()
}

/// The name [`raw_name`] gave these bytes; `None` when their count is odd.
pub fn name_from_raw(bytes: Vec<u8>) -> Option<OsString> {
    if bytes.len() % 2 != 0 {
        return None;
    }
    let units: Vec<u16> = bytes.chunks_exact(2).map(|pair| u16::from_le_bytes([pair[0], pair[1]])).collect();
    Some(OsString::from_wide(&units))
}
