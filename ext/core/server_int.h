/*
 * server_int.h - the server's internal structures and what each layer of
 * the core offers the layers above (docs/ARCHITECTURE.md). Not for the PHP
 * binding.
 */
#ifndef PUSH_SERVER_INT_H
#define PUSH_SERVER_INT_H

#include <stdlib.h>

#include <ev.h>
#include <libwebsockets.h>

#include "buf.h"
#include "registry.h"
#include "server.h"
#include "str.h"

#define TEXT_OUT_PAUSE   (1u << 20)   /* stop reading a Text connection with this much unread answer */
#define CLOSE_GRACE_MS   3000         /* a closing connection that cannot take its close frame is cut after this */
#define TEXT_READ_SIZE   (256 * 1024) /* one read of a Text connection: thousands of pipelined lines */
#define OUT_SMALL        256          /* first size of a send buffer; such buffers are pooled */
#define OUT_POOL_MAX     4096         /* send buffers kept for reuse (1 MiB) */
#define ACCEPT_PAUSE     0.1          /* seconds a listener rests after running out of descriptors */
#define TRIM_LEFT        1000         /* the heap is trimmed once this many, and half, of the connections left */
#define SWEEP_INTERVAL   0.25         /* seconds between auth/heartbeat sweeps */
#define HIST_TAG_LEN     6            /* base-36 characters of a history's tag */
#define TEXT_AUTH_LINE_MAX 1024       /* longest Text line before the secret was given */
#define PUSH_FIRST_MSG_MAX 1024       /* longest first message of a connection without a uid (a token is ~400 bytes) */

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
	unsigned char *ctl;        /* a control frame's payload split across reads (wsread.c) */
	char *saved_uid;           /* uid kept for on_close after an early unbind */
	char *close_reason;        /* reason to send when closing (malloc'd), NULL = none */
	struct push_pusher_conn *pusher;   /* Pusher protocol state (pusher.c), Pusher connections only */
	uint64_t resume_seq;       /* S of "?last=E-S" */
	char resume_e[32];         /* E of "?last=E-S" */
	uint32_t in_len;           /* bytes of the fragmented message so far (counted in input_bytes) */
	uint32_t in_since_ms;      /* when the unfinished message began (now32), if in_open */
	uint8_t in_open;           /* a client message is begun and not complete: message_timeout runs */
	uint8_t ctl_len;           /* bytes of ctl so far */
	uint32_t saved_uid_len;    /* length of saved_uid */
} push_conn_rare;

/*
 * Per WebSocket connection; libwebsockets allocates it as the session data.
 * Kept at 184 bytes (a 192-byte heap chunk), 64 of them the frame reader of
 * plain connections (wsread.c): every byte here is paid per connection. Times
 * are milliseconds of the server clock (now32()) in 32 bits, compared by
 * wrapping difference.
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
	uint8_t resume_same_epoch : 1;     /* ... and E is of this server's run (some history of it) */
	uint8_t is_pusher : 1;     /* speaks the Pusher protocol (pusher.c) */
	/* the frame reader of a plain (not TLS) connection, wsread.c */
	uint8_t rd_mode : 1;       /* enum push_rd_mode */
	uint8_t rx_early : 1;      /* the client sent bytes behind its request head (handshake.c) */
	uint8_t rx_frag : 1;       /* a fragmented data message is open */
	uint8_t rx_first : 1;      /* the next piece is the first of a message */
	uint8_t rx_closed : 1;     /* input is over (the client's close frame, or ours is due): the close frame goes out next */
	uint8_t over_cap : 1;      /* a Pusher socket over max_connections(_per_address): told 4100 at open (ws.c) */
	uint8_t rx_b0;             /* first header byte of the current client frame */
	uint8_t rx_b1;             /* second header byte */
	uint8_t rx_hpos;           /* header bytes read (0: between frames); PUSH_RX_PAYLOAD: in the payload */
	uint8_t rx_mpos;           /* position in the masking key */
	uint8_t rx_mask[4];        /* masking key of the current frame */
	uint64_t rx_left;          /* payload bytes of the current frame still to come */
	ev_io rd;                  /* readable: frames to read; rd.data (not used by libev): the client
	                              address's entry in push_server.addrs (handshake.c), NULL = none */
};

/* Who reads a WebSocket connection's frames (push_conn.rd_mode). */
enum push_rd_mode {
	RD_LWS = 0,                /* libwebsockets: TLS, HTTP/2, bytes sent before the 101, or not open yet */
	RD_ON                      /* wsread.c: libwebsockets no longer reads the socket */
};
#define PUSH_RX_PAYLOAD 0xff

/* The connection's rare part, allocated if needed; NULL only when out of memory. */
static inline push_conn_rare *push_conn_rare_get(push_conn *c)
{
	if (!c->rare) {
		c->rare = calloc(1, sizeof(*c->rare));
	}
	return c->rare;
}
/* A field of the rare part, or dflt when there is none. */
#define CONN_RARE(c, field, dflt) ((c)->rare ? (c)->rare->field : (dflt))

struct push_tconn;

/*
 * A piece of a client's data message: first (of the message), final (frame
 * of the message), payload bytes of the frame still to come. Returns -1 when
 * the connection must close (it is then closing, or must be cut).
 */
typedef int (*push_ws_rx_fn)(push_server *s, push_conn *c, const char *in, size_t len, int first, int final,
		uint64_t remaining, int binary);

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
	uint8_t unsent;                    /* Redis could not take it for the other nodes */
} push_pending;

