/*
 * cmd_question.h: formatting helpers shared by the `question` and `queue`
 * nouns (cmd_question.c, cmd_queue.c).
 */
#ifndef CMD_QUESTION_H
#define CMD_QUESTION_H

#include <stddef.h>
#include <stdint.h>

/* A duration in seconds as "3d4h", "5h20m", "12m", "40s" ("-" if < 0). */
void	question_fmt_dur(int64_t s, char *buf, size_t len);
/* Unix time as "2026-11-24 13:40Z" ("-" for 0). */
void	question_fmt_time(int64_t t, char *buf, size_t len);

#endif
