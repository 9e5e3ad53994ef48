//! Resource order: kustomize's legacy kind order and `sortOptions`.

use crate::error::{err, Result};
use crate::kustomization::SortOptions;
use crate::resource::{Gvk, ResId, ResourceList};
use std::collections::HashMap;

const DEFAULT_ORDER_FIRST: &[&str] = &[
    "Namespace",
    "ResourceQuota",
    "StorageClass",
    "CustomResourceDefinition",
    "ServiceAccount",
    "PodSecurityPolicy",
    "Role",
    "ClusterRole",
    "RoleBinding",
    "ClusterRoleBinding",
    "ConfigMap",
    "Secret",
    "Endpoints",
    "Service",
    "LimitRange",
    "PriorityClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "Deployment",
    "StatefulSet",
    "CronJob",
    "PodDisruptionBudget",
];
const DEFAULT_ORDER_LAST: &[&str] = &["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"];

/// Applies a kustomization's `sortOptions`.
pub fn apply_sort_options(list: &mut ResourceList, so: &SortOptions) -> Result<()> {
    match so.order.as_str() {
        "fifo" => {
            if so.legacy_sort_options.is_some() {
                return Err(err!(
                    Kustomization,
                    "the field 'sortOptions.legacySortOptions' is set but the selected sort order is 'fifo', not 'legacy'"
                ));
            }
            Ok(())
        }
        "legacy" => {
            let opts = so.legacy_sort_options.as_ref().map(|l| (l.order_first.as_slice(), l.order_last.as_slice()));
            legacy_sort(list, opts)
        }
        _ => Err(err!(Kustomization, "the field 'sortOptions.order' must be one of [fifo, legacy]")),
    }
}

/// kustomize's `Gvk.IsLessThan` as an ordering: legacy kind rank, then group/version/kind.
pub fn gvk_cmp(a: &Gvk, b: &Gvk) -> std::cmp::Ordering {
    let rank = |k: &str| -> i64 {
        if let Some(i) = DEFAULT_ORDER_FIRST.iter().position(|x| *x == k) {
            return i as i64 - DEFAULT_ORDER_FIRST.len() as i64;
        }
        if let Some(i) = DEFAULT_ORDER_LAST.iter().position(|x| *x == k) {
            return 1 + i as i64;
        }
        0
    };
    rank(&a.kind).cmp(&rank(&b.kind)).then_with(|| gvk_sort_bytes(a).cmp(gvk_sort_bytes(b)))
}

/// The bytes of kustomize's sort string `group_version_kind` (`~G`, `~V`, `~K` for empty
/// parts), without building it.
fn gvk_sort_bytes(g: &Gvk) -> impl Iterator<Item = u8> + '_ {
    fn part<'a>(s: &'a str, d: &'static str) -> std::str::Bytes<'a> {
        if s.is_empty() { d.bytes() } else { s.bytes() }
    }
    part(&g.group, "~G")
        .chain(*b"_")
        .chain(part(&g.version, "~V"))
        .chain(*b"_")
        .chain(part(&g.kind, "~K"))
}

fn gvk_sort_string(g: &Gvk) -> String {
    String::from_utf8(gvk_sort_bytes(g).collect()).unwrap_or_default()
}

fn id_sort_string(id: &ResId) -> String {
    let ns = if id.namespace.is_empty() { "~X" } else { &id.namespace };
    let nm = if id.name.is_empty() { "~N" } else { &id.name };
    format!("{}|{}|{}", gvk_sort_string(&id.gvk), ns, nm)
}

/// kustomize's legacy order: kinds in `first` (default list when `None`), then other kinds,
/// then kinds in `last`; ties broken by group/version/kind, namespace and name.
pub fn legacy_sort(list: &mut ResourceList, opts: Option<(&[String], &[String])>) -> Result<()> {
    let rank = ranks(opts);
    if let Some(order) = order_by_distinct_gvks(list.as_slice(), &rank) {
        return place(list, order);
    }
    legacy_sort_general(list, &rank)
}

/// The kind ranks of the legacy order: kinds in `first` negative, in `last` positive. The
/// default ranks are made once per process.
fn ranks(opts: Option<(&[String], &[String])>) -> std::borrow::Cow<'static, HashMap<String, i64>> {
    static DEFAULT: std::sync::OnceLock<HashMap<String, i64>> = std::sync::OnceLock::new();
    match opts {
        None => std::borrow::Cow::Borrowed(DEFAULT.get_or_init(|| make_ranks(None))),
        Some(_) => std::borrow::Cow::Owned(make_ranks(opts)),
    }
}

