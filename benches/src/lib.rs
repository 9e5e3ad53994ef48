//! Input generators for rustomize's benchmarks (see `benches/README.md`).
//!
//! Everything is generated in code, deterministically: no files are read. The benchmarks in
//! `benches/` call these functions outside the timed sections; the tests below check that the
//! inputs really exercise what the benchmarks claim (patches apply, builds succeed).

use std::fmt::Write;

use rustomize::yaml::Node;
use rustomize::MemFs;

/// The size of the Deployment used by the patch benchmarks.
#[derive(Clone, Copy, Debug)]
pub struct DeploymentShape {
    pub containers: usize,
    pub envs: usize,
    pub ports: usize,
    pub mounts: usize,
    pub volumes: usize,
}

/// The shape asked for by issue 3: 50 containers, each with 40 env vars, 20 ports and 30
/// volume mounts; 60 volumes.
pub const LARGE: DeploymentShape = DeploymentShape {
    containers: 50,
    envs: 40,
    ports: 20,
    mounts: 30,
    volumes: 60,
};

/// The YAML text of a Deployment `big` of the given shape. Container `i` is named `app-{i}`,
/// its env vars `VAR_{i}_{j}`, its ports `8000 + j` (TCP), its mounts `/mnt/{i}/{j}` on
/// volume `vol-{j % volumes}`; volumes are `vol-{k}` (config maps `cm-{k}`).
pub fn deployment_yaml(shape: DeploymentShape) -> String {
    let mut s = String::with_capacity(1 << 20);
    s.push_str(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: big\n  labels:\n    app: big\n\
         \x20 annotations:\n    owner: bench\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n\
         \x20     app: big\n  template:\n    metadata:\n      labels:\n        app: big\n\
         \x20   spec:\n      containers:\n",
    );
    for i in 0..shape.containers {
        let _ = write!(
            s,
            "      - name: app-{i}\n        image: registry.example.com/app-{i}:v1\n\
             \x20       imagePullPolicy: IfNotPresent\n        args: [\"--id={i}\", \"--verbose\"]\n\
             \x20       resources:\n          limits:\n            cpu: 500m\n            memory: 256Mi\n\
             \x20         requests:\n            cpu: 100m\n            memory: 64Mi\n"
        );
        if shape.envs > 0 {
            s.push_str("        env:\n");
            for j in 0..shape.envs {
                let _ = write!(
                    s,
                    "        - name: VAR_{i}_{j}\n          value: \"value-{i}-{j}\"\n"
                );
            }
        }
        if shape.ports > 0 {
            s.push_str("        ports:\n");
            for j in 0..shape.ports {
                let _ = write!(
                    s,
                    "        - name: p{j}\n          containerPort: {}\n          protocol: TCP\n",
                    8000 + j
                );
            }
        }
        if shape.mounts > 0 {
            s.push_str("        volumeMounts:\n");
            for j in 0..shape.mounts {
                let _ = write!(
                    s,
                    "        - name: vol-{}\n          mountPath: /mnt/{i}/{j}\n          readOnly: true\n",
                    j % shape.volumes.max(1)
                );
            }
        }
    }
    if shape.volumes > 0 {
        s.push_str("      volumes:\n");
        for k in 0..shape.volumes {
            let _ = write!(
                s,
                "      - name: vol-{k}\n        configMap:\n          name: cm-{k}\n"
            );
        }
    }
    s
}

/// The Deployment of [`deployment_yaml`], loaded.
pub fn deployment(shape: DeploymentShape) -> Node {
    load_one(&deployment_yaml(shape))
}

fn load_one(text: &str) -> Node {
    rustomize::yaml::load_one(text)
        .expect("generated YAML loads")
        .expect("one document")
}

/// The containers touched by [`strategic_merge_patch_yaml`].
pub const SM_TOUCHED: [usize; 4] = [0, 10, 25, 49];

