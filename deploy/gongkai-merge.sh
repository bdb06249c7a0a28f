#!/bin/sh
# gongkai-merge.sh N SHARDS WAREHOUSE — the step after the shards of a
# scale-out run: merges SHARDS/shard-1-of-N.duckdb … shard-N-of-N.duckdb
# (written by deploy/gongkai-shard.sh) into WAREHOUSE with gongkai merge.
# Refuses, and writes nothing, while any of the N is missing: a warehouse
# without a shard's documents would have the wrong documents current and
# the wrong cross-document findings until the next merge.
#
# Merging is idempotent: run it again after a shard's task was re-run, or
# nightly after new shard runs; documents already merged are kept once.
#
# GONGKAI names the binary (default: gongkai on PATH).
set -eu
if [ $# -ne 3 ]; then
	echo "usage: gongkai-merge.sh N SHARDS WAREHOUSE" >&2
	exit 2
fi
n=$1 shards=$2 warehouse=$3
gongkai=${GONGKAI:-gongkai}
case "$n" in
'' | *[!0-9]*) echo "gongkai-merge.sh: N = $n: want a whole number" >&2; exit 2 ;;
esac
set --
i=1
while [ "$i" -le "$n" ]; do
	f="$shards/shard-$i-of-$n.duckdb"
	if [ ! -f "$f" ]; then
		echo "gongkai-merge.sh: $f is missing: shard $i/$n has not finished; nothing merged" >&2
		exit 1
	fi
	set -- "$@" "$f"
	i=$((i + 1))
done
exec "$gongkai" merge --db "$warehouse" "$@"
