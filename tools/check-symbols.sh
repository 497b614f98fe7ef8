#!/bin/sh
# Fails when libdscan.a defines a global symbol outside the ds_/dscan_
# namespaces (compare libuv's uv__ and curl's Curl_ prefixes).
set -eu
bad=$(nm -g --defined-only "$1" | awk 'NF==3 {print $3}' | grep -Ev '^(ds_|dscan_)' || true)
if [ -n "$bad" ]; then
    echo "globals outside ds_/dscan_ in $1:" >&2
    echo "$bad" >&2
    exit 1
fi
echo "check-symbols: ok"
