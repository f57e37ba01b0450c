/*
 * pusher_vacate.h - what pusher_vacate.c offers: channel_vacated debounced as Pusher does.
 */
#ifndef PUSH_PUSHER_VACATE_H
#define PUSH_PUSHER_VACATE_H

#include "pusher.h"

#define PUSHER_VACATE_DELAY_MS 3000    /* a channel left empty this long is vacated (Pusher waits a few seconds) */

/* Puts ch on the vacate list; 0 when it cannot wait (then channel_vacated goes now). */
int push_pusher_vacate_later(push_server *s, push_pusher_chan *ch);
/* ch is off the vacate list (a subscriber came back, or its channel_vacated is going now). */
void push_pusher_vacate_cancel(push_pusher *ps, push_pusher_chan *ch);

#endif
