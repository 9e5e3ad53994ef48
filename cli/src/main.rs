//! `rustomize`: kustomize build, byte for byte.
//!
//! ```text
//! rustomize build [DIR] [--load-restrictor ...] [--reorder legacy|none] [-o PATH] ...
//! rustomize version
//! ```

use rustomize::{DiskFs, Options};
use std::io::Write;
use std::process::ExitCode;

const USAGE: &str = "Usage:
  rustomize build [DIR] [flags]
  rustomize version

Flags of build (those of `kustomize build`):
  -o, --output PATH                 write to a file, or one file per resource into a directory
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
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a == "-o" || a == "--output" {
            i += 1;
            output = Some(args.get(i).ok_or("flag needs an argument: --output")?.clone());
        } else if let Some(v) = a.strip_prefix("--output=").or_else(|| a.strip_prefix("-o=")) {
            output = Some(v.to_string());
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
    if positional.len() > 1 {
        return Err("specify one path to kustomization.yaml".into());
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
    let dir = positional.pop().unwrap_or_else(|| ".".to_string());
    let dir = absolute(&dir);
    let rendered = rustomize::render(&DiskFs, &dir, &options).map_err(|e| e.to_string())?;
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
    rustomize::yaml::to_string_stream(list.iter().map(|r| &r.node)).map_err(|e| e.to_string())
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
