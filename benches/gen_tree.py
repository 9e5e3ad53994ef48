#!/usr/bin/env python3
"""Generates a realistic GitOps overlay tree for the end-to-end benchmark (benches/e2e.py).

    python3 benches/gen_tree.py OUT_DIR APPS [--envs N]

Layout (every app gives 7 output resources per environment):

    OUT_DIR/
      components/monitoring/       a Component: an annotation patch for every Deployment
      apps/appNNNN/base/           Deployment, Service, ConfigMap, HPA, Ingress,
                                   configMapGenerator (env file)
      apps/appNNNN/overlays/prod/  namePrefix, labels, images, replicas, a strategic-merge
                                   patch, a JSON 6902 patch, a secretGenerator, the component
      envs/prod/                   namespace, commonLabels, commonAnnotations, all app overlays
                                   (the root that is built)

APPS=9 gives 63 resources, 157 gives 1,099 and 1,571 gives 10,997.
"""
import os
import sys


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: {app}
  labels:
    app: {app}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: {app}
  template:
    metadata:
      labels:
        app: {app}
    spec:
      serviceAccountName: default
      containers:
      - name: main
        image: registry.example.com/team/{app}:1.0.0
        ports:
        - name: http
          containerPort: 8080
        - name: metrics
          containerPort: 9090
        env:
        - name: LOG_LEVEL
          value: info
        - name: CONFIG_HASH
          valueFrom:
            configMapKeyRef:
              name: {app}-env
              key: HASH
        envFrom:
        - configMapRef:
            name: {app}-settings
        resources:
          requests:
            cpu: 100m
            memory: 128Mi
          limits:
            cpu: "1"
            memory: 512Mi
        readinessProbe:
          httpGet:
            path: /healthz
            port: http
        volumeMounts:
        - name: config
          mountPath: /etc/{app}
      - name: sidecar
        image: registry.example.com/infra/proxy:2.3.1
        args: ["--upstream=127.0.0.1:8080", "--port=8443"]
        ports:
        - name: https
          containerPort: 8443
      volumes:
      - name: config
        configMap:
          name: {app}-settings
"""

SERVICE = """apiVersion: v1
kind: Service
metadata:
  name: {app}
  labels:
    app: {app}
spec:
  selector:
    app: {app}
  ports:
  - name: http
    port: 80
    targetPort: http
  - name: https
    port: 443
    targetPort: 8443
"""

CONFIGMAP = """apiVersion: v1
kind: ConfigMap
metadata:
  name: {app}-settings
data:
  app.properties: |
    name={app}
    threads=8
    cache.size=256
  feature.flags: "a,b,c"
  timeout: "30s"
"""

HPA = """apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {app}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {app}
  minReplicas: 2
  maxReplicas: 10
  metrics:
  - type: Resource
    resource:
      name: cpu
      target:
        type: Utilization
        averageUtilization: 75
"""

INGRESS = """apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {app}
  annotations:
    nginx.ingress.kubernetes.io/rewrite-target: /
spec:
  rules:
  - host: {app}.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: {app}
            port:
              name: http
  tls:
  - hosts:
    - {app}.example.com
    secretName: {app}-tls
"""

BASE_KUSTOMIZATION = """apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
labels:
- pairs:
    team: team-{team}
  includeSelectors: false
resources:
- deployment.yaml
- service.yaml
- configmap.yaml
- hpa.yaml
- ingress.yaml
configMapGenerator:
- name: {app}-env
  envs:
  - app.env
"""

APP_ENV = "HASH={i}\nREGION=eu-west-1\nMODE=standard\n"

OVERLAY_KUSTOMIZATION = """apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namePrefix: prod-
resources:
- ../../base
components:
- ../../../../components/monitoring
labels:
- pairs:
    env: prod
  includeSelectors: true
images:
- name: registry.example.com/team/{app}
  newTag: 1.4.{i}
- name: registry.example.com/infra/proxy
  newName: mirror.example.com/proxy
  digest: sha256:4f1c5d6e7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d
replicas:
- name: {app}
  count: 3
patches:
- path: resources.yaml
- target:
    kind: HorizontalPodAutoscaler
    name: {app}
  patch: |-
    - op: replace
      path: /spec/maxReplicas
      value: 20
    - op: add
      path: /metadata/annotations
      value:
        scaled-by: overlay
secretGenerator:
- name: {app}-credentials
  literals:
  - username=svc-{app}
  - password=pw-{i}-secret
"""

OVERLAY_PATCH = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: {app}
spec:
  template:
    spec:
      containers:
      - name: main
        env:
        - name: LOG_LEVEL
          value: warn
        - name: DB_PASSWORD
          valueFrom:
            secretKeyRef:
              name: {app}-credentials
              key: password
        resources:
          limits:
            memory: 1Gi
"""

COMPONENT = """apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
patches:
- target:
    kind: Deployment
  patch: |-
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: any
      annotations:
        prometheus.io/scrape: "true"
        prometheus.io/port: "9090"
"""

ROOT_KUSTOMIZATION_HEAD = """apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: prod
commonLabels:
  owner: platform
commonAnnotations:
  example.com/rendered-by: gitops
resources:
"""


def generate(out, apps):
    write(os.path.join(out, "components/monitoring/kustomization.yaml"), COMPONENT)
    lines = [ROOT_KUSTOMIZATION_HEAD]
    for i in range(apps):
        app = "app%04d" % i
        team = i % 7
        base = os.path.join(out, "apps", app, "base")
        v = {"app": app, "i": i, "team": team}
        write(os.path.join(base, "deployment.yaml"), DEPLOYMENT.format(**v))
        write(os.path.join(base, "service.yaml"), SERVICE.format(**v))
        write(os.path.join(base, "configmap.yaml"), CONFIGMAP.format(**v))
        write(os.path.join(base, "hpa.yaml"), HPA.format(**v))
        write(os.path.join(base, "ingress.yaml"), INGRESS.format(**v))
        write(os.path.join(base, "app.env"), APP_ENV.format(**v))
        write(os.path.join(base, "kustomization.yaml"), BASE_KUSTOMIZATION.format(**v))
        ov = os.path.join(out, "apps", app, "overlays", "prod")
        write(os.path.join(ov, "kustomization.yaml"), OVERLAY_KUSTOMIZATION.format(**v))
        write(os.path.join(ov, "resources.yaml"), OVERLAY_PATCH.format(**v))
        lines.append("- ../../apps/%s/overlays/prod\n" % app)
    write(os.path.join(out, "envs/prod/kustomization.yaml"), "".join(lines))
    return os.path.join(out, "envs/prod")


def apps_for(resources):
    """The number of apps that gives about `resources` output resources."""
    return max(1, round(resources / 7))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    print(generate(sys.argv[1], int(sys.argv[2])))
