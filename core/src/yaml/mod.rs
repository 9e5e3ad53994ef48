//! YAML: the node model, the loader (go-yaml v3 typing) and the emitter (go-yaml v2 style).

pub mod emit;
mod fast;
pub mod load;
pub mod node;
pub mod resolve;

pub use emit::{to_string, to_string_stream, to_string_stream_parallel};
pub use load::{load_documents, load_one};
pub use node::{Comment, Entry, Mapping, Node, Pos, Scalar, Style};
