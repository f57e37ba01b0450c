/* pusher_hook.c - see pusher.h */
#include "pusher.h"
