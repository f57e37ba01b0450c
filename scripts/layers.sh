#!/usr/bin/env bash
# Checks the layering of push (docs/ARCHITECTURE.md): compiles each file of ext/core and ext/php
# alone, reads which functions it defines and which it calls (nm), and fails when
#   - a file calls a file of a higher layer (the core never calls the PHP binding),
#   - files call each other in a circle (in the core, in the binding, or between them),
#   - a .c file passes 900 lines,
#   - a file is in no layer, or docs/ARCHITECTURE.md does not list it,
#   - a core function's prefix names neither its file nor its role, or it is declared neither in
#     its file's own header nor in server.h (the core's public header).
# A core file's layer is its folder's (ext/core/<role>/), but for the few files named below.
# Prints the file-to-file call graph.
#
#   bash scripts/layers.sh            check
#   bash scripts/layers.sh -v         also print every call edge with the functions behind it
set -euo pipefail
cd "$(dirname "$0")/.."

NAMES=(util protocol node cluster routing front-end lifecycle binding)
# the layer of each folder of ext/core, bottom up; a file may call its own layer and the ones below
declare -A FOLDER_LAYER=([base]=0 [node]=2 [cluster]=3 [text]=5 [ws]=5 [http]=5 [pusher]=5 [php]=7)
# the named exceptions: a role's parsers and records beside its driver, and the top of ext/core
declare -A FILE_LAYER=(
	[ws/wsframe]=0 [pusher/pusher_sign]=0
	[text/textproto]=1 [http/http_parse]=1 [exclude]=1
	[ws/wsread]=2 [pusher/pusher_chan]=2
	[route]=4 [stats]=4
	[server]=6
	[push]=7
)
# the prefixes a core file's functions may have: its role's (by folder) or its own (by file)
declare -A PREFIXES=(
	[base/buf]="push_buf_ push_utf8_" [base/log]="push_log" [base/registry]="push_registry_ push_idmap_ push_hash"
	[base/sha256]="push_sha256 push_hmac_sha256 push_ct_equal push_secure_zero" [base/json_value]="push_json_"
	[base/hex]="push_hex" [base/url]="push_url_" [base/md5]="push_md5" [base/b64url]="push_b64url" [base/token]="push_token"
	[node/conn]="push_conn_" [node/history]="push_hist_" [node/deliver]="push_local_" [node/groups]="push_groups_ push_local_"
	[cluster]="push_cluster_ push_cm_"
	[text]="push_text_ push_textparser_ push_req_"
	[ws/ws]="push_ws_" [ws/wsframe]="push_ws_" [ws/wsread]="push_wsrd_ push_ws_" [ws/handshake]="push_hs_ push_addr_"
	[http]="push_http_"
	[pusher]="push_pusher_ push_pchan_"
	[route]="push_route_" [stats]="push_stats_" [exclude]="push_exclude_" [server]="push_server_ push_config_"
)
verbose=${1:-}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/push-layers.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

