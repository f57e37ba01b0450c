/*
 * server_int.h - the server's internal structures, shared by the core's
 * modules (server.c, http.c, groups, history). Not for the PHP binding.
 */
#ifndef PUSH_SERVER_INT_H
#define PUSH_SERVER_INT_H

#include <stdlib.h>

#include <ev.h>
#include <libwebsockets.h>

#include "registry.h"
#include "server.h"
#include "textproto.h"

#define TEXT_OUT_PAUSE   (1u << 20)   /* stop reading a Text connection with this much unread answer */
#define CLOSE_GRACE_MS   3000         /* a closing connection that cannot take its close frame is cut after this */
#define TEXT_READ_SIZE   (256 * 1024) /* one read of a Text connection: thousands of pipelined lines */
#define OUT_SMALL        256          /* first size of a send buffer; such buffers are pooled */
#define OUT_POOL_MAX     4096         /* send buffers kept for reuse (1 MiB) */
#define ACCEPT_PAUSE     0.1          /* seconds a listener rests after running out of descriptors */
#define TRIM_LEFT        1000         /* the heap is trimmed once this many, and half, of the connections left */
#define SWEEP_INTERVAL   0.25         /* seconds between auth/heartbeat sweeps */

enum conn_state {
	CS_HTTP = 0,               /* plain HTTP request on the WebSocket port */
	CS_PENDING,                /* WebSocket open, not yet authenticated */
	CS_BOUND,                  /* has a uid, receives pushes */
	CS_CLOSING                 /* close requested, waiting to flush */
};

/*
 * What few connections need (a fragmented message, a handshake kept for the
 * auth hook, a close reason, groups joined by connection, HTTP API state):
 * allocated on first use, so that push_conn stays small.
 */
typedef struct push_conn_rare {
	push_handshake *hs;        /* handshake copy for the auth hook, until bound */
	void *http;                /* HTTP API request state (http.c), plain HTTP only */
	struct push_member *groups;        /* groups this connection joined itself */
	unsigned char *in;         /* fragmented client message */
	char *saved_uid;           /* uid kept for on_close after an early unbind */
	char *close_reason;        /* reason to send when closing (malloc'd), NULL = none */
	uint64_t resume_seq;       /* S of "?last=E-S" */
	uint32_t in_len;           /* bytes of the fragmented message so far */
	uint32_t saved_uid_len;    /* length of saved_uid */
} push_conn_rare;

/*
 * Per WebSocket connection; libwebsockets allocates it as the session data.
 * Kept at 120 bytes (a 128-byte heap chunk): every byte here is paid per
 * connection. Times are milliseconds of the server clock (now32()) in 32
 * bits, compared by wrapping difference.
 */
struct push_conn {
	struct lws *wsi;           /* the connection */
	uint64_t id;               /* unique id, never reused */
	push_entry *uid;           /* registry entry while bound */
	push_conn *u_prev, *u_next;        /* siblings under the same uid */
	push_conn *all_prev, *all_next;    /* every open WebSocket connection */
	push_conn *d_prev, *d_next;        /* dirty list: queue waiting for flush */
	unsigned char *out;        /* queued frames */
	push_conn_rare *rare;      /* see push_conn_rare, NULL until needed */
	uint32_t out_len;          /* bytes queued */
	uint32_t out_cap;          /* bytes allocated */
	uint32_t held;             /* upper bound of bytes libwebsockets still buffers */
	uint32_t mark;             /* send stamp: already reached by the current send */
	uint32_t last_rx_ms;       /* last frame from the client (or open time); closing: the deadline */
	uint32_t opened_ms;        /* when the WebSocket opened */
	uint16_t close_code;       /* code to send when closing */
	uint8_t state;             /* enum conn_state */
	uint8_t dirty : 1;         /* on the dirty list */
	uint8_t ping_sent : 1;     /* a ping is outstanding */
	uint8_t in_binary : 1;     /* the fragmented message is binary */
	uint8_t counted : 1;       /* counted in ws_conns */
	uint8_t seq_mode : 1;      /* asked for history ids ("?seq=1" or "?last=") */
	uint8_t resume_set : 1;    /* gave "?last=E-S" */
	uint8_t resume_same_epoch : 1;     /* ... and E is this server's epoch */
};

/* The connection's rare part, allocated if needed; NULL only when out of memory. */
static inline push_conn_rare *push_conn_rare_get(push_conn *c)
{
	if (!c->rare) {
		c->rare = calloc(1, sizeof(*c->rare));
	}
	return c->rare;
}
/* Frees it and what it holds, except the HTTP API state (http.c frees that first). */
void push_conn_rare_free(push_conn *c);
/* A field of the rare part, or dflt when there is none. */
#define CONN_RARE(c, field, dflt) ((c)->rare ? (c)->rare->field : (dflt))

