//! `rustomize`: kustomize build, byte for byte.
//!
//! ```text
//! rustomize build [DIR] [--load-restrictor ...] [--reorder legacy|none] [-o PATH] ...
//! rustomize version
//! ```

use rustomize::{DiskFs, Options};

// A build allocates many small strings and maps: mimalloc runs a fifth fewer instructions
// than glibc's malloc on them (benches/README.md).
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::io::Write;
use std::process::ExitCode;

const USAGE: &str = "Usage:
  rustomize build [DIR] [flags]
  rustomize build DIR DIR... [-j N] [flags]      build many roots in parallel
  rustomize version

Flags of build (those of `kustomize build`):
  -o, --output PATH                 write to a file, or one file per resource into a directory
                                    (several DIRs: one file per DIR into this directory)
  -j, --jobs N                      threads for several DIRs (default: every core)
      --load-restrictor VALUE       LoadRestrictionsRootOnly (default) or LoadRestrictionsNone
      --reorder legacy|none         final order (deprecated: use sortOptions)
      --enable-managedby-label      add app.kubernetes.io/managed-by (deprecated: use buildMetadata)
      --enable-helm                 allow helmCharts
      --helm-command PATH           helm binary (default: helm)
      --enable-alpha-plugins        allow plugins
      --enable-exec                 allow exec plugins
";

fn main() -> ExitCode {
    // The library turns a panic into an `Internal` error; keep the default hook quiet.
    std::panic::set_hook(Box::new(|_| {}));
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("build") => match run_build(&args[1..]) {
            Ok(()) => ExitCode::SUCCESS,
            Err(msg) => {
                eprintln!("Error: {}", msg);
                ExitCode::FAILURE
            }
        },
        Some("version") | Some("--version") => {
            println!("rustomize {} (compatible with kustomize v5.5.0)", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Some("-h") | Some("--help") | Some("help") => {
            print!("{}", USAGE);
            ExitCode::SUCCESS
        }
        _ => {
            eprint!("{}", USAGE);
            ExitCode::from(2)
        }
    }
}

fn run_build(args: &[String]) -> Result<(), String> {
    let mut flags: Vec<String> = Vec::new();
    let mut positional: Vec<String> = Vec::new();
    let mut output: Option<String> = None;
    let mut jobs: Option<usize> = None;
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a == "-o" || a == "--output" {
            i += 1;
            output = Some(args.get(i).ok_or("flag needs an argument: --output")?.clone());
        } else if let Some(v) = a.strip_prefix("--output=").or_else(|| a.strip_prefix("-o=")) {
            output = Some(v.to_string());
        } else if a == "-j" || a == "--jobs" {
            i += 1;
            let v = args.get(i).ok_or("flag needs an argument: --jobs")?;
            jobs = Some(v.parse().map_err(|_| format!("invalid argument {:?} for --jobs", v))?);
        } else if let Some(v) = a.strip_prefix("--jobs=").or_else(|| a.strip_prefix("-j=")) {
            jobs = Some(v.parse().map_err(|_| format!("invalid argument {:?} for --jobs", v))?);
        } else if a == "-h" || a == "--help" {
            print!("{}", USAGE);
            return Ok(());
        } else if a.starts_with('-') {
            flags.push(a.clone());
            let takes_value = matches!(a.as_str(), "--load-restrictor" | "--load_restrictor" | "--reorder" | "--helm-command");
            if takes_value {
                i += 1;
                flags.push(args.get(i).ok_or_else(|| format!("flag needs an argument: {}", a))?.clone());
            }
        } else {
            positional.push(a.clone());
        }
        i += 1;
    }
    for f in &flags {
        let name = f.split('=').next().unwrap_or("");
        match name {
            "--reorder" => eprintln!("Flag --reorder has been deprecated, use the new 'sortOptions' field in kustomization.yaml instead."),
            "--enable-managedby-label" => eprintln!("Flag --enable-managedby-label has been deprecated, The flag `enable-managedby-label` has been deprecated. Use the `managedByLabel` option in the `buildMetadata` field instead."),
            _ => {}
        }
    }
    let options = Options::from_flags(&flags).map_err(|e| e.to_string())?;
    if positional.len() > 1 || jobs.is_some() {
        return build_batch(&positional, &options, output.as_deref(), jobs);
    }
    let dir = positional.pop().unwrap_or_else(|| ".".to_string());
    let dir = absolute(&dir);
    let rendered = rustomize::render(&DiskFs, &dir, &options).map_err(|e| e.to_string())?;
    let result = write_rendered(&rendered, output);
    // The process ends here: freeing the resources one by one would only cost time.
    std::mem::forget(rendered);
    result
}