incs="-Iext/core"
for d in ext/core/*/; do incs="$incs -I${d%/}"; done
cflags="-D_GNU_SOURCE $incs $(pkg-config --cflags libwebsockets json-c 2>/dev/null || true)"
if pkg-config --exists hiredis 2>/dev/null; then
	cflags="$cflags -DHAVE_PUSH_REDIS $(pkg-config --cflags hiredis)"
fi
phpflags="-I. $(php-config --includes)"

declare -A LAYER=()
fail=0
files=()
for f in ext/core/*.c ext/core/*/*.c ext/php/*.c push.c; do
	case $f in
	ext/core/*/*.c) n=${f#ext/core/}; n=${n%.c}; dir=${n%%/*} ;;
	ext/core/*.c) n=$(basename "$f" .c); dir= ;;
	ext/php/*.c) n=php/$(basename "$f" .c); dir=php ;;
	*) n=$(basename "$f" .c); dir= ;;
	esac
	if [ -n "${FILE_LAYER[$n]+x}" ]; then
		LAYER[$n]=${FILE_LAYER[$n]}
	elif [ -n "$dir" ] && [ -n "${FOLDER_LAYER[$dir]+x}" ]; then
		LAYER[$n]=${FOLDER_LAYER[$dir]}
	else
		echo "layers: $f is in no layer: put it in a folder of a role, or name it in scripts/layers.sh"
		fail=1
		continue
	fi
	# docs/ARCHITECTURE.md names every file as it is here (core files from ext/core, the rest from the root)
	case $f in ext/core/*) doc=${f#ext/core/} ;; *) doc=$f ;; esac
	if ! grep -q "\`$doc\`" docs/ARCHITECTURE.md; then
		echo "layers: docs/ARCHITECTURE.md does not list \`$doc\`"
		fail=1
	fi
	o=$tmp/$(echo "$n" | tr / _).o
	case $dir$n in
	php*|push) gcc -c -O0 -w $cflags $phpflags -o "$o" "$f" ;;
	*) gcc -c -O0 -w $cflags -o "$o" "$f" ;;
	esac
	nm -g --defined-only "$o" | awk -v f="$n" '$2 == "T" {print $3, f}' >>"$tmp/defs"
	nm -u "$o" | awk -v f="$n" '{print f, $2}' >>"$tmp/uses"
	files+=("$n")
done
[ $fail -eq 0 ] || exit 1

# names: a core file's functions carry its role's or its own prefix, and are declared in its own
# header (dir/name.h beside dir/name.c) or in server.h, the core's public header
while read -r sym n; do
	case $n in php/*|push) continue ;; esac
	pre=${PREFIXES[$n]-${PREFIXES[${n%%/*}]-}}
	ok=0
	for p in $pre; do
		case $sym in "$p"*) ok=1 ;; esac
	done
	if [ $ok = 0 ]; then
		echo "layers: $sym in ext/core/$n.c: its prefix names neither its file nor its role (${pre:-none allowed})"
		fail=1
	fi
	if ! grep -qw "$sym" "ext/core/$n.h" 2>/dev/null && ! grep -qw "$sym" ext/core/server.h; then
		echo "layers: $sym in ext/core/$n.c is declared neither in ext/core/$n.h nor in server.h"
		fail=1
	fi
done <"$tmp/defs"
[ $fail -eq 0 ] || exit 1

# caller callee function, for calls between the project's files (functions only: the module's
# globals and class entries in push.c are data every binding file reads)
awk 'NR == FNR {def[$1] = $2; next} ($2 in def) && def[$2] != $1 {print $1, def[$2], $2}' \
	"$tmp/defs" "$tmp/uses" | sort -u >"$tmp/calls"
cut -d' ' -f1,2 "$tmp/calls" | sort -u >"$tmp/edges"

echo "call graph (caller -> callees), by layer:"
for l in 0 1 2 3 4 5 6 7; do
	for n in $(printf '%s\n' "${files[@]}" | sort); do
		[ "${LAYER[$n]}" = "$l" ] || continue
		printf '  %-10s %-22s -> %s\n' "${NAMES[$l]}" "$n" "$(awk -v n="$n" '$1 == n {printf "%s ", $2}' "$tmp/edges")"
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
	echo "layers: CIRCLE among files:"
	grep -v '^tsort: .*input contains a loop' "$tmp/tsort" | sed 's/^tsort: /  /'
	fail=1
fi

# no .c file over 900 lines
while read -r lines file; do
	[ "$file" = total ] && continue
	if [ "$lines" -gt 900 ]; then
		echo "layers: $file has $lines lines (limit 900)"
		fail=1
	fi
done < <(wc -l ext/core/*.c ext/core/*/*.c ext/php/*.c push.c)

if [ $fail -ne 0 ]; then
	echo "layers: FAILED"
	exit 1
fi
echo "layers: ok ($(wc -l <"$tmp/edges") call edges between ${#files[@]} files of ext/core, ext/php and push.c, none upward, no circle, every file in docs/ARCHITECTURE.md, every core function named for its file or role and declared in its own header)"
