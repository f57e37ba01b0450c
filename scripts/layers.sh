#!/usr/bin/env bash
# Checks the layering of ext/core (docs/ARCHITECTURE.md): compiles each core
# file alone, reads which functions it defines and which it calls (nm), and
# fails when a file calls a file of a higher layer or when files call each
# other in a circle. Prints the file-to-file call graph.
#
#   bash scripts/layers.sh            check
#   bash scripts/layers.sh -v         also print every call edge with the functions behind it
set -euo pipefail
cd "$(dirname "$0")/.."

# layer of each core file, bottom up; a file may call its own layer and the ones below
declare -A LAYER=(
	[log]=0 [buf]=0 [sha256]=0 [b64url]=0 [token]=0 [registry]=0 [wsframe]=0 [pusher_sign]=0
	[textproto]=1 [exclude]=1 [http_parse]=1
	[conn]=2 [wsread]=2 [history]=2 [deliver]=2 [groups]=2 [pusher_chan]=2
	[cluster]=3 [cluster_mirror]=3
	[route]=4 [stats]=4
	[ws]=5 [handshake]=5 [text_answer]=5 [text_cmd]=5 [text]=5 [http]=5 [metrics]=5 [pusher_nodes]=5 [pusher]=5 [pusher_ops]=5 [pusher_http]=5 [pusher_hook]=5
	[server]=6
)
NAMES=(util protocol node cluster routing front-end lifecycle)
verbose=${1:-}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/push-layers.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

cflags="-D_GNU_SOURCE -Iext/core $(pkg-config --cflags libwebsockets json-c 2>/dev/null || true)"
if pkg-config --exists hiredis 2>/dev/null; then
	cflags="$cflags -DHAVE_PUSH_REDIS $(pkg-config --cflags hiredis)"
fi

fail=0
for f in ext/core/*.c; do
	n=$(basename "$f" .c)
	if [ -z "${LAYER[$n]+x}" ]; then
		echo "layers: $f is in no layer: add it to scripts/layers.sh and docs/ARCHITECTURE.md"
		fail=1
		continue
	fi
	gcc -c -O0 $cflags -o "$tmp/$n.o" "$f"
	nm -g --defined-only "$tmp/$n.o" | awk -v f="$n" '$2 ~ /[TDBR]/ {print $3, f}' >>"$tmp/defs"
	nm -u "$tmp/$n.o" | awk -v f="$n" '{print f, $2}' >>"$tmp/uses"
done
[ $fail -eq 0 ] || exit 1

# caller callee function, for calls between core files
awk 'NR == FNR {def[$1] = $2; next} ($2 in def) && def[$2] != $1 {print $1, def[$2], $2}' \
	"$tmp/defs" "$tmp/uses" | sort -u >"$tmp/calls"
cut -d' ' -f1,2 "$tmp/calls" | sort -u >"$tmp/edges"

echo "core call graph (caller -> callees), by layer:"
for l in 0 1 2 3 4 5 6; do
	for n in $(printf '%s\n' "${!LAYER[@]}" | sort); do
		[ "${LAYER[$n]}" = "$l" ] || continue
		printf '  %-10s %-15s -> %s\n' "${NAMES[$l]}" "$n" "$(awk -v n="$n" '$1 == n {printf "%s ", $2}' "$tmp/edges")"
	done
done
if [ "$verbose" = "-v" ]; then
	echo "calls:"
	sed 's/^/  /' "$tmp/calls"
fi

# upward calls
while read -r a b; do
	if [ "${LAYER[$b]}" -gt "${LAYER[$a]}" ]; then
		echo "layers: UPWARD CALL $a (${NAMES[${LAYER[$a]}]}) -> $b (${NAMES[${LAYER[$b]}]}): $(awk -v a="$a" -v b="$b" '$1 == a && $2 == b {printf "%s ", $3}' "$tmp/calls")"
		fail=1
	fi
done <"$tmp/edges"

# circles: tsort reports a loop when the edges are not a partial order
if ! tsort "$tmp/edges" >/dev/null 2>"$tmp/tsort"; then
	echo "layers: CIRCLE among core files:"
	grep -v '^tsort: .*input contains a loop' "$tmp/tsort" | sed 's/^tsort: /  /'
	fail=1
fi

# no .c file in ext/ over 900 lines
while read -r lines file; do
	[ "$file" = total ] && continue
	if [ "$lines" -gt 900 ]; then
		echo "layers: $file has $lines lines (limit 900)"
		fail=1
	fi
done < <(wc -l ext/core/*.c ext/php/*.c)

if [ $fail -ne 0 ]; then
	echo "layers: FAILED"
	exit 1
fi
echo "layers: ok ($(wc -l <"$tmp/edges") call edges between $(ls ext/core/*.c | wc -l) core files, none upward, no circle)"
