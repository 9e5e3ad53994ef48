// The playground's presets: { id: { title, root, files } }. Each builds (or, for `error`,
// fails) as tests/node/playground.test.mjs checks.

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx:1.25
        ports:
        - containerPort: 8080
        envFrom:
        - configMapRef:
            name: web-config
`;

const service = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 8080
`;

const baseKustomization = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
- deployment.yaml
- service.yaml
configMapGenerator:
- name: web-config
  literals:
  - LOG_LEVEL=info
  - FEATURE_X=true
labels:
- pairs:
    app.kubernetes.io/name: web
`;

const productionKustomization = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
- ../../base
namespace: web-production
namePrefix: prod-
labels:
- pairs:
    env: production
replicas:
- name: web
  count: 5
images:
- name: nginx
  newName: registry.example.com/nginx
  newTag: "1.25.3"
patches:
- path: resources.yaml
`;

const productionPatch = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: web
        resources:
          limits:
            cpu: "1"
            memory: 512Mi
`;

const stagingKustomization = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
- ../../base
namespace: web-staging
namePrefix: staging-
commonAnnotations:
  team: platform
images:
- name: nginx
  newTag: "1.26"
configMapGenerator:
- name: web-config
  behavior: merge
  literals:
  - LOG_LEVEL=debug
`;

export const presets = {
  overlays: {
    title: "Base with production and staging overlays",
    root: "overlays/production",
    files: {
      "base/kustomization.yaml": baseKustomization,
      "base/deployment.yaml": deployment,
      "base/service.yaml": service,
      "overlays/production/kustomization.yaml": productionKustomization,
      "overlays/production/resources.yaml": productionPatch,
      "overlays/staging/kustomization.yaml": stagingKustomization,
    },
  },
  components: {
    title: "Components",
    root: "overlays/monitored",
    files: {
      "base/kustomization.yaml": "resources:\n- deployment.yaml\n- service.yaml\n",
      "base/deployment.yaml": deployment.replace(/\n        envFrom:[\s\S]*$/, "\n"),
      "base/service.yaml": service,
      "components/monitoring/kustomization.yaml": `apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
commonAnnotations:
  prometheus.io/scrape: "true"
  prometheus.io/port: "9090"
`,
      "components/debug/kustomization.yaml": `apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
patches:
- target:
    kind: Deployment
  patch: |-
    - op: add
      path: /spec/template/spec/containers/0/args
      value: ["--verbose"]
`,
      "overlays/monitored/kustomization.yaml": `resources:
- ../../base
components:
- ../../components/monitoring
- ../../components/debug
nameSuffix: -v2
`,
    },
  },
  generators: {
    title: "ConfigMap and Secret generators",
    root: ".",
    files: {
      "kustomization.yaml": `resources:
- pod.yaml
configMapGenerator:
- name: app-config
  files:
  - application.properties
  envs:
  - settings.env
secretGenerator:
- name: db
  literals:
  - username=admin
  - password=s3cr3t
generatorOptions:
  labels:
    generated: "yes"
`,
      "application.properties": "server.port=8080\nspring.profiles.active=prod\n",
      "settings.env": "# comments are ignored\nTIMEOUT=30\nRETRIES=3\n",
      "pod.yaml": `apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  containers:
  - name: app
    image: busybox
    envFrom:
    - configMapRef:
        name: app-config
    - secretRef:
        name: db
`,
    },
  },
  patches: {
    title: "Strategic merge and JSON 6902 patches",
    root: ".",
    files: {
      "kustomization.yaml": `resources:
- deployment.yaml
- ingress.yaml
patches:
- path: add-sidecar.yaml
- target:
    kind: Ingress
    name: web
  patch: |-
    - op: replace
      path: /spec/rules/0/host
      value: www.example.com
    - op: add
      path: /metadata/annotations
      value:
        cert-manager.io/cluster-issuer: letsencrypt
`,
      "deployment.yaml": deployment.replace(/\n        envFrom:[\s\S]*$/, "\n"),
      "add-sidecar.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: log-shipper
        image: fluent/fluent-bit:3.0
`,
      "ingress.yaml": `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  rules:
  - host: example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: web
            port:
              number: 80
`,
    },
  },
  error: {
    title: "An error (shown at its file and line)",
    root: "overlays/dev",
    files: {
      "base/kustomization.yaml": "resources:\n- service.yaml\n",
      "base/service.yaml": `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - port: 80
     targetPort: 8080
`,
      "overlays/dev/kustomization.yaml": "resources:\n- ../../base\nnamePrefix: dev-\n",
    },
  },
};

export const defaultPreset = "overlays";
