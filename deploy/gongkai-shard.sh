#!/bin/sh
# gongkai-shard.sh I N CORPUS SHARDS — shard I of N (1 ≤ I ≤ N) of a scale-out
# run: `gongkai ingest --shard I/N` over the folder CORPUS into the shard
# warehouse SHARDS/shard-I-of-N.duckdb. Every recipe in deploy/ runs this,
# however its scheduler numbers its tasks; deploy/gongkai-merge.sh merges
# the N warehouses once all have finished.
#
# Its exit status is 0 once the shard's run has finished, also when some of
# its files failed: those are reported on stderr and recorded in the
# shard's ledger (ingest_files, outcome 'failed'), which the merge keeps,
# and a scheduler that retried the task or held back the merge for them
# would read the same bad files again. gongkai ingest says "some files
# failed" and "the run did not finish" with the same exit status 1, so the
# shard's finished runs are counted before and after. Any other failure
# keeps its status: the task is retried (a shard's run goes on where the
# last one stopped: every document is its own transaction) or the merge
# does not run.
#
# GONGKAI names the binary (default: gongkai on PATH).
set -eu
if [ $# -ne 4 ]; then
	echo "usage: gongkai-shard.sh I N CORPUS SHARDS" >&2
	exit 2
fi
i=$1 n=$2 corpus=$3 shards=$4
gongkai=${GONGKAI:-gongkai}
case "$i/$n" in
*[!0-9/]* | /* | */) echo "gongkai-shard.sh: shard $i/$n: want two whole numbers" >&2; exit 2 ;;
esac
db="$shards/shard-$i-of-$n.duckdb"
mkdir -p "$shards"

finished_runs() {
	if [ -e "$db" ]; then
		"$gongkai" query --db "$db" --format csv \
			"SELECT count(*) FROM ingest_runs WHERE finished_at IS NOT NULL" | tail -n 1
	else
		echo 0
	fi
}

before=$(finished_runs)
status=0
"$gongkai" ingest --db "$db" --shard "$i/$n" "$corpus" || status=$?
if [ "$status" -eq 1 ] && [ "$(finished_runs)" -gt "$before" ]; then
	echo "gongkai-shard.sh: shard $i/$n finished; the files that failed are in $db (ingest_files, outcome 'failed')" >&2
	status=0
fi
exit "$status"
