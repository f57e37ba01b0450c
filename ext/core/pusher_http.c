/* pusher_http.c - see pusher.h */
#include "pusher.h"