fn make_ranks(opts: Option<(&[String], &[String])>) -> HashMap<String, i64> {
    let mut rank: HashMap<String, i64> = HashMap::new();
    match opts {
        Some((first, last)) => {
            for (i, k) in first.iter().enumerate() {
                rank.insert(k.clone(), i as i64 - first.len() as i64);
            }
            for (i, k) in last.iter().enumerate() {
                rank.insert(k.clone(), 1 + i as i64);
            }
        }
        None => {
            for (i, k) in DEFAULT_ORDER_FIRST.iter().enumerate() {
                rank.insert(k.to_string(), i as i64 - DEFAULT_ORDER_FIRST.len() as i64);
            }
            for (i, k) in DEFAULT_ORDER_LAST.iter().enumerate() {
                rank.insert(k.to_string(), 1 + i as i64);
            }
        }
    }
    rank
}

/// The legacy order as sorted positions, comparing each distinct gvk once: the resources'
/// group/version/kind, namespace and name are borrowed, and the gvks, ranked among themselves,
/// become numbers. `None` (ask [`legacy_sort_general`]) when that ranking is not the same as
/// the pairwise comparison: two distinct gvks that compare equal, or more than one gvk of
/// kind `Namespace` (their comparison is reversed when a group is empty).
fn order_by_distinct_gvks(items: &[crate::resource::Resource], rank: &HashMap<String, i64>) -> Option<Vec<usize>> {
    type G<'a> = (&'a str, &'a str, &'a str);
    let mut ordinal: crate::fasthash::FastMap<G, u32> = Default::default();
    let mut gvks: Vec<G> = Vec::new();
    // The `namespace|name` part of each sort string, all in one buffer (`keys` has the ranges).
    let mut text = String::new();
    let keys: Vec<(u32, std::ops::Range<usize>, &str, &str)> = items
        .iter()
        .map(|r| {
            let p = r.id_parts();
            let next = gvks.len() as u32;
            let o = *ordinal.entry((p.group, p.version, p.kind)).or_insert_with(|| {
                gvks.push((p.group, p.version, p.kind));
                next
            });
            let (ns, name) = (p.namespace, p.name);
            let start = text.len();
            text.push_str(if ns.is_empty() { "~X" } else { ns });
            text.push('|');
            text.push_str(if name.is_empty() { "~N" } else { name });
            (o, start..text.len(), ns, name)
        })
        .collect();
    if gvks.iter().filter(|g| g.2 == "Namespace").count() > 1 {
        return None;
    }
    let full: Vec<Gvk> = gvks.iter().map(|&(g, v, k)| Gvk::new(g, v, k)).collect();
    let key: Vec<(i64, String)> = full.iter().map(|g| (rank.get(&g.kind).copied().unwrap_or(0), gvk_sort_string(g))).collect();
    let mut by_rank: Vec<usize> = (0..full.len()).collect();
    by_rank.sort_by(|&a, &b| key[a].cmp(&key[b]));
    if by_rank.windows(2).any(|w| key[w[0]] == key[w[1]]) {
        return None;
    }
    let mut place_of = vec![0u32; full.len()];
    for (p, &i) in by_rank.iter().enumerate() {
        place_of[i] = p as u32;
    }
    // Unstable is enough: two resources compare equal only with the same gvk, namespace and
    // name, a repeated id (refused below).
    let mut sorted: Vec<(u32, &str, usize)> = keys.iter().enumerate().map(|(i, k)| (place_of[k.0 as usize], &text[k.1.clone()], i)).collect();
    sorted.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));
    let order: Vec<usize> = sorted.into_iter().map(|k| k.2).collect();
    // kustomize appends the sorted resources to an empty list: a repeated id is an error.
    let cluster: Vec<bool> = full.iter().map(Gvk::is_cluster_scoped).collect();
    let mut seen = crate::fasthash::FastSet::with_capacity_and_hasher(keys.len(), Default::default());
    for &i in &order {
        let (o, ns, name) = (keys[i].0, keys[i].2, keys[i].3);
        let ns = if cluster[o as usize] {
            "_non_namespaceable_"
        } else if ns.is_empty() {
            crate::resource::DEFAULT_NAMESPACE
        } else {
            ns
        };
        if !seen.insert((o, name, ns)) {
            // The general path finds the same conflict and words its error.
            return None;
        }
    }
    Some(order)
}

/// Puts the list in `order` (positions).
fn place(list: &mut ResourceList, order: Vec<usize>) -> Result<()> {
    let mut items = list.take_items();
    permute(&mut items, order);
    list.set_items(items);
    Ok(())
}

