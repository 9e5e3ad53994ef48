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
    order.sort_by(|&a, &b| {
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
