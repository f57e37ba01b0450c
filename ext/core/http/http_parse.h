/*
 * http_parse.h - protocol layer: HTTP API requests, without a socket.
 *
 * push_http_route() finds the endpoint, push_http_admit() checks the method
 * and the Bearer secret, push_http_parse() turns the query and the JSON body
 * into an http_action, push_http_chunk_feed() decodes a chunked body; each
 * says what went wrong in an http_answer. Running the action and the
 * libwebsockets glue are the HTTP front end's (http.c).
 */
#ifndef PUSH_HTTP_PARSE_H
#define PUSH_HTTP_PARSE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>
#include <libwebsockets.h>

#include "buf.h"
#include "exclude.h"
#include "server.h"
#include "textproto.h"

#define HTTP_BODY_SLACK    (64 * 1024)    /* request bodies may exceed max_message_out by this */
#define HTTP_UIDS_DEFAULT  1000           /* /api/uids page size when not given */
#define HTTP_UIDS_MAX      10000          /* largest /api/uids page */
#define HTTP_PIECE_H1      (64 * 1024)    /* answer bytes written per WRITEABLE over HTTP/1 */
#define HTTP_PIECE_H2      16384          /* the same over HTTP/2: one DATA frame */
#define HTTP_AUTH_MAX      1024           /* longest Authorization header looked at */
#define HTTP_JSON_DEPTH    32             /* nesting accepted in request bodies */
#define HTTP_REASON_MAX    63             /* longest kick reason (push_conn.close_reason) */
#define HTTP_LINE_MAX      4096           /* longest chunk-size or trailer line */
#define HTTP_STATS_MAX     8192           /* room for push_stats_json() */

#define JSON_CT            "application/json"
/* The error of a send Redis could not take for the other nodes (HTTP API, Pusher HTTP API). */
#define PUSH_HTTP_CLUSTER_ERROR "cluster unavailable: redis is unreachable, not delivered to other nodes"
#define METRICS_CT         "text/plain; version=0.0.4"

/* Methods the API tells apart. */
enum http_method {
	HM_OTHER = 0,              /* anything the API does not serve */
	HM_GET,                    /* GET */
	HM_HEAD,                   /* HEAD: a GET without the body */
	HM_POST                    /* POST */
};

/* What an endpoint does. */
enum http_kind {
	HK_HEALTHZ = 1,            /* GET /healthz */
	HK_METRICS,                /* GET /metrics */
	HK_STATS,                  /* GET /api/stats */
	HK_PUSH,                   /* POST /api/push */
	HK_BROADCAST,              /* POST /api/broadcast */
	HK_GROUP_SEND,             /* POST /api/group/send */
	HK_GROUP_JOIN,             /* POST /api/group/join */
	HK_GROUP_LEAVE,            /* POST /api/group/leave */
	HK_KICK,                   /* POST /api/kick */
	HK_ONLINE,                 /* GET /api/online */
	HK_UIDS,                   /* GET /api/uids */
	HK_GROUP,                  /* GET /api/group */
	HK_UID_GROUPS              /* GET /api/uid/groups */
};

/* Who may call an endpoint. */
enum http_auth {
	HA_NONE = 0,               /* anyone */
	HA_BEARER,                 /* the Bearer secret */
	HA_METRICS                 /* the Bearer secret unless metrics_public */
};

/* One entry of the routing table. */
typedef struct http_endpoint {
	const char *path;          /* exact path */
	uint8_t kind;              /* enum http_kind */
	uint8_t post;              /* POST with a JSON body; otherwise GET (and HEAD) */
	uint8_t auth;              /* enum http_auth */
} http_endpoint;

/* What goes back to the client. */
typedef struct http_answer {
	int status;                /* HTTP status; 0 = not decided yet */
	const char *type;          /* Content-Type */
	const char *allow;         /* Allow header (405), NULL = none */
	uint8_t challenge;         /* send WWW-Authenticate: Bearer (401) */
	uint8_t close;             /* close the connection after the answer */
	push_buf body;             /* the body */
} http_answer;

/* One decoded query argument; both strings NUL-terminated. */
typedef struct http_arg {
	const char *name;          /* before the first '=' */
	const char *value;         /* after it, "" if none */
	size_t value_len;          /* length of value */
} http_arg;

/* A request as the lower layer sees it. */
typedef struct http_request {
	const http_arg *args;      /* decoded query arguments */
	size_t nargs;              /* how many */
	const char *body;          /* request body, NULL if none */
	size_t body_len;           /* its length */
} http_request;

