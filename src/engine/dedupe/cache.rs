//! The hash cache that spares a second run the reading: the sampled and (where computed) full hash of each file
//! read, keyed by its device and inode and valid only while its size, write time and change time are exactly
//! what they were.
//!
//! A cached hash only decides which files are compared; the bytes of the two files are still compared right
//! before each link. So a stale entry (content rewritten within the timestamp granularity) can at worst make a
//! run miss a merge, never link different files; and `--trust-hash`, which links on another hash (BLAKE3) alone,
//! neither reads nor writes the cache. The file is rewritten whole under a temporary name and renamed into place, so concurrent runs leave
//! one complete cache or the other.
//!
//! Because a cached hash only picks the files to compare, the cache keeps 96 bits of each hash and a 64-bit
//! digest of the stamp: 48 bytes a file, in memory (a sorted array, no hash table) as on disk, so a cache of a
//! million files costs 46 MiB. A run that does not trust hashes groups its fresh hashes by the same 96 bits.

use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::Path;

const MAGIC: &[u8; 8] = b"MKLDDH4\n";
/// The bytes of each hash kept.
const HALF: usize = 12;
const RECORD: usize = 8 * 3 + 2 * HALF;
/// At most this many entries are kept (46 MiB at most).
const LIMIT: usize = 1_000_000;

/// What an entry is valid for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Stamp {
    pub size: u64,
    pub mtime: i64,
    pub ctime: i64,
}

impl Stamp {
    /// A 64-bit digest of the stamp: a stale entry whose digest collides (one chance in 2^64) could only make a
    /// run compare two files needlessly or miss a merge.
    fn digest(self) -> u64 {
        let mut bytes = [0u8; 24];
        for (at, word) in [self.size, self.mtime as u64, self.ctime as u64].into_iter().enumerate() {
            bytes[at * 8..at * 8 + 8].copy_from_slice(&word.to_le_bytes());
        }
        xxhash_rust::xxh3::xxh3_64(&bytes)
    }
}

/// What is known of one file's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Hashes {
    /// The sampled hash (for a small file, the full hash).
    pub sample: [u8; 32],
    /// The full hash, when it was needed.
    pub full: Option<[u8; 32]>,
}

/// The 96 bits of a hash the cache keeps, as a hash with the rest cleared (what [`Cache::get`] gives back).
pub(super) fn short(hash: [u8; 32]) -> [u8; 32] {
    widen(&half(&hash))
}

fn half(hash: &[u8; 32]) -> [u8; HALF] {
    let mut out = [0; HALF];
    out.copy_from_slice(&hash[..HALF]);
    out
}

fn widen(half: &[u8; HALF]) -> [u8; 32] {
    let mut out = [0; 32];
    out[..HALF].copy_from_slice(half);
    out
}

/// One file's entry, as in memory so on disk (little-endian words, then the two half hashes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    dev: u64,
    ino: u64,
    stamp: u64,
    sample: [u8; HALF],
    /// All zero: no full hash (a real one is all zero once in 2^96).
    full: [u8; HALF],
}

impl Entry {
    fn key(&self) -> (u64, u64) {
        (self.dev, self.ino)
    }

    fn from_bytes(r: &[u8; RECORD]) -> Entry {
        let word = |i: usize| u64::from_le_bytes(r[i * 8..i * 8 + 8].try_into().unwrap_or([0; 8]));
        let (mut sample, mut full) = ([0u8; HALF], [0u8; HALF]);
        sample.copy_from_slice(&r[24..24 + HALF]);
        full.copy_from_slice(&r[24 + HALF..]);
        Entry { dev: word(0), ino: word(1), stamp: word(2), sample, full }
    }

    fn write(&self, out: &mut impl Write) -> io::Result<()> {
        for word in [self.dev, self.ino, self.stamp] {
            out.write_all(&word.to_le_bytes())?;
        }
        out.write_all(&self.sample)?;
        out.write_all(&self.full)
    }
}

/// Hashes by (device, inode): the entries loaded, sorted, and those recorded during this run.
#[derive(Default)]
pub(super) struct Cache {
    loaded: Vec<Entry>,
    added: Vec<Entry>,
    /// Recorded by [`put_final`](Self::put_final): these win over any other entry of their file.
    late: Vec<Entry>,
    changed: bool,
    /// The path holds something other than a regular file (a FIFO, a device, a directory): it is neither read
    /// nor replaced.
    left_alone: bool,
}

impl Cache {
    /// Loads the cache at `path`; a missing, unreadable or malformed file is an empty cache. Only a regular file
    /// is read (following a symbolic link); anything else at `path` is an empty cache that is never saved there.
    pub(super) fn load(path: &Path) -> Cache {
        let mut cache = Cache::default();
        let file = match crate::platform::open_regular_file(path) {
            Ok(file) => file,
            Err(e) => {
                cache.left_alone = e.kind() == io::ErrorKind::InvalidData;
                return cache;
            }
        };
        let len = file.metadata().map_or(0, |m| m.len());
        let mut input = BufReader::with_capacity(64 * 1024, file);
        let mut magic = [0u8; 8];
        if input.read_exact(&mut magic).is_err() || &magic != MAGIC {
            return cache;
        }
        let count = usize::try_from(len.saturating_sub(8) / RECORD as u64).unwrap_or(0).min(LIMIT);
        cache.loaded.reserve_exact(count);
        let mut record = [0u8; RECORD];
        while cache.loaded.len() < LIMIT && input.read_exact(&mut record).is_ok() {
            cache.loaded.push(Entry::from_bytes(&record));
        }
        cache.loaded.sort_unstable_by_key(Entry::key);
        cache.loaded.dedup_by_key(|e| e.key());
        cache
    }

