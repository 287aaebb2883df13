//! Exit codes, with each front-end's rules: `mklink` exits 0 or 1 as cmd's MKLINK sets ERRORLEVEL; `mklnk`
//! follows the 4DOS/TCC family, 0 for success, 1 for a usage error, 2 when any item failed.

/// Which command's conventions apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Front {
    /// cmd's MKLINK: link first, target second.
    Mklink,
    /// Take Command's MKLNK: existing first, new name second.
    Mklnk,
}

impl Front {
    /// The program name used as the prefix of messages.
    pub fn name(self) -> &'static str {
        match self {
            Front::Mklink => "mklink",
            Front::Mklnk => "mklnk",
        }
    }
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// Everything asked was done.
    Success,
    /// The command line was wrong; nothing was done.
    Usage,
    /// At least one item failed.
    ItemFailed,
}

impl Status {
    /// The process exit code under `front`'s rules.
    pub fn code(self, front: Front) -> u8 {
        match (self, front) {
            (Status::Success, _) => 0,
            (Status::Usage, _) => 1,
            (Status::ItemFailed, Front::Mklink) => 1,
            (Status::ItemFailed, Front::Mklnk) => 2,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mklink_exits_one_on_any_failure() {
        assert_eq!(Status::Usage.code(Front::Mklink), 1);
        assert_eq!(Status::ItemFailed.code(Front::Mklink), 1);
        assert_eq!(Status::Success.code(Front::Mklink), 0);
    }

    #[test]
    fn mklnk_tells_usage_from_item_failure() {
        assert_eq!(Status::Usage.code(Front::Mklnk), 1);
        assert_eq!(Status::ItemFailed.code(Front::Mklnk), 2);
    }
}
