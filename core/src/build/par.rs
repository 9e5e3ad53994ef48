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

/// The cores this process may use, asked once (the answer reads cgroup files on Linux).
pub(crate) fn cores() -> usize {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1))
}

/// Cores beyond the calling thread's (none on wasm32).
pub(crate) fn spare_threads() -> usize {
    cores().saturating_sub(1)
}

/// One build's helper-thread budget, and whether the build must start again in order.
pub(crate) struct Par {
    spare: AtomicUsize,
    tainted: AtomicBool,
}

impl Par {
    pub(crate) fn new() -> Par {
        Par::with_spare(spare_threads())
    }

    pub(crate) fn with_spare(spare: usize) -> Par {
        Par { spare: AtomicUsize::new(spare), tainted: AtomicBool::new(false) }
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

thread_local! {
    /// The budget of the build this thread runs the root of, when that build may use threads
    /// (see [`enter`]).
    static BUILD_PAR: std::cell::RefCell<Option<std::sync::Arc<Par>>> = const { std::cell::RefCell::new(None) };
}

/// While the guard lives, whole-list steps on this thread ([`each_chunk`]) may use the build's
/// spare threads. Only for builds that run in parallel anyway (no `openapi:`, helm or plugins):
/// helper threads hold the builtin schema.
pub(crate) fn enter(par: std::sync::Arc<Par>) -> ParGuard {
    BUILD_PAR.with(|p| *p.borrow_mut() = Some(par));
    ParGuard(())
}

pub(crate) struct ParGuard(());

impl Drop for ParGuard {
    fn drop(&mut self) {
        BUILD_PAR.with(|p| *p.borrow_mut() = None);
    }
}

/// Lists shorter than this are worked on by the calling thread alone.
const CHUNK_MIN: usize = 256;

/// `f` on consecutive chunks of `items`, in order: on the spare threads of the build entered
/// on this thread ([`enter`]) when the list is long, else all on this thread as one chunk.
/// The chunking depends only on the thread budget, and `f` must give the same result for a
/// chunk whatever else runs, so callers that keep the first error in chunk order behave as a
/// loop over the list does.
pub(crate) fn each_chunk<T: Send, R: Send>(items: &mut [T], f: impl Fn(&mut [T]) -> R + Sync) -> Vec<R> {
    let lease = Lease::for_list(items.len());
    if lease.helpers == 0 {
        return vec![f(items)];
    }
    let size = items.len().div_ceil(lease.helpers + 1);
    let chunks: Vec<Mutex<Option<&mut [T]>>> = items.chunks_mut(size).map(|c| Mutex::new(Some(c))).collect();
    map_on_threads(&chunks, lease.helpers, |c| {
        let chunk = c.lock().ok().and_then(|mut c| c.take()).unwrap_or_default();
        f(chunk)
    })
}

/// Helper threads taken from the budget of the build entered on this thread for one
/// whole-list step (none for a short list or outside such a build); given back when dropped.
struct Lease {
    par: Option<std::sync::Arc<Par>>,
    helpers: usize,
}

impl Lease {
    fn for_list(len: usize) -> Lease {
        let par = BUILD_PAR.with(|p| p.borrow().clone());
        let helpers = match &par {
            Some(par) if len >= CHUNK_MIN => par.take((len / CHUNK_MIN).saturating_sub(1)),
            _ => 0,
        };
        Lease { par, helpers }
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        if let Some(par) = &self.par {
            par.spare.fetch_add(self.helpers, Ordering::AcqRel);
        }
    }
}

/// `f` of every item, in order: on the spare threads of the build entered on this thread
/// ([`enter`]) for a long list, else on this thread.
pub(crate) fn map_chunked<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let lease = Lease::for_list(items.len());
    if lease.helpers == 0 {
        return items.iter().map(f).collect();
    }
    let size = items.len().div_ceil(lease.helpers + 1);
    let chunks: Vec<&[T]> = items.chunks(size).collect();
    let parts = map_on_threads(&chunks, lease.helpers, |c| c.iter().map(&f).collect::<Vec<R>>());
    parts.into_iter().flatten().collect()
}

/// Drops a long list on the spare cores too (freeing a large build's resources costs about a
/// tenth of the build); a short one, or on a machine with one core, here.
pub(crate) fn drop_chunked<T: Send>(mut items: Vec<T>) {
    let helpers = spare_threads().min((items.len() / CHUNK_MIN).saturating_sub(1));
    if helpers == 0 {
        return;
    }
    let size = items.len().div_ceil(helpers + 1);
    let mut parts: Vec<Mutex<Vec<T>>> = Vec::new();
    while items.len() > size {
        parts.push(Mutex::new(items.split_off(items.len() - size)));
    }
    parts.push(Mutex::new(items));
    map_on_threads(&parts, helpers, |p| {
        if let Ok(mut v) = p.lock() {
            drop(std::mem::take(&mut *v));
        }
    });
}

/// Whether [`each_chunk`] may split a list of `len` items over threads: a build entered on this
/// thread, and a long list.
pub(crate) fn chunks_for(len: usize) -> bool {
    len >= CHUNK_MIN && BUILD_PAR.with(|p| p.borrow().is_some())
}

/// For a parallel step that can't give the error a loop in order would: marks the build
/// entered on this thread to be done again in order (as for `openapi:`), and returns the
/// error that stops this attempt.
pub(crate) fn redo_in_order(path: &str) -> Error {
    match BUILD_PAR.with(|p| p.borrow().clone()) {
        Some(par) => {
            par.tainted.store(true, Ordering::SeqCst);
            err!(Internal, "the build is redone in order").with_path(path)
        }
        None => err!(Internal, "internal error (please report): a parallel step ran outside a parallel build").with_path(path),
    }
}

/// The first error of [`each_chunk`]'s results, in chunk order.
pub(crate) fn first_error<E>(results: Vec<Result<(), E>>) -> Result<(), E> {
    results.into_iter().collect()
}

#[cfg(test)]
mod tests {
    //! Whole-list steps give the same resources and the same first error on chunks over
    //! helper threads as in one pass on this thread.
    use super::*;
    use crate::fieldspec::defaults;
    use crate::resource::{Resource, ResourceList};
    use crate::transform::{annotations::AnnotationsTransformer, labels::LabelTransformer, namespace::NamespaceTransformer};
    use std::collections::BTreeMap;

