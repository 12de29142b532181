//! Primitives every layer uses: ARNs, timestamps, the as-of date, source references, digests,
//! errors, the version line, the allocator's threshold for large blocks and independent jobs on
//! bounded threads. They import nothing else of the crate.

pub mod arn;
pub mod asof;
pub mod digest;
pub mod error;
pub mod memory;
pub mod parallel;
pub mod source;
pub mod timestamp;
pub mod version;
