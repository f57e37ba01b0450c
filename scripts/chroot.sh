#!/usr/bin/env bash
# Debian chroots for the test suite on other platforms, made with debootstrap from
# Debian's registry and cached under /var/cache/push-ci (root only).
#
#   bash scripts/chroot.sh build trixie        make (or reuse) the Debian 13 chroot
#   bash scripts/chroot.sh build sid85         sid with PHP 8.5 from experimental
#   bash scripts/chroot.sh versions trixie     one line: PHP, libwebsockets, json-c, hiredis, gcc
#   bash scripts/chroot.sh phpt trixie [TESTS...]
#                                              copy the source tree in, build push there and run
#                                              the phpt suite (run-tests.php output on stdout)
#
# A chroot is rebuilt when it is missing, when its stamp file is older than
# PUSH_CI_MAX_AGE_DAYS (default 14) or when this script's recipe for it changed. It is
# built under a temporary name and renamed when complete, so a half-built one is never used.
#
# Mounts: everything (proc, a tmpfs /dev with device nodes, devpts, /dev/shm) is mounted
# inside a private mount namespace (unshare --mount --pid --fork), so the mounts are gone
# when the command ends, however it ends, and are never visible on the host. Nothing from
# the host is bind-mounted into a chroot, and every removal uses rm --one-file-system after
# checking that no mount lies below the directory.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cache=${PUSH_CI_CACHE:-/var/cache/push-ci}
mirror=${PUSH_CI_MIRROR:-http://deb.debian.org/debian}
max_age=${PUSH_CI_MAX_AGE_DAYS:-14}

die() { echo "chroot.sh: $*" >&2; exit 1; }

# what each chroot holds: its base suite and the packages installed in it
common_pkgs="ca-certificates gcc make libc6-dev pkg-config autoconf libwebsockets-dev libev-dev
	libjson-c-dev libhiredis-dev redis-server curl procps iproute2 openssl"
recipe() {
	case $1 in
	trixie) suite=trixie; pkgs="php8.4-cli php8.4-dev $common_pkgs"; experimental=0 ;;
	sid85)  suite=sid;    pkgs="$common_pkgs"; experimental=1 ;;
	*) die "unknown chroot '$1' (trixie, sid85)" ;;
	esac
}

# inside a private mount+pid namespace: mount what a chroot needs, then run "$@" in it
in_ns() {
	local dir=$1; shift
	unshare --mount --pid --fork --propagation private -- bash -s "$dir" "$@" <<'NS'
set -eu
dir=$1; shift
mount -t proc proc "$dir/proc"
mount -t tmpfs -o mode=755,size=64k,nosuid devtmp "$dir/dev"
for n in null:1:3 zero:1:5 full:1:7 random:1:8 urandom:1:9 tty:5:0; do
	IFS=: read -r name maj min <<<"$n"
	mknod -m 666 "$dir/dev/$name" c "$maj" "$min"
done
mkdir -p "$dir/dev/pts" "$dir/dev/shm"
mount -t devpts -o newinstance,ptmxmode=0666,mode=620 devpts "$dir/dev/pts"
ln -s pts/ptmx "$dir/dev/ptmx"
mount -t tmpfs -o mode=1777,nosuid,nodev shm "$dir/dev/shm"
ln -s /proc/self/fd "$dir/dev/fd"
ln -s /proc/self/fd/0 "$dir/dev/stdin"; ln -s /proc/self/fd/1 "$dir/dev/stdout"; ln -s /proc/self/fd/2 "$dir/dev/stderr"
exec chroot "$dir" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
NS
}

# removes a directory made by this script; refuses if anything is mounted below it
safe_rm() {
	local d=$1
	case $d in "$cache"/?*) ;; *) die "refusing to remove $d (outside $cache)" ;; esac
	[ -e "$d" ] || return 0
	if awk -v d="$(realpath "$d")" '$2 == d || index($2, d "/") == 1 { found = 1 } END { exit !found }' /proc/self/mounts; then
		die "something is mounted below $d; not removing it"
	fi
	rm -rf --one-file-system -- "$d"
}

stamp_of() { recipe "$1"; printf '%s\n' "v1 $suite $experimental $mirror" $pkgs | sha256sum | cut -c1-16; }

fresh() {
	local name=$1 dir=$cache/$1 want
	want=$(stamp_of "$name")
	[ -f "$dir.stamp" ] && [ -x "$dir/usr/bin/php" ] || return 1
	[ "$(cat "$dir.stamp")" = "$want" ] || return 1
	[ -z "$(find "$dir.stamp" -mtime +"$max_age")" ] || return 1
}

