//! Integration tests: the real binaries run on temporary trees, one module per area.

mod batch;
mod common;
mod dialog;
mod json;
mod list;
mod mklink;
mod mklnk;
mod readme;
mod safety;
mod tooling;
