/* Tests of the foundation: counting allocator, arena, table, interner,
 * diagnostics. */
#include <stdlib.h>

#include "harness.h"
#include "arena.h"
#include "diag.h"
#include "intern.h"
#include "lines.h"

TEST(alloc_counts_current_and_peak)
{
    struct ds_alloc a;
    ds_alloc_init(&a, NULL, 0);
    void *p = ds_alloc_malloc(&a, 100);
    void *q = ds_alloc_malloc(&a, 50);
    CHECK_EQ_INT(atomic_load(&a.current), 150);
    p = ds_alloc_realloc(&a, p, 300);
    CHECK_EQ_INT(atomic_load(&a.current), 350);
    ds_alloc_free(&a, p);
    ds_alloc_free(&a, q);
    CHECK_EQ_INT(atomic_load(&a.current), 0);
    CHECK_EQ_INT(atomic_load(&a.peak), 350);
}

TEST(alloc_limit_refuses_and_recovers)
{
    struct ds_alloc a;
    ds_alloc_init(&a, NULL, 1000);
    void *p = ds_alloc_malloc(&a, 800);
    CHECK(p != NULL);
    CHECK(ds_alloc_malloc(&a, 300) == NULL);
    CHECK(ds_alloc_realloc(&a, p, 2000) == NULL);
    CHECK_EQ_INT(atomic_load(&a.current), 800);
    ds_alloc_free(&a, p);
    p = ds_alloc_malloc(&a, 900);
    CHECK(p != NULL);
    ds_alloc_free(&a, p);
}

TEST(table_next_walks_every_id_of_a_hash)
{
    struct ds_alloc a;
    struct ds_table t;
    uint32_t pos = 0, seen = 0;

    ds_alloc_init(&a, NULL, 0);
    ds_table_init(&t, &a);
    CHECK_EQ_INT(ds_table_next(&t, 7, &pos), DS_NO_ID); // empty, no slots yet
    // Ids under colliding hashes (7 and 7 + 16 share a slot in 16), through growth.
    for (uint32_t i = 0; i < 100; i++)
        CHECK_EQ_INT(ds_table_insert(&t, i % 3 == 0 ? 7 : i % 3 == 1 ? 23 : i, i), DS_OK);
    pos = 0;
    for (uint32_t id = ds_table_next(&t, 7, &pos); id != DS_NO_ID;
         id = ds_table_next(&t, 7, &pos)) {
        CHECK_EQ_INT(id % 3, 0);
        seen++;
    }
    CHECK_EQ_INT(seen, 34); // 0, 3, … 99
    pos = 0;
    CHECK_EQ_INT(ds_table_next(&t, 12345, &pos), DS_NO_ID);
    ds_table_release(&t);
    CHECK_EQ_INT(atomic_load(&a.current), 0);
}

TEST(intern_survives_every_allocation_failure)
{
    struct harness_failing f = {0};
    struct dscan_allocator user = harness_failing_allocator(&f);

    for (f.fail_at = 1;; f.fail_at++) {
        struct ds_alloc a;
        struct ds_arena arena;
        struct ds_interner in;
        enum ds_status st = DS_OK;
        char buf[32];

        f.count = 0;
        ds_alloc_init(&a, &user, 0);
        ds_arena_init(&arena, &a, 256);
        ds_interner_init(&in, &arena);
        for (int i = 0; i < 200 && st == DS_OK; i++) {
            uint32_t id;
            int n = snprintf(buf, sizeof buf, "/path/%d", i % 150);
            st = ds_intern(&in, ds_str_make(buf, (size_t)n), &id);
            if (st == DS_OK)
                CHECK_EQ_INT(id, i % 150);
        }
        bool finished = f.count < f.fail_at;
        if (finished)
            CHECK_EQ_INT(st, DS_OK);
        else
            CHECK_EQ_INT(st, DS_ENOMEM);
        ds_interner_release(&in);
        ds_arena_release(&arena);
        CHECK_EQ_INT(atomic_load(&a.current), 0);
        if (finished)
            break;
    }
}

TEST(intern_gives_one_id_per_string)
{
    struct ds_alloc a;
    struct ds_arena arena;
    struct ds_interner in;
    uint32_t x, y, z;

    ds_alloc_init(&a, NULL, 0);
    ds_arena_init(&arena, &a, 0);
    ds_interner_init(&in, &arena);
    CHECK_EQ_INT(ds_intern(&in, DS_STR("/a/b"), &x), DS_OK);
    CHECK_EQ_INT(ds_intern(&in, DS_STR("/a/c"), &y), DS_OK);
    CHECK_EQ_INT(ds_intern(&in, DS_STR("/a/b"), &z), DS_OK);
    CHECK(x != y);
    CHECK_EQ_INT(x, z);
    CHECK_EQ_INT(ds_intern_find(&in, DS_STR("/a/c")), y);
    CHECK_EQ_INT(ds_intern_find(&in, DS_STR("/nope")), DS_NO_ID);
    CHECK(ds_str_eq(ds_intern_str(&in, y), DS_STR("/a/c")));
    CHECK_EQ_INT(ds_intern_str(&in, y).ptr[4], '\0');
    // Many entries force several table grows.
    for (int i = 0; i < 10000; i++) {
        char buf[32];
        uint32_t id;
        int n = snprintf(buf, sizeof buf, "k%d", i);
        CHECK_EQ_INT(ds_intern(&in, ds_str_make(buf, (size_t)n), &id), DS_OK);
    }
    CHECK_EQ_INT(ds_intern_find(&in, DS_STR("k9999")), 10001);
    ds_interner_release(&in);
    ds_arena_release(&arena);
    CHECK_EQ_INT(atomic_load(&a.current), 0);
}

