/*
 * server.h - the push server core: WebSocket and Text listeners on one
 * libwebsockets context driven by a libev loop, the uid registry and the
 * push path. Knows nothing about PHP; the binding plugs in through hooks.
 */
#ifndef PUSH_SERVER_H
#define PUSH_SERVER_H

#include <stddef.h>
#include <stdint.h>

typedef struct push_server push_server;
typedef struct push_conn push_conn;

/* Close codes sent to browsers; documented in README.md. */
#define PUSH_CLOSE_NORMAL        1000  /* closed by the application */
#define PUSH_CLOSE_GOING_AWAY    1001  /* server stopping */
#define PUSH_CLOSE_POLICY        1008  /* a message not finished in time, or unfinished input over a bound */
#define PUSH_CLOSE_TOO_BIG       1009  /* a client message over max_message_in */
#define PUSH_CLOSE_BAD_TOKEN     4001  /* token malformed or signature wrong */
#define PUSH_CLOSE_EXPIRED       4002  /* token expired */
#define PUSH_CLOSE_REFUSED       4003  /* refused by the auth callback */
#define PUSH_CLOSE_AUTH_TIMEOUT  4004  /* no valid first message in time */
#define PUSH_CLOSE_BAD_UID       4005  /* uid empty or longer than max_uid_length */
#define PUSH_CLOSE_SLOW          4008  /* send queue full: the client does not read */
#define PUSH_CLOSE_KICKED        4009  /* kicked by the application */
#define PUSH_CLOSE_HEARTBEAT     4010  /* no answer to pings */

/* One app of the Pusher protocol (docs/PUSHER.md). */
typedef struct push_pusher_app {
	char *id;                  /* app id: /apps/{id}/... of the HTTP API */
	char *key;                 /* app key: /app/{key} on the WebSocket port, auth_key of the API */
	char *secret;              /* signs channel auth, signin, API requests and webhooks */
	int client_events;         /* client- events allowed on private and presence channels */
	char *webhook_url;         /* http://host:port/path webhooks are POSTed to, NULL = none */
	uint32_t max_channels;     /* its channel records on this node, 0 = an even share of the node's bound */
} push_pusher_app;

/* Everything configurable; the binding fills it, the core copies it. */
typedef struct push_config {
	char *ws_host;             /* WebSocket bind address; NULL = all IPv4 */
	int ws_port;               /* 0 = pick a free port */
	int ws_ipv6;               /* ws_host is an IPv6 address */
	char *text_host;           /* Text bind address */
	int text_port;             /* 0 = pick; -1 = no Text listener */
	int text_ipv6;             /* text_host is an IPv6 address */
	char *tls_cert;            /* PEM certificate for wss://, NULL = plain ws:// */
	char *tls_key;             /* PEM private key for wss:// */
	unsigned char *secret;     /* token HMAC key, NULL = no tokens */
	size_t secret_len;         /* its length */
	int plain_uid;             /* recipe mode: the first message is the uid */
	unsigned char *text_secret;/* secret the Text port requires first, NULL = none */
	size_t text_secret_len;    /* its length */
	char **origins;            /* allowed Origin values, NULL = any */
	size_t norigins;           /* how many */
	uint32_t auth_timeout_ms;  /* unauthenticated connections are closed after this */
	uint32_t ping_interval_ms; /* idle time before a ping; 0 = no heartbeat */
	uint32_t ping_timeout_ms;  /* time to answer a ping before the close */
	uint32_t max_conns;        /* WebSocket connections at once */
	uint32_t max_msg_in;       /* largest client message, bytes */
	uint32_t max_msg_out;      /* largest pushed message, bytes */
	uint32_t max_uid_len;      /* longest uid, bytes */
	uint32_t text_max_line;    /* longest Text line, bytes */
	uint32_t text_auth_timeout_ms; /* Text connections not authenticated by then are closed (with a text_secret) */
	uint32_t text_idle_timeout_ms; /* Text connections silent this long are closed; 0 = never */
	uint32_t max_text_conns;   /* Text connections at once */
	uint32_t handshake_timeout_ms; /* a WebSocket-port connection must have sent its request head by then */
	uint32_t max_hs_per_addr;  /* such connections still without their head, per remote address; 0 = no cap */
	uint32_t max_conns_per_addr;   /* WebSocket connections of one client address at once; 0 = no cap */
	char **trusted_proxies;    /* addresses or CIDRs whose X-Forwarded-For is believed, NULL = none */
	size_t ntrusted_proxies;   /* how many */
	uint32_t message_timeout_ms;   /* a client message begun must be complete by then; 0 = no deadline */
	uint32_t max_input_per_addr;   /* bytes of unfinished client messages held for one client address */
	uint32_t max_input_total;      /* bytes of unfinished client messages held in all */
	int invalid_utf8_binary;   /* pushed messages that are not UTF-8 go out as binary frames (else they are refused) */
	uint32_t send_queue_max;   /* per-connection bytes queued before it is dropped as slow */
	uint32_t drain_timeout_ms; /* graceful stop: longest wait for queues to drain */
	uint32_t busy_poll_us;     /* stay awake this long after a read of a backend sending line after line; 0 = never */
	unsigned char *api_secret; /* Bearer secret of the HTTP API; NULL = the token secret; neither = API off */
	size_t api_secret_len;     /* its length */
	int metrics_public;        /* GET /metrics without the Bearer secret */
	uint32_t history_size;     /* messages kept per uid for replay; 0 = no history */
	uint32_t history_ttl_ms;   /* how long a kept message may be replayed */
	uint64_t history_bytes;    /* bound on all kept messages together */
	char *redis;               /* cluster mode: redis://[:password@]host:port[/db], NULL = alone */
	char *redis_prefix;        /* prefix of the cluster's Redis keys and channel */
	char *node_id;             /* this node's name in the cluster, NULL = host-pid-random */
	push_pusher_app *pusher_apps;  /* Pusher protocol apps, NULL = Pusher protocol off */
	size_t pusher_napps;       /* how many */
	uint32_t pusher_activity_timeout;  /* seconds told to clients in connection_established (120) */
	uint32_t pusher_max_channel_len;   /* longest channel name (164) */
	uint32_t pusher_max_event_len;     /* longest event name (200) */
	uint32_t pusher_max_payload;       /* largest event data, bytes (10240) */
	uint32_t pusher_max_channels;      /* channels one connection may subscribe to (100) */
	uint32_t pusher_max_channels_per_addr; /* channels of an app brought into being by one address (20000), 0 = off */
	uint32_t pusher_max_members;       /* members of one presence channel (100) */
	uint32_t pusher_max_member_info;   /* bytes of one member's user_info (1024) */
	uint32_t pusher_client_event_rate; /* client events per second and connection (10) */
	uint32_t pusher_max_batch;         /* events in one batch_events request (10) */
	uint32_t pusher_max_trigger_channels; /* channels of one triggered event (100) */
} push_config;