    fn find(&self, dev: u64, ino: u64) -> Option<&Entry> {
        self.loaded.binary_search_by_key(&(dev, ino), Entry::key).ok().map(|i| &self.loaded[i])
    }

    /// The hashes of the file if the cache holds them for exactly this stamp, shortened to the 96 bits kept
    /// (see [`short`]).
    pub(super) fn get(&self, dev: u64, ino: u64, stamp: Stamp) -> Option<Hashes> {
        let entry = self.find(dev, ino).filter(|e| e.stamp == stamp.digest())?;
        let full = (entry.full != [0; HALF]).then(|| widen(&entry.full));
        Some(Hashes { sample: widen(&entry.sample), full })
    }

    /// Records what is known of a file.
    pub(super) fn put(&mut self, dev: u64, ino: u64, stamp: Stamp, hash: Hashes) {
        let full = hash.full.as_ref().map_or([0; HALF], half);
        let entry = Entry { dev, ino, stamp: stamp.digest(), sample: half(&hash.sample), full };
        let known = self.find(dev, ino);
        if known == Some(&entry) {
            return;
        }
        if known.is_none() && self.loaded.len() + self.added.len() >= LIMIT {
            return;
        }
        self.added.push(entry);
        self.changed = true;
    }

    /// Records what is known of a file as it is at the end of the run (our links moved its change time): this
    /// entry replaces any other of the file.
    pub(super) fn put_final(&mut self, dev: u64, ino: u64, stamp: Stamp, hash: Hashes) {
        let full = hash.full.as_ref().map_or([0; HALF], half);
        self.late.push(Entry { dev, ino, stamp: stamp.digest(), sample: half(&hash.sample), full });
        self.changed = true;
    }

    /// Writes the cache to `path` (a temporary beside it, then a rename) if anything changed: the loaded entries
    /// with the ones recorded since in their place, in key order.
    ///
    /// # Errors
    /// The OS error of creating, writing or renaming the file.
    pub(super) fn save(&mut self, path: &Path) -> io::Result<()> {
        if !self.changed || self.left_alone {
            return Ok(());
        }
        // One entry a file: one with a full hash over one without (the full hash was found later in the run),
        // and the entries of files our own links touched, recorded at the end, over both. Sorting in place keeps
        // the peak memory at the entries themselves.
        let late = &mut self.late;
        late.sort_unstable_by_key(Entry::key);
        late.dedup_by_key(|e| e.key());
        for entry in &mut self.added {
            if let Ok(i) = late.binary_search_by_key(&entry.key(), Entry::key) {
                *entry = late[i];
            }
        }
        self.added.append(late);
        self.added.sort_unstable_by_key(|e| (e.key(), e.full == [0; HALF]));
        self.added.dedup_by_key(|e| e.key());
        let mut newest = self.added.iter().peekable();
        let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        let temp = dir.join(crate::platform::temp_name());
        let written = std::fs::File::create_new(&temp).and_then(|file| {
            let mut out = BufWriter::with_capacity(64 * 1024, file);
            out.write_all(MAGIC)?;
            for old in &self.loaded {
                while let Some(new) = newest.next_if(|n| n.key() < old.key()) {
                    new.write(&mut out)?;
                }
                match newest.next_if(|n| n.key() == old.key()) {
                    Some(new) => new.write(&mut out)?,
                    None => old.write(&mut out)?,
                }
            }
            for new in newest {
                new.write(&mut out)?;
            }
            out.flush()
        });
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
        let kept = Hashes { sample: short([8; 32]), full: Some(short([9; 32])) };
        assert_eq!(loaded.get(1, 2, stamp), Some(kept));
        assert_eq!(loaded.get(1, 4, stamp).unwrap().full, None);
        assert_eq!(loaded.get(1, 2, Stamp { ctime: 8, ..stamp }), None);
        assert_eq!(loaded.get(1, 3, stamp), None);
        std::fs::write(&path, b"garbage").unwrap();
        assert_eq!(Cache::load(&path).get(1, 2, stamp), None);
    }

    #[test]
    fn a_second_save_merges_new_entries_into_the_old_in_order_and_the_last_put_wins() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache");
        let stamp = Stamp { size: 1, mtime: 2, ctime: 3 };
        let h = |b: u8| Hashes { sample: [b; 32], full: None };
        let mut first = Cache::default();
        for ino in [5, 1, 3] {
            first.put(9, ino, stamp, h(ino as u8));
        }
        first.save(&path).unwrap();
        let mut second = Cache::load(&path);
        second.put(9, 3, stamp, h(30));
        second.put_final(9, 3, stamp, h(31));
        second.put(9, 4, stamp, h(4));
        second.put(9, 7, stamp, h(7));
        second.put(9, 1, stamp, h(1));
        second.save(&path).unwrap();
        let third = Cache::load(&path);
        for (ino, b) in [(1, 1), (3, 31), (4, 4), (5, 5), (7, 7)] {
            assert_eq!(third.get(9, ino, stamp).map(|x| x.sample), Some(short([b; 32])), "inode {ino}");
        }
        assert_eq!(std::fs::metadata(&path).unwrap().len(), (8 + 5 * RECORD) as u64);
    }
}
