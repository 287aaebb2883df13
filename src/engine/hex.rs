//! Bytes as lowercase hexadecimal text, for the journals that must keep names that are not UTF-8.

/// `bytes` as two lowercase hex digits each.
pub(crate) fn encode(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The bytes of `text` written by [`encode`]; `None` for an odd length or anything but hex digits.
pub(crate) fn decode(text: &str) -> Option<Vec<u8>> {
    let text = text.as_bytes();
    // `from_str_radix` alone would also take a sign ("+1").
    if text.len() % 2 != 0 || !text.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    text.chunks(2).map(|pair| u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_and_refuses_what_it_never_writes() {
        let bytes = [0x00, 0x7f, 0x80, 0xff, b'a'];
        assert_eq!(encode(&bytes), "007f80ff61");
        assert_eq!(decode(&encode(&bytes)).as_deref(), Some(&bytes[..]));
        assert_eq!(decode("abc"), None);
        assert_eq!(decode("zz"), None);
        assert_eq!(decode("+1"), None);
        assert_eq!(decode("é0"), None);
    }
}
