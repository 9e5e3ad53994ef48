//! `rustomize._rustomize`: the native half of the `rustomize` Python package.
//!
//! Private: the public API, its checks of arguments, the exception classes and the warnings
//! are in `python/rustomize/__init__.py`. Every build here runs with the GIL released and
//! catches panics, so that a bug surfaces as `rustomize.InternalError`, never as pyo3's
//! `PanicException`.

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList};
use pyo3::IntoPyObjectExt;
use rustomize::yaml::emit::natural_cmp;
use rustomize::yaml::resolve::{self, Value};
use rustomize::yaml::{Node, Scalar};
use rustomize::{DiskFs, Error, ErrorKind, FileSystem, LoadRestrictor, MemFs, Options, Rendered, Reorder};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Build options, checked: kustomize build's flags.
///
/// `rustomize.build()` and the other functions make one from their keyword arguments.
#[pyclass(frozen, module = "rustomize._rustomize", name = "Options")]
struct PyOptions {
    inner: Options,
}

#[pymethods]
impl PyOptions {
    #[new]
    #[pyo3(signature = (*, load_restrictor=None, reorder=None, enable_managedby_label=false, enable_helm=false,
        helm_command=None, enable_alpha_plugins=false, enable_exec=false))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        load_restrictor: Option<&str>,
        reorder: Option<&str>,
        enable_managedby_label: bool,
        enable_helm: bool,
        helm_command: Option<String>,
        enable_alpha_plugins: bool,
        enable_exec: bool,
    ) -> PyResult<Self> {
        let mut o = Options::default();
        o.load_restrictor = match load_restrictor {
            None | Some("rootOnly") | Some("LoadRestrictionsRootOnly") => LoadRestrictor::RootOnly,
            Some("none") | Some("LoadRestrictionsNone") => LoadRestrictor::None,
            Some(v) => {
                return Err(PyValueError::new_err(format!(
                    "invalid load_restrictor {:?}: expected 'rootOnly', 'none', 'LoadRestrictionsRootOnly' or 'LoadRestrictionsNone'",
                    v
                )))
            }
        };
        o.reorder = match reorder {
            None => Reorder::Unspecified,
            Some("legacy") => Reorder::Legacy,
            Some("none") => Reorder::None,
            Some(v) => return Err(PyValueError::new_err(format!("invalid reorder {:?}: expected 'legacy', 'none' or None", v))),
        };
        o.add_managed_by_label = enable_managedby_label;
        o.enable_helm = enable_helm;
        o.helm_command = helm_command;
        o.enable_alpha_plugins = enable_alpha_plugins;
        o.enable_exec = enable_exec;
        Ok(PyOptions { inner: o })
    }

    fn __repr__(&self) -> String {
        let o = &self.inner;
        let lr = match o.load_restrictor {
            LoadRestrictor::RootOnly => "'rootOnly'",
            LoadRestrictor::None => "'none'",
        };
        let reorder = match o.reorder {
            Reorder::Unspecified => "None",
            Reorder::Legacy => "'legacy'",
            Reorder::None => "'none'",
        };
        let py_bool = |b: bool| if b { "True" } else { "False" };
        let helm = match &o.helm_command {
            Some(c) => format!("{:?}", c),
            None => "None".to_string(),
        };
        format!(
            "Options(load_restrictor={}, reorder={}, enable_managedby_label={}, enable_helm={}, helm_command={}, enable_alpha_plugins={}, enable_exec={})",
            lr,
            reorder,
            py_bool(o.add_managed_by_label),
            py_bool(o.enable_helm),
            helm,
            py_bool(o.enable_alpha_plugins),
            py_bool(o.enable_exec)
        )
    }
}

/// Where a build reads its files.
enum Source {
    /// The machine's file system; the path is absolute.
    Disk(String),
    /// An in-memory tree; the path is the kustomization directory in it.
    Memory(MemFs, String),
}