    /// Every item of a list dropped in chunks is dropped once, long list or short.
    #[test]
    fn dropping_in_chunks_drops_every_item_once() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static DROPS: AtomicUsize = AtomicUsize::new(0);
        struct Counted;
        impl Drop for Counted {
            fn drop(&mut self) {
                DROPS.fetch_add(1, Ordering::SeqCst);
            }
        }
        for n in [0, 1, 255, 256, 257, 1000, 5003] {
            DROPS.store(0, Ordering::SeqCst);
            drop_chunked((0..n).map(|_| Counted).collect::<Vec<_>>());
            assert_eq!(DROPS.load(Ordering::SeqCst), n);
        }
    }

    fn doc(i: usize) -> String {
        match i % 4 {
            0 => format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm{i}\ndata:\n  k: v{i}\n"),
            1 => format!(
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d{i}\n  namespace: other\nspec:\n  selector:\n    matchLabels:\n      app: d{i}\n  template:\n    metadata:\n      labels:\n        app: d{i}\n"
            ),
            2 => format!(
                "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: rb{i}\nsubjects:\n- kind: ServiceAccount\n  name: default\n"
            ),
            _ => format!("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: cr{i}\n"),
        }
    }

    fn list(n: usize, extra: &[(usize, &str)]) -> ResourceList {
        let mut items = Vec::new();
        for i in 0..n {
            let text = extra.iter().find(|(at, _)| *at == i).map(|(_, t)| t.to_string()).unwrap_or_else(|| doc(i));
            let mut r = Resource::new(crate::yaml::load_documents(&text).unwrap().remove(0));
            r.needs_hash = i % 4 == 0;
            items.push(r);
        }
        let mut l = ResourceList::new();
        l.set_items(items);
        l
    }

    fn steps(l: &mut ResourceList) -> crate::error::Result<()> {
        let cfg = defaults();
        let labels: BTreeMap<String, String> = [("team".to_string(), "a".to_string())].into();
        LabelTransformer::from_common_labels(&labels, cfg).apply(l, cfg)?;
        AnnotationsTransformer::from_common_annotations(&labels, cfg).apply(l, cfg)?;
        NamespaceTransformer::from_kustomization("prod", cfg).apply(l, cfg)?;
        crate::generate::add_hash_suffixes(l)
    }

