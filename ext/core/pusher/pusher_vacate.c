/*
 * pusher_vacate.c - front end: channel_vacated debounced as Pusher does.
 */
#include <ev.h>

#include "pusher.h"
#include "pusher_chan.h"
#include "pusher_nodes.h"
#include "pusher_hook.h"
#include "pusher_vacate.h"

/*
 * channel_occupied and channel_vacated are debounced as Pusher does: a channel
 * left empty is vacated only once it stayed so for PUSHER_VACATE_DELAY_MS, and
 * a subscriber coming back before sends neither event. The record stays until
 * then (counted in the app's and the address's share), so a subscribe and
 * unsubscribe loop costs one channel_occupied, and one channel_vacated after it.
 */
void push_pusher_vacate_cancel(push_pusher *ps, push_pusher_chan *ch)
{
	push_pusher_chan_x *x = ch->x;

	if (x->v_prev) {
		x->v_prev->x->v_next = x->v_next;
	} else {
		ps->vac_head = x->v_next;
	}
	if (x->v_next) {
		x->v_next->x->v_prev = x->v_prev;
	} else {
		ps->vac_tail = x->v_prev;
	}
	x->v_prev = x->v_next = NULL;
	ch->flags &= (uint8_t)~PCHAN_VACATING;
}

static void vacate_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	push_server *s = w->data;
	push_pusher *ps = s->pusher;
	uint32_t now = now32(s);
	const push_pusher_app *app;
	push_pusher_chan *ch;
	const char *name;
	size_t nlen;

	(void)revents;
	while ((ch = ps->vac_head) != NULL && (int32_t)(now - ch->x->vacate_ms) >= 0) {
		push_pusher_vacate_cancel(ps, ch);
		ch->flags &= (uint8_t)~PCHAN_OCCUPIED;
		app = &s->cfg.pusher_apps[ch->app];
		name = push_pchan_name(ch, &nlen);
		if (!s->hooks_off) {
			push_pusher_hook_event(s, app, "channel_vacated", name, nlen, "", 0);
		}
		push_pusher_chan_release(s, ch);
	}
	if (ps->vac_head) {
		ev_timer_set(w, (double)(int32_t)(ps->vac_head->x->vacate_ms - now) / 1000.0 + 0.001, 0.);
		ev_timer_start(loop, w);
	}
}

/* Puts ch on the vacate list; 0 when it cannot wait (then channel_vacated goes now). */
int push_pusher_vacate_later(push_server *s, push_pusher_chan *ch)
{
	push_pusher *ps = s->pusher;

	if (!s->loop || !push_pchan_x(ch)) {
		return 0;
	}
	ch->x->vacate_ms = now32(s) + PUSHER_VACATE_DELAY_MS;
	ch->x->v_next = NULL;
	ch->x->v_prev = ps->vac_tail;
	if (ps->vac_tail) {
		ps->vac_tail->x->v_next = ch;
	} else {
		ps->vac_head = ch;
	}
	ps->vac_tail = ch;
	ch->flags |= PCHAN_VACATING;
	if (!ev_is_active(&ps->vac_timer)) {
		ev_set_cb(&ps->vac_timer, vacate_cb);
		ev_timer_set(&ps->vac_timer, PUSHER_VACATE_DELAY_MS / 1000.0 + 0.001, 0.);
		ev_timer_start(s->loop, &ps->vac_timer);
	}
	return 1;
}
