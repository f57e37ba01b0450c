/*
 * deliver.h - what deliver.c offers: delivery to this node's connections only.
 */
#ifndef PUSH_DELIVER_H
#define PUSH_DELIVER_H

#include "server_int.h"

/* A uid's connections here (history applies); *queued set when history kept it for the offline uid. */
size_t push_local_deliver_uid(push_server *s, const char *uid, size_t len, const char *msg, size_t mlen,
		int online_elsewhere, int *queued);
/* Queues one text frame to a connection unless excluded by the current send stamp. */
int push_local_deliver(push_server *s, push_conn *c, const char *msg, size_t mlen);
size_t push_local_send_uid(push_server *s, const char *uid, size_t len, const char *msg, size_t mlen);
size_t push_local_broadcast_all(push_server *s, const char *msg, size_t mlen);
size_t push_local_kick(push_server *s, const char *uid, size_t len, int code, const char *reason);

#endif