/* Per Text connection. */
typedef struct push_hs_wait push_hs_wait;

typedef struct push_tconn {
	ev_io rio;                 /* readable: lines to read */
	ev_io wio;                 /* writable: answers to finish writing */
	int fd;                    /* the socket */
	push_server *srv;          /* owner */
	struct push_tconn *prev, *next;    /* every open Text connection */
	push_buf in;               /* partial line */
	push_buf out;              /* answers not yet written */
	size_t out_off;            /* bytes of out already written */
	double last_read;          /* loop time of the last read */
	uint32_t quick;            /* reads in a row that came soon after the one before */
	uint32_t opened_ms;        /* when it was accepted (now32) */
	uint32_t last_rx_ms;       /* when it last sent something */
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
	uint64_t seq;                      /* last sequence number given: ids count this uid's messages only */
	uint64_t dropped;                  /* newest seq of this uid no longer kept */
	uint64_t undelivered_from;         /* first seq pushed while the uid had no connection, 0 = none */
	struct push_history *i_prev, *i_next;  /* idle list: empty and offline, oldest first */
	int64_t idle_since_ms;             /* when it became idle */
	push_entry *entry;                 /* its registry entry */
	uint8_t idle;                      /* on the idle list */
	char tag[HIST_TAG_LEN + 1];        /* random: ids are "<epoch><tag>-<seq>", a new history has a new tag */
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
	struct push_gmidx {        /* (group, owner) -> its membership, open addressing (groups.c) */
		struct push_member **slots;        /* NULL = empty slot; the array is NULL while no membership exists */
		size_t mask;               /* slots - 1 */
		size_t count;              /* memberships */
	} gmidx;
	uint32_t send_gen;         /* stamp of the current multi-target send */
	push_registry hist;        /* uid -> push_history (history on) */
	push_hmsg *hist_first, *hist_last; /* every kept message, oldest first */
	push_history *idle_first, *idle_last;  /* histories empty and offline, oldest first */
	uint64_t hist_bytes;       /* payload bytes kept */
	uint64_t hist_count;       /* messages kept */
	char epoch[16];            /* this run's history epoch, base 36 */
	size_t epoch_len;          /* its length */
	unsigned char *bcast_seq;  /* broadcast frame for connections with history ids ("|payload") */
	size_t bcast_seq_cap;      /* its allocation */
	int in_lws;                /* inside a libwebsockets callback */
	push_ws_rx_fn ws_rx;       /* a piece of a client message read by wsread.c goes here (installed by ws.c) */
	int kick;                  /* libwebsockets must look at its timers once our callback ends */
	struct push_cluster *cluster;  /* cluster mode (cluster.c), NULL = alone */
	const struct push_node_obs *node_obs;  /* told of presence and membership changes (route.c) */
	uint64_t next_id;          /* next connection id */
	push_conn *all;            /* every WebSocket connection */
	push_conn *dirty;          /* connections with queued frames */
	push_tconn *texts;         /* every Text connection */
	push_hs_wait *hs_waits, *hs_tail;  /* WebSocket-port connections waiting for their request head (handshake.c) */
	push_idmap hs_ids;         /* wsi -> its push_hs_wait */
	push_registry hs_addrs;    /* remote address (16 bytes) -> waiting connections from it (count) */
	uint32_t hs_pool;          /* libwebsockets' header tables: handshakes beyond this many evict (handshake.c) */
	push_registry addrs;       /* client address (16 bytes) -> its WebSocket connections (count), unfinished input (aux) */
	struct push_cidr *proxies; /* trusted_proxies, parsed */
	size_t nproxies;           /* how many */
	struct push_textparser *parser;   /* reused JSON parser (text/textproto.h) */
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
	struct push_pusher *pusher;        /* Pusher protocol state (pusher.c), NULL = off */
	void (*front_resync)(push_server *s);  /* a front end with records of its own in the cluster tells them again (pusher.c) */
	/* the other nodes' members of a set or group came or went (push_cluster_sink.remote_member) */
	void (*front_remote_member)(push_server *s, const char *g, size_t glen, const char *key, size_t klen, int present);
	struct push_pusher_hooks *pusher_hooks;  /* webhooks waiting to be sent (pusher_hook.c) */
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

/* ------------------------------------------------------------------------
 * What each layer offers the layers above it (docs/ARCHITECTURE.md).
 */

/* The server clock (loop time): milliseconds, and in 32 bits for push_conn's times. */
static inline int64_t now_ms(push_server *s)
{
	return (int64_t)(ev_now(s->loop) * 1000.0);
}

static inline uint32_t now32(push_server *s)
{
	return (uint32_t)now_ms(s);
}

static inline push_server *conn_srv(push_conn *c)
{
	return lws_context_user(lws_get_context(c->wsi));
}

/*
 * What the node layer tells the layer above; route.c installs it. presence:
 * uid entry e's connections here changed (e->count is the new count), one
 * bound (leaving NULL) or one left (leaving); when e->count is 0 the entry is
 * removed right after. group_member: count of uid u's connections here are in
 * group g now (NULL when nobody needs it: no cluster).
 */
struct push_node_obs {
	void (*presence)(push_server *s, push_entry *e, push_conn *leaving);
	void (*group_member)(push_server *s, push_entry *g, push_entry *u, uint32_t count);
};

#endif
