//! The error type: an opaque [`Error`] with a [`ErrorKind`], the file it concerns, a position,
//! and the chain of kustomizations that led to it.

use std::fmt;

/// What went wrong, broadly. New kinds may be added.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Malformed YAML (syntax, duplicate keys, alias bombs).
    Yaml,
    /// A kustomization file that is invalid (unknown field, wrong type, wrong kind).
    Kustomization,
    /// A file or directory that does not exist or cannot be read.
    NotFound,
    /// A path outside the kustomization root under the load restriction.
    LoadRestriction,
    /// A kustomization that includes itself.
    Cycle,
    /// A resource document that is not a valid Kubernetes object.
    Resource,
    /// Two resources with the same id, or a lookup that found none or several.
    IdConflict,
    /// A transformer, generator or patch that cannot be applied.
    Transform,
    /// A feature this version does not implement yet.
    Unsupported,
    /// An invalid option given by the caller.
    Usage,
    /// A failure of an external program (git, helm).
    External,
    /// A bug in rustomize (a panic caught at the API boundary).
    Internal,
}

impl ErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Yaml => "yaml",
            ErrorKind::Kustomization => "kustomization",
            ErrorKind::NotFound => "not_found",
            ErrorKind::LoadRestriction => "load_restriction",
            ErrorKind::Cycle => "cycle",
            ErrorKind::Resource => "resource",
            ErrorKind::IdConflict => "id_conflict",
            ErrorKind::Transform => "transform",
            ErrorKind::Unsupported => "unsupported",
            ErrorKind::Usage => "usage",
            ErrorKind::External => "external",
            ErrorKind::Internal => "internal",
        }
    }
}

/// A rustomize error.
#[derive(Clone, PartialEq)]
pub struct Error {
    inner: Box<Inner>,
}

#[derive(Clone, Debug, PartialEq)]
struct Inner {
    kind: ErrorKind,
    message: String,
    path: Option<String>,
    line: Option<u32>,
    column: Option<u32>,
    chain: Vec<String>,
}

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            inner: Box::new(Inner { kind, message: message.into(), path: None, line: None, column: None, chain: Vec::new() }),
        }
    }
    /// Sets the file this error concerns, unless one is set already.
    pub fn with_path(mut self, path: impl Into<String>) -> Self {
        if self.inner.path.is_none() {
            self.inner.path = Some(path.into());
        }
        self
    }
    /// Sets the position, unless one is set already.
    pub fn with_pos(mut self, line: u32, column: u32) -> Self {
        if self.inner.line.is_none() && line > 0 {
            self.inner.line = Some(line);
            self.inner.column = Some(column);
        }
        self
    }
    /// Records that this error happened while building the kustomization at `dir`.
    pub fn in_kustomization(mut self, dir: impl Into<String>) -> Self {
        let d = dir.into();
        if self.inner.chain.last() != Some(&d) {
            self.inner.chain.push(d);
        }
        self
    }
    /// The same error with its message rewritten by `f` (file, position and chain kept).
    pub(crate) fn map_message(mut self, f: impl FnOnce(&str) -> String) -> Self {
        self.inner.message = f(&self.inner.message);
        self
    }
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }
    /// The message alone, without file, position or chain.
    pub fn message(&self) -> &str {
        &self.inner.message
    }
    pub fn path(&self) -> Option<&str> {
        self.inner.path.as_deref()
    }
    pub fn line(&self) -> Option<u32> {
        self.inner.line
    }
    pub fn column(&self) -> Option<u32> {
        self.inner.column
    }
    /// The kustomization directories that led to the error, innermost first.
    pub fn chain(&self) -> &[String] {
        &self.inner.chain
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        if let Some(p) = &i.path {
            f.write_str(p)?;
            if let Some(l) = i.line {
                write!(f, ":{}", l)?;
                if let Some(c) = i.column {
                    write!(f, ":{}", c)?;
                }
            }
            f.write_str(": ")?;
        }
        f.write_str(&i.message)?;
        for d in &i.chain {
            write!(f, "\n  in kustomization {}", d)?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Error({:?}: {})", self.inner.kind, self)
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Shorthand for building an error.
macro_rules! err {
    ($kind:ident, $($arg:tt)*) => {
        $crate::error::Error::new($crate::error::ErrorKind::$kind, format!($($arg)*))
    };
}
pub(crate) use err;
