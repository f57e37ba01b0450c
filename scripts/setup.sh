#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks to build push, then builds it.
#   bash scripts/setup.sh            build modules/push.so
#   PUSH_SETUP_TEST=1 ...            also install what the test suite needs
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

need=(php8.2-cli php8.2-dev php-pear php-parser pkg-config make gcc
      libwebsockets-dev libwebsockets-evlib-ev libev-dev libjson-c-dev libhiredis-dev)
if [ "${PUSH_SETUP_TEST:-0}" = 1 ]; then
	need+=(redis-server clang libclang-rt-14-dev valgrind curl procps iproute2 openssl chromium nodejs npm debootstrap composer php8.2-curl)
fi
missing=()
for p in "${need[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
	# node and npm often come from elsewhere on these machines: keep what works
	if command -v node >/dev/null && command -v npm >/dev/null; then
		missing=($(printf '%s\n' "${missing[@]}" | grep -vx -e nodejs -e npm || true))
	fi
fi
if [ "${#missing[@]}" -gt 0 ]; then
	echo "installing: ${missing[*]}"
	SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ ! -f configure ] || [ config.m4 -nt configure ]; then
	phpize >/dev/null
fi
if [ ! -f Makefile ] || [ configure -nt Makefile ]; then
	./configure --with-push >/dev/null
fi
make -j"$(nproc)" >/dev/null
echo "built $root/modules/push.so"