/* A validated request, ready to run. Strings point into root or the request's arguments. */
typedef struct http_action {
	const http_endpoint *ep;   /* what to do */
	json_object *root;         /* parsed body, owns the strings below */
	push_str *uids;            /* target uids */
	size_t nuids;              /* how many */
	push_str uid_one;          /* storage for a single uid */
	push_str msg;              /* message to push */
	push_str group;            /* group name */
	push_str reason;           /* kick reason */
	push_exclude_list ex;      /* uids and connections that must not receive the send */
	int overflowed;            /* json-c clamped an integer of the body (see push_json_uids_ex) */
	uint64_t cursor;           /* /api/uids: where the page starts */
	size_t limit;              /* /api/uids: uids per page */
} http_action;

/* Where the request is. */
enum http_phase {
	HP_BODY = 0,               /* reading the request body */
	HP_ANSWER                  /* the answer is decided and being written */
};

/* Decoder state of a chunked request body. */
enum http_chunk {
	CK_SIZE = 0,               /* first hex digit of a chunk size */
	CK_SIZE_HEX,               /* more hex digits, an extension or the line end */
	CK_EXT,                    /* chunk extension, skipped up to the line end */
	CK_SIZE_LF,                /* LF after the size line's CR */
	CK_DATA,                   /* chunk data */
	CK_DATA_CR,                /* CR after the data */
	CK_DATA_LF,                /* LF after the data */
	CK_TRAILER,                /* start of a trailer line (an empty one ends the body) */
	CK_TRAILER_LINE,           /* inside a trailer line */
	CK_TRAILER_LF,             /* LF of the final empty line */
	CK_DONE                    /* the body is complete */
};

/*
 * A role that answers a family of paths of the HTTP port itself, signed in
 * its own way (the Pusher HTTP API, pusher/pusher_http.c): http.c asks for
 * one when a request head arrives and then hands it the request through
 * these, with the path and the raw query (values as sent, still encoded).
 */
typedef struct push_http_role {
	/* Largest body it reads. */
	size_t (*body_limit)(const push_config *c);
	/* Before the body is read: 0 to read it, -1 with the refusal answered (a stranger's body is never read). */
	int (*head)(push_server *s, int method, const char *path, size_t plen, const char *query, size_t qlen,
			struct http_answer *a);
	/* The whole body is in: fills the answer. */
	void (*run)(push_server *s, int method, const char *path, size_t plen, const char *query, size_t qlen,
			const char *body, size_t blen, struct http_answer *a);
} push_http_role;

/* Per-request state, in push_conn.http from LWS_CALLBACK_HTTP until the answer is out. */
typedef struct http_state {
	const http_endpoint *ep;   /* routed endpoint of the HTTP API, NULL if none */
	const push_http_role *role;    /* or the role that answers the request, NULL if none */
	uint8_t method;            /* enum http_method */
	uint8_t phase;             /* enum http_phase */
	uint8_t h2;                /* the request came over HTTP/2 */
	uint8_t chunked;           /* the body uses the chunked transfer coding */
	uint8_t chunk;             /* enum http_chunk */
	uint8_t headers_sent;      /* the answer's headers are out */
	uint64_t chunk_left;       /* bytes left of the current chunk */
	size_t line_len;           /* bytes of the current size or trailer line */
	size_t limit;              /* largest body accepted */
	int64_t cl;                /* Content-Length, -1 if none */
	push_buf body;             /* the body so far (decoded) */
	char *args_mem;            /* query arguments, NUL-separated */
	http_arg *args;            /* the arguments, pointing into args_mem */
	size_t nargs;              /* how many */
	size_t sent;               /* answer body bytes written */
	http_answer ans;           /* the answer */
} http_state;

extern const http_endpoint push_http_endpoints[];
#define PUSH_HTTP_NENDPOINTS 13

/* Answer bodies keep LWS_PRE spare bytes, so pieces go to lws_write() in place. */
static inline push_buf *hb(push_buf *b)
{
	if (!b->mem) {
		b->head = LWS_PRE;
	}
	return b;
}

void push_http_answer_error(http_answer *a, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The same with the answer's opening given ("{\"ok\":false,\"error\":", or the Pusher API's "{\"error\":"). */
void push_http_answer_verror(http_answer *a, int status, const char *open, const char *fmt, va_list ap)
		__attribute__((format(printf, 4, 0)));
void push_http_answer_reset(http_answer *a, int status, const char *type);
void push_http_answer_count(http_answer *a, size_t n);
int push_http_answer_check(http_answer *a);
const http_endpoint *push_http_route(const char *path, size_t len);
int push_http_admit(const push_config *cfg, const http_endpoint *ep, int method, const char *auth,
		size_t auth_len, http_answer *a);
size_t push_http_body_limit(const push_config *cfg);
void push_http_action_free(http_action *act);
int push_http_parse(const push_config *cfg, const http_endpoint *ep, const http_request *rq, http_action *act,
		http_answer *a);
int push_http_chunk_feed(http_state *st, const unsigned char *p, size_t n);

#endif
