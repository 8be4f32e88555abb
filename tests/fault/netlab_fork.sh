#!/bin/sh
# netlab_fork.sh: every fault case of netlab.inc against the "fork" model.
. "${0%/*}/../lib.sh"
MODEL=fork
EXTRA=""
. "${0%/*}/netlab.inc"
run_model
done_testing
