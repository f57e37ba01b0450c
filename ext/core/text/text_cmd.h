/*
 * text_cmd.h - what text_cmd.c offers: the Text port's commands.
 */
#ifndef PUSH_TEXT_CMD_H
#define PUSH_TEXT_CMD_H

#include "server_int.h"
#include "textproto.h"

/* text_cmd.c: runs the command of line r; answers unknown commands too. */
void push_text_command(push_server *s, push_tconn *t, push_req *r);

#endif
