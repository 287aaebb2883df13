//! Integration tests: the real binaries run on temporary trees, one module per area.
//!
//! The Unix modules use symbolic links, raw byte names, mounts and other users; on Windows the `windows` module
//! covers the same rules with what Windows (and Wine, where the suite runs in CI) can show.

#[cfg(unix)]
mod batch;
#[cfg(unix)]
mod clone;
#[cfg(unix)]
mod clone_plan;
#[cfg(unix)]
mod clone_props;
#[cfg(windows)]
mod clone_windows;
mod common;
#[cfg(unix)]
mod dedupe;
#[cfg(unix)]
mod dedupe_select;
#[cfg(unix)]
mod descriptions;
#[cfg(unix)]
mod dialog;
#[cfg(unix)]
mod json;
#[cfg(unix)]
mod list;
#[cfg(unix)]
mod mklink;
#[cfg(unix)]
mod mklnk;
#[cfg(unix)]
mod names;
#[cfg(unix)]
mod output;
#[cfg(unix)]
mod props;
#[cfg(unix)]
mod races;
#[cfg(unix)]
mod readme;
#[cfg(unix)]
mod relink;
#[cfg(unix)]
mod safety;
#[cfg(unix)]
mod snapshot;
#[cfg(unix)]
mod tooling;
#[cfg(windows)]
mod windows;