/// A strategic-merge patch for the [`LARGE`] Deployment touching a few containers (changed
/// image, one env var changed, one added, one deleted with `$patch: delete`, a mount made
/// writable, a port added), a new container, and a few volumes (one changed, one added, one
/// deleted), plus `replicas`.
pub fn strategic_merge_patch_yaml() -> String {
    let mut s = String::from(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: big\n  annotations:\n\
         \x20   patched: \"true\"\nspec:\n  replicas: 7\n  template:\n    spec:\n      containers:\n",
    );
    for i in SM_TOUCHED {
        let _ = write!(
            s,
            "      - name: app-{i}\n        image: registry.example.com/app-{i}:v2\n        env:\n\
             \x20       - name: VAR_{i}_5\n          value: patched\n\
             \x20       - name: NEW_{i}\n          value: added\n\
             \x20       - name: VAR_{i}_7\n          $patch: delete\n\
             \x20       volumeMounts:\n        - mountPath: /mnt/{i}/3\n          readOnly: false\n\
             \x20       ports:\n        - containerPort: 9999\n          protocol: TCP\n"
        );
    }
    s.push_str(
        "      - name: sidecar\n        image: registry.example.com/sidecar:v1\n\
         \x20     volumes:\n      - name: vol-3\n        configMap:\n          name: cm-patched\n\
         \x20     - name: scratch\n        emptyDir: {}\n      - name: vol-59\n        $patch: delete\n",
    );
    s
}

/// [`strategic_merge_patch_yaml`], loaded.
pub fn strategic_merge_patch() -> Node {
    load_one(&strategic_merge_patch_yaml())
}

/// The number of operations of [`json6902_patch_yaml`].
pub const JSON6902_OPS: usize = 200;

/// A JSON patch of [`JSON6902_OPS`] operations for the [`LARGE`] Deployment: for each of the
/// first 25 containers, eight operations (`test`, `replace`, `add`, `remove`, `copy`, `move`,
/// an `add` to the annotations and a `replace` deep in `resources`), all of which apply.
pub fn json6902_patch_yaml() -> String {
    let mut s = String::new();
    for i in 0..JSON6902_OPS / 8 {
        let c = format!("/spec/template/spec/containers/{i}");
        let _ = write!(
            s,
            "- op: test\n  path: {c}/name\n  value: app-{i}\n\
             - op: replace\n  path: {c}/image\n  value: registry.example.com/app-{i}:v3\n\
             - op: add\n  path: {c}/env/-\n  value:\n    name: ADDED_{i}\n    value: \"yes\"\n\
             - op: remove\n  path: {c}/env/0\n\
             - op: copy\n  from: {c}/ports/0\n  path: {c}/ports/-\n\
             - op: move\n  from: {c}/volumeMounts/0\n  path: {c}/volumeMounts/-\n\
             - op: add\n  path: /metadata/annotations/bench~1container-{i}\n  value: touched\n\
             - op: replace\n  path: {c}/resources/limits/cpu\n  value: \"{}m\"\n",
            600 + i
        );
    }
    s
}

/// The kinds cycled through by [`yaml_stream`] and the build base.
const KINDS: usize = 5;

/// A stream of `docs` resources (ConfigMaps, Deployments, Services, HPAs and Ingresses in
/// turn) separated by `---`, with flow and block collections, quoted and plain scalars, a
/// literal block and comments.
pub fn yaml_stream(docs: usize) -> String {
    let mut s = String::with_capacity(docs * 700);
    for d in 0..docs {
        if d > 0 {
            s.push_str("---\n");
        }
        let app = format!("app-{d}");
        match d % KINDS {
            0 => push_configmap(&mut s, &app),
            1 => push_deployment(&mut s, &app),
            2 => push_service(&mut s, &app),
            3 => push_hpa(&mut s, &app),
            _ => push_ingress(&mut s, &app),
        }
    }
    s
}

fn push_meta(s: &mut String, api_version: &str, kind: &str, name: &str, app: &str) {
    let _ = write!(
        s,
        "apiVersion: {api_version}\nkind: {kind}\nmetadata:\n  name: {name}\n  labels:\n    app: {app}\n\
         \x20   tier: backend # comment\n  annotations:\n    description: \"{kind} for {app}\"\n"
    );
}

fn push_configmap(s: &mut String, app: &str) {
    push_meta(s, "v1", "ConfigMap", &format!("{app}-config"), app);
    let _ = write!(
        s,
        "data:\n  LOG_LEVEL: info\n  PORT: \"8080\"\n  FEATURE_FLAGS: 'a,b,c'\n  app.properties: |\n\
         \x20   name={app}\n    threads=4\n    cache.size=128\n"
    );
}

fn push_deployment(s: &mut String, app: &str) {
    push_meta(s, "apps/v1", "Deployment", app, app);
    let _ = write!(
        s,
        "spec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: {app}\n  template:\n\
         \x20   metadata:\n      labels:\n        app: {app}\n    spec:\n      containers:\n\
         \x20     - name: main\n        image: registry.example.com/{app}:1.0.0\n\
         \x20       args: [\"--port=8080\", \"--log-level=info\"]\n        ports:\n\
         \x20       - containerPort: 8080\n          name: http\n        envFrom:\n\
         \x20       - configMapRef:\n            name: {app}-config\n        env:\n\
         \x20       - name: POD_NAME\n          valueFrom:\n            fieldRef:\n\
         \x20             fieldPath: metadata.name\n        resources:\n          limits: {{cpu: 500m, memory: 256Mi}}\n\
         \x20       readinessProbe:\n          httpGet: {{path: /healthz, port: http}}\n\
         \x20     - name: proxy\n        image: registry.example.com/proxy:2.3\n        ports:\n\
         \x20       - containerPort: 9090\n      volumes:\n      - name: config\n        configMap:\n\
         \x20         name: {app}-config\n"
    );
}

