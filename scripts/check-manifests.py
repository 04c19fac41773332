#!/usr/bin/env python3
"""Checks the Kubernetes files of deploy/kubernetes (called by scripts/test.sh): each template,
filled in as deploy/kubernetes/submit.sh fills it, parses as YAML into the expected objects;
the shards Job is Indexed with completions = parallelism = the shard count given to --shard;
every Job mounts the results volume and the submission's own ConfigMap, and no file defines a
ConfigMap (the user's is never overwritten). No cluster is contacted: that the pods run is not
checked here (see docs/cluster.md)."""
import pathlib
import re
import sys

try:
    import yaml
except ImportError:
    sys.exit("check-manifests: needs PyYAML (apt-get install python3-yaml)")

root = pathlib.Path(__file__).resolve().parent.parent / "deploy" / "kubernetes"
run, shards, image = "archsim-20260101-000000-abcdef", "3", "registry.example/archsim:1"


def render(name):
    text = (root / name).read_text()
    return text.replace("RUN", run).replace("SHARDS", shards).replace("IMAGE", image)


def fail(msg):
    sys.exit(f"check-manifests: {msg}")


def docs(name):
    out = [d for d in yaml.safe_load_all(render(name)) if d is not None]
    for d in out:
        if d.get("kind") == "ConfigMap":
            fail(f"{name} defines a ConfigMap: it would overwrite the user's")
    return out


(pvc,) = docs("volume.yaml")
assert pvc["kind"] == "PersistentVolumeClaim" and pvc["metadata"]["name"] == "archsim-results"

(job,) = docs("shards-job.yaml")
spec = job["spec"]
if job["kind"] != "Job" or spec["completionMode"] != "Indexed":
    fail("shards-job.yaml is not an Indexed Job")
if spec["completions"] != int(shards) or spec["parallelism"] != int(shards):
    fail("shards-job.yaml: completions and parallelism must be the shard count")
pod = spec["template"]["spec"]
script = pod["containers"][0]["args"][0]
if f'--shard "${{JOB_COMPLETION_INDEX}}/{shards}"' not in script:
    fail(f"shards-job.yaml: the pod does not run --shard K/{shards}: {script}")
if f"/results/{run}/part-${{JOB_COMPLETION_INDEX}}.json" not in script:
    fail("shards-job.yaml: parts are not written to the submission's directory")


def volumes(p):
    v = {x["name"]: x for x in p["volumes"]}
    if v["results"]["persistentVolumeClaim"]["claimName"] != "archsim-results":
        fail("a Job does not mount the results volume")
    if v["input"]["configMap"]["name"] != run:
        fail("a Job does not read the submission's own ConfigMap")


volumes(pod)
(merge,) = docs("merge-job.yaml")
mpod = merge["spec"]["template"]["spec"]
volumes(mpod)
margs = mpod["containers"][0]["args"][0]
if "archsim merge" not in margs or f"-lt {shards}" not in margs:
    fail("merge-job.yaml does not merge every part 0..N-1")
(fetch,) = docs("fetch-pod.yaml")
assert fetch["kind"] == "Pod"
for d in (job, merge, fetch):
    if re.search(r"\b(RUN|SHARDS|IMAGE)\b", yaml.safe_dump(d)):
        fail(f"{d['metadata']['name']}: a placeholder is left")
print("deploy/kubernetes: 4 files parse; Indexed Job, merge Job and fetch pod are consistent")
