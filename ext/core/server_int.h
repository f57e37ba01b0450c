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
#include "route.h"
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
/* Frees it and what it holds, except the HTTP API state (http.c frees that first). */
void push_conn_rare_free(push_conn *c);
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
 * group g now.
 */
struct push_node_obs {
	void (*presence)(push_server *s, push_entry *e, push_conn *leaving);
	void (*group_member)(push_server *s, push_entry *g, push_entry *u, uint32_t count);
};

/* -- node: conn.c -- a connection and its send queue */
void push_dirty_add(push_server *s, push_conn *c);
void push_dirty_del(push_server *s, push_conn *c);
void push_out_buf_put(push_server *s, unsigned char *p, uint32_t cap);
void push_out_release(push_server *s, push_conn *c);
void push_conn_set_timeout(push_server *s, push_conn *c, int secs);
/* After one of our own callbacks: wakes libwebsockets if it has timers or closes to look at. */
void push_lws_kick(push_server *s);
void push_conn_flush(push_server *s, push_conn *c);
/* Flushes every queue waiting; push_server_flush() also wakes libwebsockets outside its callbacks. */
void push_flush_dirty(push_server *s);
void push_server_flush(push_server *s);
/* Appends one frame whose payload is pre followed by msg: 1 if queued, 0 if the connection cannot take it. */
int push_conn_queue2(push_server *s, push_conn *c, unsigned opcode, const char *pre, size_t plen,
		const char *msg, size_t len);
int push_conn_queue(push_server *s, push_conn *c, unsigned opcode, const char *msg, size_t len);
/* A message without a history id: connections that asked for ids see it as "|payload". */
int push_conn_queue_plain(push_server *s, push_conn *c, const char *msg, size_t len);
/* An already framed message: straight to the socket when nothing is queued. */
int push_conn_send_frame(push_server *s, push_conn *c, const unsigned char *frame, size_t flen);
int push_conn_bind(push_server *s, push_conn *c, const char *uid, size_t len);
void push_conn_unbind(push_server *s, push_conn *c, int keep_uid);
/* Close with code and reason once the queue is out; the connection stops receiving now. */
void push_conn_close_async(push_conn *c, int code, const char *reason);
/* A connection wsread.c reads: it reads no more, its close frame goes out at the next WRITEABLE (wsread.c). */
void push_conn_close_soon(push_conn *c, int code, const char *reason);
/* Inside a libwebsockets callback that then returns -1: close at once (read by wsread.c: close soon). */
void push_conn_close_now(struct lws *wsi, push_conn *c, int code, const char *reason);
/* Cuts a connection at once (outside libwebsockets callbacks only). */
void push_conn_cut(push_server *s, push_conn *c);
void push_conn_list_add(push_server *s, push_conn *c);
void push_conn_list_del(push_server *s, push_conn *c);
/* A graceful stop ends the loop once the last connection is gone. */
void push_maybe_finish_drain(push_server *s);
void push_hs_free(push_handshake *hs);
/*
 * Unfinished client input: the message begun (message_timeout starts), its
 * bytes held (0 or -1 with the close code to use when a bound is passed), all
 * dropped (freed and uncounted).
 */
void push_conn_in_begin(push_server *s, push_conn *c);
void push_conn_in_end(push_conn *c);
int push_conn_in_grow(push_server *s, push_conn *c, size_t len, int *code);
void push_conn_in_drop(push_server *s, push_conn *c);

/* -- node: wsread.c -- the frames of a plain connection, read by us instead of libwebsockets */
/* From LWS_CALLBACK_ESTABLISHED: a plain connection will be read by wsread.c; pieces of messages go to rx. */
void push_wsrd_start(push_server *s, push_conn *c, push_ws_rx_fn rx);
void push_wsrd_stop(push_server *s, push_conn *c);
/* From WRITEABLE of a closing connection read by wsread.c: writes its close frame (the connection then ends). */
void push_wsrd_close(push_server *s, push_conn *c);
/* A client's close frame payload: 0 if well formed (*code set, 1005 when none), else the close code to answer. */
int push_ws_close_check(const unsigned char *in, size_t len, unsigned *code);

