dnl config.m4 for the push extension

PHP_ARG_WITH([push],
  [for push support],
  [AS_HELP_STRING([--with-push],
    [Include push: a WebSocket push server on libwebsockets])])

PHP_ARG_ENABLE([push-sanitizers],
  [whether to build push with AddressSanitizer and UndefinedBehaviorSanitizer],
  [AS_HELP_STRING([--enable-push-sanitizers],
    [Build push with -fsanitize=address,undefined (for tests)])],
  [no], [no])

if test "$PHP_PUSH" != "no"; then
  dnl PHP 8.1 or later: php-config under phpize, the tree's own version in a PHP source build
  if test -n "$PHP_VERSION_ID"; then
    PUSH_PHP_VERNUM=$PHP_VERSION_ID
    PUSH_PHP_VERSION=$PHP_VERSION
  else
    PUSH_PHP_VERNUM=`$PHP_CONFIG --vernum 2>/dev/null`
    PUSH_PHP_VERSION=`$PHP_CONFIG --version 2>/dev/null`
  fi
  AC_MSG_CHECKING([for PHP 8.1 or later])
  if test -z "$PUSH_PHP_VERNUM" || test "$PUSH_PHP_VERNUM" -lt 80100 2>/dev/null; then
    AC_MSG_ERROR([push needs PHP 8.1 or later, found PHP ${PUSH_PHP_VERSION:-of unknown version}])
  fi
  AC_MSG_RESULT([$PUSH_PHP_VERSION])

  PKG_PROG_PKG_CONFIG

  dnl libwebsockets: 4.1 or later, with TLS and the libev event library (one line each when not)
  if $PKG_CONFIG --exists libwebsockets 2>/dev/null; then
    PUSH_LWS_FOUND=`$PKG_CONFIG --modversion libwebsockets | sed 's/-unknown$//; s/-$//'`
  else
    PUSH_LWS_FOUND=none
  fi
  PKG_CHECK_MODULES([LWS], [libwebsockets >= 4.1], [], [
    AC_MSG_ERROR([push needs libwebsockets >= 4.1 (with its pkg-config file), found: $PUSH_LWS_FOUND; on Debian 12 or later: apt-get install libwebsockets-dev libwebsockets-evlib-ev])
  ])
  AC_MSG_CHECKING([for libwebsockets built with TLS and libev])
  push_save_CPPFLAGS=$CPPFLAGS
  CPPFLAGS="$CPPFLAGS $LWS_CFLAGS"
  AC_PREPROC_IFELSE([AC_LANG_SOURCE([[#include <lws_config.h>
#if !defined(LWS_WITH_TLS)
#error no TLS
#endif]])], [], [
    AC_MSG_RESULT([no])
    AC_MSG_ERROR([push needs libwebsockets built with TLS (LWS_WITH_TLS), found libwebsockets $PUSH_LWS_FOUND without it; Debian's libwebsockets-dev has it, or rebuild libwebsockets with -DLWS_WITH_SSL=ON])
  ])
  AC_PREPROC_IFELSE([AC_LANG_SOURCE([[#include <lws_config.h>
#if !defined(LWS_WITH_LIBEV)
#error no libev
#endif]])], [], [
    AC_MSG_RESULT([no])
    AC_MSG_ERROR([push needs libwebsockets built with the libev event library (LWS_WITH_LIBEV), found libwebsockets $PUSH_LWS_FOUND without it; Debian's libwebsockets-dev has it, or rebuild libwebsockets with -DLWS_WITH_LIBEV=ON])
  ])
  dnl built as a plugin (Debian 12 and 13): libwebsockets loads it at run time, from its libdir
  AC_PREPROC_IFELSE([AC_LANG_SOURCE([[#include <lws_config.h>
#if defined(LWS_WITH_EVLIB_PLUGINS)
#error plugins
#endif]])], [], [
    PUSH_LWS_LIBDIR=`$PKG_CONFIG --variable=libdir libwebsockets`
    if test ! -f "$PUSH_LWS_LIBDIR/libwebsockets-evlib_ev.so"; then
      AC_MSG_RESULT([no])
      AC_MSG_ERROR([push needs libwebsockets' libev plugin, $PUSH_LWS_LIBDIR/libwebsockets-evlib_ev.so is missing (libwebsockets $PUSH_LWS_FOUND); on Debian: apt-get install libwebsockets-evlib-ev])
    fi
  ])
  CPPFLAGS=$push_save_CPPFLAGS
  AC_MSG_RESULT([yes])
  PKG_CHECK_MODULES([JSONC], [json-c >= 0.13], [], [
    AC_MSG_ERROR([push needs json-c >= 0.13 and its pkg-config file; on Debian: apt-get install libjson-c-dev])
  ])

  PHP_EVAL_INCLINE($LWS_CFLAGS)
  PHP_EVAL_LIBLINE($LWS_LIBS, PUSH_SHARED_LIBADD)
  PHP_EVAL_INCLINE($JSONC_CFLAGS)
  PHP_EVAL_LIBLINE($JSONC_LIBS, PUSH_SHARED_LIBADD)

  PHP_CHECK_LIBRARY(websockets, lws_create_vhost, [], [
    AC_MSG_ERROR([libwebsockets found by pkg-config but lws_create_vhost is missing])
  ], [$LWS_LIBS])
  PHP_CHECK_LIBRARY(json-c, json_tokener_parse_ex, [], [
    AC_MSG_ERROR([json-c found by pkg-config but json_tokener_parse_ex is missing])
  ], [$JSONC_LIBS])

  dnl libwebsockets runs on a libev loop that push owns (foreign loop)
  AC_CHECK_HEADER([ev.h], [], [
    AC_MSG_ERROR([push needs the libev headers (ev.h), found none; on Debian: apt-get install libev-dev])
  ])
  PHP_CHECK_LIBRARY(ev, ev_loop_new, [
    PHP_ADD_LIBRARY(ev, 1, PUSH_SHARED_LIBADD)
  ], [
    AC_MSG_ERROR([push needs libev (ev_loop_new in -lev), found none; on Debian: apt-get install libev-dev])
  ])

  dnl cluster mode: hiredis, when present
  PKG_CHECK_MODULES([HIREDIS], [hiredis >= 0.13], [
    PHP_EVAL_INCLINE($HIREDIS_CFLAGS)
    PHP_EVAL_LIBLINE($HIREDIS_LIBS, PUSH_SHARED_LIBADD)
    AC_DEFINE(HAVE_PUSH_REDIS, 1, [push has cluster mode on Redis (hiredis)])
  ], [
    AC_MSG_WARN([hiredis not found: push builds without cluster mode (apt-get install libhiredis-dev)])
  ])

  dnl _GNU_SOURCE for accept4() and friends: PHP 8.2's phpize passes it, 8.1's does not
  PUSH_CFLAGS="-D_GNU_SOURCE -DZEND_ENABLE_STATIC_TSRMLS_CACHE=1 -Wall -Wno-unused-parameter"
  if test "$PHP_PUSH_SANITIZERS" != "no"; then
    PUSH_CFLAGS="$PUSH_CFLAGS -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"
    PUSH_SHARED_LIBADD="$PUSH_SHARED_LIBADD -fsanitize=address,undefined"
  fi

  dnl the core by role (docs/ARCHITECTURE.md): base/ below everything, then node/, cluster/, the
  dnl routing layer at the top of ext/core, the front ends (text/, ws/, http/, pusher/), server.c
  PUSH_CORE_BASE="log.c buf.c hex.c md5.c url.c json_value.c sha256.c b64url.c token.c registry.c"
  PUSH_CORE_NODE="conn.c history.c deliver.c groups.c"
  PUSH_CORE_CLUSTER="cluster.c cluster_mirror.c"
  PUSH_CORE_TEXT="textproto.c text_answer.c text.c text_cmd.c"
  PUSH_CORE_WS="wsframe.c wsread.c ws.c handshake.c"
  PUSH_CORE_HTTP="http_parse.c metrics.c http.c"
  PUSH_CORE_PUSHER="pusher_sign.c pusher_chan.c pusher_hook.c pusher_vacate.c pusher_nodes.c pusher.c pusher_ops.c pusher_http.c"
  PUSH_CORE_TOP="exclude.c route.c stats.c server.c"
  PUSH_CORE_SOURCES=
  PUSH_INCLUDES="-I@ext_srcdir@/ext/core"
  for push_role in base node cluster text ws http pusher; do
    push_role_uc=`echo $push_role | tr a-z A-Z`
    eval "push_role_files=\$PUSH_CORE_$push_role_uc"
    for push_f in $push_role_files; do
      PUSH_CORE_SOURCES="$PUSH_CORE_SOURCES ext/core/$push_role/$push_f"
    done
    PUSH_INCLUDES="$PUSH_INCLUDES -I@ext_srcdir@/ext/core/$push_role"
  done
  for push_f in $PUSH_CORE_TOP; do
    PUSH_CORE_SOURCES="$PUSH_CORE_SOURCES ext/core/$push_f"
  done
  PUSH_PHP_SOURCES="ext/php/server.c ext/php/server_api.c ext/php/options.c ext/php/run.c ext/php/signals.c ext/php/connection.c ext/php/client.c ext/php/client_methods.c ext/php/client_lines.c ext/php/client_transport.c ext/php/client_address.c ext/php/cli.c"

  PHP_NEW_EXTENSION(push, push.c $PUSH_CORE_SOURCES $PUSH_PHP_SOURCES, $ext_shared,, $PUSH_CFLAGS $PUSH_INCLUDES)
  PHP_ADD_BUILD_DIR($ext_builddir/ext/core)
  for push_role in base node cluster text ws http pusher; do
    PHP_ADD_BUILD_DIR($ext_builddir/ext/core/$push_role)
  done
  PHP_ADD_BUILD_DIR($ext_builddir/ext/php)
  PHP_SUBST(PUSH_SHARED_LIBADD)
fi
