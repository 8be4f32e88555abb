#!/bin/sh
# netlab_thread.sh: every fault case of netlab.inc against the "thread" model.
. "${0%/*}/../lib.sh"
MODEL=thread
EXTRA=""
. "${0%/*}/netlab.inc"
run_model
done_testing
