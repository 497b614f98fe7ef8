/* Byte offset -> 1-based line and column (columns count bytes), the one
 * place that counts newlines for the scan's import positions, the public
 * lexer's result and the diagnostics. A cursor answers increasing offsets
 * in one pass; an offset before the last one restarts from the top (only
 * MDX's implicit import at offset 0 does that), so any order is correct. */
#ifndef DS_LINES_H
#define DS_LINES_H

#include "str.h"

struct ds_line_cursor {
    const char *text;
    size_t len, pos, line_start;
    unsigned line;
};

void ds_line_cursor_init(struct ds_line_cursor *c, const char *text, size_t len);
/* Inline: the scan asks it once per import of every file. */
static inline void ds_line_cursor_at(struct ds_line_cursor *c, size_t offset, unsigned *line,
                                     unsigned *col)
{
    if (offset > c->len)
        offset = c->len;
    if (offset < c->pos) {
        c->pos = 0;
        c->line_start = 0;
        c->line = 1;
    }
    // memchr from newline to newline: a byte loop here was 3 % of a scan's
    // instructions (callgrind, bench/realapp).
    while (c->pos < offset) {
        const char *nl = memchr(c->text + c->pos, '\n', offset - c->pos);
        if (!nl) {
            c->pos = offset;
            break;
        }
        c->line++;
        c->pos = (size_t)(nl - c->text) + 1;
        c->line_start = c->pos;
    }
    *line = c->line;
    *col = (unsigned)(offset - c->line_start) + 1;
}

/* One offset, from the top. */
void ds_line_col(const char *text, size_t len, size_t offset, unsigned *line, unsigned *col);

#endif
