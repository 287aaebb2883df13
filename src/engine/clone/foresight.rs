//! What a dry run foresees of linking: a file on another device than DEST, or one that already has as many
//! names as DEST's file system allows (counting the names the plan itself gives it).

use crate::platform::Node;
use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

/// What a dry run knows of the destination, to foresee what linking would meet.
pub(super) struct Foresight {
    /// DEST's device: a file on another one cannot be linked.
    pub dev: u64,
    /// The most names one file may have there, where known.
    pub link_max: Option<u64>,
    /// Names the plan gave so far to files with more than half the limit (only those can reach it).
    pub planned: Mutex<HashMap<(u64, u64), u64>>,
}

impl Foresight {
    /// Whether the file `node` takes one more name; if so, counts it.
    pub(super) fn takes_one_more(&self, node: &Node) -> bool {
        let Some(max) = self.link_max else { return true };
        if node.nlink.saturating_mul(2) <= max {
            // Even if every name it has were inside SOURCE, the copy would at most double them.
            return true;
        }
        let mut planned = self.planned.lock().unwrap_or_else(PoisonError::into_inner);
        let added = planned.entry((node.dev, node.ino)).or_insert(0);
        if node.nlink + *added >= max {
            return false;
        }
        *added += 1;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::NodeKind;

    #[test]
    fn a_plan_foresees_the_link_limit_counting_the_names_it_gives() {
        let sight = Foresight { dev: 1, link_max: Some(10), planned: Mutex::new(HashMap::new()) };
        let node = |nlink| Node {
            kind: NodeKind::File,
            mode: 0o644,
            uid: 0,
            gid: 0,
            size: 0,
            modified: (0, 0),
            accessed: (0, 0),
            dev: 1,
            ino: nlink,
            nlink,
            rdev: 0,
        };
        // Five names: even five more fit, and nothing is counted.
        assert!((0..5).all(|_| sight.takes_one_more(&node(5))));
        assert!(sight.planned.lock().unwrap().is_empty());
        // Eight names: two more fit, the third would exceed ten.
        let eight = node(8);
        assert_eq!((0..3).map(|_| sight.takes_one_more(&eight)).collect::<Vec<_>>(), [true, true, false]);
        assert!(!sight.takes_one_more(&node(10)));
        let unlimited = Foresight { dev: 1, link_max: None, planned: Mutex::new(HashMap::new()) };
        assert!(unlimited.takes_one_more(&node(u64::MAX)));
    }
}
