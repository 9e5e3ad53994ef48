//! The wasm-bindgen bindings: the exported functions, the reading of their arguments, the
//! conversion of resources to JavaScript values and the one conversion of errors.

use crate::{file_key, js_int, options_from, root_dir, ArgError, JsInt, OptionValue};
use js_sys::{Array, Function, Map, Object, Reflect, Uint8Array};
use rustomize::yaml::emit::natural_cmp;
use rustomize::yaml::resolve::{self, Value};
use rustomize::yaml::{Node, Scalar};
use rustomize::{Error, ErrorKind, MemFs, Options, Rendered};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console, js_name = warn)]
    fn console_warn(message: &str);
}

/// Installs the panic hook, once per instance (a reinitialised instance installs it again).
/// Done on the first call rather than by a `start` function, which wasm-bindgen would export.
fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| std::panic::set_hook(Box::new(panic_hook)));
}

/// A panic is a bug in rustomize. wasm32 cannot unwind, so instead of letting the instance trap
/// on `unreachable` (and stay unusable), the hook asks wasm-bindgen for a fresh instance before
/// the next call and throws a `RustomizeError` of kind `internal` to the caller.
fn panic_hook(info: &std::panic::PanicHookInfo<'_>) {
    let payload = info.payload();
    let msg = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string());
    let location = info
        .location()
        .map(|l| format!(" at {}:{}", l.file(), l.line()))
        .unwrap_or_default();
    let e = Error::new(
        ErrorKind::Internal,
        format!("internal error (please report): {}{}", msg, location),
    );
    wasm_bindgen::handler::schedule_reinit();
    wasm_bindgen::throw_val(to_js_error(&e));
}

fn set(target: &JsValue, key: &str, value: &JsValue) {
    // Cannot fail on the plain objects and arrays made here.
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

fn opt_str(v: Option<&str>) -> JsValue {
    v.map(JsValue::from_str).unwrap_or(JsValue::NULL)
}

fn opt_u32(v: Option<u32>) -> JsValue {
    v.map(|n| JsValue::from_f64(n as f64))
        .unwrap_or(JsValue::NULL)
}

/// The one conversion of a rustomize error: an `Error` named `RustomizeError`, tagged by
/// `kind`; `message` is the full text (file, position, message, kustomization chain).
pub fn to_js_error(e: &Error) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    err.set_name("RustomizeError");
    let v: &JsValue = err.as_ref();
    set(v, "kind", &JsValue::from_str(e.kind().as_str()));
    set(v, "detail", &JsValue::from_str(e.message()));
    set(v, "path", &opt_str(e.path()));
    set(v, "line", &opt_u32(e.line()));
    set(v, "column", &opt_u32(e.column()));
    let chain = Array::new();
    for d in e.chain() {
        chain.push(&JsValue::from_str(d));
    }
    set(v, "chain", &chain);
    err.into()
}

fn arg_error(e: ArgError) -> JsValue {
    match e {
        ArgError::Type(m) => js_sys::TypeError::new(&m).into(),
        ArgError::Usage(m) => to_js_error(&Error::new(ErrorKind::Usage, m)),
    }
}

fn type_name(v: &JsValue) -> String {
    if v.is_null() {
        "null".into()
    } else if Array::is_array(v) {
        "an array".into()
    } else {
        match v.js_typeof().as_string().as_deref() {
            Some("undefined") => "undefined".into(),
            Some(t @ ("object" | "array")) => format!("an {}", t),
            Some(t) => format!("a {}", t),
            None => "a value".into(),
        }
    }
}

/// The `[key, value]` pairs of a plain object (own enumerable string keys) or of a Map.
fn entries(v: &JsValue, what: &str) -> Result<Vec<(String, JsValue)>, JsValue> {
    let pairs: Array = if let Some(m) = v.dyn_ref::<Map>() {
        Array::from(&m.entries().into())
    } else if v.is_object() && !Array::is_array(v) && !v.is_function() {
        Object::entries(v.unchecked_ref())
    } else {
        return Err(arg_error(ArgError::Type(format!(
            "{} must be an object, not {}",
            what,
            type_name(v)
        ))));
    };
    let mut out = Vec::with_capacity(pairs.length() as usize);
    for pair in pairs.iter() {
        let pair: Array = pair.unchecked_into();
        let key = pair.get(0);
        let Some(key) = key.as_string() else {
            return Err(arg_error(ArgError::Type(format!(
                "the keys of {} must be strings",
                what
            ))));
        };
        out.push((key, pair.get(1)));
    }
    Ok(out)
}

