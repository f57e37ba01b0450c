/*
 * list.h - the one intrusive doubly linked list of the core.
 *
 * An element carries a prev and a next pointer (named by the caller, so one
 * element can sit on several lists); the list is a head pointer, and an
 * optional tail pointer. NULL ends the list both ways.
 *
 *   PUSH_LIST_PUSH(head, e, prev, next)        insert e first
 *   PUSH_LIST_UNLINK(head, e, prev, next)      take e out (e must be on the list)
 *   PUSH_LIST_APPEND(head, tail, e, prev, next)  insert e last, on a list with a tail
 *   PUSH_LIST_UNLINK2(head, tail, e, prev, next) take e out of a list with a tail
 *
 * After an unlink e's prev and next are NULL. head may be a void pointer (a
 * registry entry's head); e, prev and next are typed.
 */
#ifndef PUSH_LIST_H
#define PUSH_LIST_H

#include <stddef.h>

#define PUSH_LIST_PUSH(head, e, prev, next) do { \
	(e)->prev = NULL; \
	(e)->next = (head); \
	if ((e)->next) { \
		(e)->next->prev = (e); \
	} \
	(head) = (e); \
} while (0)

#define PUSH_LIST_UNLINK(head, e, prev, next) do { \
	if ((e)->prev) { \
		(e)->prev->next = (e)->next; \
	} else if ((head) == (e)) { \
		(head) = (e)->next; \
	} \
	if ((e)->next) { \
		(e)->next->prev = (e)->prev; \
	} \
	(e)->prev = (e)->next = NULL; \
} while (0)

#define PUSH_LIST_APPEND(head, tail, e, prev, next) do { \
	(e)->next = NULL; \
	(e)->prev = (tail); \
	if (tail) { \
		(tail)->next = (e); \
	} else { \
		(head) = (e); \
	} \
	(tail) = (e); \
} while (0)

#define PUSH_LIST_UNLINK2(head, tail, e, prev, next) do { \
	if ((e)->prev) { \
		(e)->prev->next = (e)->next; \
	} else { \
		(head) = (e)->next; \
	} \
	if ((e)->next) { \
		(e)->next->prev = (e)->prev; \
	} else { \
		(tail) = (e)->prev; \
	} \
	(e)->prev = (e)->next = NULL; \
} while (0)

#endif
