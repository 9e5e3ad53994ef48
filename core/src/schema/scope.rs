//! The schema state of the build running on this thread.
//!
//! kyaml keeps its schema in process globals (`openapi.SetSchema`, `initSchema`,
//! `kubernetesOpenAPIVersion`, `customSchema`, ...): kustomize sets them while it builds, and
//! what a build sees depends on what it did before (see [`super::custom`] for the layering).
//! Here the same state lives in a thread-local slot that a build fills for its duration
//! ([`BuildScope`]); builds on other threads have their own, and code running outside a build
//! sees the builtin tables. Nothing here is process-global.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::marker::PhantomData;
use std::sync::Arc;

use super::custom::{CustomSchema, Layering};
use super::Schema;
use crate::error::{err, Result};

/// The builtin Kubernetes OpenAPI versions (`openapi: {version: ...}`); kustomize v5.5.0 has one.
pub const BUILTIN_VERSIONS: &[&str] = &["v1.21.2"];

/// kyaml's `defaultBuiltInSchemaParseStatus`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Builtin {
    NotParsed,
    /// A scope check needed the schema; the builtin document is parsed at the next
    /// initialisation (after a custom one, if one is set by then).
    Delayed,
    Parsed,
}

#[derive(Clone, Debug)]
struct State {
    /// `kubernetesOpenAPIVersion != ""` (a builtin version, or "custom").
    version_set: bool,
    custom: Option<Arc<CustomSchema>>,
    /// `globalSchema.schemaInit`.
    init: bool,
    builtin: Builtin,
}

impl State {
    fn new() -> State {
        State {
            version_set: false,
            custom: None,
            init: false,
            builtin: Builtin::NotParsed,
        }
    }

    /// kyaml `initSchema`.
    fn init(&mut self) {
        if self.init {
            return;
        }
        self.init = true;
        if self.custom.is_none() || self.builtin == Builtin::Delayed {
            self.builtin = Builtin::Parsed;
        }
    }
}

thread_local! {
    static STATE: RefCell<Option<State>> = const { RefCell::new(None) };
}

/// The schema state of one build on this thread: created empty by [`BuildScope::enter`], put
/// back as it was (normally: no build) when dropped, panics included. Not `Send`: it belongs
/// to the thread that runs the build.
#[must_use = "the build's schema state ends when the scope is dropped"]
pub struct BuildScope {
    prev: Option<State>,
    _thread_bound: PhantomData<*const ()>,
}

impl BuildScope {
    /// Starts the schema state of a build on this thread (builtin schema, nothing set).
    pub fn enter() -> BuildScope {
        let prev = STATE.with(|s| s.replace(Some(State::new())));
        BuildScope {
            prev,
            _thread_bound: PhantomData,
        }
    }
}

impl Drop for BuildScope {
    fn drop(&mut self) {
        let prev = self.prev.take();
        let _ = STATE.try_with(|s| {
            if let Ok(mut s) = s.try_borrow_mut() {
                *s = prev;
            }
        });
    }
}

/// kyaml `openapi.SetSchema(openAPIField, schema, reset)` for the build on this thread:
/// `openapi` is a kustomization's `openapi:` field and `custom_text` the content of the file
/// its `path` names (read by the caller). kustomize calls it with `reset` for the root
/// kustomization, before anything else, and without for every other kustomization (bases and
/// components, when they are read): only the first kustomization that sets a schema counts.
///
/// Errors (kyaml's texts): `builtin version and custom schema provided, cannot use both`,
/// `the specified OpenAPI version is not built in`; a custom file that does not parse (kyaml
/// panics on it when it first needs the schema). Without a build on this thread, nothing is
/// recorded.
pub fn set_openapi(
    openapi: &BTreeMap<String, String>,
    custom_text: Option<&str>,
    reset: bool,
) -> Result<()> {
    with_state(|st| {
        let Some(st) = st else { return Ok(()) };
        if (st.version_set || st.custom.is_some()) && !reset {
            return Ok(());
        }
        let version = openapi.get("version");
        if let Some(text) = custom_text {
            if version.is_some() {
                return Err(err!(
                    Kustomization,
                    "builtin version and custom schema provided, cannot use both"
                ));
            }
            // The layering is what initSchema will do given what happened so far.
            let layering = match st.builtin {
                Builtin::Parsed => Layering::Over,
                Builtin::Delayed => Layering::Under,
                Builtin::NotParsed => Layering::Only,
            };
            st.custom = Some(Arc::new(CustomSchema::parse(text, layering)?));
            st.version_set = true;
            st.init = false;
            return Ok(());
        }
        let version = version.map(String::as_str).unwrap_or("");
        if version.is_empty() {
            st.version_set = false;
            return Ok(());
        }
        if !BUILTIN_VERSIONS.contains(&version) {
            return Err(err!(
                Kustomization,
                "the specified OpenAPI version is not built in"
            ));
        }
        st.version_set = true;
        st.custom = None;
        st.init = false;
        Ok(())
    })
}

fn with_state<R>(f: impl FnOnce(Option<&mut State>) -> R) -> R {
    let mut f = Some(f);
    let r = STATE.try_with(|s| match s.try_borrow_mut() {
        Ok(mut s) => (f.take().expect("called once"))(s.as_mut()),
        Err(_) => (f.take().expect("called once"))(None),
    });
    match r {
        Ok(r) => r,
        Err(_) => (f.take().expect("not called"))(None),
    }
}

/// The build's schema, without touching its state.
pub(crate) fn active() -> Schema {
    with_state(|st| match st {
        Some(State {
            custom: Some(c), ..
        }) => Schema::with_custom(c.clone()),
        _ => Schema::builtin(),
    })
}

