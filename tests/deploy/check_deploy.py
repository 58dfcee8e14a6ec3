#!/usr/bin/python3
"""Renders every kustomization under deploy/ with `kubectl kustomize` (offline) and checks what a
cluster would get: the kinds, the images, memory requests = limits with the worker's
--memory-budget below its limit, KEDA scaling the worker from zero on the input topic of its
ConfigMap, and every flag the manifests pass to heapscope exists in its --help.
Usage: check_deploy.py REPO_ROOT HEAPSCOPE_BINARY"""
import re
import subprocess
import sys

import yaml

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


def render(root, path):
    r = subprocess.run(["kubectl", "kustomize", f"{root}/deploy/{path}"], capture_output=True,
                       text=True)
    if r.returncode != 0:
        failures.append(f"{path}: kubectl kustomize failed: {r.stderr.strip()}")
        return []
    return [d for d in yaml.safe_load_all(r.stdout) if d]


def help_flags(binary, command):
    out = subprocess.run([binary, command, "--help"], capture_output=True, text=True).stdout
    return set(re.findall(r"(--[a-z][a-z-]*)", out)) | set(re.findall(r"\s(-[A-Za-z]),", out))


def flags_in(words):
    return {re.match(r"(--?[a-zA-Z][a-z-]*)", w).group(1) for w in words if w.startswith("-")}


def bytes_of(q):
    units = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "K": 10**3, "M": 10**6, "G": 10**9}
    m = re.fullmatch(r"([0-9.]+)([A-Za-z]*)", str(q))
    return float(m.group(1)) * units.get(m.group(2), 1)


def containers(doc):
    spec = doc["spec"]
    if doc["kind"] == "WorkflowTemplate":
        return [t["container"] for t in spec["templates"] if "container" in t]
    return spec["template"]["spec"]["containers"]


def check_memory(path, c, env=None):
    res = c.get("resources", {})
    req, lim = res.get("requests", {}).get("memory"), res.get("limits", {}).get("memory")
    check(req is not None and req == lim, f"{path}: {c.get('name')}: memory request {req} != limit {lim}")
    text = " ".join(c.get("command", []) + c.get("args", []))
    for k, v in (env or {}).items():  # $(VAR) from the container's ConfigMap
        text = text.replace(f"$({k})", v)
    budgets = re.findall(r"--memory-budget[= ]([0-9.]+[KMG])", text)
    check(budgets, f"{path}: {c.get('name')}: no --memory-budget")
    for b in budgets:
        check(lim and bytes_of(b) <= 0.97 * bytes_of(lim),
              f"{path}: --memory-budget {b} leaves no room below the limit {lim}")


def check_flags(path, c, worker_flags, analyze_flags):
    words = c.get("command", []) + c.get("args", [])
    text = " ".join(words)
    if "worker" in words:
        unknown = flags_in(words[words.index("worker") + 1:]) - worker_flags
        check(not unknown, f"{path}: heapscope worker has no {sorted(unknown)}")
    for cmd in re.findall(r"heapscope analyze ([^;&]*)", text):
        unknown = flags_in(cmd.split()) - analyze_flags
        check(not unknown, f"{path}: heapscope analyze has no {sorted(unknown)}")
    check("worker" in words or "heapscope analyze" in text, f"{path}: runs no heapscope command")


