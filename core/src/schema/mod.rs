//! Kubernetes schema data compiled from the OpenAPI bundle. (Being written.)
