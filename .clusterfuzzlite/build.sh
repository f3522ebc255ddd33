#!/bin/bash -eu
# ClusterFuzzLite entry: the same build as OSS-Fuzz's (tests/fuzz/oss-fuzz/build.sh).
exec "$SRC/hvcore/tests/fuzz/oss-fuzz/build.sh"
