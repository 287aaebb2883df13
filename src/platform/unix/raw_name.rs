//! Names as raw bytes for files this program writes and reads back (journals): on Unix a name is its bytes.

use std::ffi::{OsStr, OsString};

/// The bytes that make up `name`, for writing it where only bytes can go.
pub fn raw_name(name: &OsStr) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    name.as_bytes().to_vec()
}

/// The name [`raw_name`] gave these bytes; `None` when they cannot be one.
///
/// # Platform specific behavior
/// On Unix any bytes are a name.
pub fn name_from_raw(bytes: Vec<u8>) -> Option<OsString> {
    use std::os::unix::ffi::OsStringExt;
    Some(OsString::from_vec(bytes))
}
