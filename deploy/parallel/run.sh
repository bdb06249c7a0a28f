#!/bin/sh
# deploy/parallel/run.sh CORPUS OUT [N] — scale-out on one host with GNU
# parallel (Debian package parallel): N shard processes over the folder
# CORPUS (default: one per core), then the merge into OUT/warehouse.duckdb.
# The shard warehouses stay in OUT/shards, the job log in
# OUT/shards/parallel.log (one line per shard: runtime, exit status).
#
# On one host this pays when a run is bound by its single writer or a
# shard may be re-run alone; with 2 cores a single gongkai ingest already
# parses on both (BENCHMARKS.md, "Scale-out"). A shard that fails leaves
# the others running, and the merge does not run; run this again: the
# finished shards have nothing new, the failed one goes on where it
# stopped.
#
# GONGKAI names the binary (default: gongkai on PATH).
set -eu
if [ $# -lt 2 ] || [ $# -gt 3 ]; then
	echo "usage: run.sh CORPUS OUT [N]" >&2
	exit 2
fi
corpus=$1 out=$2 n=${3:-$(nproc)}
here=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out/shards"
seq 1 "$n" | parallel --will-cite -q --jobs "$n" --halt never --joblog "$out/shards/parallel.log" \
	"$here/gongkai-shard.sh" {} "$n" "$corpus" "$out/shards"
"$here/gongkai-merge.sh" "$n" "$out/shards" "$out/warehouse.duckdb"
