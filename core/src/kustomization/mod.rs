//! The kustomization file, typed. (Being written.)
