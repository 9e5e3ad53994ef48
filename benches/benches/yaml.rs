//! Loading and emitting a 1,000-document YAML stream (ConfigMaps, Deployments, Services,
//! HPAs and Ingresses in turn, about 0.5 MB of text).

use divan::{black_box, Bencher};
use rustomize::yaml::{load_documents, to_string_stream};
use rustomize_benches::yaml_stream;

const DOCS: usize = 1000;

fn main() {
    divan::main();
}

#[divan::bench]
fn load_1000_docs(bencher: Bencher) {
    let text = yaml_stream(DOCS);
    bencher
        .counter(divan::counter::BytesCount::of_str(&text))
        .bench_local(|| load_documents(black_box(&text)).unwrap());
}

#[divan::bench]
fn emit_1000_docs(bencher: Bencher) {
    let docs = load_documents(&yaml_stream(DOCS)).unwrap();
    assert_eq!(docs.len(), DOCS);
    bencher.bench_local(|| to_string_stream(black_box(&docs)).unwrap());
}
