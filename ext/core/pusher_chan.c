/* pusher_chan.c - see pusher.h */
#include "pusher.h"
