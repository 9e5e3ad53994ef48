// Types of the npm package `rustomize`: kustomize build (v5.5.0), compiled to WebAssembly.

/**
 * The file tree to build: paths (relative paths are taken from `/`) to contents, a string
 * (encoded as UTF-8) or bytes. A key ending in `/` makes an empty directory.
 */
export type Files =
  | Record<string, string | Uint8Array>
  | Map<string, string | Uint8Array>;

/** Build options: `kustomize build`'s flags. */
export interface BuildOptions {
  /** kustomize build's command-line flags, e.g. `["--reorder", "none"]`; applied before the other options. */
  flags?: string[];
  /** `--load-restrictor` (default `"rootOnly"`). */
  loadRestrictor?: "rootOnly" | "none" | "LoadRestrictionsRootOnly" | "LoadRestrictionsNone";
  /** `--reorder`; when not given, legacy order unless the kustomization has `sortOptions`. */
  reorder?: "legacy" | "none" | null;
  /** `--enable-managedby-label`. */
  enableManagedbyLabel?: boolean;
  /** `--enable-helm` (helm charts are not supported in WebAssembly). */
  enableHelm?: boolean;
  /** `--helm-command`. */
  helmCommand?: string;
  /** `--enable-alpha-plugins`. */
  enableAlphaPlugins?: boolean;
  /** `--enable-exec`. */
  enableExec?: boolean;
  /** Receives kustomize's warnings (by default they go to `console.warn`). */
  onWarning?: (warning: string) => void;
}

/** What went wrong, broadly (`Error.kind`). New kinds may be added. */
export type ErrorKind =
  | "yaml"
  | "kustomization"
  | "not_found"
  | "load_restriction"
  | "cycle"
  | "resource"
  | "id_conflict"
  | "transform"
  | "unsupported"
  | "usage"
  | "external"
  | "internal";

/**
 * The error `build` and `buildResources` throw when a build fails (arguments of the wrong
 * type throw a `TypeError` instead). `kind === "internal"` is a bug in rustomize.
 */
export interface RustomizeError extends Error {
  name: "RustomizeError";
  kind: ErrorKind;
  /** The full text: `path:line:column: detail`, then the kustomizations that led to the error. */
  message: string;
  /** The message alone, without file, position or chain. */
  detail: string;
  /** The file the error concerns, if known (a path in the file tree). */
  path: string | null;
  /** 1-based line in `path`, if known. */
  line: number | null;
  /** 1-based column in `path`, if known. */
  column: number | null;
  /** The kustomization directories that led to the error, innermost first. */
  chain: string[];
}

/** A value of a built resource. Integers beyond `Number.MAX_SAFE_INTEGER` are `bigint`s. */
export type Value = null | boolean | number | bigint | string | Value[] | ValueObject;

/** A mapping of a built resource. */
export interface ValueObject {
  [key: string]: Value | undefined;
}

/** A built resource: a Kubernetes object. */
export interface Resource extends ValueObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ValueObject & { name?: string; namespace?: string };
}

/**
 * Builds the kustomization at `root` (default `/`) in `files` and returns the YAML stream
 * that `kustomize build` prints, byte for byte.
 * @throws {RustomizeError} when the build fails.
 */
export function build(files: Files, root?: string | null, options?: BuildOptions | null): string;

/**
 * Builds as `build` does and returns the resources as objects, in output order, typed as
 * reading the YAML back types them.
 * @throws {RustomizeError} when the build fails.
 */
export function buildResources(files: Files, root?: string | null, options?: BuildOptions | null): Resource[];

/** The version of rustomize. */
export function version(): string;

/** The version of kustomize whose output rustomize reproduces (`"v5.5.0"`). */
export function kustomizeVersion(): string;

/** Whether `e` is an error thrown by a failed build. */
export function isRustomizeError(e: unknown): e is RustomizeError;