def check_worker_overlay(path, docs, image, namespace, limit, worker_flags, analyze_flags):
    kinds = sorted(d["kind"] for d in docs)
    check(kinds == ["ConfigMap", "Deployment", "Job", "PersistentVolumeClaim", "ScaledObject"],
          f"{path}: kinds {kinds}")
    by_kind = {d["kind"]: d for d in docs}
    for d in docs:
        check(d["metadata"].get("namespace") == namespace, f"{path}: {d['kind']} namespace")
    for kind in ("Deployment", "Job"):
        for c in containers(by_kind.get(kind, {"spec": {"template": {"spec": {"containers": []}}}})):
            check(c["image"] == image, f"{path}: {kind} image {c['image']} != {image}")
            env = by_kind["ConfigMap"]["data"] if kind == "Deployment" else None
            check_memory(f"{path} {kind}", c, env)
            check_flags(f"{path} {kind}", c, worker_flags, analyze_flags)
    dep, so, cm = by_kind.get("Deployment"), by_kind.get("ScaledObject"), by_kind.get("ConfigMap")
    if dep and so and cm:
        worker = containers(dep)[0]
        check(worker["resources"]["limits"]["memory"] == limit,
              f"{path}: worker memory limit {worker['resources']['limits']['memory']} != {limit}")
        check(so["apiVersion"] == "keda.sh/v1alpha1", f"{path}: ScaledObject apiVersion")
        check(so["spec"]["scaleTargetRef"]["name"] == dep["metadata"]["name"],
              f"{path}: ScaledObject scales {so['spec']['scaleTargetRef']['name']}")
        check(so["spec"]["minReplicaCount"] == 0, f"{path}: not scaled to zero")
        t = so["spec"]["triggers"][0]
        check(t["type"] == "kafka", f"{path}: trigger {t['type']}")
        check(t["metadata"]["topic"] == cm["data"]["INPUT_TOPIC"], f"{path}: lag of another topic")
        check(t["metadata"]["consumerGroup"] == cm["data"]["GROUP_ID"],
              f"{path}: lag of another group")
        check(t["metadata"]["bootstrapServers"] == cm["data"]["KAFKA_BROKERS"],
              f"{path}: KEDA and the worker use different brokers")
        grace = dep["spec"]["template"]["spec"]["terminationGracePeriodSeconds"]
        g = [w for w in worker["command"] if w.startswith("--grace-period=")]
        check(g and float(g[0].split("=")[1]) < grace,
              f"{path}: --grace-period must end before Kubernetes' {grace} s")


def main(root, binary):
    worker_flags = help_flags(binary, "worker")
    analyze_flags = help_flags(binary, "analyze")
    check("--brokers" in worker_flags and "--format" in analyze_flags, "could not read --help")
    check_worker_overlay("overlays/dev", render(root, "overlays/dev"), "localhost/heapscope:0.1.0",
                         "heapscope-dev", "1Gi", worker_flags, analyze_flags)
    check_worker_overlay("overlays/prod", render(root, "overlays/prod"),
                         "registry.example.com/platform/heapscope:0.1.0", "heapscope", "4Gi",
                         worker_flags, analyze_flags)
    wf = render(root, "argo-workflows")
    check([d["kind"] for d in wf] == ["WorkflowTemplate"], "argo-workflows: kinds")
    for d in wf:
        check(d["apiVersion"] == "argoproj.io/v1alpha1", "WorkflowTemplate apiVersion")
        t = next(t for t in d["spec"]["templates"] if t["name"] == d["spec"]["entrypoint"])
        arts = {a["name"]: a["path"] for a in t["outputs"]["artifacts"]}
        check(arts.get("report-html", "").endswith(".html"), "no HTML report artifact")
        for c in containers(d):
            check(c["image"] == "localhost/heapscope:0.1.0", f"WorkflowTemplate image {c['image']}")
            check_memory("WorkflowTemplate", c)
            check_flags("WorkflowTemplate", c, worker_flags, analyze_flags)
            check(arts.get("report-html", "?") in " ".join(c["args"]), "HTML not written there")
    app = render(root, "argocd")
    check([d["kind"] for d in app] == ["Application"], "argocd: kinds")
    for d in app:
        path = d["spec"]["source"]["path"]
        check(path.startswith("deploy/") and render(root, path[len("deploy/"):]),
              f"Application path {path} does not render")
    for f in failures:
        print("FAIL:", f, file=sys.stderr)
    print(f"deploy: {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
