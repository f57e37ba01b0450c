/* pusher.c - see pusher.h */
#include "pusher.h"
