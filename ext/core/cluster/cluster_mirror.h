/*
 * cluster_mirror.h - what cluster_mirror.c offers: what the other nodes hold
 * (presence and group members), queried by the routing layer and kept by
 * cluster.c as the other nodes' events come in.
 */
#ifndef PUSH_CLUSTER_MIRROR_H
#define PUSH_CLUSTER_MIRROR_H

#include <stddef.h>
#include <stdint.h>

#include "cluster.h"
#include "registry.h"

/* Connections of uid on the other nodes. */
uint32_t push_cluster_uid_count(push_cluster *c, const char *uid, size_t len);
/* Connections and distinct uids on other nodes (uids also online here not counted). */
uint64_t push_cluster_remote_conns(push_cluster *c);
uint64_t push_cluster_remote_only_uids(push_cluster *c);
/* The local uid went online (1) or offline (0): keeps the distinct-uid count right. */
void push_cluster_local_uid(push_cluster *c, const char *uid, size_t len, int online);
/* Walks the uids online elsewhere but not here. */
void push_cluster_each_remote_uid(push_cluster *c, void (*fn)(const char *uid, size_t len, void *arg), void *arg);
/* Groups: the other nodes' connections in g, uid's in g, the uids in g, the groups of uid. */
uint64_t push_cluster_group_conns(push_cluster *c, const char *g, size_t glen);
uint64_t push_cluster_group_uid_conns(push_cluster *c, const char *g, size_t glen, const char *uid, size_t ulen);
void push_cluster_group_each_uid(push_cluster *c, const char *g, size_t glen,
		void (*fn)(const char *uid, size_t len, void *arg), void *arg);
void push_cluster_uid_groups(push_cluster *c, const char *uid, size_t ulen,
		void (*fn)(const char *g, size_t len, void *arg), void *arg);

/* For cluster.c: the mirror as Redis events change it. */
int push_cm_node_index(push_cluster *c, const char *id, int create);
int push_cm_local_online(push_cluster *c, const char *uid, size_t len);
int push_cm_pres_set(push_cluster *c, push_registry *reg, uint64_t *conns, int node, const char *uid, size_t len,
		uint32_t count);
void push_cm_mirror_set(push_cluster *c, int node, const char *uid, size_t len, uint32_t count);
void push_cm_gmirror_set(push_cluster *c, int node, const char *g, size_t glen, const char *uid, size_t ulen,
		uint32_t count);
void push_cm_node_forget(push_cluster *c, int node);
int push_cm_pres_has_node(push_entry *e, int node);
int push_cm_free_pres(push_entry *e, void *arg);
int push_cm_free_group(push_entry *e, void *arg);

#endif