void push_config_defaults(push_config *c);
void push_config_free(push_config *c);

/* What the handshake said, for the auth hook. Strings are NUL-terminated, maybe empty. */
typedef struct push_handshake {
	char *path;                /* request path without query */
	char *query;               /* raw query string */
	char *cookie;              /* Cookie header */
	char *origin;              /* Origin header */
	char *user_agent;          /* User-Agent header */
	char *authorization;       /* Authorization header */
	char *forwarded_for;       /* X-Forwarded-For header */
	char *protocol;            /* Sec-WebSocket-Protocol header */
	char *host;                /* Host header */
} push_handshake;

/* Calls from the core into its host (the PHP binding). Any may be NULL. */
typedef struct push_hooks {
	void *ud;                  /* passed back to every hook */
	void (*on_start)(void *ud);
	void (*on_connect)(void *ud, push_conn *c);
	void (*on_message)(void *ud, push_conn *c, const char *data, size_t len, int binary);
	void (*on_close)(void *ud, push_conn *c, int code);
	/* First message of an unauthenticated connection: return 1 and set uid to accept, 0 to refuse. */
	int (*on_auth)(void *ud, push_conn *c, const push_handshake *hs, const char *msg, size_t len,
			char *uid, size_t uid_cap, size_t *uid_len);
	void (*on_timer)(void *ud, uint32_t timer_id, void *timer_ud);
	void (*on_timer_free)(void *ud, void *timer_ud);
	/* On the loop, after push_server_notify(s, what): what is the OR of the bits asked for since. */
	void (*on_notify)(void *ud, unsigned what);
} push_hooks;

