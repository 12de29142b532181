//! Handing large buffers back to the allocator without raising its mmap threshold.
//!
//! glibc's malloc serves a large block from its own mapping and, when such a block is freed,
//! raises its mmap threshold to the block's size (up to 32 MiB): every later block below that
//! size is then served from the heap, where freed space is seldom returned, and the peak
//! resident memory of the rest of the run grows. One multi-megabyte input (an organization
//! account list of thousands of accounts) freed once was enough to add megabytes to the peak.
//! Shrinking a buffer to one element before it is dropped releases its mapping by `realloc`
//! (which shrinks the mapping in place), so the block finally freed is small and the threshold
//! stays where it was. Other allocators just see a `realloc` and a `free`.

/// Buffers smaller than this are dropped as they are.
const LARGE: usize = 128 * 1024;

/// Drops `buffer`, shrinking it first when it is large (see the module documentation).
pub fn release<T>(mut buffer: Vec<T>) {
    if buffer.capacity().saturating_mul(size_of::<T>()) >= LARGE {
        buffer.truncate(1);
        buffer.shrink_to(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_and_small_buffers_are_released() {
        release(vec![0u8; 4 << 20]);
        release(vec![String::from("x"); 3]);
        release(Vec::<u64>::with_capacity(1 << 20));
        release(Vec::<u8>::new());
    }
}