/// `rustomize build DIR...`: every root built in parallel (`-j N` threads, all cores by
/// default). Without `-o`, the outputs go to stdout in argument order, each after a line
/// `# Source: DIR`; with `-o OUT` (a directory), each goes to `OUT/<DIR with / as _>.yaml`.
/// A failing root is reported on stderr and the others are still written.
fn build_batch(dirs: &[String], options: &Options, output: Option<&str>, jobs: Option<usize>) -> Result<(), String> {
    let dirs: Vec<String> = if dirs.is_empty() { vec![".".to_string()] } else { dirs.to_vec() };
    if let Some(out) = output {
        if !std::path::Path::new(out).is_dir() {
            return Err(format!("with several directories, --output must be an existing directory: {}", out));
        }
    }
    let abs: Vec<String> = dirs.iter().map(|d| absolute(d)).collect();
    let jobs = jobs.unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1));
    let results = rustomize::render_many_with_jobs(&DiskFs, &abs, options, jobs);
    let mut failed = 0;
    let stdout = std::io::stdout();
    let mut lock = stdout.lock();
    let mut names: Vec<String> = Vec::new();
    for (dir, r) in dirs.iter().zip(&results) {
        let rendered = match r {
            Ok(r) => r,
            Err(e) => {
                eprintln!("Error: {}", e);
                failed += 1;
                continue;
            }
        };
        for w in &rendered.warnings {
            eprintln!("{}", w);
        }
        let text = stream(&rendered.resources)?;
        match output {
            Some(out) => {
                let name = format!("{}.yaml", rustomize::fs::clean(dir).trim_start_matches('/').replace('/', "_"));
                if names.contains(&name) {
                    return Err(format!("two directories would both be written to {}/{}", out, name));
                }
                let path = std::path::Path::new(out).join(&name);
                std::fs::write(&path, text).map_err(|e| format!("{}: {}", path.display(), e))?;
                names.push(name);
            }
            None => {
                lock.write_all(format!("# Source: {}\n", dir).as_bytes())
                    .and_then(|_| lock.write_all(text.as_bytes()))
                    .map_err(|e| e.to_string())?;
            }
        }
    }
    lock.flush().map_err(|e| e.to_string())?;
    std::mem::forget(results);
    if failed > 0 {
        return Err(format!("{} of {} kustomizations failed", failed, dirs.len()));
    }
    Ok(())
}

fn write_rendered(rendered: &rustomize::Rendered, output: Option<String>) -> Result<(), String> {
    for w in &rendered.warnings {
        eprintln!("{}", w);
    }
    match output {
        Some(out) if std::path::Path::new(&out).is_dir() => write_individual_files(&out, &rendered.resources),
        Some(out) => {
            let text = stream(&rendered.resources)?;
            std::fs::write(&out, text).map_err(|e| format!("{}: {}", out, e))
        }
        None => {
            let text = stream(&rendered.resources)?;
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            lock.write_all(text.as_bytes()).and_then(|_| lock.flush()).map_err(|e| e.to_string())
        }
    }
}

fn stream(list: &rustomize::resource::ResourceList) -> Result<String, String> {
    rustomize::yaml::to_string_stream_parallel(&list.iter().map(|r| &r.node).collect::<Vec<_>>()).map_err(|e| e.to_string())
}

fn absolute(dir: &str) -> String {
    let p = std::path::Path::new(dir);
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().map(|c| c.join(p)).unwrap_or_else(|_| p.to_path_buf())
    };
    rustomize::fs::clean(&abs.to_string_lossy().replace('\\', "/"))
}

/// `-o DIR`: one file per resource, as kustomize names them.
fn write_individual_files(dir: &str, list: &rustomize::resource::ResourceList) -> Result<(), String> {
    let file_name = |r: &rustomize::resource::Resource| {
        let g = r.gvk();
        let parts: Vec<&str> = [g.group.as_str(), g.version.as_str(), g.kind.as_str()].into_iter().filter(|s| !s.is_empty()).collect();
        format!("{}_{}.yaml", parts.join("_").to_lowercase(), r.name().to_lowercase())
    };
    let mut namespaces: Vec<String> = Vec::new();
    for r in list.iter() {
        let id = r.cur_id();
        if !id.gvk.is_cluster_scoped() {
            let ns = id.effective_namespace().to_string();
            if !namespaces.contains(&ns) {
                namespaces.push(ns);
            }
        }
    }
    for r in list.iter() {
        let id = r.cur_id();
        let mut name = file_name(r);
        if !id.gvk.is_cluster_scoped() && namespaces.len() > 1 {
            name = format!("{}_{}", id.effective_namespace().to_lowercase(), name);
        }
        let text = rustomize::yaml::emit::try_to_string(&r.node).map_err(|e| e.to_string())?;
        let path = std::path::Path::new(dir).join(&name);
        std::fs::write(&path, text).map_err(|e| format!("{}: {}", path.display(), e))?;
    }
    Ok(())
}