struct push_tconn;

/*
 * An answer of a Text connection that waits for Redis (cluster pushes are
 * answered once the nodes that hold the uid confirmed receipt). Answers after
 * it queue behind it, so the order of answers is the order of lines.
 */
typedef struct push_pending {
	struct push_pending *next;         /* next answer of the same connection */
	struct push_tconn *t;              /* its connection; NULL once it closed */
	char *text;                        /* the answer when ready (no newline) */
	size_t len;                        /* its length */
	uint32_t waits;                    /* confirmations still expected */
	size_t n;                          /* connections reached so far */
	uint8_t ready;                     /* text is final */
	uint8_t cmd;                       /* answer as {"ok":..,"count":..} (send) instead of ok/fail */
	uint8_t queued;                    /* history kept it for an offline uid */
	uint8_t failed;                    /* some node could not be reached */
} push_pending;

/* Per Text connection. */
typedef struct push_tconn {
	ev_io rio;                 /* readable: lines to read */
	ev_io wio;                 /* writable: answers to finish writing */
	int fd;                    /* the socket */
	push_server *srv;          /* owner */
	struct push_tconn *prev, *next;    /* every open Text connection */
	char *in;                  /* partial line */
	uint32_t in_len, in_cap;   /* its length and allocation */
	char *out;                 /* answers not yet written */
	uint32_t out_len, out_cap; /* their length and allocation */
	uint32_t out_off;          /* bytes of out already written */
	double last_read;          /* loop time of the last read */
	uint32_t quick;            /* reads in a row that came soon after the one before */
	push_pending *pq_head, *pq_tail;   /* answers waiting for Redis, in line order */
	uint8_t authed : 1;        /* passed the Text secret (or none needed) */
	uint8_t closing : 1;       /* close after the answers are out */
	uint8_t paused : 1;        /* reading paused until answers drain */
	uint8_t dirty : 1;         /* answers waiting */
} push_tconn;

/* A timer created by the host. */
typedef struct push_timer {
	ev_timer w;                /* libev timer */
	push_server *srv;          /* owner */
	uint32_t id;               /* handle given to the host */
	uint8_t repeat;            /* repeats until cleared */
	uint8_t firing;            /* inside its hook */
	uint8_t cleared;           /* cleared from inside its hook */
	void *ud;                  /* host data */
	struct push_timer *next;   /* all timers */
} push_timer;

/* One kept message of a uid's history. */
typedef struct push_hmsg {
	struct push_hmsg *next;            /* next (newer) message of the same uid */
	struct push_hmsg *g_prev, *g_next; /* all kept messages, oldest first */
	push_entry *owner;                 /* the uid's history entry */
	uint64_t seq;                      /* per-uid sequence number */
	int64_t at_ms;                     /* when it was pushed */
	uint32_t len;                      /* payload bytes */
	char data[];                       /* payload */
} push_hmsg;

/*
 * A uid's history (the `head` of its entry in push_server.hist). Sequence
 * numbers come from one server-wide counter, so they only grow for a uid
 * even when its history is dropped and made again.
 */
typedef struct push_history {
	push_hmsg *first, *last;           /* kept messages, oldest first */
	uint32_t count;                    /* how many */
	uint64_t dropped;                  /* newest seq of this uid no longer kept (or not known) */
	uint64_t undelivered_from;         /* first seq pushed while the uid had no connection, 0 = none */
	struct push_history *i_prev, *i_next;  /* idle list: empty and offline, oldest first */
	int64_t idle_since_ms;             /* when it became idle */
	push_entry *entry;                 /* its registry entry */
	uint8_t idle;                      /* on the idle list */
} push_history;

