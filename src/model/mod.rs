//! The shared vocabulary of the crate: requests, operations, outcomes, warnings and the error type. Every other
//! layer speaks in these types: the parsers build them, the engine acts on them and reports them, the reporter
//! words them. This module does nothing itself: it holds data and the [`Sink`] trait, and imports nothing but
//! the pure selection types (`select`) a batch request and a usage error carry.

mod clone;
mod dedupe;
mod error;
mod outcome;
mod relink;
mod request;
mod time;
mod usage;

pub use clone::{CloneRequest, CloneSummary, Cloned, ClonedItem, CopyReason, LinkLimit, LinkPlace, OuterLinks};
pub use dedupe::{DedupeRequest, DedupeSummary, DiskUsage, SkipReason, TreeItem};
pub use error::{Error, ErrorKind};
pub use outcome::{Collected, LinkEntry, LinkState, LinkTag, Outcome, Removed, Sink, Warning};
pub use relink::{MoveRequest, RelinkRequest, RelinkStyle};
pub use request::{Link, LinkKind, ListFilter, ListRequest, Operation, Request, TargetStyle};
pub use time::FileTime;
pub use usage::{Feature, OptionName, Party, SelectionProblem, UsageError, ValueProblem};
