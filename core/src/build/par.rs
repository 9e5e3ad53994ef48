//! Parallel collection of a kustomization's `resources:` entries, on the spare cores of the
//! machine: one budget of helper threads per build, shared by every level of the tree (a level
//! that finds the budget spent works alone).

use crate::error::{err, Error};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;

/// The stack of the threads a build starts: as deep as a main thread's and more (the default
/// of spawned threads, 2 MiB, is less than a deeply nested input may need).
pub(crate) const THREAD_STACK: usize = 16 << 20;

/// Starts `f` on a scoped thread with [`THREAD_STACK`]; `None` when no thread could be made.
pub(crate) fn spawn_scoped<'s, 'e, T: Send + 's>(
    s: &'s std::thread::Scope<'s, 'e>,
    f: impl FnOnce() -> T + Send + 's,
) -> Option<std::thread::ScopedJoinHandle<'s, T>> {
    std::thread::Builder::new().stack_size(THREAD_STACK).spawn_scoped(s, f).ok()
}

/// Cores beyond the calling thread's (none on wasm32).
pub(crate) fn spare_threads() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).saturating_sub(1)
}

/// One build's helper-thread budget, and whether the build must start again in order.
pub(crate) struct Par {
    spare: AtomicUsize,
    tainted: AtomicBool,
}

impl Par {
    pub(crate) fn new() -> Par {
        Par { spare: AtomicUsize::new(spare_threads()), tainted: AtomicBool::new(false) }
    }

    /// Records that this build depends on the order kustomizations are read in (an
    /// `openapi:` field at `path`); the error stops the parallel attempt.
    pub(crate) fn taint(&self, path: &str) -> Error {
        self.tainted.store(true, Ordering::SeqCst);
        err!(Internal, "the build is redone in order (openapi)").with_path(path)
    }

    pub(crate) fn tainted(&self) -> bool {
        self.tainted.load(Ordering::SeqCst)
    }

    fn take(&self, want: usize) -> usize {
        let mut cur = self.spare.load(Ordering::Relaxed);
        loop {
            let n = cur.min(want);
            if n == 0 {
                return 0;
            }
            match self.spare.compare_exchange_weak(cur, cur - n, Ordering::AcqRel, Ordering::Relaxed) {
                Ok(_) => return n,
                Err(now) => cur = now,
            }
        }
    }

    /// [`map_on_threads`] with as many helpers as the budget spares.
    pub(crate) fn map<I: Sync, T: Send>(&self, items: &[I], f: impl Fn(&I) -> T + Sync) -> Vec<T> {
        let helpers = self.take(items.len().saturating_sub(1));
        let out = map_on_threads(items, helpers, f);
        self.spare.fetch_add(helpers, Ordering::AcqRel);
        out
    }
}

/// `f` of every item, in order, computed by this thread and `helpers` more threads taking
/// items in turn. Each helper has a build schema scope of its own (builds run in parallel have
/// no `openapi:`, so every scope holds the builtin schema). A helper that can't start leaves
/// its share to the others; a panic in one is resumed here.
pub(crate) fn map_on_threads<I: Sync, T: Send>(items: &[I], helpers: usize, f: impl Fn(&I) -> T + Sync) -> Vec<T> {
    if helpers == 0 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<T>>> = items.iter().map(|_| Mutex::new(None)).collect();
    let work = || loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        let Some(item) = items.get(i) else { break };
        let v = f(item);
        if let Ok(mut s) = slots[i].lock() {
            *s = Some(v);
        }
    };
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..helpers)
            .filter_map(|_| {
                spawn_scoped(s, || {
                    let _scope = crate::schema::BuildScope::enter();
                    work()
                })
            })
            .collect();
        work();
        // Joined, not only waited for by the scope: a joined thread has finished its
        // thread-local destructors too.
        for h in handles {
            if let Err(p) = h.join() {
                std::panic::resume_unwind(p);
            }
        }
    });
    slots.into_iter().map(|m| m.into_inner().ok().flatten().expect("every item was computed")).collect()
}
