#!/bin/sh
# deploy/kubernetes/run.sh — one scale-out run on Kubernetes: the Indexed
# Job of shards (gongkai.yaml), then, once it has completed, the merge
# (merge-job.yaml). Stops with status 1, without the merge, when the shards'
# Job fails (its backoffLimit spent) or has not completed within
# GONGKAI_SHARDS_TIMEOUT seconds (default a day). Jobs of an earlier run are
# deleted first (a Job's spec cannot be changed once made). kubectl's
# context and namespace are the caller's.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
poll=${GONGKAI_POLL_SECONDS:-30}

# wait_job JOB SECONDS: 0 once the Job is Complete, 1 once it has Failed or
# the time is up. (kubectl wait takes one condition, and would wait out its
# timeout on a Job that failed.)
wait_job() {
	deadline=$(($(date +%s) + $2))
	while :; do
		conditions=$(kubectl get "job/$1" -o 'jsonpath={.status.conditions[?(@.status=="True")].type}')
		case " $conditions " in
		*" Complete "*) return 0 ;;
		*" Failed "*)
			echo "run.sh: job $1 failed; kubectl describe job/$1 and kubectl logs job/$1 say why" >&2
			return 1
			;;
		esac
		if [ "$(date +%s)" -ge "$deadline" ]; then
			echo "run.sh: job $1 has not completed in $2 s" >&2
			return 1
		fi
		sleep "$poll"
	done
}

kubectl delete job gongkai-shards gongkai-merge --ignore-not-found
kubectl apply -f "$here/gongkai.yaml"
wait_job gongkai-shards "${GONGKAI_SHARDS_TIMEOUT:-86400}"
kubectl apply -f "$here/merge-job.yaml"
wait_job gongkai-merge "${GONGKAI_MERGE_TIMEOUT:-14400}"
