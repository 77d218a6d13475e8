#!/bin/bash
# Submits the sweep array, then the merge, which starts once every array
# task has ended, however it ended (afterany): if a task failed or was
# cancelled, the merge fails at once naming the runs that are missing and
# the shard that owns them, instead of pending forever as with afterok.
#
#   deploy/slurm/submit.sh
#   SPEC=my-sweep.yaml OUT=/scratch/$USER/my deploy/slurm/submit.sh
#
# Every node must see: OUT (the shared results folder), SPEC when it is a
# file, and the base scenario file the spec names, if any. akash-sim must be
# on the nodes' PATH, or AKASH_SIM must be its full path on a shared disk.
#
# After a failed merge, rerun the missing shard k alone (same SPEC and OUT;
# it resumes, doing only what is missing), then the merge:
#   SPEC=... OUT=... sbatch --array=k deploy/slurm/sweep.sbatch
#   sbatch --dependency=afterok:<that job id> --wrap "akash-sim merge '$OUT'"
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
export SPEC="${SPEC:-take-rate}"
export OUT="${OUT:-$PWD/out/sweep-take-rate}"
AKASH_SIM="${AKASH_SIM:-akash-sim}"
array=$(sbatch --parsable --export=ALL "$here/sweep.sbatch")
array="${array%%;*}" # "jobid;cluster" on federated clusters
merge=$(sbatch --parsable --dependency="afterany:$array" --kill-on-invalid-dep=yes --job-name=akash-sweep-merge \
  --output=akash-sweep-merge-%j.out --wrap "$AKASH_SIM merge '$OUT'")
echo "sweep array job $array, merge job $merge (runs when every task has ended); results in $OUT"
echo "if the merge names missing runs: SPEC='$SPEC' OUT='$OUT' sbatch --array=<task> $here/sweep.sbatch, then $AKASH_SIM merge '$OUT'"