fn push_service(s: &mut String, app: &str) {
    push_meta(s, "v1", "Service", app, app);
    let _ = write!(
        s,
        "spec:\n  type: ClusterIP\n  selector:\n    app: {app}\n  ports:\n  - name: http\n\
         \x20   port: 80\n    targetPort: http\n    protocol: TCP\n"
    );
}

fn push_hpa(s: &mut String, app: &str) {
    push_meta(s, "autoscaling/v2", "HorizontalPodAutoscaler", app, app);
    let _ = write!(
        s,
        "spec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: {app}\n\
         \x20 minReplicas: 2\n  maxReplicas: 10\n  metrics:\n  - type: Resource\n    resource:\n\
         \x20     name: cpu\n      target:\n        type: Utilization\n        averageUtilization: 75\n"
    );
}

fn push_ingress(s: &mut String, app: &str) {
    push_meta(s, "networking.k8s.io/v1", "Ingress", app, app);
    let _ = write!(
        s,
        "spec:\n  ingressClassName: nginx\n  rules:\n  - host: {app}.example.com\n    http:\n\
         \x20     paths:\n      - path: /\n        pathType: Prefix\n        backend:\n\
         \x20         service:\n            name: {app}\n            port:\n              name: http\n"
    );
}

/// The number of apps in the build base; each has a Deployment, a Service, a ConfigMap, an
/// HPA and an Ingress, so the base has `5 * BUILD_APPS` resources.
pub const BUILD_APPS: usize = 40;

/// The resources in the build base.
pub const BUILD_RESOURCES: usize = KINDS * BUILD_APPS;

/// The directory to build in [`overlay_fs`].
pub const OVERLAY_DIR: &str = "/overlay";

