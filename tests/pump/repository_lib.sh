# The manufacturer's update server and the pump's factory slots, for the pump tests that update
# (source it after pump_lib.sh). manufacturer_repository: keys, a TUF repository built with
# `vigil repo` whose release N is pumpd/pumpd-N (pumpd's executable stripped, with "pumpd release
# N" appended: bytes appended to an ELF file change its hash, not what it runs; custom.vigil
# release N and security version N), release 1 published and served on loopback by python3's
# http.server (port $rport, pid $repo_server, killed at exit) through symbolic links in served/,
# so that a test can swap what the server answers. factory_slots: A/B slots, the trusted root,
# release 1 installed, booted and committed in slot a; sets U, the `vigil update` options.
R=(--repo repo)
release_image() { cp pumpd.bin "pumpd-$1.bin" && echo "pumpd release $1" >>"pumpd-$1.bin"; }
publish() {  # publish N FILE: pumpd/pumpd-N, release N, security version N
  check "publish release $1" 0 "$vigil" repo add-target "${R[@]}" "$2" --path "pumpd/pumpd-$1" \
    --custom "{\"vigil\":{\"release\":$1,\"security_version\":$1}}"
  check "publish" 0 "$vigil" repo publish "${R[@]}"
}
serve_repository() {
  python3 -m http.server "$rport" --bind 127.0.0.1 --directory served >repo.log 2>&1 &
  repo_server=$!
  helpers+=("$repo_server")
  for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$rport") 2>/dev/null && break; sleep 0.1; done
}
manufacturer_repository() {
  mkdir keys
  for k in root targets snapshot timestamp; do "$vigil" keygen --alg ed25519 --out "keys/$k.pem" >/dev/null; done
  "$vigil" repo init "${R[@]}" --root-key keys/root.pem --targets-key keys/targets.pem \
    --snapshot-key keys/snapshot.pem --timestamp-key keys/timestamp.pem >/dev/null
  strip -o pumpd.bin "$pumpd"
  release_image 1
  publish 1 pumpd-1.bin
  mkdir served && ln -s ../repo/public/targets served/targets && ln -s ../repo/public/metadata served/metadata
  rport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  serve_repository
}
factory_slots() {
  U=(--slots slots --metadata-dir tuf --metadata-url "http://127.0.0.1:$rport/metadata")
  check "slots" 0 "$vigil" update setup --slots slots --attempts 2
  check "trusted root" 0 "$vigil" update init --metadata-dir tuf --root repo/public/metadata/1.root.json
  check "factory install" 0 "$vigil" update install "${U[@]}" --targets-url "http://127.0.0.1:$rport/targets" --target pumpd/pumpd-1
  "$vigil" update boot --slots slots >/dev/null
  check "factory commit" 0 "$vigil" update commit --slots slots
  expect_stdout "slot a committed; anti-rollback counter 1"
}
