#!/usr/bin/env bash
# The phpt suite on other platforms, in Debian chroots (scripts/chroot.sh): Debian 13 (trixie)
# and sid with PHP 8.5 from experimental. Root and debootstrap needed, else skipped;
# PUSH_PLATFORMS="" skips them too, PUSH_PLATFORMS="trixie" runs one.
#   bash scripts/stages/chroot.sh start   build (or find cached) the chroots in the background;
#                                         scripts/test.sh does this first, while the host stages run
#   bash scripts/stages/chroot.sh         build them if no start did, then the suite in each
. "$(dirname "$0")/lib.sh"
platforms=${PUSH_PLATFORMS-trixie sid85}
skip=
if [ -z "$platforms" ]; then
	skip="PUSH_PLATFORMS is empty"
elif [ "$(id -u)" != 0 ]; then
	skip="not root"
elif ! command -v debootstrap >/dev/null || ! command -v unshare >/dev/null; then
	skip="debootstrap (or unshare) is not installed"
fi

# at the lowest CPU and I/O priority: the host stages' timing tests run meanwhile;
# $log/chroot-build-P.rc holds its exit code when it is done
build_bg() {
	( nice -n 19 ionice -c 3 bash scripts/chroot.sh build "$1" > "$log/chroot-build-$1.txt" 2>&1
	  echo $? > "$log/chroot-build-$1.rc" ) </dev/null >/dev/null 2>&1 &
	echo $! > "$log/chroot-build-$1.pid"
}

if [ "${1:-}" = start ]; then
	[ -n "$skip" ] && exit 0
	for p in $platforms; do
		build_bg "$p"
		sleep 1   # each waits for its own lock; staggered so the two debootstraps overlap less
	done
	exit 0
fi

platform_name() {
	case $1 in trixie) echo "Debian 13" ;; sid85) echo "Debian sid, PHP from experimental" ;; *) echo "$1" ;; esac
}
if [ -z "$platforms" ]; then
	stage "phpt suite on other platforms (chroots)"
	result chroot 0 0 1 "$skip"
	exit 0
fi
rc=0
for p in $platforms; do
	passed=0 failed=0
	stage "phpt suite on $(platform_name "$p") (chroot)"
	if [ -n "$skip" ]; then
		result "chroot-$p" 0 0 1 "$skip"
		continue
	fi
	[ -f "$log/chroot-build-$p.pid" ] || build_bg "$p"
	pid=$(cat "$log/chroot-build-$p.pid")
	while [ ! -f "$log/chroot-build-$p.rc" ] && kill -0 "$pid" 2>/dev/null; do sleep 2; done
	sleep 0.1
	b=$(cat "$log/chroot-build-$p.rc" 2>/dev/null || echo 1)
	cat "$log/chroot-build-$p.txt"
	if [ "$b" != 0 ]; then
		echo "chroot $p: could not be built"
		result "chroot-$p" 0 1 || rc=1
		continue
	fi
	v=$(bash scripts/chroot.sh versions "$p" 2>/dev/null | sed 's/-unknown//g')
	echo "$v"
	bash scripts/chroot.sh phpt "$p" > "$log/phpt-$p.txt" 2>&1
	# push itself builds without a warning on every platform
	w=$(sed -n 's/^compiler warnings: \([0-9]*\)$/\1/p' "$log/phpt-$p.txt")
	if [ "$w" = 0 ]; then
		passed=$((passed + 1)); echo "build: no compiler warnings"
	else
		failed=$((failed + 1)); grep -m 20 'warning:' "$log/phpt-$p.txt"; echo "build: ${w:-no} compiler warnings (or no build)"
	fi
	count_phpt "$log/phpt-$p.txt" "$(platform_name "$p") ($(sed -E 's/^PHP ([^ ]+) [NZ]TS, libwebsockets ([^,]+),.*/PHP \1, libwebsockets \2/' <<<"$v"))"
	result "chroot-$p" "$passed" "$failed" || rc=1
done
exit $rc
