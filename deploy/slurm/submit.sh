#!/bin/sh
# deploy/slurm/submit.sh CORPUS SHARDS WAREHOUSE [N] — submits the scale-out
# run to Slurm: a job array of N shards (shards.sbatch, default 3), then the
# merge (merge.sbatch), held until every task of the array has succeeded.
# All three paths are on storage every node mounts, and so is deploy/
# (this script's folder's parent). Extra sbatch options (a partition, an
# account) go in SBATCH_PARTITION, SBATCH_ACCOUNT and the like, which
# sbatch reads itself. Prints the two job ids.
set -eu
if [ $# -lt 3 ] || [ $# -gt 4 ]; then
	echo "usage: submit.sh CORPUS SHARDS WAREHOUSE [N]" >&2
	exit 2
fi
corpus=$1 shards=$2 warehouse=$3 n=${4:-3}
here=$(cd "$(dirname "$0")" && pwd)
deploy=$(dirname "$here")
mkdir -p "$shards"
shards_job=$(sbatch --parsable --array="1-$n" --chdir="$shards" \
	--export="ALL,GONGKAI_CORPUS=$corpus,GONGKAI_SHARDS=$shards,GONGKAI_DEPLOY=$deploy" \
	"$here/shards.sbatch")
shards_job=${shards_job%%;*}
merge_job=$(sbatch --parsable --dependency="afterok:$shards_job" --kill-on-invalid-dep=yes --chdir="$shards" \
	--export="ALL,GONGKAI_SHARDS=$shards,GONGKAI_SHARDS_N=$n,GONGKAI_WAREHOUSE=$warehouse,GONGKAI_DEPLOY=$deploy" \
	"$here/merge.sbatch")
echo "shards: job $shards_job (array 1-$n); merge: job ${merge_job%%;*}"
