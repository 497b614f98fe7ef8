/* `dscan gen`'s project writer: what its files share. gen.h is the
 * writer's outside (options, the output writer, the result); this header is
 * only for the files that build the project:
 *
 *   gen_project.c  the plan (how many files of each kind, where detours go),
 *                  the top-level files and the lists of what was planted
 *   gen_names.c    the deterministic choices and every name and path
 *   gen_pkgs.c     react, @stress/ui, stress-conditional, stress-actions, and
 *                  the node_modules layout (pnpm store and symlinks)
 *   gen_icons.c    stress-icons, lucide-react's layout
 *   gen_big.c      stress-big, the --big-files chunks
 *   gen_app.c      the app under src/: app files and entries, their imports
 *                  and the detours
 *
 * Every choice comes from one splitmix64 stream (struct gen's rng) consumed
 * in a fixed order, so the order of the writers' calls is part of the
 * output: same options and seed, same bytes. */
#ifndef DSCAN_GEN_PROJECT_H
#define DSCAN_GEN_PROJECT_H

#include "gen.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* The kinds of app file under src/. */
enum fkind { F_PAGE, F_COMP, F_ACTION, F_LIB, F_NKIND };

/* The packages under node_modules. */
enum pkg_id { P_REACT, P_ICONS, P_UI, P_COND, P_ACTIONS, P_BIG, P_N };

struct gen_pkg {
    const char *name, *version;
    const char *peer; /* pnpm's peer suffix in the store folder name */
    int deps[3];      /* -1 ends */
};

extern const struct gen_pkg gen_pkgs[P_N];

/* The state of one gen_project call. */
struct gen {
    struct gen_out *o;
    const struct gen_opts *opt;
    struct gen_result *res;
    uint64_t rng;
    unsigned long n[F_NKIND];
    unsigned long first_pages; /* pages imported by src/worker.tsx */
    /* detours, grouped by host file: det_head[host] -> det_next[d] -> ... */
    unsigned long *det_head, *det_next;
    unsigned long n_hosts;
    char pkgdir[P_N][256]; /* where each package's files really are */
};

#define NONE (~0UL)

/* ---- gen_names.c: choices, names, paths ---- */

/* The next value of the splitmix64 stream *s. */
uint64_t gen_rnd_next(uint64_t *s);
/* Uniform in [0, n); 0 when n is 0. */
unsigned long gen_rnd_below(uint64_t *s, unsigned long n);
/* The exported name of app file i of a kind; also its file's base name. */
void gen_file_name(char *out, size_t cap, enum fkind k, unsigned long i);
/* "src/components/account/ProfileCard3" (no extension), relative to OUTDIR. */
void gen_file_stem(char *out, size_t cap, enum fkind k, unsigned long i);
/* Icon i: "arrow-circle" / "ArrowCircle", with a number past 1024 icons. */
void gen_icon_names(unsigned long i, char *kebab, size_t kcap, char *pascal, size_t pcap);
/* The relative path from directory `from_dir` to `to` (both relative to
 * OUTDIR, normalised). With dot, a path not starting with ".." gets "./". */
void gen_rel_path(char *out, size_t cap, const char *from_dir, const char *to, bool dot);
/* The directory part of `path` ("" when it has none). */
void gen_dir_of(char *out, size_t cap, const char *path);

/* ---- gen_project.c ---- */

/* Appends prefix + s to l. Returns 0, or -1 with o->err set. */
int gen_list_add(struct gen_out *o, struct gen_list *l, const char *prefix, const char *s);

/* ---- gen_pkgs.c: packages and the node_modules layout ---- */

/* Where each package's files go (g->pkgdir), pnpm store or plain. */
void gen_setup_pkgdirs(struct gen *g);
/* Writes g->o->buf as file `rel` under package p's folder. */
int gen_pkg_file(struct gen *g, enum pkg_id p, const char *rel);
/* Records package p's file `rel` as a planted client or server file. */
int gen_plant_pkg(struct gen *g, struct gen_list *l, enum pkg_id p, const char *rel);
/* The license comment every package file of p opens with. */
void gen_license(struct gbuf *b, const struct gen_pkg *p);
/* Package p's file `rel`: the license comment, then text (appended to
 * what g->o->buf holds already, such as a directive). */
int gen_pkg_text(struct gen *g, enum pkg_id p, const char *rel, const char *text);
/* Each writes one package's files; 0, or -1 with g->o->err set. */
int gen_write_react(struct gen *g);
int gen_write_ui(struct gen *g);
int gen_write_conditional(struct gen *g);
int gen_write_actions(struct gen *g);
int gen_write_icons(struct gen *g); /* gen_icons.c */
int gen_write_big(struct gen *g);   /* gen_big.c */
/* pnpm's symlinks (stress-big's only with with_big). */
int gen_write_pnpm_links(struct gen *g, bool with_big);

/* ---- gen_app.c: the app under src/ ---- */

/* src/worker.tsx (e == 0) or src/entry-e.tsx. */
int gen_write_entry(struct gen *g, unsigned long e);
/* App file i of kind k. */
int gen_write_app_file(struct gen *g, enum fkind k, unsigned long i);

#endif
