/* Line and column of byte offsets (lines.h). */
#include "lines.h"

void ds_line_cursor_init(struct ds_line_cursor *c, const char *text, size_t len)
{
    *c = (struct ds_line_cursor){.text = text, .len = len, .line = 1};
}

void ds_line_col(const char *text, size_t len, size_t offset, unsigned *line, unsigned *col)
{
    struct ds_line_cursor c;

    ds_line_cursor_init(&c, text, len);
    ds_line_cursor_at(&c, offset, line, col);
}
