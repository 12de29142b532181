//! How the allocator hands large blocks back to the system.
//!
//! glibc's malloc serves a block of 128 KiB or more from its own mapping, returned to the system
//! when freed; but each such free raises its mmap threshold to the block's size (up to 32 MiB),
//! after which blocks below that size come from the heap arenas, where freed space is seldom
//! returned. An audit frees large blocks all the time (each input file's bytes, each account's
//! rendered results lines, the workbook's buffers), so the threshold soon sits at megabytes
//! and the resident memory of the run grows with the largest blocks seen on every thread
//! (measured on the 1,000-account benchmark at two threads: 45 MiB peak, against 28 MiB with
//! the threshold fixed). Fixing the threshold keeps every large block in its own mapping.
//! Other allocators and platforms are left as they are.

/// Blocks of this size or more are always served from their own mapping (glibc's default
/// starting threshold).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MMAP_THRESHOLD: libc::c_int = 128 * 1024;

/// Fixes glibc's mmap threshold at 128 KiB for the rest of the process (see the module
/// documentation). Call once, at start-up; elsewhere this does nothing.
pub fn fix_mmap_threshold() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only reads its two integer arguments and changes the allocator's
    // parameters, which glibc allows at any time; a refusal (0) leaves the default behaviour.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD);
    }
}

#[cfg(all(test, target_os = "linux", target_env = "gnu"))]
mod tests {
    use super::*;

    /// Resident memory of this process, in KiB (from /proc/self/statm, pages of 4 KiB).
    fn resident_kib() -> u64 {
        let statm = std::fs::read_to_string("/proc/self/statm").unwrap();
        let pages: u64 = statm.split_whitespace().nth(1).unwrap().parse().unwrap();
        pages * 4
    }

    #[test]
    fn with_the_threshold_fixed_freed_large_blocks_leave_no_resident_memory_behind() {
        fix_mmap_threshold();
        // Free one very large block (which would raise a dynamic threshold to its size), then
        // hold 24 blocks just under 1 MiB at once and free them: in their own mappings they
        // go back to the system; from the heap, 21 MiB would stay resident (under the trim
        // threshold a raised mmap threshold also raises).
        drop(std::hint::black_box(vec![1u8; 16 << 20]));
        let before = resident_kib();
        let blocks: Vec<Vec<u8>> = (0..24).map(|_| vec![1u8; 900 * 1024]).collect();
        let held = resident_kib();
        drop(std::hint::black_box(blocks));
        let after = resident_kib();
        assert!(held > before + 16 * 1024, "{before} -> {held} KiB");
        assert!(after < before + 6 * 1024, "{before} KiB -> {after} KiB");
    }
}
