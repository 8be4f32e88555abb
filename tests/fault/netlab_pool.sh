#!/bin/sh
# netlab_pool.sh: every fault case of netlab.inc against the "pool" model.
. "${0%/*}/../lib.sh"
MODEL=pool
EXTRA="--threads 8 --queue 8"
. "${0%/*}/netlab.inc"
run_model
done_testing
