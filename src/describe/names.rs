//! Hashing and looking up the hundreds of thousands of file names a batch handles: names are hashed eight bytes
//! at a time, folding ASCII case when the names ignore it, and a [`NameTable`] finds a name's value while the
//! names themselves stay where the caller keeps them (a file's contents), so a name costs no allocation.

use super::format::Case;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Names to values of type `V`, each value telling (through the caller's `name_of`) where its name is kept.
/// Names are found by 32 bits of their hash (a small table stays in the processor's caches) and then compared;
/// the rare second name with an equal key goes to a small overflow list, so two different names never share a
/// value.
#[derive(Debug)]
pub(super) struct NameTable<V> {
    map: HashMap<u32, V, BuildHasherDefault<Prehashed>>,
    overflow: Vec<(u32, V)>,
}

/// The table key of a name: the high half of its hash.
fn key(case: Case, name: &[u8]) -> u32 {
    (hash(case, name) >> 32) as u32
}

impl<V> NameTable<V> {
    /// An empty table with room for `capacity` names.
    pub(super) fn with_capacity(capacity: usize) -> NameTable<V> {
        NameTable {
            map: HashMap::with_capacity_and_hasher(capacity, BuildHasherDefault::default()),
            overflow: Vec::new(),
        }
    }

    /// The value of the name that matches `name`.
    pub(super) fn find<'a>(&self, case: Case, name: &[u8], name_of: impl Fn(&V) -> &'a [u8]) -> Option<&V> {
        let h = key(case, name);
        match self.map.get(&h) {
            None => None,
            Some(v) if case.same(name_of(v), name) => Some(v),
            Some(_) => self.overflow.iter().find(|(oh, v)| *oh == h && case.same(name_of(v), name)).map(|(_, v)| v),
        }
    }

    /// Adds `name`, which the caller has checked is not in the table, with its value.
    pub(super) fn add(&mut self, case: Case, name: &[u8], value: V) {
        let h = key(case, name);
        match self.map.entry(h) {
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(value);
            }
            std::collections::hash_map::Entry::Occupied(_) => self.overflow.push((h, value)),
        }
    }
}

const K: u64 = 0xf135_7aea_2e62_a9c5;

/// A 64-bit hash of `name`, equal for names that `case` treats as the same.
pub(super) fn hash(case: Case, name: &[u8]) -> u64 {
    let fold = case == Case::Insensitive;
    let mix = |h: u64, word: u64| (h.rotate_left(26) ^ if fold { ascii_lower(word) } else { word }).wrapping_mul(K);
    let mut h = name.len() as u64;
    let mut chunks = name.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        h = mix(h, u64::from_le_bytes(word));
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut word = [0u8; 8];
        word[..rest.len()].copy_from_slice(rest);
        h = mix(h, u64::from_le_bytes(word));
    }
    h ^ (h >> 29)
}

/// The eight bytes of `word` with ASCII capitals made small, all at once; bytes above 0x7F are kept.
fn ascii_lower(word: u64) -> u64 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let low = word & LOW7;
    // Per byte: the high bit of `low + (0x80 - b'A')` is set for bytes >= 'A', of `low + (0x80 - b'Z' - 1)` for
    // bytes > 'Z'; their difference marks 'A'..='Z' among bytes whose own high bit is clear.
    let from_a = low + 0x3f3f_3f3f_3f3f_3f3f;
    let past_z = low + 0x2525_2525_2525_2525;
    let upper = (from_a ^ past_z) & !word & HIGH;
    word | (upper >> 2)
}

/// A hasher for keys that are (halves of) hashes already.
#[derive(Debug, Default)]
pub(super) struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(K);
        }
    }

    fn write_u32(&mut self, value: u32) {
        // The value is half a good hash already; the multiply spreads it over the high bits the table uses too.
        self.0 = u64::from(value).wrapping_mul(K);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_eight_bytes_at_once_matches_ascii_lowercase() {
        for b in 0..=255u8 {
            let word = u64::from_le_bytes([b, b'Q', b'z', 0xC9, b'@', b'[', b'`', b'{']);
            let expected = u64::from_le_bytes([b.to_ascii_lowercase(), b'q', b'z', 0xC9, b'@', b'[', b'`', b'{']);
            assert_eq!(ascii_lower(word), expected, "{b:#x}");
        }
    }

    #[test]
    fn names_are_found_by_case_as_asked_and_colliding_hashes_stay_apart() {
        let names: [&[u8]; 4] = [b"Report", b"report", b"a much longer name.txt", b"\xff\xfe"];
        for case in [Case::Exact, Case::Insensitive] {
            let mut table = NameTable::with_capacity(0);
            let mut added = 0;
            for (i, name) in names.iter().enumerate() {
                if table.find(case, name, |&e: &usize| names[e]).is_none() {
                    table.add(case, name, i);
                    added += 1;
                }
            }
            assert_eq!(added, if case == Case::Exact { 4 } else { 3 });
            let folded = case == Case::Insensitive;
            assert_eq!(table.find(case, b"REPORT", |&e| names[e]).is_some(), folded);
            assert_eq!(table.find(case, b"A MUCH longer name.txt", |&e| names[e]).is_some(), folded);
            assert_eq!(table.find(case, b"missing", |&e| names[e]), None);
        }
        // A second name under the same hash (as a collision would put it) is still told apart.
        let kept: [&[u8]; 2] = [b"one", b"two"];
        let mut table = NameTable::with_capacity(2);
        table.add(Case::Exact, b"one", 0usize);
        table.overflow.push((key(Case::Exact, b"one"), 1));
        table.map.insert(key(Case::Exact, b"two"), 1);
        table.overflow.push((key(Case::Exact, b"two"), 0));
        assert_eq!(table.find(Case::Exact, b"one", |&e| kept[e]), Some(&0));
        assert_eq!(table.find(Case::Exact, b"two", |&e| kept[e]), Some(&1));
    }
}
