/*
 * pusher_sign.h - util: the signatures of the Pusher protocol (docs/PUSHER.md).
 * Knows nothing of sockets: strings in, verdicts out.
 */
#ifndef PUSH_PUSHER_SIGN_H
#define PUSH_PUSHER_SIGN_H

#include <stddef.h>
#include <stdint.h>

#endif
