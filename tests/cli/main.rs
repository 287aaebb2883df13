//! Integration tests: the real binaries run on temporary trees, one module per area.

mod batch;
mod common;
mod list;
mod mklink;
mod mklnk;
mod safety;