/* -- node: history.c -- kept messages per uid */
push_history *push_hist_get(push_server *s, const char *uid, size_t ulen, int create);
uint64_t push_hist_add(push_server *s, const char *uid, size_t ulen, const char *msg, size_t mlen, int online,
		push_history **hp);
void push_hist_check_idle(push_server *s, push_history *h);
/* The uid of h went offline: an empty history starts its idle time. */
void push_hist_uid_offline(push_server *s, push_history *h);
void push_hist_expire(push_server *s);
unsigned push_msg_op(const push_server *s, const char *msg, size_t len);
int push_conn_queue_hist(push_server *s, push_conn *c, const push_history *h, uint64_t seq, const char *msg, size_t len);
void push_hist_on_bind(push_server *s, push_conn *c);
void push_hist_destroy(push_server *s);

/* -- node: deliver.c -- this node's connections only */
/* A uid's connections here (history applies); *queued set when history kept it for the offline uid. */
size_t push_local_deliver_uid(push_server *s, const char *uid, size_t len, const char *msg, size_t mlen,
		int online_elsewhere, int *queued);
/* Queues one text frame to a connection unless excluded by the current send stamp. */
int push_server_deliver(push_server *s, push_conn *c, const char *msg, size_t mlen);
size_t push_local_send_uid(push_server *s, const char *uid, size_t len, const char *msg, size_t mlen);
size_t push_local_broadcast_all(push_server *s, const char *msg, size_t mlen);
size_t push_local_kick(push_server *s, const char *uid, size_t len, int code, const char *reason);

/* -- node: groups.c -- groups of this node */
void push_groups_uid_gone(push_server *s, push_entry *uid);
void push_groups_conn_gone(push_server *s, push_conn *c);
/* After uid u's connections changed (extra: one leaving it), and at a cluster resync: tells group_member. */
void push_groups_refresh(push_server *s, push_entry *u, push_conn *extra);
void push_groups_resync(push_server *s);
/* A new send stamp (push_conn.mark, push_entry.mark). */
void push_groups_next_gen(push_server *s);
size_t push_local_group_count(push_server *s, const char *g, size_t glen);
size_t push_local_broadcast(push_server *s, const char *msg, size_t mlen, const push_exclude *ex);
size_t push_local_send_group(push_server *s, const char *g, size_t glen, const char *msg, size_t mlen,
		const push_exclude *ex);
int push_local_join(push_server *s, const char *g, size_t glen, const char *uid, size_t ulen, int joining);
/* Local walks; they leave this walk's stamp on what they listed (route.c adds the remote ones). */
size_t push_local_group_uids(push_server *s, const char *g, size_t glen,
		void (*fn)(const char *uid, size_t len, void *arg), void *arg);
size_t push_local_uid_groups(push_server *s, const char *uid, size_t ulen,
		void (*fn)(const char *g, size_t len, void *arg), void *arg);

/* -- routing: route.c -- the cluster-aware operations */
/* Installs the node observer and, in cluster mode, starts the cluster (push_server_new calls it). */
int push_route_init(push_server *s, char *err, size_t errlen);
push_result push_route_send_uids(push_server *s, const push_str *uids, size_t n, const char *msg, size_t mlen);
/*
 * The same, each other node that holds one of the uids answering through
 * done(arg, count) once Redis confirmed it got the push (count 0: it did not).
 * result.waits says how many calls to expect.
 */
push_result push_route_send_uids_acked(push_server *s, const push_str *uids, size_t n, const char *msg, size_t mlen,
		void (*done)(void *arg, uint32_t count), void *arg);
size_t push_route_send_group_here(push_server *s, const char *g, size_t glen, const char *msg, size_t mlen,
		const push_exclude *ex);