impl Source {
    fn dir(&self) -> &str {
        match self {
            Source::Disk(d) | Source::Memory(_, d) => d,
        }
    }
}

/// What the closure run without the GIL gives back.
enum Outcome<T> {
    Done(T),
    Failed(Error),
}

fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
}

fn internal(msg: &str, dir: &str) -> Error {
    Error::new(ErrorKind::Internal, format!("internal error (please report): {}", msg)).with_path(dir)
}

/// Runs `f` on the source's file system with the GIL released; a panic becomes an Internal error.
fn run<T, F>(py: Python<'_>, source: Source, options: &Options, f: F) -> Outcome<T>
where
    T: Send,
    F: FnOnce(&dyn FileSystem, &str, &Options) -> rustomize::Result<T> + Send,
{
    let options = options.clone();
    py.detach(move || {
        let dir = source.dir().to_string();
        let r = catch_unwind(AssertUnwindSafe(|| match &source {
            Source::Disk(d) => f(&DiskFs, d, &options),
            Source::Memory(fs, d) => f(fs, d, &options),
        }));
        match r {
            Ok(Ok(t)) => Outcome::Done(t),
            Ok(Err(e)) => Outcome::Failed(e),
            Err(p) => Outcome::Failed(internal(&panic_message(&*p), &dir)),
        }
    })
}

/// The `rustomize.KustomizeError` subclass for `e`, made by `rustomize._error_from_native`.
fn to_py_err(py: Python<'_>, e: &Error) -> PyErr {
    let made = (|| -> PyResult<PyErr> {
        let factory = py.import("rustomize")?.getattr("_error_from_native")?;
        let chain: Vec<&str> = e.chain().iter().map(String::as_str).collect();
        let exc = factory.call1((e.kind().as_str(), e.message(), e.path(), e.line(), e.column(), chain))?;
        Ok(PyErr::from_value(exc))
    })();
    made.unwrap_or_else(|err| err)
}

/// Guards a step that runs with the GIL held (conversions): a panic becomes an Internal error.
fn guarded<T>(py: Python<'_>, dir: &str, f: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(p) => Err(to_py_err(py, &internal(&panic_message(&*p), dir))),
    }
}

/// A build's text and warnings.
fn text_of(rendered: rustomize::Rendered) -> rustomize::Result<(String, Vec<String>)> {
    let text = rustomize::yaml::to_string_stream(rendered.resources.iter().map(|r| &r.node))?;
    Ok((text, rendered.warnings))
}

/// The build's text and warnings: exactly what `kustomize build` prints (as the CLI does it).
fn text(py: Python<'_>, source: Source, options: &Options) -> PyResult<(String, Vec<String>)> {
    let outcome = run(py, source, options, |fs, dir, o| text_of(rustomize::render(fs, dir, o)?));
    match outcome {
        Outcome::Done(t) => Ok(t),
        Outcome::Failed(e) => Err(to_py_err(py, &e)),
    }
}

/// The build's resources as Python values, and its warnings.
fn resources<'py>(py: Python<'py>, source: Source, options: &Options) -> PyResult<(Bound<'py, PyList>, Vec<String>)> {
    let dir = source.dir().to_string();
    let rendered: Rendered = match run(py, source, options, rustomize::render) {
        Outcome::Done(r) => r,
        Outcome::Failed(e) => return Err(to_py_err(py, &e)),
    };
    guarded(py, &dir, || {
        let list = PyList::empty(py);
        for r in rendered.resources.iter() {
            list.append(node_to_py(py, &r.node)?)?;
        }
        Ok((list, rendered.warnings))
    })
}