/// A stable merge sort that gives an order for any comparison, consistent or not (for a
/// consistent one, the order of `sort_by`).
fn merge_sort_by<T: Copy>(v: &mut [T], cmp: impl Fn(&T, &T) -> std::cmp::Ordering + Copy) {
    if v.len() <= 1 {
        return;
    }
    let mid = v.len() / 2;
    merge_sort_by(&mut v[..mid], cmp);
    merge_sort_by(&mut v[mid..], cmp);
    let (left, right) = (v[..mid].to_vec(), v[mid..].to_vec());
    let (mut i, mut j) = (0, 0);
    for slot in v.iter_mut() {
        // Take from the right only when it is strictly less: equal elements keep their order.
        let from_right = j < right.len() && (i == left.len() || cmp(&right[j], &left[i]) == std::cmp::Ordering::Less);
        if from_right {
            *slot = right[j];
            j += 1;
        } else {
            *slot = left[i];
            i += 1;
        }
    }
}

/// Reorders `items` in place so that the item at `order[k]` ends at `k` (`order` a
/// permutation), following its cycles: each item moves once, nothing is allocated but a
/// mark per position.
fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    const DONE: usize = usize::MAX;
    for start in 0..order.len() {
        if order[start] == DONE {
            continue;
        }
        // Position k takes the item at order[k]; walk the cycle from `start`.
        let mut k = start;
        while order[k] != start {
            let from = order[k];
            items.swap(k, from);
            order[k] = DONE;
            k = from;
        }
        order[k] = DONE;
    }
}

