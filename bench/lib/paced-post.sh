# bench/lib/paced-post.sh: sourced by bench/soak and bench/cpu-per-request. Starts Tally on a fresh
# RocksDB store under $TMPDIR (default /tmp), creates $contacts users, and paces POST /events with wrk
# (bench/lua/soak.lua). Needs root, contacts, connections, say and die set by the caller; sets tmp,
# token, admin, url, launcher and pid. The caller's keep_log (a path, or empty) receives Tally's log.
keep_log=${keep_log:-}
tmp="$(mktemp -d "${TMPDIR:-/tmp}/tally-paced.XXXXXX")"
token="paced-token-0123456789abcdef" admin="paced-admin-0123456789abcdef"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"
TALLY_BOOTSTRAP_TOKEN=$token TALLY_ADMIN_TOKEN=$admin TALLY_RATE_LIMIT=off TALLY_ACCESS_LOG=OFF \
  "$root/tally" serve --host 127.0.0.1 --port "$port" --data-dir "$tmp/data" >"$tmp/tally.log" 2>&1 &
launcher=$!
cleanup() {
  kill "$launcher" 2>/dev/null || true; wait "$launcher" 2>/dev/null || true
  if [ -n "$keep_log" ]; then mkdir -p "$(dirname "$keep_log")"; cp "$tmp/tally.log" "$keep_log" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
for _ in $(seq 600); do curl -sf "$url/health" >/dev/null && break; sleep 0.1; done
curl -sf "$url/health" >/dev/null || die "Tally did not start: $(tail -n 5 "$tmp/tally.log")"
pid=$(pgrep -P "$launcher" java || echo "$launcher")

say "creating $contacts users"
for i in $(seq 0 $((contacts - 1))); do
  curl -sf -o /dev/null -H "Authorization: Bearer $token" -d "{\"external_id\":\"u$i\"}" "$url/contacts"
done

slice() { # slice TAG RATE SECONDS: one paced wrk run (RATE 0: as fast as it goes); prints its SLICE line
  wrk -t2 -c"$connections" -d"$3s" --timeout 10s --latency -s "$root/bench/lua/soak.lua" "$url" -- \
    token="$token" tag="$1" rate="$2" connections="$connections" contacts="$contacts" base="$EPOCHSECONDS" \
    | grep '^SLICE ' || die "wrk printed no result"
}
field() { sed -n "s/.* $1=\([0-9]*\).*/\1/p" <<<"$2"; }
