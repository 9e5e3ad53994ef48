//! `floor TREE ROOT [RUNS]`: the in-process cost of a build next to its floor, for
//! benches/e2e.py. It takes RUNS samples of each, and more until the samples span at least a
//! second, so that a small tree (a millisecond a build) has a median over hundreds of runs
//! rather than over a few that one busy moment of the machine can move.
//!
//! - `build`: `rustomize::build` of ROOT on the real file system, output text included.
//! - `floor`: what any renderer must do at least: read and parse every YAML and env file under
//!   TREE (the whole generated tree, so at least every input), then emit the build's output
//!   resources (made before the clock starts).
//!
//! Prints one JSON line with the medians in milliseconds.

use rustomize::{DiskFs, Options};
use std::time::Instant;

// The allocator of the rustomize binary, so that build and floor compare as the CLI runs.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<_> = rd.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|e| e == "yaml" || e == "yml" || e == "env") {
            out.push(p);
        }
    }
}

/// Samples are taken until they span this long (and at least RUNS of them)...
const MIN_SECONDS: f64 = 1.0;
/// ...but never more than this many.
const MAX_RUNS: usize = 5000;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 {
        eprintln!("usage: floor TREE ROOT [RUNS]");
        std::process::exit(2);
    }
    let (tree, root) = (&args[0], &args[1]);
    let runs: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(5);
    let opts = Options::default();
    let resources = match rustomize::build_resources(&DiskFs, root, &opts) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("Error: {}", e);
            std::process::exit(1);
        }
    };
    let mut paths = Vec::new();
    files(std::path::Path::new(tree), &mut paths);

    let (mut build_ms, mut floor_ms, mut parse_ms, mut emit_ms) = (vec![], vec![], vec![], vec![]);
    let mut bytes = 0usize;
    let started = Instant::now();
    let mut run = 0;
    while run < runs || (started.elapsed().as_secs_f64() < MIN_SECONDS && run < MAX_RUNS) {
        run += 1;
        let t = Instant::now();
        let out = rustomize::build(&DiskFs, root, &opts).expect("build");
        build_ms.push(t.elapsed().as_secs_f64() * 1e3);
        bytes = out.len();

        let t = Instant::now();
        let mut docs = 0usize;
        for p in &paths {
            let text = std::fs::read_to_string(p).expect("read");
            if p.extension().is_some_and(|e| e == "env") {
                docs += text.lines().count();
            } else {
                docs += rustomize::yaml::load_documents(&text).expect("parse").len();
            }
        }
        let parsed = t.elapsed().as_secs_f64() * 1e3;
        let t = Instant::now();
        let text = rustomize::yaml::to_string_stream(resources.iter().map(|r| &r.node)).expect("emit");
        let emitted = t.elapsed().as_secs_f64() * 1e3;
        assert!(docs > 0 && text.len() == bytes);
        parse_ms.push(parsed);
        emit_ms.push(emitted);
        floor_ms.push(parsed + emitted);
    }
    println!(
        "{{\"files\": {}, \"resources\": {}, \"output_bytes\": {}, \"runs\": {}, \"build_ms\": {:.3}, \"floor_ms\": {:.3}, \"parse_ms\": {:.3}, \"emit_ms\": {:.3}}}",
        paths.len(),
        resources.len(),
        bytes,
        run,
        median(build_ms),
        median(floor_ms),
        median(parse_ms),
        median(emit_ms)
    );
}
