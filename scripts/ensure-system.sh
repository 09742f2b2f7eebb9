#!/usr/bin/env bash
# Idempotent system set-up for the tests on Debian 12 as root (CI): Chromium for the
# browser tests, wrk for `make bench`, PostgreSQL (trust auth on loopback, database "test") and Redis on
# loopback, each installed and started only when missing. A second run changes nothing.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

APT_PKGS=(chromium postgresql redis-server wrk)
command -v java >/dev/null 2>&1 || APT_PKGS+=(default-jre-headless)  # the HTML checker (vnu.jar)
missing=()
for p in "${APT_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
command -v npm >/dev/null 2>&1 || missing+=(npm)
if ((${#missing[@]})); then
  echo "apt-get install ${missing[*]}"
  apt-get update -q >/dev/null
  apt-get install -y -q -o Dpkg::Use-Pty=0 "${missing[@]}" >/dev/null
fi

# PostgreSQL: no systemd here, so pg_ctlcluster. Trust auth on loopback only.
PGVER=$(ls /etc/postgresql | sort -V | tail -1)
[ -d "/etc/postgresql/$PGVER/main" ] || pg_createcluster "$PGVER" main >/dev/null
HBA=/etc/postgresql/$PGVER/main/pg_hba.conf
changed=0
if ! grep -q '^host all all 127.0.0.1/32 trust' "$HBA"; then
  sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$HBA"; changed=1
fi
CONF=/etc/postgresql/$PGVER/main/conf.d/ci.conf
WANT=$'listen_addresses = \'127.0.0.1\'\nfsync = off\nsynchronous_commit = off\nfull_page_writes = off'
if [ "$(cat "$CONF" 2>/dev/null)" != "$WANT" ]; then printf '%s\n' "$WANT" >"$CONF"; changed=1; fi
if ! pg_lsclusters -h | awk -v v="$PGVER" '$1==v && $2=="main"' | grep -q online; then
  pg_ctlcluster "$PGVER" main start
elif ((changed)); then
  pg_ctlcluster "$PGVER" main restart
fi
for _ in $(seq 50); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.2; done
psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='test'" | grep -q 1 \
  || psql -q -h 127.0.0.1 -U postgres -c 'CREATE DATABASE test'

# Redis: loopback only, no persistence.
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no \
    --pidfile /run/redis-ci.pid --logfile /tmp/redis-ci.log
  for _ in $(seq 50); do redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && break; sleep 0.1; done
fi
redis-cli -h 127.0.0.1 ping >/dev/null
