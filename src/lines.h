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
void ds_line_cursor_at(struct ds_line_cursor *c, size_t offset, unsigned *line, unsigned *col);

/* One offset, from the top. */
void ds_line_col(const char *text, size_t len, size_t offset, unsigned *line, unsigned *col);

#endif