/// The in-memory tree from the `files` argument: path -> string (UTF-8) or Uint8Array.
fn file_system(files: &JsValue) -> Result<MemFs, JsValue> {
    let mut fs = MemFs::new();
    for (key, value) in entries(files, "files")? {
        let path = file_key(&key).map_err(arg_error)?;
        match path {
            None => fs.add_dir(&key),
            Some(path) => {
                if let Some(s) = value.as_string() {
                    fs.add(path, s);
                } else if let Some(bytes) = value.dyn_ref::<Uint8Array>() {
                    fs.add(path, bytes.to_vec());
                } else {
                    return Err(arg_error(ArgError::Type(format!(
                        "files[{:?}] must be a string or a Uint8Array, not {}",
                        key,
                        type_name(&value)
                    ))));
                }
            }
        }
    }
    Ok(fs)
}

fn option_value(v: &JsValue) -> OptionValue {
    if v.is_undefined() || v.is_null() {
        OptionValue::Absent
    } else if let Some(b) = v.as_bool() {
        OptionValue::Bool(b)
    } else if let Some(s) = v.as_string() {
        OptionValue::Str(s)
    } else if Array::is_array(v) {
        let items: Option<Vec<String>> = Array::from(v).iter().map(|x| x.as_string()).collect();
        match items {
            Some(items) => OptionValue::List(items),
            None => OptionValue::Other("an array of non-strings".into()),
        }
    } else {
        OptionValue::Other(type_name(v))
    }
}

/// The build options, and the function that receives warnings (if one was given).
fn options(v: &JsValue) -> Result<(Options, Option<Function>), JsValue> {
    if v.is_undefined() || v.is_null() {
        return Ok((Options::default(), None));
    }
    let pairs = entries(v, "options")?;
    let mut on_warning = None;
    for (k, value) in &pairs {
        if k == "onWarning" && !value.is_undefined() && !value.is_null() {
            match value.dyn_ref::<Function>() {
                Some(f) => on_warning = Some(f.clone()),
                None => {
                    return Err(arg_error(ArgError::Type(format!(
                        "option onWarning must be a function, not {}",
                        type_name(value)
                    ))))
                }
            }
        }
    }
    let converted: Vec<(String, OptionValue)> = pairs
        .iter()
        .map(|(k, v)| (k.clone(), option_value(v)))
        .collect();
    let o = options_from(&converted).map_err(arg_error)?;
    Ok((o, on_warning))
}

/// Runs the build and reports its warnings: to `onWarning`, else to `console.warn`.
fn render(files: &JsValue, root: &JsValue, options_arg: &JsValue) -> Result<Rendered, JsValue> {
    install_panic_hook();
    let fs = file_system(files)?;
    let root = if root.is_undefined() || root.is_null() {
        None
    } else {
        match root.as_string() {
            Some(r) => Some(r),
            None => {
                return Err(arg_error(ArgError::Type(format!(
                    "root must be a string, not {}",
                    type_name(root)
                ))))
            }
        }
    };
    let (options, on_warning) = options(options_arg)?;
    let dir = root_dir(root.as_deref());
    let rendered = rustomize::render(&fs, &dir, &options).map_err(|e| to_js_error(&e))?;
    for w in &rendered.warnings {
        match &on_warning {
            Some(f) => {
                f.call1(&JsValue::UNDEFINED, &JsValue::from_str(w))?;
            }
            None => console_warn(w),
        }
    }
    Ok(rendered)
}

// Every argument is a `JsValue`: wasm-bindgen's glue copies a `String` argument into the
// instance's memory before the check that replaces an instance whose build panicked (see
// `panic_hook`), which would hand the fresh instance a pointer into the old one.

