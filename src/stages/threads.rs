//! Scheduling of the worker threads.
//!
//! Every row of the workbook goes through the writer's thread, so it is the run's critical
//! path; the workers only need to keep it fed. When there are as many workers as cores, they
//! and the writer share the cores evenly, and the writer, which needs a core of its own, is
//! slowed by a third. So on Linux each worker lowers its own scheduling priority (nice +10
//! from the process's): the writer wins a contended core, and the workers use the
//! rest (measured on the 1,000-account benchmark dump at 2 threads on 2 cores: about 10%
//! faster). Elsewhere this does nothing.

/// How much lower than the process's a worker's priority is (in nice steps).
#[cfg(target_os = "linux")]
const WORKER_NICE_STEP: i32 = 10;

/// Lowers the calling thread's scheduling priority, as a worker's. Best effort: a refusal by
/// the system is ignored (the run is only slower).
#[cfg(target_os = "linux")]
pub fn lower_worker_priority() {
    // SAFETY: gettid has no preconditions and cannot fail.
    let tid = unsafe { libc::gettid() };
    let Ok(who) = libc::id_t::try_from(tid) else {
        return;
    };
    // SAFETY: get/setpriority only read their integer arguments; PRIO_PROCESS with a thread
    // ID addresses that one thread on Linux. A -1 from getpriority may be an error or nice -1;
    // either way the result below stays within nice's range and is only a request.
    unsafe {
        let current = libc::getpriority(libc::PRIO_PROCESS, who);
        let lower = (current + WORKER_NICE_STEP).clamp(-20, 19);
        libc::setpriority(libc::PRIO_PROCESS, who, lower);
    }
}

/// Lowers the calling thread's scheduling priority, as a worker's (Linux only).
#[cfg(not(target_os = "linux"))]
pub fn lower_worker_priority() {}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn a_worker_runs_at_a_lower_priority_than_the_thread_that_started_it() {
        // SAFETY: as in lower_worker_priority.
        let nice_of_this_thread =
            || unsafe { libc::getpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t) };
        let before = nice_of_this_thread();
        let after = std::thread::spawn(move || {
            lower_worker_priority();
            nice_of_this_thread()
        })
        .join()
        .unwrap();
        assert_eq!(after, (before + WORKER_NICE_STEP).min(19));
        assert_eq!(nice_of_this_thread(), before, "only the worker is lowered");
    }
}
