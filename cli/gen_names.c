/* `dscan gen`'s names and choices: the splitmix64 stream every choice comes
 * from, the names of app files and icons, and relative paths between the
 * generated files. Pure functions of their arguments; nothing here writes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen_project.h"

/* ---- deterministic choices -------------------------------------------- */

uint64_t gen_rnd_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Uniform in [0, n); 0 when n is 0. */
unsigned long gen_rnd_below(uint64_t *s, unsigned long n)
{
    return n ? (unsigned long)(gen_rnd_next(s) % n) : 0;
}

/* ---- names -------------------------------------------------------------- */

static const char *const areas[] = {
    "account", "billing", "dashboard", "settings", "profile",  "search", "admin",   "checkout",
    "inbox",   "reports", "team",      "projects", "calendar", "files",  "support", "onboarding",
};
static const char *const comp_adj[] = {
    "Profile", "Invoice", "Task", "User",   "Order", "Message", "Project", "Report",
    "Team",    "Event",   "File", "Search", "Plan",  "Comment", "Note",    "Alert",
};
static const char *const comp_noun[] = {
    "Card",  "Panel", "List",   "Header", "Footer",  "Form",    "Modal",  "Table",
    "Badge", "Menu",  "Avatar", "Chart",  "Toolbar", "Sidebar", "Banner", "Field",
};
static const char *const act_verb[] = {"save",    "delete", "update",  "create",
                                       "archive", "send",   "approve", "publish"};
static const char *const act_obj[] = {"Account", "Invoice", "Task",   "Comment",
                                      "Order",   "Draft",   "Member", "Setting"};
static const char *const lib_verb[] = {"format", "parse", "compute", "normalize", "build", "merge"};
static const char *const lib_obj[] = {"Date", "Price", "Slug",  "Query",
                                      "Path", "Label", "Range", "Color"};
static const char *const icon_word[] = {
    "arrow", "circle", "square", "user",  "file",  "folder", "camera", "bell",
    "cloud", "heart",  "star",   "lock",  "mail",  "map",    "phone",  "search",
    "gear",  "shield", "tag",    "trash", "truck", "upload", "wifi",   "zap",
    "book",  "pin",    "chart",  "check", "clock", "code",   "copy",   "download",
};

static const char *const kind_dir[F_NKIND] = {"src/app/pages", "src/components", "src/actions",
                                              "src/lib"};

#define PER_DIR 32 /* app files per folder */

static void area_name(char *out, size_t cap, unsigned long group)
{
    if (group < N_OF(areas))
        snprintf(out, cap, "%s", areas[group]);
    else
        snprintf(out, cap, "%s-%lu", areas[group % N_OF(areas)], group / N_OF(areas));
}

/* The exported name of app file i of a kind; also its file's base name. */
void gen_file_name(char *out, size_t cap, enum fkind k, unsigned long i)
{
    switch (k) {
    case F_PAGE: {
        const char *a = areas[(i / PER_DIR) % N_OF(areas)];
        snprintf(out, cap, "%c%sPage%lu", a[0] - 'a' + 'A', a + 1, i);
        break;
    }
    case F_COMP:
        snprintf(out, cap, "%s%s%lu", comp_adj[i % N_OF(comp_adj)],
                 comp_noun[(i / N_OF(comp_adj)) % N_OF(comp_noun)], i);
        break;
    case F_ACTION:
        snprintf(out, cap, "%s%s%lu", act_verb[i % N_OF(act_verb)],
                 act_obj[(i / N_OF(act_verb)) % N_OF(act_obj)], i);
        break;
    default:
        snprintf(out, cap, "%s%s%lu", lib_verb[i % N_OF(lib_verb)],
                 lib_obj[(i / N_OF(lib_verb)) % N_OF(lib_obj)], i);
        break;
    }
}

/* "src/components/account/ProfileCard3" (no extension), relative to OUTDIR. */
void gen_file_stem(char *out, size_t cap, enum fkind k, unsigned long i)
{
    char area[64], name[96];
    area_name(area, sizeof area, i / PER_DIR);
    gen_file_name(name, sizeof name, k, i);
    snprintf(out, cap, "%s/%s/%s", kind_dir[k], area, name);
}

/* Icon i: "arrow-circle" / "ArrowCircle", with a number past 1024 icons. */
void gen_icon_names(unsigned long i, char *kebab, size_t kcap, char *pascal, size_t pcap)
{
    const char *a = icon_word[i % N_OF(icon_word)];
    const char *b = icon_word[(i / N_OF(icon_word)) % N_OF(icon_word)];
    unsigned long n = i / (N_OF(icon_word) * N_OF(icon_word));
    char num[24] = "";
    char dnum[24] = "";
    if (n) {
        snprintf(num, sizeof num, "%lu", n);
        snprintf(dnum, sizeof dnum, "-%lu", n);
    }
    snprintf(kebab, kcap, "%s-%s%s", a, b, dnum);
    snprintf(pascal, pcap, "%c%s%c%s%s", a[0] - 'a' + 'A', a + 1, b[0] - 'a' + 'A', b + 1, num);
}

/* The relative path from directory `from_dir` to `to` (both relative to
 * OUTDIR, normalised). With dot, a path not starting with ".." gets "./". */
void gen_rel_path(char *out, size_t cap, const char *from_dir, const char *to, bool dot)
{
    const char *a = from_dir, *t = to;
    while (*a) {
        size_t la = strcspn(a, "/"), lt = strcspn(t, "/");
        if (la != lt || memcmp(a, t, la) != 0 || t[lt] != '/')
            break;
        a += la;
        t += lt + 1;
        if (*a == '/')
            a++;
    }
    size_t ups = *a ? 1 : 0, len = 0;
    for (const char *p = a; *p; p++)
        ups += *p == '/';
    out[0] = '\0';
    if (ups == 0 && dot)
        len += (size_t)snprintf(out, cap, "./");
    for (size_t u = 0; u < ups && len < cap; u++)
        len += (size_t)snprintf(out + len, cap - len, "../");
    if (len < cap)
        snprintf(out + len, cap - len, "%s", t);
}

void gen_dir_of(char *out, size_t cap, const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t n = slash ? (size_t)(slash - path) : 0;
    if (n >= cap)
        n = cap - 1;
    memcpy(out, path, n);
    out[n] = '\0';
}
