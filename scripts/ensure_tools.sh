#!/usr/bin/env bash
# Programs the suite drives from Debian: Chromium for the browser tests (through
# Playwright, no browser download) and PgBouncer for the transaction-pooling test.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/sbin/pgbouncer ] || missing+=(pgbouncer)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's ${missing[*]} for the tests..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  # Debian starts PgBouncer as a service; the tests start their own.
  (systemctl disable --now pgbouncer || service pgbouncer stop || true) >/dev/null 2>&1
else
  echo "The tests need Debian's ${missing[*]}: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