/// [`legacy_sort`] comparing resources pairwise (kustomize's comparison as written).
fn legacy_sort_general(list: &mut ResourceList, rank: &HashMap<String, i64>) -> Result<()> {
    let items = list.take_items();
    // Sort keys computed once per resource (kind rank, gvk sort string, id sort string); the
    // positions are sorted, not the resources.
    struct Key {
        id: ResId,
        rank: i64,
        gvk: String,
        full: String,
    }
    let keys: Vec<Key> = crate::build::map_chunked(&items, |r| {
        let id = r.cur_id();
        let rank = rank.get(&id.gvk.kind).copied().unwrap_or(0);
        let (gvk, full) = (gvk_sort_string(&id.gvk), id_sort_string(&id));
        Key { id, rank, gvk, full }
    });
    let mut order: Vec<usize> = (0..items.len()).collect();
    // kustomize's comparison is not always a consistent order (see COMPATIBILITY.md): a merge
    // sort still gives an order for it, where the standard sort may panic.
    merge_sort_by(&mut order, |&a, &b| {
        let (a, b) = (&keys[a], &keys[b]);
        if a.id.gvk != b.id.gvk {
            if a.rank != b.rank {
                return a.rank.cmp(&b.rank);
            }
            if a.id.gvk.kind == "Namespace" && b.id.gvk.kind == "Namespace" && (a.id.gvk.group.is_empty() || b.id.gvk.group.is_empty()) {
                return b.gvk.cmp(&a.gvk);
            }
            return a.gvk.cmp(&b.gvk);
        }
        a.full.cmp(&b.full)
    });
    // kustomize appends the sorted resources to an empty list: a repeated id is an error.
    let mut seen = crate::fasthash::FastSet::with_capacity_and_hasher(keys.len(), Default::default());
    for &i in &order {
        let id = &keys[i].id;
        if !seen.insert((&id.gvk, id.name.as_str(), id.effective_namespace())) {
            return Err(err!(IdConflict, "may not add resource with an already registered id: {}", items[i].cur_id()));
        }
    }
    let mut slots: Vec<Option<crate::resource::Resource>> = items.into_iter().map(Some).collect();
    list.set_items(order.into_iter().filter_map(|i| slots[i].take()).collect());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resource::Resource;

    fn list_of(docs: &[String]) -> ResourceList {
        let mut l = ResourceList::new();
        l.set_items(docs.iter().map(|t| Resource::new(crate::yaml::load_documents(t).unwrap().remove(0))).collect());
        l
    }

    fn names(l: &ResourceList) -> Vec<String> {
        l.iter().map(|r| format!("{}/{}/{}/{}", r.api_version(), r.kind(), r.namespace(), r.name())).collect()
    }

    /// Sorting by ranked distinct gvks gives the order (and the errors) of the pairwise
    /// comparison, on lists mixing ranked and unranked kinds, groups, versions, namespaces with
    /// characters below and above `|`, empty names and namespaces, repeated ids and several
    /// `Namespace` gvks; with the default ranks and custom ones.
    #[test]
    fn distinct_gvk_order_equals_the_pairwise_order() {
        let api = ["v1", "v2", "apps/v1", "apps/v1beta1", "example.com/v1", "x.io/v1", ""];
        let kinds = ["Namespace", "ConfigMap", "Deployment", "Widget", "Service", "ValidatingWebhookConfiguration", "ClusterRole", ""];
        let nss = ["", "a", "a-b", "a~b", "z"];
        let nms = ["", "x", "x-y", "x}y", "b"];
        let mut g = crate::testing::Gen(0x2545F4914F6CDD1D);
        let mut next = |n: usize| g.next(n);
        let custom = (vec!["Service".to_string(), "Widget".to_string()], vec!["ConfigMap".to_string()]);
        let (mut fast, mut fell_back, mut errors) = (0, 0, 0);
        for case in 0..400 {
            let len = 1 + next(40);
            let kind_span = if case % 3 == 0 { kinds.len() } else { 5 };
            let docs: Vec<String> = (0..len)
                .map(|_| {
                    let (a, k, ns, nm) = (api[next(api.len())], kinds[1 + next(kind_span - 1)], nss[next(nss.len())], nms[next(nms.len())]);
                    let k = if case % 5 == 0 && next(4) == 0 { kinds[0] } else { k };
                    format!("apiVersion: '{}'\nkind: '{}'\nmetadata:\n  name: '{}'\n  namespace: '{}'\n", a, k, nm, ns)
                })
                .collect();
            for opts in [None, Some((custom.0.as_slice(), custom.1.as_slice()))] {
                let rank = ranks(opts);
                let (mut a, mut b) = (list_of(&docs), list_of(&docs));
                match order_by_distinct_gvks(a.as_slice(), &rank) {
                    Some(order) => {
                        fast += 1;
                        place(&mut a, order).unwrap();
                        legacy_sort_general(&mut b, &rank).unwrap();
                        assert_eq!(names(&a), names(&b), "{:?}", docs);
                    }
                    None => {
                        // Repeated ids (the pairwise path words the error) or several
                        // Namespace gvks (whose pairwise order is not always a total order).
                        fell_back += 1;
                        errors += legacy_sort_general(&mut b, &rank).is_err() as usize;
                    }
                }
            }
        }
        assert!(fast > 200 && fell_back > 20 && errors > 10, "fast {} fell back {} errors {}", fast, fell_back, errors);
    }

    /// The merge sort gives `sort_by`'s order for consistent comparisons (stability included)
    /// and an order, without panicking, for an inconsistent one.
    #[test]
    fn merge_sort_is_stable_and_never_panics() {
        let mut g = crate::testing::Gen(0x1234_5678_9ABC_DEF1);
        let mut next = |n: u64| g.bits() % n;
        for len in [0usize, 1, 2, 3, 7, 20, 100, 1000] {
            let v: Vec<(u64, usize)> = (0..len).map(|i| (next(10), i)).collect();
            let (mut a, mut b) = (v.clone(), v.clone());
            merge_sort_by(&mut a, |x, y| x.0.cmp(&y.0));
            b.sort_by(|x, y| x.0.cmp(&y.0));
            assert_eq!(a, b);
            // Rock-paper-scissors: no consistent order exists.
            let mut c: Vec<u64> = (0..len as u64).map(|i| i % 3).collect();
            merge_sort_by(&mut c, |x, y| if (x + 1) % 3 == *y { std::cmp::Ordering::Less } else if x == y { std::cmp::Ordering::Equal } else { std::cmp::Ordering::Greater });
            assert_eq!(c.len(), len);
        }
    }

    /// `permute` puts each item where the order says, for every permutation of up to 6 items
    /// and shuffles of longer lists.
    #[test]
    fn permute_places_items_in_order() {
        fn check(order: Vec<usize>) {
            let mut items: Vec<usize> = (0..order.len()).map(|i| i * 10).collect();
            let want: Vec<usize> = order.iter().map(|&i| i * 10).collect();
            permute(&mut items, order);
            assert_eq!(items, want);
        }
        fn all(n: usize, prefix: &mut Vec<usize>) {
            if prefix.len() == n {
                check(prefix.clone());
                return;
            }
            for i in 0..n {
                if !prefix.contains(&i) {
                    prefix.push(i);
                    all(n, prefix);
                    prefix.pop();
                }
            }
        }
        for n in 0..=6 {
            all(n, &mut Vec::new());
        }
        let mut g = crate::testing::Gen(0x9E3779B97F4A7C15);
        for n in [50, 257, 1000] {
            let mut order: Vec<usize> = (0..n).collect();
            for i in (1..n).rev() {
                order.swap(i, g.next(i + 1));
            }
            check(order);
        }
    }

    /// Distinct gvks with the same sort string (`a_b/c` and `a/b_c`) compare equal in the
    /// pairwise order: the ranked path declines them.
    #[test]
    fn equal_gvk_sort_strings_are_left_to_the_pairwise_order() {
        let docs: Vec<String> = ["a_b/c", "a/b_c"]
            .iter()
            .map(|a| format!("apiVersion: {}\nkind: K\nmetadata:\n  name: n\n", a))
            .collect();
        assert!(order_by_distinct_gvks(list_of(&docs).as_slice(), &ranks(None)).is_none());
        assert!(order_by_distinct_gvks(list_of(&docs[..1]).as_slice(), &ranks(None)).is_some());
    }
}
