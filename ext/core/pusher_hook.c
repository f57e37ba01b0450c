/* pusher_hook.c - see pusher.h */
#include "pusher.h"

int push_pusher_hooks_init(push_server *s, char *err, size_t errlen)
{
	(void)s;
	(void)err;
	(void)errlen;
	return 0;
}

void push_pusher_hooks_free(push_server *s)
{
	(void)s;
}

void push_pusher_webhook(push_server *s, const push_pusher_app *app, const char *event_json, size_t len)
{
	(void)s;
	(void)app;
	(void)event_json;
	(void)len;
}
