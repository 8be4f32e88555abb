#!/bin/sh
# netlab_epoll.sh: every fault case of netlab.inc against the "epoll" model.
. "${0%/*}/../lib.sh"
MODEL=epoll
EXTRA=""
. "${0%/*}/netlab.inc"
run_model
done_testing