/// A node as the Python value of what kustomize prints for it: mappings are dicts with the
/// keys in output order, sequences lists, scalars typed as reading the output back types them.
fn node_to_py<'py>(py: Python<'py>, node: &Node) -> PyResult<Bound<'py, PyAny>> {
    match node {
        Node::Map(m) => {
            let mut entries: Vec<_> = m.entries.iter().collect();
            entries.sort_by(|a, b| natural_cmp(&a.key, &b.key));
            let d = PyDict::new(py);
            for e in entries {
                d.set_item(&e.key, node_to_py(py, &e.value)?)?;
            }
            Ok(d.into_any())
        }
        Node::Seq(items) => {
            let l = PyList::empty(py);
            for item in items {
                l.append(node_to_py(py, item)?)?;
            }
            Ok(l.into_any())
        }
        Node::Scalar(s) => scalar_to_py(py, s),
    }
}

fn scalar_to_py<'py>(py: Python<'py>, s: &Scalar) -> PyResult<Bound<'py, PyAny>> {
    match resolve::resolve(s) {
        Value::Null => Ok(py.None().into_bound(py)),
        Value::Bool(b) => b.into_bound_py_any(py),
        Value::Int(i) => i.into_bound_py_any(py),
        Value::Uint(u) => u.into_bound_py_any(py),
        Value::Float(f) => {
            if !f.is_finite() {
                // As the build's text fails (JSON has no such numbers).
                let e = Error::new(ErrorKind::Resource, format!("json: unsupported value: {}", resolve::go_format_float_g(f)));
                return Err(to_py_err(py, &e));
            }
            // A float leaves kustomize as its JSON text: `1.0` is printed `1` and reads back
            // as an integer.
            let out = resolve::float_output(f);
            if let Ok(i) = out.parse::<i64>() {
                i.into_bound_py_any(py)
            } else if let Ok(u) = out.parse::<u64>() {
                u.into_bound_py_any(py)
            } else {
                f.into_bound_py_any(py)
            }
        }
        Value::Str(v) => v.into_bound_py_any(py),
        Value::Time(t) => t.into_bound_py_any(py),
    }
}

/// `dir` made absolute against the current directory and cleaned, as the CLI does it.
fn absolute(dir: &str) -> String {
    let p = std::path::Path::new(dir);
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().map(|c| c.join(p)).unwrap_or_else(|_| p.to_path_buf())
    };
    rustomize::fs::clean(&abs.to_string_lossy().replace('\\', "/"))
}

fn memory(files: Vec<(String, Bound<'_, PyBytes>)>, root: &str) -> PyResult<Source> {
    let mut fs = MemFs::new();
    for (path, data) in &files {
        if path.is_empty() {
            return Err(PyValueError::new_err("a file path is empty"));
        }
        fs.add(path, data.as_bytes());
    }
    Ok(Source::Memory(fs, rustomize::fs::join("/", root)))
}

fn check_path(path: &str) -> PyResult<()> {
    if path.contains('\0') {
        return Err(PyValueError::new_err("embedded null character in path"));
    }
    Ok(())
}

/// build_path(path, options) -> (str, list[str])
///
/// Builds the kustomization directory `path` on disk: the YAML text and the warnings.
#[pyfunction]
fn build_path(py: Python<'_>, path: &str, options: &Bound<'_, PyOptions>) -> PyResult<(String, Vec<String>)> {
    check_path(path)?;
    text(py, Source::Disk(absolute(path)), &options.get().inner)
}

/// build_path_resources(path, options) -> (list[dict], list[str])
///
/// Builds the kustomization directory `path` on disk: the resources and the warnings.
#[pyfunction]
fn build_path_resources<'py>(
    py: Python<'py>,
    path: &str,
    options: &Bound<'_, PyOptions>,
) -> PyResult<(Bound<'py, PyList>, Vec<String>)> {
    check_path(path)?;
    resources(py, Source::Disk(absolute(path)), &options.get().inner)
}