/// An in-memory tree with `base/` (one file per app holding its five resources, so
/// [`BUILD_RESOURCES`] resources) and `overlay/`, which uses the base with `namePrefix`,
/// `namespace`, `labels` (with selectors), `commonAnnotations`, `images`, `replicas`, a
/// strategic-merge patch file for one Deployment, a strategic-merge patch with a label-selector
/// target (every Deployment), a JSON 6902 patch for every Ingress, and a `configMapGenerator`
/// (literals and a file) whose name the Deployments refer to.
pub fn overlay_fs() -> MemFs {
    let mut fs = MemFs::new();
    let mut base = String::from(
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n",
    );
    for a in 0..BUILD_APPS {
        let app = format!("app-{a}");
        let mut s = String::new();
        push_deployment(&mut s, &app);
        s.push_str("---\n");
        push_service(&mut s, &app);
        s.push_str("---\n");
        push_configmap(&mut s, &app);
        s.push_str("---\n");
        push_hpa(&mut s, &app);
        s.push_str("---\n");
        push_ingress(&mut s, &app);
        fs.add(&format!("base/{app}.yaml"), s);
        let _ = writeln!(base, "- {app}.yaml");
    }
    fs.add("base/kustomization.yaml", base);

    let mut k = String::from(
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- ../base\n\
         namePrefix: prod-\nnamespace: production\nlabels:\n- pairs:\n    env: prod\n\
         \x20 includeSelectors: true\n- pairs:\n    team: platform\ncommonAnnotations:\n\
         \x20 oncall: platform@example.com\nimages:\n- name: registry.example.com/proxy\n\
         \x20 newName: mirror.example.com/proxy\n  newTag: \"2.4\"\n",
    );
    for a in (0..BUILD_APPS).step_by(4) {
        let _ = write!(
            k,
            "- name: registry.example.com/app-{a}\n  newTag: 1.1.{a}\n"
        );
    }
    k.push_str("replicas:\n");
    for a in (0..BUILD_APPS).step_by(3) {
        let _ = write!(k, "- name: app-{a}\n  count: {}\n", 3 + a % 5);
    }
    k.push_str(
        "patches:\n- path: app-0-patch.yaml\n\
         - target:\n    kind: Deployment\n    labelSelector: tier=backend\n  patch: |-\n\
         \x20   apiVersion: apps/v1\n    kind: Deployment\n    metadata:\n      name: any\n\
         \x20   spec:\n      template:\n        spec:\n          containers:\n\
         \x20         - name: main\n            envFrom:\n            - configMapRef:\n\
         \x20               name: shared\n            env:\n            - name: ENVIRONMENT\n\
         \x20             value: production\n\
         - target:\n    kind: Ingress\n  patch: |-\n    - op: replace\n\
         \x20     path: /spec/ingressClassName\n      value: internal\n    - op: add\n\
         \x20     path: /spec/tls\n      value:\n      - hosts: [\"*.example.com\"]\n\
         \x20       secretName: wildcard-tls\n\
         configMapGenerator:\n- name: shared\n  literals:\n  - REGION=eu-west-1\n\
         \x20 - CLUSTER=prod-1\n  - TRACE_SAMPLING=0.1\n  files:\n  - settings.ini\n",
    );
    fs.add("overlay/kustomization.yaml", k);
    fs.add(
        "overlay/app-0-patch.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-0\nspec:\n  template:\n\
         \x20   spec:\n      containers:\n      - name: main\n        resources:\n\
         \x20         limits:\n            memory: 1Gi\n      - name: proxy\n        $patch: delete\n",
    );
    fs.add(
        "overlay/settings.ini",
        "[server]\nworkers = 8\ntimeout = 30\n",
    );
    fs
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustomize::patch::{merge_patch, Json6902Patch, SmOutcome};
    use rustomize::yaml::{to_string, to_string_stream};

    fn small() -> DeploymentShape {
        DeploymentShape {
            containers: 50,
            envs: 10,
            ports: 3,
            mounts: 5,
            volumes: 60,
        }
    }

    #[test]
    fn strategic_merge_patch_applies() {
        let mut d = deployment(small());
        let before = to_string(&d);
        let out = merge_patch(&mut d, &strategic_merge_patch(), None).unwrap();
        assert_eq!(out, SmOutcome::Merged);
        let after = to_string(&d);
        assert_ne!(before, after);
        assert!(after.contains("registry.example.com/app-49:v2"));
        assert!(after.contains("NEW_25"));
        assert!(after.contains("VAR_10_6") && !after.contains("VAR_10_7\n"));
        assert!(after.contains("name: sidecar"));
        assert!(after.contains("cm-patched") && after.contains("name: scratch"));
        assert!(!after.contains("vol-59\n"));
        assert!(after.contains("containerPort: 9999"));
        assert!(after.contains("replicas: 7"));
    }

    #[test]
    fn json6902_patch_applies() {
        let p = Json6902Patch::parse(&json6902_patch_yaml()).unwrap();
        assert_eq!(p.len(), JSON6902_OPS);
        let mut d = deployment(small());
        p.apply(&mut d).unwrap();
        let after = to_string(&d);
        assert!(after.contains("registry.example.com/app-24:v3"));
        assert!(after.contains("ADDED_24"));
        assert!(after.contains("bench/container-24: touched"));
        assert!(!after.contains("VAR_0_0\n"));
    }

    #[test]
    fn yaml_stream_round_trips() {
        let docs = rustomize::yaml::load_documents(&yaml_stream(50)).unwrap();
        assert_eq!(docs.len(), 50);
        let text = to_string_stream(&docs).unwrap();
        assert_eq!(rustomize::yaml::load_documents(&text).unwrap().len(), 50);
    }

    #[test]
    fn overlay_builds() {
        let out =
            rustomize::build(&overlay_fs(), OVERLAY_DIR, &rustomize::Options::default()).unwrap();
        let docs = rustomize::yaml::load_documents(&out).unwrap();
        assert_eq!(docs.len(), BUILD_RESOURCES + 1);
        assert!(out.contains("name: prod-app-39\n"));
        assert!(out.contains("namespace: production"));
        assert!(out.contains("env: prod"));
        assert!(out.contains("ingressClassName: internal"));
        assert!(out.contains("secretName: wildcard-tls"));
        assert!(out.contains("mirror.example.com/proxy:2.4"));
        assert!(out.contains("registry.example.com/app-4:1.1.4"));
        assert!(out.contains("value: production"));
        assert!(out.contains("memory: 1Gi"));
        // The generated ConfigMap gets a hash suffix, and the Deployments' references follow.
        assert!(out.contains("name: prod-shared-"));
        assert!(!out.contains("name: shared\n"));
        assert!(out.contains("name: prod-app-7-config\n"));
        assert!(out.contains("replicas: 6\n"));
    }
}
