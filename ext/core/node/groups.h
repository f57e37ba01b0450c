/*
 * groups.h - what groups.c offers: this node's groups.
 */
#ifndef PUSH_GROUPS_H
#define PUSH_GROUPS_H

#include "server_int.h"

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
/* A bound connection joins (joining 1) or leaves (0) a group itself. */
int push_local_join_conn(push_server *s, const char *g, size_t glen, push_conn *c, int joining);
/* Local walks; they leave this walk's stamp on what they listed (route.c adds the remote ones). */
size_t push_local_group_uids(push_server *s, const char *g, size_t glen,
		void (*fn)(const char *uid, size_t len, void *arg), void *arg);
size_t push_local_uid_groups(push_server *s, const char *uid, size_t ulen,
		void (*fn)(const char *g, size_t len, void *arg), void *arg);

#endif