/// build_files(files, root, options) -> (str, list[str])
///
/// Builds the kustomization at `root` in the in-memory tree `files` (a list of (path, bytes)):
/// the YAML text and the warnings.
#[pyfunction]
fn build_files(
    py: Python<'_>,
    files: Vec<(String, Bound<'_, PyBytes>)>,
    root: &str,
    options: &Bound<'_, PyOptions>,
) -> PyResult<(String, Vec<String>)> {
    let source = memory(files, root)?;
    text(py, source, &options.get().inner)
}

/// build_files_resources(files, root, options) -> (list[dict], list[str])
///
/// Builds the kustomization at `root` in the in-memory tree `files` (a list of (path, bytes)):
/// the resources and the warnings.
#[pyfunction]
fn build_files_resources<'py>(
    py: Python<'py>,
    files: Vec<(String, Bound<'_, PyBytes>)>,
    root: &str,
    options: &Bound<'_, PyOptions>,
) -> PyResult<(Bound<'py, PyList>, Vec<String>)> {
    let source = memory(files, root)?;
    resources(py, source, &options.get().inner)
}

/// build_paths(paths, options, jobs) -> list[tuple[str | None, list[str], error | None]]
///
/// Builds every kustomization directory of `paths` in parallel on `jobs` threads (0: every
/// core), sharing parsed files: per path, the YAML text and warnings, or the error.
#[pyfunction]
fn build_paths(py: Python<'_>, paths: Vec<String>, options: &Bound<'_, PyOptions>, jobs: usize) -> PyResult<Vec<(Option<String>, Vec<String>, Option<PyErr>)>> {
    for p in &paths {
        check_path(p)?;
    }
    let dirs: Vec<String> = paths.iter().map(|p| absolute(p)).collect();
    let options = options.get().inner.clone();
    let jobs = if jobs == 0 { std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1) } else { jobs };
    let results: Vec<Result<(String, Vec<String>), Error>> = py.detach(|| {
        let r = catch_unwind(AssertUnwindSafe(|| {
            rustomize::render_many_with_jobs(&DiskFs, &dirs, &options, jobs)
                .into_iter()
                .map(|r| text_of(r?))
                .collect::<Vec<_>>()
        }));
        r.unwrap_or_else(|p| dirs.iter().map(|d| Err(internal(&panic_message(&*p), d))).collect())
    });
    Ok(results
        .into_iter()
        .map(|r| match r {
            Ok((text, warnings)) => (Some(text), warnings, None),
            Err(e) => (None, Vec::new(), Some(to_py_err(py, &e))),
        })
        .collect())
}

/// _panic_for_tests(where) -> None
///
/// Panics inside the binding (`where` = "build": in the build, without the GIL; "convert":
/// with the GIL held), to test that a panic becomes rustomize.InternalError.
#[pyfunction]
fn _panic_for_tests(py: Python<'_>, r#where: &str) -> PyResult<()> {
    match r#where {
        "build" => match run(py, Source::Memory(MemFs::new(), "/".into()), &Options::default(), |_, _, _| -> rustomize::Result<()> {
            panic!("test panic in the build")
        }) {
            Outcome::Done(()) => Ok(()),
            Outcome::Failed(e) => Err(to_py_err(py, &e)),
        },
        "convert" => guarded(py, "/", || -> PyResult<()> { panic!("test panic in a conversion") }),
        _ => Err(PyTypeError::new_err("where must be 'build' or 'convert'")),
    }
}

/// The native half of the `rustomize` package (private: use `rustomize`).
#[pymodule]
fn _rustomize(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyOptions>()?;
    m.add_function(wrap_pyfunction!(build_path, m)?)?;
    m.add_function(wrap_pyfunction!(build_path_resources, m)?)?;
    m.add_function(wrap_pyfunction!(build_files, m)?)?;
    m.add_function(wrap_pyfunction!(build_files_resources, m)?)?;
    m.add_function(wrap_pyfunction!(build_paths, m)?)?;
    m.add_function(wrap_pyfunction!(_panic_for_tests, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("KUSTOMIZE_VERSION", "v5.5.0")?;
    Ok(())
}
