/* `dscan gen --big-files N:MB`: stress-big, a barrel of N chunk files of MB
 * MiB each (odd chunks say "use client"), written streaming so a large
 * project never sits in memory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen_project.h"

#define BIG_BLOCK 65536

/* One block of valid text to repeat inside an array literal: numbers,
 * strings and comments that mention imports which must not be followed. */
static char *big_block(struct gen *g)
{
    char *blk = malloc(BIG_BLOCK);
    if (!blk)
        return NULL;
    size_t len = 0;
    unsigned long line = 0;
    char tmp[256];
    for (;;) {
        int n;
        switch (line++ % 4) {
        case 0:
            n = snprintf(tmp, sizeof tmp,
                         "  // import x from \"not-a-module-%lu\"; require(\"nope\")\n", line);
            break;
        case 1:
            n = snprintf(tmp, sizeof tmp, "  \"import('not-followed')\", 'use client', `${%lu}`,\n",
                         gen_rnd_below(&g->rng, 1000000));
            break;
        default: {
            // Drawn before the call: C leaves the order of arguments open,
            // and gcc and clang took them in opposite orders (the same seed
            // gave two projects). This is gcc's order, so its output stands.
            unsigned long v[9];
            for (int k = 8; k >= 0; k--)
                v[k] = gen_rnd_below(&g->rng, 1000000);
            n = snprintf(tmp, sizeof tmp, "  %lu, %lu, %lu, %lu, %lu, %lu, %lu, %lu, %lu / 2,\n",
                         v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]);
            break;
        }
        }
        if (len + (size_t)n + 8 > BIG_BLOCK)
            break;
        memcpy(blk + len, tmp, (size_t)n);
        len += (size_t)n;
    }
    // Pad to exactly one block with a comment line.
    blk[len++] = '/';
    blk[len++] = '/';
    while (len < BIG_BLOCK - 1)
        blk[len++] = '-';
    blk[len] = '\n';
    return blk;
}

int gen_write_big(struct gen *g)
{
    struct gbuf *b = &g->o->buf;
    const struct gen_pkg *p = &gen_pkgs[P_BIG];
    unsigned long n = g->opt->big_n;

    gb_printf(b,
              "{\n"
              "  \"name\": \"%s\",\n"
              "  \"version\": \"%s\",\n"
              "  \"description\": \"%lu chunk files of %lu MiB, written by dscan gen\",\n"
              "  \"type\": \"module\",\n"
              "  \"exports\": { \".\": \"./dist/index.js\" }\n"
              "}\n",
              p->name, p->version, n, g->opt->big_mb);
    if (gen_pkg_file(g, P_BIG, "package.json"))
        return -1;
    gb_put(b, "export const bigShared = \"shared by every chunk\";\n");
    if (gen_pkg_file(g, P_BIG, "dist/shared.js"))
        return -1;
    for (unsigned long i = 0; i < n; i++)
        gb_printf(b, "export { chunk%lu } from \"./chunk-%04lu.js\";\n", i, i);
    if (gen_pkg_file(g, P_BIG, "dist/index.js"))
        return -1;

    char *blk = big_block(g);
    if (!blk) {
        snprintf(g->o->err, sizeof g->o->err, "out of memory");
        return -1;
    }
    uint64_t target = (uint64_t)g->opt->big_mb << 20;
    char head[512], tail[256], rel[96], path[GEN_PATH_MAX];
    int rc = 0;
    for (unsigned long i = 0; i < n && rc == 0; i++) {
        int hl = snprintf(
            head, sizeof head,
            "%s// stress-big chunk %lu: %lu MiB of data; the re-export at the end must still be found.\n"
            "export const chunk%lu = [\n",
            i % 2 ? "\"use client\";\n" : "", i, g->opt->big_mb, i);
        int tl = snprintf(tail, sizeof tail, "];\nexport { bigShared } from \"./shared.js\";\n");
        snprintf(rel, sizeof rel, "dist/chunk-%04lu.js", i);
        snprintf(path, sizeof path, "%s/%s", g->pkgdir[P_BIG], rel);
        int fd = gen_out_open(g->o, path);
        if (fd < 0)
            return free(blk), -1;
        g->res->pkg_files++;
        uint64_t body = target > (uint64_t)(hl + tl) ? target - (uint64_t)(hl + tl) : 0;
        rc = gen_out_write(g->o, fd, head, (size_t)hl);
        for (; rc == 0 && body >= BIG_BLOCK; body -= BIG_BLOCK)
            rc = gen_out_write(g->o, fd, blk, BIG_BLOCK);
        if (rc == 0 && body > 0) {
            // The rest: a comment line of exactly `body` bytes.
            char pad[BIG_BLOCK];
            memset(pad, '-', (size_t)body);
            if (body >= 3) {
                pad[0] = '/';
                pad[1] = '/';
            } else {
                memset(pad, ' ', (size_t)body);
            }
            pad[body - 1] = '\n';
            rc = gen_out_write(g->o, fd, pad, (size_t)body);
        }
        if (rc == 0)
            rc = gen_out_write(g->o, fd, tail, (size_t)tl);
        if (gen_out_close(g->o, fd) != 0)
            rc = -1;
        if (rc == 0 && i % 2)
            rc = gen_plant_pkg(g, &g->res->client, P_BIG, rel);
    }
    free(blk);
    return rc;
}
