//! Independent jobs run on a bounded number of threads.

use std::sync::Mutex;

/// A job of [`run`]: any closure that can move to another thread.
pub type Job<'a, T> = Box<dyn FnOnce() -> T + Send + 'a>;

/// Runs `jobs` on up to `threads` threads, the calling thread being one of them, so at most
/// `threads` run at once (one: each in turn, on this thread). Jobs start in the order given:
/// put the longest first. Returns their results in that order, whatever order they finished
/// in. A job that panics makes this panic.
pub fn run<'a, T: Send>(threads: usize, jobs: Vec<Job<'a, T>>) -> Vec<T> {
    let count = jobs.len();
    let queue = Mutex::new(jobs.into_iter().enumerate());
    let done: Mutex<Vec<(usize, T)>> = Mutex::new(Vec::with_capacity(count));
    let work = || {
        loop {
            let next = queue.lock().unwrap_or_else(|p| p.into_inner()).next();
            let Some((index, job)) = next else {
                return;
            };
            let result = job();
            done.lock()
                .unwrap_or_else(|p| p.into_inner())
                .push((index, result));
        }
    };
    std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads.min(count)).map(|_| scope.spawn(work)).collect();
        work();
        for helper in helpers {
            if let Err(panic) = helper.join() {
                std::panic::resume_unwind(panic);
            }
        }
    });
    let mut done = done.into_inner().unwrap_or_else(|p| p.into_inner());
    done.sort_by_key(|(index, _)| *index);
    done.into_iter().map(|(_, result)| result).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn results_come_back_in_the_order_of_the_jobs_whatever_the_threads() {
        for threads in [1, 2, 4, 16] {
            let jobs: Vec<Job<'_, usize>> = (0..10)
                .map(|i| -> Job<'_, usize> {
                    Box::new(move || {
                        std::thread::sleep(std::time::Duration::from_millis((10 - i) as u64));
                        i
                    })
                })
                .collect();
            assert_eq!(run(threads, jobs), (0..10).collect::<Vec<_>>(), "{threads}");
        }
    }

    #[test]
    fn no_more_jobs_run_at_once_than_the_threads_given() {
        for threads in [1, 3] {
            let running = AtomicUsize::new(0);
            let most = AtomicUsize::new(0);
            let jobs: Vec<Job<'_, ()>> = (0..12)
                .map(|_| -> Job<'_, ()> {
                    Box::new(|| {
                        let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(now, Ordering::SeqCst);
                        std::thread::sleep(std::time::Duration::from_millis(5));
                        running.fetch_sub(1, Ordering::SeqCst);
                    })
                })
                .collect();
            run(threads, jobs);
            assert_eq!(most.load(Ordering::SeqCst), threads, "{threads}");
        }
    }

    #[test]
    fn one_thread_runs_every_job_on_the_calling_thread() {
        let caller = std::thread::current().id();
        let jobs: Vec<Job<'_, bool>> = (0..3)
            .map(|_| -> Job<'_, bool> { Box::new(move || std::thread::current().id() == caller) })
            .collect();
        assert_eq!(run(1, jobs), vec![true; 3]);
    }
}
