//! Integration tests: the real binaries run on temporary trees, one module per area.

mod batch;
mod common;
mod mklink;
mod mklnk;
mod props;
mod safety;
