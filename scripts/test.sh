#!/usr/bin/env bash
# Runs the whole test suite, against SQLite and a real PostgreSQL, with a real Chroma server and a real
# headless Chromium. As root it installs what is missing (Debian's postgresql, chromium, CJK fonts);
# PostgreSQL and Chroma run on loopback for the duration of the run and are stopped afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
./scripts/setup.sh --install-only

if [ "$(id -u)" = "0" ]; then
  need=()
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
  [ -x /usr/bin/chromium ] || need+=(chromium)
  fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
  # compose config validation only: the CLI, no Docker engine
  command -v docker-compose >/dev/null 2>&1 || docker compose version >/dev/null 2>&1 || need+=(docker-compose)
  # nginx only as a binary for the reverse-proxy test: policy-rc.d keeps its package from starting a server
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx)
  if [ ${#need[@]} -gt 0 ]; then
    blocked_services=0
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && blocked_services=1
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
    if [ "$blocked_services" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
  fi
fi

WORK=$(mktemp -d /tmp/skinchat-test.XXXXXX)
PIDS=()
PGBIN=""
cleanup() {
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  if [ -n "$PGBIN" ] && [ -f "$WORK/pg/postmaster.pid" ]; then
    runuser -u postgres -- "$PGBIN/pg_ctl" -D "$WORK/pg" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { .venv/bin/python -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

# PostgreSQL: a throwaway cluster on loopback, owned by the postgres user (initdb refuses root).
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -n "$PGBIN" ] && [ "$(id -u)" = "0" ]; then
  PGPORT=$(free_port)
  mkdir -p "$WORK/pg" && chown postgres "$WORK" "$WORK/pg" && chmod 700 "$WORK/pg"
  runuser -u postgres -- "$PGBIN/initdb" -D "$WORK/pg" -A trust -U postgres -E UTF8 >/dev/null
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg.log" -w \
    -o "-p $PGPORT -k $WORK -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
  runuser -u postgres -- "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres skinchat_test
  export SKINCHAT_TEST_POSTGRES_URL="postgresql+psycopg://postgres@127.0.0.1:$PGPORT/skinchat_test"
  echo "PostgreSQL on 127.0.0.1:$PGPORT"
else
  echo "PostgreSQL not available (needs root to install); PostgreSQL tests will be skipped outside CI"
fi

# Chroma: a real server on loopback.
CHPORT=$(free_port)
.venv/bin/chroma run --path "$WORK/chroma" --host 127.0.0.1 --port "$CHPORT" >"$WORK/chroma.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 60); do
  curl -fs "http://127.0.0.1:$CHPORT/api/v2/heartbeat" >/dev/null 2>&1 && break
  sleep 1
done
export SKINCHAT_TEST_CHROMA_URL="http://127.0.0.1:$CHPORT"
echo "Chroma server on $SKINCHAT_TEST_CHROMA_URL"

export ANONYMIZED_TELEMETRY=False
[ "${SKINCHAT_SKIP_RUFF:-0}" = 1 ] || .venv/bin/ruff check .
set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
exit $status
