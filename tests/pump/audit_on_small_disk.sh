#!/usr/bin/env bash
# Runs COMMAND (a pumpd) with STATE/audit, the pump's audit log, on a file system of its own of
# SIZE (a tmpfs, e.g. 4m) that a test can really fill: in a user and mount namespace of its own
# (unshare; no root needed where unprivileged user namespaces are allowed, Debian's default), so
# that nothing outside sees the mount and nothing needs cleaning up after a crash. Outside the
# namespace the file system is reached through /proc/<this script's pid>/root (a test fills it
# with a file there). The log's content is copied in before COMMAND starts and back out to
# STATE/audit when it ends; SIGTERM and SIGINT are passed on to COMMAND; exits with its status.
# Usage: audit_on_small_disk.sh STATE SIZE COMMAND...
set -u
if [[ ${1:-} != --inside ]]; then exec unshare --user --map-root-user --mount bash "$0" --inside "$@"; fi
state=$2 size=$3
shift 3
audit=$state/audit
seed=$(mktemp -d "$state/.audit.XXXXXX") || exit 1
cp -a "$audit/." "$seed/" && mount -t tmpfs -o "size=$size,mode=0700" tmpfs "$audit" &&
  cp -a "$seed/." "$audit/" && rm -rf "$seed" || exit 1
"$@" &
child=$!
trap 'kill -TERM "$child" 2>/dev/null' TERM INT
wait "$child"
rc=$?
while kill -0 "$child" 2>/dev/null; do wait "$child"; rc=$?; done
mkdir "$seed" && cp -a "$audit/." "$seed/" && umount "$audit" && rm -rf "$audit" &&
  mv "$seed" "$audit" || exit 1
exit "$rc"
