#!/bin/sh
# deploy/kubernetes/run.sh — one scale-out run on Kubernetes: the Indexed
# Job of shards (gongkai.yaml), then, once it has completed, the merge
# (merge-job.yaml). Jobs of an earlier run are deleted first (a Job's spec
# cannot be changed once made). kubectl's context and namespace are the
# caller's.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
kubectl delete job gongkai-shards gongkai-merge --ignore-not-found
kubectl apply -f "$here/gongkai.yaml"
kubectl wait --for=condition=complete --timeout=24h job/gongkai-shards
kubectl apply -f "$here/merge-job.yaml"
kubectl wait --for=condition=complete --timeout=4h job/gongkai-merge
