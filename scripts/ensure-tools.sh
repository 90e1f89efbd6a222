#!/usr/bin/env bash
# Installs what the test suite drives from Debian when it is missing: Chromium (e2e), NSS tools
# (pk12util), a JRE (keytool), unzip (the officer ZIP download), fonts-noto-cjk (Japanese in the screenshots), nginx (the scale-out suite) and the
# PostgreSQL server binaries (the fault suite's private cluster, initdb/pg_ctl). Needs root and apt-get; otherwise says what to install.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v pk12util >/dev/null 2>&1 || missing+=(libnss3-tools)
command -v keytool >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v unzip >/dev/null 2>&1 || missing+=(unzip)
# Japanese text in the screenshots: without a CJK font Chromium draws boxes.
ls /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || missing+=(nginx)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing test tools: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  if [[ " ${missing[*]} " == *" postgresql "* ]]; then
    # Only the binaries are wanted: no default cluster that would claim port 5432.
    mkdir -p /etc/postgresql-common
    grep -qs '^create_main_cluster' /etc/postgresql-common/createcluster.conf || echo 'create_main_cluster = false' >> /etc/postgresql-common/createcluster.conf
  fi
  apt-get install -y -qq --no-install-recommends -o Dpkg::Options::=--force-confold "${missing[@]}" >/dev/null
else
  echo "The tests need these Debian packages: ${missing[*]} (install them as root: apt-get install -y ${missing[*]})" >&2
  exit 1
fi
