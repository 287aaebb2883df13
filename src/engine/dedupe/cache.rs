//! The hash cache that spares a second run the reading: the sampled and (where computed) full hash of each file
//! read, keyed by its device and inode and valid only while its size, write time and change time are exactly
//! what they were.
//!
//! A cached hash only decides which files are compared; the bytes of the two files are still compared right
//! before each link. So a stale entry (content rewritten within the timestamp granularity) can at worst make a
//! run miss a merge, never link different files; and `--trust-hash`, which links on the hash alone, does not read
//! the cache. The file is rewritten whole under a temporary name and renamed into place, so concurrent runs leave
//! one complete cache or the other.

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::path::Path;

const MAGIC: &[u8; 8] = b"MKLDDH2\n";
const RECORD: usize = 8 * 5 + 32 + 32 + 1;
/// At most this many entries are kept (about 90 MiB of memory at most while loaded).
const LIMIT: usize = 1_000_000;

/// What an entry is valid for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Stamp {
    pub size: u64,
    pub mtime: i64,
    pub ctime: i64,
}

/// What is known of one file's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Hashes {
    /// The sampled hash (for a small file, the full hash).
    pub sample: [u8; 32],
    /// The full hash, when it was needed.
    pub full: Option<[u8; 32]>,
}

/// Hashes by (device, inode).
#[derive(Default)]
pub(super) struct Cache {
    entries: HashMap<(u64, u64), (Stamp, Hashes)>,
    changed: bool,
}

impl Cache {
    /// Loads the cache at `path`; a missing, unreadable or malformed file is an empty cache.
    pub(super) fn load(path: &Path) -> Cache {
        let mut cache = Cache::default();
        let mut bytes = Vec::new();
        let read = std::fs::File::open(path).and_then(|mut f| f.read_to_end(&mut bytes));
        if read.is_err() || !bytes.starts_with(MAGIC) {
            return cache;
        }
        for r in bytes[MAGIC.len()..].chunks_exact(RECORD) {
            let word = |i: usize| u64::from_le_bytes(r[i * 8..i * 8 + 8].try_into().unwrap_or([0; 8]));
            let stamp = Stamp { size: word(2), mtime: word(3) as i64, ctime: word(4) as i64 };
            let (mut sample, mut full) = ([0u8; 32], [0u8; 32]);
            sample.copy_from_slice(&r[40..72]);
            full.copy_from_slice(&r[72..104]);
            let hashes = Hashes { sample, full: (r[104] == 1).then_some(full) };
            cache.entries.insert((word(0), word(1)), (stamp, hashes));
        }
        cache
    }

    /// The hashes of the file if the cache holds them for exactly this stamp.
    pub(super) fn get(&self, dev: u64, ino: u64, stamp: Stamp) -> Option<Hashes> {
        self.entries.get(&(dev, ino)).filter(|(s, _)| *s == stamp).map(|(_, h)| *h)
    }

    /// Records what is known of a file.
    pub(super) fn put(&mut self, dev: u64, ino: u64, stamp: Stamp, hash: Hashes) {
        if self.entries.len() >= LIMIT && !self.entries.contains_key(&(dev, ino)) {
            return;
        }
        if self.entries.insert((dev, ino), (stamp, hash)) != Some((stamp, hash)) {
            self.changed = true;
        }
    }

    /// Writes the cache to `path` (a temporary beside it, then a rename) if anything changed.
    ///
    /// # Errors
    /// The OS error of creating, writing or renaming the file.
    pub(super) fn save(&self, path: &Path) -> io::Result<()> {
        if !self.changed {
            return Ok(());
        }
        let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        let temp = dir.join(crate::platform::temp_name());
        let mut out = Vec::with_capacity(MAGIC.len() + self.entries.len() * RECORD);
        out.extend_from_slice(MAGIC);
        for (&(dev, ino), (stamp, hash)) in &self.entries {
            for word in [dev, ino, stamp.size, stamp.mtime as u64, stamp.ctime as u64] {
                out.extend_from_slice(&word.to_le_bytes());
            }
            out.extend_from_slice(&hash.sample);
            out.extend_from_slice(&hash.full.unwrap_or([0; 32]));
            out.push(u8::from(hash.full.is_some()));
        }
        let written = std::fs::File::create_new(&temp).and_then(|mut f| f.write_all(&out));
        let renamed = written.and_then(|()| std::fs::rename(&temp, path));
        if renamed.is_err() {
            let _ = std::fs::remove_file(&temp);
        }
        renamed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_survive_a_save_and_load_and_only_match_their_exact_stamp() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/cache");
        let stamp = Stamp { size: 10, mtime: -5, ctime: 7 };
        let mut cache = Cache::default();
        let hashes = Hashes { sample: [8; 32], full: Some([9; 32]) };
        cache.put(1, 2, stamp, hashes);
        cache.put(1, 4, stamp, Hashes { full: None, ..hashes });
        cache.save(&path).unwrap();
        let loaded = Cache::load(&path);
        assert_eq!(loaded.get(1, 2, stamp), Some(hashes));
        assert_eq!(loaded.get(1, 4, stamp).unwrap().full, None);
        assert_eq!(loaded.get(1, 2, Stamp { ctime: 8, ..stamp }), None);
        assert_eq!(loaded.get(1, 3, stamp), None);
        std::fs::write(&path, b"garbage").unwrap();
        assert_eq!(Cache::load(&path).get(1, 2, stamp), None);
    }
}