/// Builds the kustomization at `root` (default `/`) in the file tree `files` and returns the
/// YAML stream `kustomize build` prints.
#[wasm_bindgen(js_name = build, skip_typescript)]
pub fn build(files: JsValue, root: JsValue, options: JsValue) -> Result<String, JsValue> {
    let rendered = render(&files, &root, &options)?;
    rustomize::yaml::to_string_stream(rendered.resources.iter().map(|r| &r.node))
        .map_err(|e| to_js_error(&e))
}

/// Builds as `build` does and returns the resources as JavaScript objects, in output order.
#[wasm_bindgen(js_name = buildResources, skip_typescript)]
pub fn build_resources(files: JsValue, root: JsValue, options: JsValue) -> Result<Array, JsValue> {
    let rendered = render(&files, &root, &options)?;
    let out = Array::new();
    for r in rendered.resources.iter() {
        out.push(&node_to_js(&r.node).map_err(|e| to_js_error(&e))?);
    }
    Ok(out)
}

/// The version of rustomize.
#[wasm_bindgen(skip_typescript)]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// The version of kustomize whose output rustomize reproduces.
#[wasm_bindgen(js_name = kustomizeVersion, skip_typescript)]
pub fn kustomize_version() -> String {
    "v5.5.0".to_string()
}

/// Panics, to test that a panic becomes a `RustomizeError` of kind `internal` and that the
/// next call works. Not part of the API.
#[wasm_bindgen(js_name = _panicForTests, skip_typescript)]
pub fn panic_for_tests() {
    install_panic_hook();
    panic!("test panic");
}

/// A node as the JavaScript value of what kustomize prints for it: mappings are objects with
/// the keys in output order, sequences arrays, scalars typed as reading the output back types
/// them (integers beyond 2^53 are BigInts).
fn node_to_js(node: &Node) -> Result<JsValue, Error> {
    match node {
        Node::Map(m) => {
            let mut entries: Vec<_> = m.entries.iter().collect();
            entries.sort_by(|a, b| natural_cmp(&a.key, &b.key));
            let obj = Object::new();
            for e in entries {
                let value = node_to_js(&e.value)?;
                if e.key == "__proto__" {
                    // An own property, not the prototype.
                    let desc = Object::new();
                    set(&desc, "value", &value);
                    for flag in ["writable", "enumerable", "configurable"] {
                        set(&desc, flag, &JsValue::TRUE);
                    }
                    Object::define_property(&obj, &JsValue::from_str(&e.key), &desc);
                } else {
                    set(&obj, &e.key, &value);
                }
            }
            Ok(obj.into())
        }
        Node::Seq(items) => {
            let arr = Array::new();
            for item in items {
                arr.push(&node_to_js(item)?);
            }
            Ok(arr.into())
        }
        Node::Scalar(s) => scalar_to_js(s),
    }
}

fn int_to_js(i: i128) -> JsValue {
    match js_int(i) {
        JsInt::Number(n) => JsValue::from_f64(n),
        JsInt::BigInt(b) => match i64::try_from(b) {
            Ok(v) => JsValue::from(v),
            Err(_) => JsValue::from(b as u64),
        },
    }
}

fn scalar_to_js(s: &Scalar) -> Result<JsValue, Error> {
    Ok(match resolve::resolve(s) {
        Value::Null => JsValue::NULL,
        Value::Bool(b) => JsValue::from_bool(b),
        Value::Int(i) => int_to_js(i as i128),
        Value::Uint(u) => int_to_js(u as i128),
        Value::Float(f) => {
            if !f.is_finite() {
                // As the build's text fails (JSON has no such numbers).
                return Err(Error::new(
                    ErrorKind::Resource,
                    format!("json: unsupported value: {}", resolve::go_format_float_g(f)),
                ));
            }
            JsValue::from_f64(f)
        }
        Value::Str(v) => JsValue::from_str(v),
        Value::Time(t) => JsValue::from_str(&t),
    })
}
