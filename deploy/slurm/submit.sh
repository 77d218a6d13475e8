#!/bin/bash
# Submits the sweep array and, after every task succeeded, the merge.
#   deploy/slurm/submit.sh
#   SPEC=my-sweep.yaml OUT=/scratch/$USER/my deploy/slurm/submit.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
export SPEC="${SPEC:-take-rate}"
export OUT="${OUT:-$PWD/out/sweep-take-rate}"
AKASH_SIM="${AKASH_SIM:-akash-sim}"
array=$(sbatch --parsable --export=ALL "$here/sweep.sbatch")
merge=$(sbatch --parsable --dependency="afterok:${array%%;*}" --job-name=akash-sweep-merge \
  --output=akash-sweep-merge-%j.out --wrap "$AKASH_SIM merge '$OUT'")
echo "sweep array job $array, merge job $merge; results in $OUT"