/// The build's schema, for a schema lookup (a strategic merge): kyaml initialises its schema
/// at that point, which decides how a custom schema set later is layered.
pub(crate) fn active_for_use() -> Schema {
    with_state(|st| match st {
        Some(st) => {
            st.init();
            match &st.custom {
                Some(c) => Schema::with_custom(c.clone()),
                None => Schema::builtin(),
            }
        }
        None => Schema::builtin(),
    })
}

/// A cluster-scope check of a kind the builtin scopes do not know (kyaml
/// `IsNamespaceScoped` past its precomputed table): with a custom schema set, kyaml loads it and
/// answers from its `paths`; without, it defers the parse of its builtin schema (which then
/// comes after a custom schema set later). True when the custom schema says cluster-scoped.
pub(crate) fn scope_miss(group: &str, version: &str, kind: &str) -> bool {
    with_state(|st| {
        let Some(st) = st else { return false };
        if !st.init {
            if st.custom.is_some() {
                st.init();
            } else if st.builtin == Builtin::NotParsed {
                st.builtin = Builtin::Delayed;
            }
        }
        st.custom
            .as_ref()
            .and_then(|c| c.namespaced(group, version, kind))
            == Some(false)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{is_cluster_scoped, Schema};

    const DOC: &str = r#"{"definitions": {"v1.Foo": {"type": "object", "x-kubernetes-group-version-kind": [{"group": "x.io", "version": "v1", "kind": "Foo"}]}},
      "paths": {"/apis/x.io/v1/foos": {"get": {"x-kubernetes-group-version-kind": {"group": "x.io", "version": "v1", "kind": "Foo"}}}}}"#;

    fn field(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn layering() -> Option<Layering> {
        Schema::active().custom().map(|c| c.layering())
    }

    #[test]
    fn nothing_is_recorded_outside_a_build() {
        set_openapi(&field(&[("path", "s.json")]), Some(DOC), true).unwrap();
        assert!(Schema::active().custom().is_none());
        assert!(!is_cluster_scoped("x.io/v1", "Foo"));
    }

    #[test]
    fn errors() {
        let _b = BuildScope::enter();
        let e = set_openapi(
            &field(&[("path", "s.json"), ("version", "v1.21.2")]),
            Some(DOC),
            true,
        )
        .unwrap_err();
        assert_eq!(
            e.message(),
            "builtin version and custom schema provided, cannot use both"
        );
        // Even an empty version counts as given.
        assert!(set_openapi(&field(&[("version", "")]), Some(DOC), true).is_err());
        let e = set_openapi(&field(&[("version", "v1.14.1")]), None, true).unwrap_err();
        assert_eq!(e.message(), "the specified OpenAPI version is not built in");
        assert!(set_openapi(&field(&[("path", "s.json")]), Some("- a"), true).is_err());
    }

    #[test]
    fn the_first_schema_set_wins() {
        let _b = BuildScope::enter();
        // An empty field sets nothing.
        set_openapi(&field(&[]), None, true).unwrap();
        set_openapi(&field(&[("version", "v1.21.2")]), None, false).unwrap();
        // A version was set: later custom schemas (even broken ones) are ignored.
        set_openapi(&field(&[("path", "s.json")]), Some("- not a schema"), false).unwrap();
        assert!(layering().is_none());
        // The root resets.
        set_openapi(&field(&[("path", "s.json")]), Some(DOC), true).unwrap();
        assert_eq!(layering(), Some(Layering::Only));
        set_openapi(&field(&[("version", "v1.21.2")]), None, false).unwrap();
        assert_eq!(layering(), Some(Layering::Only));
    }

    #[test]
    fn layering_follows_what_the_build_did() {
        let custom = field(&[("path", "s.json")]);
        {
            let _b = BuildScope::enter();
            // Precomputed scopes do not count.
            assert!(!is_cluster_scoped("v1", "ConfigMap"));
            set_openapi(&custom, Some(DOC), false).unwrap();
            assert_eq!(layering(), Some(Layering::Only));
        }
        {
            let _b = BuildScope::enter();
            assert!(!is_cluster_scoped("x.io/v1", "Foo"));
            set_openapi(&custom, Some(DOC), false).unwrap();
            assert_eq!(layering(), Some(Layering::Under));
            // Now the custom paths say cluster-scoped.
            assert!(is_cluster_scoped("x.io/v1", "Foo"));
        }
        {
            let _b = BuildScope::enter();
            let _ = Schema::active_for_use();
            set_openapi(&custom, Some(DOC), false).unwrap();
            assert_eq!(layering(), Some(Layering::Over));
        }
        assert!(layering().is_none());
    }

    #[test]
    fn builds_are_per_thread() {
        let _b = BuildScope::enter();
        set_openapi(&field(&[("path", "s.json")]), Some(DOC), true).unwrap();
        assert!(is_cluster_scoped("x.io/v1", "Foo"));
        let other = std::thread::spawn(|| {
            let _b = BuildScope::enter();
            (
                is_cluster_scoped("x.io/v1", "Foo"),
                Schema::active().custom().is_none(),
            )
        })
        .join()
        .unwrap();
        assert_eq!(other, (false, true));
        assert!(is_cluster_scoped("x.io/v1", "Foo"));
        {
            // Nested scopes restore the outer one.
            let _inner = BuildScope::enter();
            assert!(!is_cluster_scoped("x.io/v1", "Foo"));
        }
        assert!(is_cluster_scoped("x.io/v1", "Foo"));
    }
}
