/* pusher_sign.c - see pusher_sign.h */
#include "pusher_sign.h"
