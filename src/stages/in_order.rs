//! Items computed on a pool of workers and handed to one sink in their order, by the workers
//! themselves: a worker that finishes an item parks it; whichever worker finds the sink free
//! hands it every parked item that is next in turn, then goes back to computing. So no thread
//! waits for the sink's work to be done except the one doing it, and `threads` workers keep at
//! most `threads` cores busy, the sink's work included (one worker: computing and sinking in
//! turn, on one thread).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};

/// Items a worker may run ahead of the sink, per worker (bounds the parked items' memory).
const AHEAD_PER_WORKER: usize = 2;

/// Outcomes waiting for their turn.
struct Turns<T, E> {
    /// The next item the sink takes.
    next: usize,
    /// Outcomes of later items, finished before their turn.
    parked: BTreeMap<usize, Result<T, E>>,
    /// A worker is handing items to the sink (the others park theirs and go on).
    sinking: bool,
    /// The first error, in item order; nothing is sunk after it.
    failed: Option<E>,
}

/// Computes items `0..count` with `compute` on `threads` workers of `pool`, taking them in
/// order with a bounded look-ahead, and hands each result to `sink` in item order. Stops at
/// the first error in item order (from `compute` or `sink`) and returns it.
pub fn process_in_order<T: Send, E: Send>(
    pool: &rayon::ThreadPool,
    threads: usize,
    count: usize,
    compute: impl Fn(usize) -> Result<T, E> + Sync,
    sink: impl FnMut(T) -> Result<(), E> + Send,
) -> Result<(), E> {
    let window = threads.max(1) * AHEAD_PER_WORKER;
    let claimed = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let turns = Mutex::new(Turns {
        next: 0,
        parked: BTreeMap::new(),
        sinking: false,
        failed: None,
    });
    let moved = Condvar::new();
    let sink = Mutex::new(sink);
    let lock = || turns.lock().unwrap_or_else(|p| p.into_inner());
    let worker = || {
        loop {
            let i = claimed.fetch_add(1, Ordering::SeqCst);
            if i >= count || stop.load(Ordering::SeqCst) {
                return;
            }
            {
                let mut t = lock();
                while i >= t.next + window && !stop.load(Ordering::SeqCst) {
                    t = moved.wait(t).unwrap_or_else(|p| p.into_inner());
                }
            }
            if stop.load(Ordering::SeqCst) {
                return;
            }
            let outcome = compute(i);
            let mut t = lock();
            t.parked.insert(i, outcome);
            if t.sinking {
                continue;
            }
            t.sinking = true;
            while let Some(outcome) = {
                let next = t.next;
                t.parked.remove(&next)
            } {
                let failed = t.failed.is_some();
                drop(t);
                let step = if failed {
                    Ok(())
                } else {
                    outcome.and_then(|item| (sink.lock().unwrap_or_else(|p| p.into_inner()))(item))
                };
                t = lock();
                if let Err(e) = step {
                    t.failed = Some(e);
                    stop.store(true, Ordering::SeqCst);
                }
                t.next += 1;
                moved.notify_all();
            }
            t.sinking = false;
        }
    };
    pool.in_place_scope(|scope| {
        for _ in 0..threads.max(1) {
            scope.spawn(|_| worker());
        }
    });
    let t = turns.into_inner().unwrap_or_else(|p| p.into_inner());
    t.failed.map_or(Ok(()), Err)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool(threads: usize) -> rayon::ThreadPool {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
    }

    /// Items that take longer the earlier they come, so later ones finish first.
    fn slow_early(i: usize) -> Result<usize, String> {
        std::thread::sleep(std::time::Duration::from_micros(
            ((50 - i % 50) * 20) as u64,
        ));
        Ok(i)
    }

    #[test]
    fn the_sink_gets_every_item_in_order_whatever_the_threads() {
        for threads in [1, 2, 3, 8] {
            let mut seen = Vec::new();
            process_in_order(&pool(threads), threads, 200, slow_early, |i| {
                seen.push(i);
                Ok(())
            })
            .unwrap();
            assert_eq!(seen, (0..200).collect::<Vec<_>>(), "{threads} threads");
        }
    }

    #[test]
    fn the_first_error_in_item_order_stops_the_run_and_nothing_after_it_is_sunk() {
        for threads in [1, 4] {
            let mut seen = Vec::new();
            let result = process_in_order(
                &pool(threads),
                threads,
                100,
                |i| {
                    if i == 30 || i == 60 {
                        Err(format!("item {i}"))
                    } else {
                        slow_early(i)
                    }
                },
                |i| {
                    seen.push(i);
                    Ok(())
                },
            );
            assert_eq!(result, Err("item 30".to_string()), "{threads} threads");
            assert_eq!(seen, (0..30).collect::<Vec<_>>(), "{threads} threads");
        }
    }

    #[test]
    fn an_error_from_the_sink_stops_the_run() {
        let mut seen = Vec::new();
        let result = process_in_order(&pool(2), 2, 50, slow_early, |i| {
            if i == 10 {
                return Err("sink".to_string());
            }
            seen.push(i);
            Ok(())
        });
        assert_eq!(result, Err("sink".to_string()));
        assert_eq!(seen, (0..10).collect::<Vec<_>>());
    }

    #[test]
    fn workers_run_no_further_ahead_of_the_sink_than_the_window() {
        let threads = 3;
        let sunk = AtomicUsize::new(0);
        let furthest = AtomicUsize::new(0);
        process_in_order(
            &pool(threads),
            threads,
            300,
            |i| {
                let behind = i.saturating_sub(sunk.load(Ordering::SeqCst));
                furthest.fetch_max(behind, Ordering::SeqCst);
                Ok::<_, String>(i)
            },
            |_| {
                std::thread::sleep(std::time::Duration::from_micros(200));
                sunk.fetch_add(1, Ordering::SeqCst);
                Ok(())
            },
        )
        .unwrap();
        assert!(
            furthest.load(Ordering::SeqCst) < threads * AHEAD_PER_WORKER,
            "{}",
            furthest.load(Ordering::SeqCst)
        );
    }

    #[test]
    fn one_thread_computes_and_sinks_on_the_same_thread_in_turn() {
        let mut sink_threads = std::collections::BTreeSet::new();
        let compute_threads = Mutex::new(std::collections::BTreeSet::new());
        process_in_order(
            &pool(1),
            1,
            20,
            |i| {
                compute_threads
                    .lock()
                    .unwrap()
                    .insert(format!("{:?}", std::thread::current().id()));
                Ok::<_, String>(i)
            },
            |_| {
                sink_threads.insert(format!("{:?}", std::thread::current().id()));
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(sink_threads.len(), 1);
        assert_eq!(sink_threads, compute_threads.into_inner().unwrap());
    }
}
