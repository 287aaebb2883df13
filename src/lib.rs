//! `mklink`: cmd's MKLINK and Take Command's MKLNK for Linux, Windows and macOS.
//!
//! The crate is a library with two thin binaries. A front-end parser (`cli`) turns a command line into a typed
//! [`Request`]; the [`engine`] carries it out through the platform layer and hands one [`Outcome`] per item to a
//! [`Sink`]; the reporter (`report`) words the outcomes as cmd or TCC would and sets the exit status. Other Rust
//! programs can build a [`Request`] themselves and call [`run`].
//!
//! # Examples
//!
//! Make a hard link (MKLNK style: a file gets a hard link, a directory a junction), then read, retarget and
//! delete a soft link (the soft-link examples are not run on Windows, whose tests run under Wine, which cannot
//! make symbolic links or junctions):
//!
//! ```ignore-windows
//! use mklink::{run, Collected, Link, Operation, Outcome, Request};
//! let dir = tempfile::tempdir().unwrap();
//! let (data, copy) = (dir.path().join("data.db"), dir.path().join("copy.db"));
//! std::fs::write(&data, "payload").unwrap();
//! let mut out = Collected::default();
//! let make = Operation::Link(Link::pair(&data, &copy));
//! run(&Request { operation: make, dry_run: false }, &mut out);
//! assert!(matches!(out.outcomes[0], Outcome::Created { .. }));
//! assert_eq!(std::fs::read_to_string(&copy).unwrap(), "payload");
//!
//! // A directory gets a soft link; making it again with another directory retargets it atomically.
//! let (v1, v2, current) = (dir.path().join("v1"), dir.path().join("v2"), dir.path().join("current"));
//! std::fs::create_dir(&v1).unwrap();
//! std::fs::create_dir(&v2).unwrap();
//! for target in [&v1, &v2] {
//!     let make = Operation::Link(Link::pair(target, &current));
//!     run(&Request { operation: make, dry_run: false }, &mut out);
//! }
//! assert!(matches!(out.outcomes[2], Outcome::Updated { .. }));
//!
//! // Query, then delete the link: the directory it points to stays.
//! run(&Request { operation: Operation::Query { link: current.clone() }, dry_run: false }, &mut out);
//! assert!(matches!(&out.outcomes[3], Outcome::Queried { target, .. } if target == &v2));
//! run(&Request { operation: Operation::Delete { link: current.clone(), descriptions: false }, dry_run: false }, &mut out);
//! assert!(!current.exists() && v2.is_dir());
//!
//! // Delete refuses a file's last name.
//! std::fs::remove_file(&copy).unwrap();
//! run(&Request { operation: Operation::Delete { link: data.clone(), descriptions: false }, dry_run: false }, &mut out);
//! assert!(matches!(&out.outcomes[5], Outcome::Failed(e) if e.kind() == mklink::ErrorKind::LastLink));
//! assert!(data.exists());
//! ```
//!
//! List the links in a tree:
//!
//! ```ignore-windows
//! use mklink::{run, Collected, ListFilter, ListRequest, Operation, Outcome, Request};
//! let dir = tempfile::tempdir().unwrap();
//! std::os::unix::fs::symlink("missing", dir.path().join("gone")).unwrap();
//! let list = ListRequest { roots: vec![dir.path().to_path_buf()], recursive: true, filter: ListFilter::Dangling, resolve: false };
//! let mut out = Collected::default();
//! run(&Request { operation: Operation::List(list), dry_run: false }, &mut out);
//! assert!(matches!(&out.outcomes[0], Outcome::Listed(entry) if entry.path.ends_with("gone")));
//! ```
//!
//! Hard-link a batch chosen with TCC wildcards and ranges, as `mklnk "/[s1,100]" "src/*.log" dst` does:
//!
//! ```
//! use mklink::cli::{mklnk, Parsed};
//! use mklink::{run, Collected, Outcome};
//! let dir = tempfile::tempdir().unwrap();
//! std::fs::create_dir_all(dir.path().join("src")).unwrap();
//! std::fs::create_dir_all(dir.path().join("dst")).unwrap();
//! std::fs::write(dir.path().join("src/a.log"), "some text").unwrap();
//! std::fs::write(dir.path().join("src/empty.log"), "").unwrap();
//! let src = dir.path().join("src/*.log");
//! let argv = ["/[s1,100]".into(), src.into_os_string(), dir.path().join("dst").into_os_string()];
//! let Parsed::Run(args) = mklnk::parse(argv) else { panic!("not parsed") };
//! let Ok(mklnk::Job::Run(request)) = args.job(jiff::Zoned::now) else { panic!("not a request") };
//! let mut out = Collected::default();
//! run(&request, &mut out);
//! assert_eq!(out.outcomes.iter().filter(|o| matches!(o, Outcome::Created { .. })).count(), 1);
//! assert!(dir.path().join("dst/a.log").exists() && !dir.path().join("dst/empty.log").exists());
//! ```
#![deny(missing_docs)]

// The front-ends: parsers, reporter and the glue the binaries call (cargo feature `cli`). Hidden from the
// documentation: they are the binaries' own, not the library's API.
#[cfg(feature = "cli")]
#[doc(hidden)]
pub mod cli;
#[cfg(feature = "cli")]
#[doc(hidden)]
pub mod front;
#[cfg(feature = "cli")]
#[doc(hidden)]
pub mod report;

// The layers below the front-ends. `describe`, `platform` and `select` stay reachable (hidden) for the fuzz
// targets and the integration tests, which exercise them directly; the engine is reached through `run`.
#[doc(hidden)]
pub mod describe;
mod engine;
pub mod model;
#[doc(hidden)]
pub mod platform;
#[doc(hidden)]
pub mod select;

pub use engine::{absolute_normalised, relative_target, run};
pub use model::{
    Collected, Error, ErrorKind, Link, LinkEntry, LinkKind, LinkState, LinkTag, ListFilter, ListRequest, MoveRequest,
    Operation, Outcome, RelinkRequest, RelinkStyle, Removed, Request, Sink, TargetStyle, Warning,
};