/* Counters for status and metrics. */
typedef struct push_stats {
	int64_t started_ms;        /* wall clock at start */
	uint64_t ws_conns;         /* open WebSocket connections (bound or not) */
	uint64_t text_conns;       /* open Text connections */
	uint64_t text_conns_total; /* Text connections accepted since start */
	uint64_t bound_conns;      /* connections with a uid */
	uint64_t uids;             /* distinct uids online */
	uint64_t conns_total;      /* WebSocket connections accepted since start */
	uint64_t pushes;           /* push requests handled (Text, API) */
	uint64_t delivered;        /* frames queued to connections */
	uint64_t bytes_out;        /* payload bytes queued to connections */
	uint64_t msgs_in;          /* client messages received */
	uint64_t text_lines;       /* Text lines handled */
	uint64_t refused_max_conns;    /* handshakes refused at max_connections */
	uint64_t refused_origin;       /* handshakes refused for their Origin */
	uint64_t refused_auth;         /* bad token, refused by callback, bad uid */
	uint64_t refused_auth_timeout; /* closed without auth in time */
	uint64_t refused_too_big;      /* client messages over the limit */
	uint64_t refused_msg_out;      /* pushes over max_message_out */
	uint64_t refused_line;         /* Text lines over the limit */
	uint64_t refused_text_auth;    /* Text connections with a wrong secret, or a first line too long for one */
	uint64_t refused_text_auth_timeout; /* Text connections without the secret in time */
	uint64_t refused_text_conns;   /* Text connections refused at max_text_connections */
	uint64_t refused_hs_timeout;   /* WebSocket-port connections cut without a request head in time */
	uint64_t refused_hs_per_addr;  /* WebSocket-port connections refused over max_handshakes_per_address */
	uint64_t refused_hs_evicted;   /* connections without their request head cut to make room in the header pool */
	uint64_t refused_conns_per_addr;   /* WebSocket connections refused over max_connections_per_address */
	uint64_t refused_msg_timeout;  /* connections closed for a message not complete within message_timeout */
	uint64_t refused_input_addr;   /* connections closed over max_input_per_address */
	uint64_t refused_input_total;  /* connections closed over max_input_total */
	uint64_t input_bytes;          /* bytes of unfinished client messages held now */
	uint64_t text_errors;          /* malformed Text lines */
	uint64_t slow_disconnects;     /* slow consumers dropped */
	uint64_t heartbeat_timeouts;   /* connections dropped for not answering pings */
	uint64_t queued_bytes;         /* bytes waiting in send queues now */
	uint64_t replayed;             /* history messages replayed on (re)connect */
	uint64_t replay_gaps;          /* resumes told "!gap" */
	uint64_t pusher_conns;         /* open Pusher-protocol connections */
	uint64_t pusher_channels;      /* Pusher channels with a subscriber here */
	uint64_t pusher_client_events; /* client events relayed */
	uint64_t pusher_auth_failures; /* subscriptions and signins refused for their signature */
	uint64_t webhooks_sent;        /* Pusher webhook POSTs answered 2xx */
	uint64_t webhooks_failed;      /* Pusher webhook POSTs given up after their last attempt */
	uint64_t webhooks_dropped;     /* Pusher webhook events dropped unsent: an app's queue was full */
	uint64_t webhooks_dropped_channel; /* ... of them channel_occupied/vacated and cache_miss */
	uint64_t webhooks_debounced;   /* channel_vacated + channel_occupied not sent: the channel came back in time */
	uint64_t webhooks_rate_limited;    /* cache_miss webhooks not sent: one went for the channel shortly before */
	uint64_t pusher_refused_conn;  /* subscriptions refused over max_channels_per_connection */
	uint64_t pusher_refused_addr;  /* ... a new channel over max_channels_per_address */
	uint64_t pusher_refused_app;   /* ... a new channel over its app's max_channels */
	uint64_t pusher_refused_node;  /* ... a new channel over the node's bound (PUSHER_CHANNELS_MAX) */
} push_stats;

/*
 * Creates the server and opens its listeners (ports are known afterwards).
 * Returns NULL with a message in err on failure.
 */
push_server *push_server_new(const push_config *cfg, const push_hooks *hooks, char *err, size_t errlen);
/*
 * Runs the loop until push_server_stop(); calls on_start first. The core
 * installs no signal handler: a host that wants signals catches them and
 * calls push_server_notify() (ext/php/cli.c does, for the CLI).
 */
int push_server_run(push_server *s);
/* Asks the loop to end: graceful drains queues and closes with 1001, otherwise at once. */
void push_server_stop(push_server *s, int graceful);
/*
 * Async-signal-safe and callable from any thread while the server exists:
 * has the loop call hooks->on_notify(ud, what) soon (bits asked for before it
 * runs are OR'd together). The host gives the bits their meaning.
 */
void push_server_notify(push_server *s, unsigned what);
/* Closes everything and frees the server. */
void push_server_free(push_server *s);

int push_server_ws_port(const push_server *s);
int push_server_text_port(const push_server *s);
int push_server_running(const push_server *s);
const push_stats *push_stats_get(push_server *s);
/* Writes the stats as one JSON object (no newline); returns bytes written (truncated at cap). */
size_t push_stats_json(push_server *s, char *buf, size_t cap);

/* Exclusions: uids and connection ids that must not receive it. */
typedef struct push_exclude {
	const char *const *uids;   /* uid bytes */
	const size_t *uid_lens;    /* their lengths */
	size_t nuids;              /* how many */
	const uint64_t *conn_ids;  /* connection ids */
	size_t nconns;             /* how many */
} push_exclude;

/* Sends, counts, kicks and groups of uids: the routing layer's API, route.h. */

/* Repeating (or one-shot) timer calling hooks->on_timer; returns an id > 0, 0 on failure. */
uint32_t push_server_add_timer(push_server *s, double interval, int repeat, void *timer_ud);
int push_server_clear_timer(push_server *s, uint32_t id);

/* Connections. A push_conn pointer is valid only inside the hook that got it; keep the id. */
push_conn *push_conn_find(push_server *s, uint64_t id);
uint64_t push_conn_id(const push_conn *c);
/* Bound and not closing. */
int push_conn_open(const push_conn *c);
const char *push_conn_uid(const push_conn *c, size_t *len);
/* The peer's address as "ip:port" ("[ip]:port" for IPv6) in buf, "" if unknown; returns buf. */
#define PUSH_REMOTE_MAX 56         /* room for any address, its port and the NUL */
const char *push_conn_remote(push_conn *c, char *buf, size_t cap);
int push_conn_send(push_conn *c, const char *msg, size_t len);
void push_conn_close(push_conn *c, int code, const char *reason);

/* Log line to the server's log: stderr (the host may have redirected it to a file). */
void push_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
