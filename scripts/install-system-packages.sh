#!/usr/bin/env bash
# Install the Debian packages the test suite needs, only when they are missing:
#   postgresql  a real PostgreSQL server for the BI target's tests (a throwaway cluster on 127.0.0.1)
#   chromium    headless browser for the report's UI test (Playwright drives Debian's chromium)
# Uses apt-get (as root, or through sudo). Safe to run again: it does nothing when all are present.
set -euo pipefail

missing=()
if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null && ! command -v initdb >/dev/null; then
    missing+=(postgresql)
fi
if ! command -v psql >/dev/null; then
    missing+=(postgresql-client)
fi
if ! command -v chromium >/dev/null; then
    missing+=(chromium)
fi
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

if ! command -v apt-get >/dev/null; then
    echo "install-system-packages: missing ${missing[*]} and no apt-get here;" \
         "install them with your package manager (or set PG_BIN to PostgreSQL's bin directory)" >&2
    exit 1
fi
sudo=()
if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null; then
        echo "install-system-packages: need root or sudo to apt-get install ${missing[*]}" >&2
        exit 1
    fi
    sudo=(sudo)
fi
echo "install-system-packages: installing ${missing[*]} (Debian packages)"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-system-packages: done"