build() {
	local name=$1 dir=$cache/$1 tmp=$cache/$1.new want
	[ "$(id -u)" = 0 ] || die "building a chroot needs root"
	command -v debootstrap >/dev/null || die "debootstrap is not installed"
	fresh "$name" && { echo "chroot $name: cached ($dir)"; return 0; }
	recipe "$name"
	want=$(stamp_of "$name")
	mkdir -p "$cache"
	exec 9>"$cache/$name.lock"
	flock 9
	fresh "$name" && { echo "chroot $name: cached ($dir)"; return 0; }
	safe_rm "$tmp"
	echo "chroot $name: debootstrap $suite from $mirror"
	debootstrap --variant=minbase --no-check-gpg "$suite" "$tmp" "$mirror" > "$cache/$name.log" 2>&1 \
		|| { tail -n 20 "$cache/$name.log" >&2; die "debootstrap $suite failed (log: $cache/$name.log)"; }
	# no daemons started by package scripts; apt quiet; localhost resolvable
	printf '#!/bin/sh\nexit 101\n' > "$tmp/usr/sbin/policy-rc.d"; chmod 755 "$tmp/usr/sbin/policy-rc.d"
	printf '127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n' > "$tmp/etc/hosts"
	{
		echo "deb $mirror $suite main"
		[ "$experimental" = 0 ] || echo "deb $mirror experimental main"
	} > "$tmp/etc/apt/sources.list"
	printf 'Acquire::Check-Valid-Until "false";\nAPT::Install-Recommends "false";\nDPkg::Use-Pty "false";\n' \
		> "$tmp/etc/apt/apt.conf.d/90push-ci"
	echo "chroot $name: apt-get install"
	# shellcheck disable=SC2086
	in_ns "$tmp" sh -c 'apt-get update -qq && apt-get install -y -qq "$@"' sh $pkgs >> "$cache/$name.log" 2>&1 \
		|| { tail -n 20 "$cache/$name.log" >&2; die "apt-get install in $name failed (log: $cache/$name.log)"; }
	if [ "$experimental" = 1 ]; then
		install_php85 "$tmp" >> "$cache/$name.log" 2>&1 \
			|| { tail -n 20 "$cache/$name.log" >&2; die "PHP 8.5 from experimental failed (log: $cache/$name.log)"; }
	fi
	in_ns "$tmp" apt-get clean
	[ -x "$tmp/usr/bin/php" ] || die "no php in the $name chroot"
	safe_rm "$dir"
	mv "$tmp" "$dir"
	echo "$want" > "$dir.stamp"
	echo "chroot $name: built ($dir)"
}

# PHP 8.5 is in experimental only. apt refuses it: it picks experimental's php-common,
# which declares Breaks: php8.5-common. sid's php-common (what php8.5-common needs,
# >= 2:95~) does not, so that one is installed by apt, the php8.5 .debs are fetched with
# apt-get download and installed by dpkg (past the Breaks only if a future php-common
# brings it back), and their other dependencies come from sid.
install_php85() {
	local dir=$1
	in_ns "$dir" sh -ec '
		mkdir -p /tmp/php85 && cd /tmp/php85
		v=$(apt-cache madison php8.5-cli | awk "/experimental/ {print \$3; exit}")
		pc=$(apt-cache madison php-common | awk "/ (sid|unstable)\// {print \$3; exit}")
		[ -n "$v" ] && [ -n "$pc" ] || { echo "no php8.5-cli in experimental or no php-common in sid"; exit 1; }
		echo "php 8.5: $v, php-common $pc"
		apt-get download -qq php8.5-cli=$v php8.5-common=$v php8.5-dev=$v php8.5-readline=$v 2>/dev/null
		deps=$(for f in *.deb; do dpkg-deb -f "$f" Depends; done | tr "," "\n" | sed "s/([^)]*)//; s/|.*//; s/ //g" \
			| grep -v -e "^php8\.5" -e "^php-common" -e "^\$" | sort -u)
		apt-get install -y -qq "php-common=$pc" $deps
		dpkg -i *.deb || dpkg -i --force-breaks *.deb
		cd / && rm -rf /tmp/php85
		php -v
	'
}

versions() {
	local dir=$cache/$1
	in_ns "$dir" sh -c '
		php=$(php -r "echo PHP_VERSION, PHP_ZTS ? \" ZTS\" : \" NTS\";")
		lws=$(pkg-config --modversion libwebsockets)
		jc=$(pkg-config --modversion json-c)
		hr=$(pkg-config --modversion hiredis)
		gv=$(gcc -dumpfullversion)
		echo "PHP $php, libwebsockets $lws, json-c $jc, hiredis $hr, gcc $gv"'
}

phpt() {
	local name=$1 dir=$cache/$1 work; shift
	[ -x "$dir/usr/bin/php" ] || die "no $name chroot (run: $0 build $name)"
	work=$dir/build/push
	safe_rm "$dir/build"
	mkdir -p "$work"
	# the source tree only (what git tracks, plus local edits), never build products
	if git -C "$root" rev-parse --git-dir >/dev/null 2>&1; then
		(cd "$root" && git ls-files -co --exclude-standard -z | tar --null -T - -cf -) | tar xf - -C "$work"
	else
		(cd "$root" && tar cf - --exclude=.git --exclude=modules --exclude='*.o' --exclude='*.lo' .) | tar xf - -C "$work"
	fi
	in_ns "$dir" bash -c '
		cd /build/push
		{ phpize && ./configure --with-push; } > configure.log 2>&1 || { tail -n 30 configure.log; echo "Tests failed : 1 (configure)"; exit 1; }
		make -j"$(nproc)" > make.log 2>&1 || { tail -n 30 make.log; echo "Tests failed : 1 (build)"; exit 1; }
		if grep -E "warning:" make.log; then echo "compiler warnings: $(grep -c "warning:" make.log)"; else echo "compiler warnings: 0"; fi
		rt=/usr/lib/php/$(php-config --phpapi)/build/run-tests.php
		TEST_PHP_EXECUTABLE=$(command -v php) php -n "$rt" -q -j2 --show-diff \
			-d extension=/build/push/modules/push.so "${@:-tests/}"
	' bash "$@"
}

cmd=${1:-}; shift || true
case $cmd in
build) [ $# -ge 1 ] || die "usage: $0 build NAME"; for n in "$@"; do build "$n"; done ;;
versions) versions "$1" ;;
phpt) phpt "$@" ;;
clean) [ "$(id -u)" = 0 ] || die "needs root"; for n in "$@"; do safe_rm "$cache/$n"; safe_rm "$cache/$n.new"; rm -f "$cache/$n.stamp"; done ;;
*) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2 ;;
esac