    fn both(n: usize, extra: &[(usize, &str)]) -> (ResourceList, crate::error::Result<()>, ResourceList, crate::error::Result<()>) {
        let mut seq = list(n, extra);
        let r1 = steps(&mut seq);
        let mut par = list(n, extra);
        let r2 = {
            let _g = enter(std::sync::Arc::new(Par::with_spare(3)));
            steps(&mut par)
        };
        (seq, r1, par, r2)
    }

    #[test]
    fn chunked_steps_equal_one_pass() {
        let (seq, r1, par, r2) = both(1500, &[]);
        assert!(r1.is_ok() && r2.is_ok());
        assert_eq!(seq.as_slice(), par.as_slice());
        assert!(seq.iter().all(|r| r.namespace() == "prod" || r.kind() == "ClusterRole"));
        assert!(seq.get(0).unwrap().name().starts_with("cm0-"));
    }

    #[test]
    fn chunked_steps_give_the_first_error() {
        // A label field that is a scalar at 1200 and at 300 (the first one is reported); a
        // namespace collision between 100 and 1400 is met earlier, in the namespace step
        // only once the labels pass.
        let bad = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bad\n  labels: 3\n";
        let bad2 = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bad2\n  labels: 4\n";
        let (_, r1, _, r2) = both(1500, &[(1200, bad), (300, bad2)]);
        let (e1, e2) = (r1.unwrap_err(), r2.unwrap_err());
        assert_eq!(e1.to_string(), e2.to_string());
        assert!(e1.to_string().contains("bad2"), "{}", e1);

        let a = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: same\n  namespace: x\n";
        let b = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: same\n";
        let (_, r1, _, r2) = both(1500, &[(100, a), (1400, b)]);
        let (e1, e2) = (r1.unwrap_err(), r2.unwrap_err());
        assert_eq!(e1.to_string(), e2.to_string());
        assert!(e1.to_string().contains("ID conflict"), "{}", e1);
    }

    fn refs_list(n: usize, bad_at: Option<usize>) -> ResourceList {
        let mut items = Vec::new();
        for i in 0..n {
            let text = if Some(i) == bad_at {
                "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: rb\nroleRef:\n  kind: Role\n  name: r\nsubjects:\n- kind: ServiceAccount\n  name: sa\n  namespace: ~\n".to_string()
            } else if i % 2 == 0 {
                format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm{}\n", i / 2)
            } else {
                format!(
                    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d{i}\nspec:\n  template:\n    spec:\n      containers:\n      - name: c\n        envFrom:\n        - configMapRef:\n            name: cm{}\n      volumes:\n      - name: v\n        configMap:\n          name: cm{}\n",
                    i / 2,
                    (i / 2 + 7) % (n / 2)
                )
            };
            let mut r = Resource::new(crate::yaml::load_documents(&text).unwrap().remove(0));
            r.needs_hash = i % 2 == 0 && Some(i) != bad_at;
            items.push(r);
        }
        let mut l = ResourceList::new();
        l.set_items(items);
        crate::generate::add_hash_suffixes(&mut l).unwrap();
        l
    }

    #[test]
    fn name_references_in_chunks_equal_one_pass() {
        let mut seq = refs_list(1200, None);
        crate::transform::nameref::fix_back_references(&mut seq, defaults()).unwrap();
        let mut par = refs_list(1200, None);
        let taken = std::sync::Arc::new(Par::with_spare(3));
        {
            let _g = enter(taken.clone());
            crate::transform::nameref::fix_back_references(&mut par, defaults()).unwrap();
        }
        assert!(!taken.tainted());
        assert_eq!(seq.as_slice(), par.as_slice());
        // The references were rewritten (to hashed names) and recorded.
        let d = seq.get(1).unwrap();
        assert!(crate::yaml::to_string(&d.node).contains("name: cm0-"), "{}", crate::yaml::to_string(&d.node));
        assert!(!seq.get(0).unwrap().ref_by.is_empty());
    }

    #[test]
    fn a_name_reference_error_in_chunks_redoes_the_build_in_order() {
        let mut seq = refs_list(1200, Some(901));
        let e = crate::transform::nameref::fix_back_references(&mut seq, defaults()).unwrap_err();
        assert!(e.to_string().contains("namespace is blank"), "{}", e);
        let mut par = refs_list(1200, Some(901));
        let taken = std::sync::Arc::new(Par::with_spare(3));
        let e = {
            let _g = enter(taken.clone());
            crate::transform::nameref::fix_back_references(&mut par, defaults()).unwrap_err()
        };
        assert_eq!(e.kind(), crate::ErrorKind::Internal);
        assert!(taken.tainted());
    }
}