struct push_server {
	push_config cfg;           /* own copy of the configuration */
	push_hooks hooks;          /* host callbacks */
	struct ev_loop *loop;      /* the event loop */
	struct lws_context *ctx;   /* libwebsockets context */
	struct lws_vhost *ws_vh;   /* WebSocket listener */
	int text_fd;               /* Text listener socket, -1 = none */
	ev_io text_accept;         /* its accept watcher */
	int ws_fd;                 /* WebSocket listener socket, -1 = none */
	ev_io ws_accept;           /* its accept watcher */
	ev_timer accept_resume;    /* restarts the accept watchers after running out of descriptors */
	char *rbuf;                /* read buffer shared by Text connections */
	int ws_port, text_port;    /* bound ports */
	push_registry uids;        /* uid -> connections */
	push_idmap ids;            /* connection id -> connection */
	push_registry groups;      /* group name -> members */
	uint32_t send_gen;         /* stamp of the current multi-target send */
	push_registry hist;        /* uid -> push_history (history on) */
	push_hmsg *hist_first, *hist_last; /* every kept message, oldest first */
	push_history *idle_first, *idle_last;  /* histories empty and offline, oldest first */
	uint64_t hist_seq;         /* last sequence number given, server-wide */
	uint64_t hist_freed_max;   /* highest seq dropped by a history since freed */
	uint64_t hist_bytes;       /* payload bytes kept */
	uint64_t hist_count;       /* messages kept */
	char epoch[16];            /* this run's history epoch, base 36 */
	size_t epoch_len;          /* its length */
	unsigned char *bcast_seq;  /* broadcast frame for connections with history ids ("|payload") */
	size_t bcast_seq_cap;      /* its allocation */
	int last_queued;           /* the last uid push was kept for an offline uid */
	int in_lws;                /* inside a libwebsockets callback */
	int kick;                  /* libwebsockets must look at its timers once our callback ends */
	int last_cluster_fail;     /* the last uid push could not reach other nodes */
	struct push_cluster *cluster;  /* cluster mode (cluster.c), NULL = alone */
	uint64_t next_id;          /* next connection id */
	push_conn *all;            /* every WebSocket connection */
	push_conn *dirty;          /* connections with queued frames */
	push_tconn *texts;         /* every Text connection */
	push_textparser parser;    /* reused JSON parser */
	push_timer *timers;        /* host timers */
	uint32_t next_timer;       /* next timer id */
	ev_timer sweep;            /* auth timeouts and heartbeat */
	ev_timer drain;            /* graceful stop deadline */
	unsigned char **out_pool;  /* free send buffers of OUT_SMALL bytes */
	uint32_t out_pool_n;       /* how many */
	uint64_t trim_mark;        /* connections at the last peak or heap trim */
	ev_idle spin;              /* keeps the loop awake while a backend sends line after line */
	double spin_until;         /* loop time the spin ends */
	ev_async notify;           /* wakes the loop for push_server_notify() */
	unsigned notify_bits;      /* notifications asked for, not yet run (atomic) */
	push_stats stats;          /* counters */
	int running;               /* inside push_server_run */
	int stopping;              /* stop requested */
	int graceful;              /* ... and queues are being drained */
	int hooks_off;             /* tearing down: no more host calls */
	unsigned char *bcast;      /* broadcast frame buffer */
	size_t bcast_cap;          /* its allocation */
};


/* A membership: a uid or a connection in a group (groups.c). */
typedef struct push_member {
	push_entry *group;                 /* the group */
	struct push_member *g_prev, *g_next;   /* members of the group */
	struct push_member *o_prev, *o_next;   /* memberships of the owner */
	push_entry *uid;                   /* owner when a uid joined, else NULL */
	push_conn *conn;                   /* owner when a connection joined, else NULL */
} push_member;

/* groups.c: called when a uid goes offline and when a connection closes. */
void push_groups_uid_gone(push_server *s, push_entry *uid);
void push_groups_conn_gone(push_server *s, push_conn *c);
/* groups.c, cluster mode: after uid u's connections changed (extra: one leaving it), and at resync. */
void push_groups_refresh(push_server *s, push_entry *u, push_conn *extra);
void push_groups_resync(push_server *s);
size_t push_local_group_count(push_server *s, const char *g, size_t glen);
/* server.c: queue one text frame to a connection unless excluded by the current send stamp. */
int push_server_deliver(push_server *s, push_conn *c, const char *msg, size_t mlen);

/* This node only (cluster events and the cluster-aware public functions use these). */
size_t push_local_send_uid(push_server *s, const char *uid, size_t len, const char *msg, size_t mlen);
size_t push_local_broadcast_all(push_server *s, const char *msg, size_t mlen);
size_t push_local_broadcast(push_server *s, const char *msg, size_t mlen, const push_exclude *ex);
size_t push_local_send_group(push_server *s, const char *g, size_t glen, const char *msg, size_t mlen,
		const push_exclude *ex);
size_t push_local_kick(push_server *s, const char *uid, size_t len, int code, const char *reason);
int push_local_join(push_server *s, const char *g, size_t glen, const char *uid, size_t ulen, int joining);

/* HTTP on the WebSocket port: API, /metrics, /healthz (http.c). */
int push_http_callback(push_server *s, struct lws *wsi, push_conn *c, enum lws_callback_reasons reason,
		void *in, size_t len);

/* Flushes every queue waiting (server.c); http.c calls it after an API push. */
void push_server_flush(push_server *s);

#endif
