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
  PKG_PROG_PKG_CONFIG

  PKG_CHECK_MODULES([LWS], [libwebsockets >= 4.1], [], [
    AC_MSG_ERROR([push needs libwebsockets >= 4.1 and its pkg-config file; on Debian: apt-get install libwebsockets-dev])
  ])
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
    AC_MSG_ERROR([push needs libev headers; on Debian: apt-get install libev-dev libwebsockets-evlib-ev])
  ])
  PHP_CHECK_LIBRARY(ev, ev_loop_new, [
    PHP_ADD_LIBRARY(ev, 1, PUSH_SHARED_LIBADD)
  ], [
    AC_MSG_ERROR([push needs libev; on Debian: apt-get install libev-dev libwebsockets-evlib-ev])
  ])

  dnl cluster mode: hiredis, when present
  PKG_CHECK_MODULES([HIREDIS], [hiredis >= 0.13], [
    PHP_EVAL_INCLINE($HIREDIS_CFLAGS)
    PHP_EVAL_LIBLINE($HIREDIS_LIBS, PUSH_SHARED_LIBADD)
    AC_DEFINE(HAVE_PUSH_REDIS, 1, [push has cluster mode on Redis (hiredis)])
  ], [
    AC_MSG_WARN([hiredis not found: push builds without cluster mode (apt-get install libhiredis-dev)])
  ])

  PUSH_CFLAGS="-DZEND_ENABLE_STATIC_TSRMLS_CACHE=1 -Wall -Wno-unused-parameter"
  if test "$PHP_PUSH_SANITIZERS" != "no"; then
    dnl libwebsockets runs on a libev loop that push owns (foreign loop)
  AC_CHECK_HEADER([ev.h], [], [
    AC_MSG_ERROR([push needs libev headers; on Debian: apt-get install libev-dev libwebsockets-evlib-ev])
  ])
  PHP_CHECK_LIBRARY(ev, ev_loop_new, [
    PHP_ADD_LIBRARY(ev, 1, PUSH_SHARED_LIBADD)
  ], [
    AC_MSG_ERROR([push needs libev; on Debian: apt-get install libev-dev libwebsockets-evlib-ev])
  ])

  PUSH_CFLAGS="$PUSH_CFLAGS -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"
    PUSH_SHARED_LIBADD="$PUSH_SHARED_LIBADD -fsanitize=address,undefined"
  fi

  PUSH_CORE_SOURCES="ext/core/log.c ext/core/buf.c ext/core/sha256.c ext/core/b64url.c ext/core/token.c ext/core/registry.c ext/core/wsframe.c ext/core/textproto.c ext/core/exclude.c ext/core/http_parse.c ext/core/conn.c ext/core/history.c ext/core/deliver.c ext/core/groups.c ext/core/cluster.c ext/core/cluster_mirror.c ext/core/route.c ext/core/stats.c ext/core/ws.c ext/core/text_answer.c ext/core/text.c ext/core/text_cmd.c ext/core/http.c ext/core/server.c"
  PUSH_PHP_SOURCES="ext/php/server.c ext/php/options.c ext/php/run.c ext/php/connection.c ext/php/client.c ext/php/cli.c"

  PHP_NEW_EXTENSION(push, push.c $PUSH_CORE_SOURCES $PUSH_PHP_SOURCES, $ext_shared,, $PUSH_CFLAGS)
  PHP_ADD_BUILD_DIR($ext_builddir/ext/core)
  PHP_ADD_BUILD_DIR($ext_builddir/ext/php)
  PHP_SUBST(PUSH_SHARED_LIBADD)
fi