/* str.h's word-at-a-time copy and comparisons agree with libc's at every
 * length and alignment, with bytes above 0x7f (memcmp compares unsigned). */
TEST(str_words_agree_with_libc)
{
    unsigned char a[96], b[96], d[96], want[96];
    uint32_t seed = 12345;

    for (int round = 0; round < 2000; round++) {
        for (size_t i = 0; i < sizeof a; i++) {
            seed = seed * 1103515245u + 12345u;
            a[i] = b[i] = (unsigned char)(seed >> 16);
        }
        size_t off = (size_t)round % 8, n = (size_t)(round / 8) % 80;
        if (n && round % 3) {
            // One differing byte, anywhere in the run.
            size_t at = off + (seed >> 8) % n;
            b[at] = (unsigned char)(b[at] ^ (1u << (seed % 8)));
        }
        int c = memcmp(a + off, b + off, n), mine = ds_mem_cmp(a + off, b + off, n);
        CHECK((c < 0) == (mine < 0) && (c > 0) == (mine > 0));
        CHECK(ds_mem_eq(a + off, b + off, n) == (c == 0));
        memset(d, 0xAA, sizeof d);
        memset(want, 0xAA, sizeof want);
        ds_copy(d + off, a + off, n);
        memcpy(want + off, a + off, n);
        CHECK(memcmp(d, want, sizeof d) == 0);
    }
    CHECK(ds_str_cmp(DS_STR("ab"), DS_STR("abc")) < 0);
    CHECK(ds_str_cmp(DS_STR("ab\xff"), DS_STR("abc")) > 0);
    CHECK(ds_str_cmp(DS_STR(""), DS_STR("")) == 0);
}

TEST(arena_reset_keeps_first_block_and_one_spare)
{
    struct ds_alloc a;
    struct ds_arena arena;

    ds_alloc_init(&a, NULL, 0);
    ds_arena_init(&arena, &a, 1024);
    char *p = ds_arena_alloc(&arena, 100);
    CHECK(p != NULL && ((uintptr_t)p & 15) == 0);
    CHECK(ds_arena_alloc(&arena, 1 << 20) != NULL); // one-off big block
    CHECK(ds_arena_alloc(&arena, 2000) != NULL);
    size_t before = atomic_load(&a.current);
    ds_arena_reset(&arena);
    // The first block and the largest other one (the 1 MB one) stay.
    size_t kept = atomic_load(&a.current);
    CHECK(kept < before);
    CHECK(kept < 2048 + (1 << 20) + 256);
    // The next big request takes the spare: nothing new is allocated.
    CHECK(ds_arena_alloc(&arena, 900 * 1024) != NULL);
    CHECK_EQ_INT(atomic_load(&a.current), kept);
    // A block over the cap is not kept.
    CHECK(ds_arena_alloc(&arena, 3 << 20) != NULL);
    ds_arena_reset(&arena);
    CHECK(atomic_load(&a.current) <= kept);
    CHECK(ds_arena_printf(&arena, "%s-%d", "x", 7) != NULL);
    ds_arena_release(&arena);
    CHECK_EQ_INT(atomic_load(&a.current), 0);
}

TEST(diag_formats_and_locates)
{
    struct ds_alloc a;
    struct ds_diags d;
    unsigned line, col;

    ds_alloc_init(&a, NULL, 0);
    CHECK_EQ_INT(ds_diags_init(&d, &a), DS_OK);
    CHECK_EQ_INT(ds_diag_add(&d, DSCAN_WARNING, "parse", DS_STR("/x/package.json"), 3, 7,
                             "cannot parse '%s': %s", "/x/package.json", "expected ','"),
                 DS_OK);
    CHECK_EQ_INT(d.n, 1);
    CHECK_EQ_STR(d.items[0].message, "cannot parse '/x/package.json': expected ','");
    CHECK_EQ_STR(d.items[0].path, "/x/package.json");
    ds_line_col("ab\ncd\nef", 8, 4, &line, &col);
    CHECK_EQ_INT(line, 2);
    CHECK_EQ_INT(col, 2);
    ds_diags_release(&d);
    CHECK_EQ_INT(atomic_load(&a.current), 0);
    CHECK_EQ_STR(dscan_status_name(DSCAN_ENOMEM), "ENOMEM");
}