/* A WebSocket connection of this node was bound (history replays), or closed (its own groups end). */
void push_route_conn_bound(push_server *s, push_conn *c);
void push_route_conn_gone(push_server *s, push_conn *c);
/* The uids online on other nodes only (none when alone). */
void push_route_each_remote_uid(push_server *s, void (*fn)(const char *uid, size_t len, void *arg), void *arg);
/* Cluster mode: 1 while connected to Redis, 0 when not; -1 when alone. */
int push_route_cluster_up(push_server *s);
/*
 * Records of a front end that other nodes must see (Pusher presence members):
 * key is in set (or no longer is) on this node. Names never meet the groups':
 * a set's name is the front end's own. Nothing happens when alone.
 */
void push_route_set_member(push_server *s, const char *set, size_t slen, const char *key, size_t klen, int present);
/* The keys other nodes have in set. */
void push_route_remote_members(push_server *s, const char *set, size_t slen,
		void (*fn)(const char *key, size_t klen, void *arg), void *arg);

/* -- front ends -- */
/* ws.c: the libwebsockets protocols of the WebSocket port. */
extern struct lws_protocols push_ws_protocols[];
/* text.c: a Text connection on an accepted socket; the sweep's and stop's views of them. */
void push_text_open(push_server *s, int fd);
void push_text_sweep(push_server *s, uint32_t now);
void push_hs_accept(push_server *s, int fd);
/* The request head of wsi is complete (or it is gone): 1 if the client sent more bytes behind it, or if that is unknown. */
int push_hs_done(push_server *s, struct lws *wsi);
void push_hs_sweep(push_server *s, uint32_t now);
void push_hs_free_all(push_server *s);
/* handshake.c: trusted_proxies parsed (push_server_new); -1 with a message in err for a bad one. */
int push_addr_init(push_server *s, char *err, size_t errlen);
/* The client address of an upgrade (X-Forwarded-For's last untrusted hop behind a trusted proxy). */
int push_addr_key(push_server *s, struct lws *wsi, unsigned char key[16]);
/* Whether one more WebSocket connection from key is over max_connections_per_address. */
int push_addr_full(push_server *s, const unsigned char key[16]);
/* A WebSocket connection of key opened (c->rd.data set) / closed. */
void push_addr_conn_add(push_server *s, push_conn *c, const unsigned char key[16]);
void push_addr_conn_del(push_server *s, push_conn *c);
void push_text_close(push_server *s, push_tconn *t);
int push_text_flush(push_server *s, push_tconn *t);
/* text.c: the idle watcher that keeps the loop awake for a busy backend (busy_poll). */
void push_text_spin_cb(struct ev_loop *loop, ev_idle *w, int revents);
/* text_answer.c: the answers of a Text connection, in line order. */
void push_text_answer(push_tconn *t, const char *s, size_t len);
void push_text_answerf(push_tconn *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void push_text_pending_add(push_tconn *t, push_pending *p);
/* Moves the answers that are ready, from the head of the queue, to the output. */
void push_text_pending_flush(push_tconn *t);
/* The final words of a push that waited for confirmations. */
void push_text_pending_finish(push_pending *p);
/* The words of a push's answer: ok/queued/fail, or {"ok":..,"count":..} for the send command. */
/* The words of a push that Redis could not take for the other nodes. */
#define PUSH_TEXT_CLUSTER_ERROR "cluster unavailable: not delivered to other nodes"
size_t push_text_answer_words(const push_pending *p, char *buf, size_t cap);
/* A command's answer from a push_result: {"ok":true,"count":N}, or the cluster error with the count. */
void push_text_answer_result(push_tconn *t, const push_result *r);
/* text.c: pushes r's message to r's uids and answers (ok/queued/fail, or {"ok":..} when cmd). */
void push_text_push(push_server *s, push_tconn *t, push_req *r, int cmd);
/* text_cmd.c: runs the command of line r; answers unknown commands too. */
void push_text_command(push_server *s, push_tconn *t, push_req *r);
/* metrics.c: the answer to GET /metrics. */
struct http_answer;
void push_http_metrics(push_server *s, struct http_answer *a);
/* HTTP on the WebSocket port: API, /metrics, /healthz (http.c). */
int push_http_callback(push_server *s, struct lws *wsi, push_conn *c, enum lws_callback_reasons reason,
		void *in, size_t len);

#endif
