/* The persistent scanner's result (SPEC §5b): the sorted lists of the last
 * walk, their delta against the walk before, and the public accessors. Two
 * results are kept and swapped, so the delta needs no copy of the old lists.
 * The state they come from is session.c's. */
#include <stdlib.h>

#include "session.h"

/* ---- the result --------------------------------------------------------- */

/* out = the paths of sorted list a missing from sorted list b. */
static enum ds_status list_minus(struct ds_arena *arena, const char **a, size_t na, const char **b,
                                 size_t nb, const char ***out, size_t *n_out)
{
    const char **v = ds_arena_alloc(arena, (na ? na : 1) * sizeof *v);
    size_t n = 0, j = 0;

    if (!v)
        return DS_ENOMEM;
    for (size_t i = 0; i < na; i++) {
        int c = 1;
        while (j < nb && (c = strcmp(b[j], a[i])) < 0)
            j++;
        if (j >= nb || c != 0)
            v[n++] = a[i];
    }
    *out = v;
    *n_out = n;
    return DS_OK;
}

enum ds_status ds_session_build_result(struct dscan_session *ss)
{
    struct dscan *s = ss->s;
    struct sess_result *r = &ss->res[!ss->cur];
    const struct sess_result *old = ss->have_result ? &ss->res[ss->cur] : NULL;
    enum ds_status st;

    ds_arena_reset(&r->arena);
    memset(r->n_delta, 0, sizeof r->n_delta);
    r->n_client = r->n_server = r->n_unresolved = 0;
    r->client = ds_arena_alloc(&r->arena, (ss->modules ? ss->modules : 1) * sizeof *r->client);
    r->server = ds_arena_alloc(&r->arena, (ss->modules ? ss->modules : 1) * sizeof *r->server);
    r->unresolved = ds_arena_alloc(&r->arena, (ss->n_un ? ss->n_un : 1) * sizeof *r->unresolved);
    if (!r->client || !r->server || !r->unresolved)
        return DS_ENOMEM;
    // The queue holds every module this walk visited, in order.
    for (size_t i = 0; i < ss->modules; i++) {
        uint32_t id = ss->queue[i] / 2;
        uint8_t f = s->files[id].flags;
        const char *p;
        if (!(f & (F_USE_CLIENT | F_USE_SERVER)))
            continue;
        p = ds_scan_normalize(&r->arena, s->root, ds_intern_str(&s->paths, id));
        if (!p)
            return DS_ENOMEM;
        if (f & F_USE_CLIENT)
            r->client[r->n_client++] = p;
        else
            r->server[r->n_server++] = p;
    }
    st = ds_scan_sort_paths(&s->alloc, r->client, &r->n_client);
    if (st == DS_OK)
        st = ds_scan_sort_paths(&s->alloc, r->server, &r->n_server);
    if (st != DS_OK)
        return st;
    for (size_t i = 0; i < ss->n_un; i++) {
        const struct walk_unres *u = &ss->un[i];
        const char *imp =
            ds_scan_normalize(&r->arena, s->root, ds_intern_str(&s->paths, u->importer));
        if (!imp)
            return DS_ENOMEM;
        r->unresolved[i] =
            (struct dscan_unresolved){u->spec.ptr, imp, (enum dscan_env)u->env, u->reason.ptr};
    }
    r->n_unresolved = ds_scan_sort_unresolved(r->unresolved, ss->n_un);

    const char **nl[2] = {r->client, r->server}, **ol[2] = {NULL, NULL};
    size_t nn[2] = {r->n_client, r->n_server}, on[2] = {0, 0};
    if (old) {
        ol[0] = old->client, ol[1] = old->server;
        on[0] = old->n_client, on[1] = old->n_server;
    }
    for (int l = 0; l < 2; l++) {
        st = list_minus(&r->arena, nl[l], nn[l], ol[l], on[l], &r->delta[l][1], &r->n_delta[l][1]);
        if (st == DS_OK)
            st = list_minus(&r->arena, ol[l], on[l], nl[l], nn[l], &r->delta[l][0],
                            &r->n_delta[l][0]);
        if (st != DS_OK)
            return st;
    }
    ss->cur = !ss->cur;
    ss->have_result = true;
    ss->same = false;
    return DS_OK;
}

/* ---- accessors ---------------------------------------------------------- */

static const struct sess_result *cur(const struct dscan_session *ss)
{
    return ss && ss->have_result ? &ss->res[ss->cur] : NULL;
}

const char *dscan_session_root(const struct dscan_session *ss)
{
    return ss ? ss->cfg->root.ptr : NULL;
}

size_t dscan_session_client_count(const struct dscan_session *ss)
{
    return cur(ss) ? cur(ss)->n_client : 0;
}

const char *dscan_session_client_at(const struct dscan_session *ss, size_t i)
{
    return i < dscan_session_client_count(ss) ? cur(ss)->client[i] : NULL;
}

size_t dscan_session_server_count(const struct dscan_session *ss)
{
    return cur(ss) ? cur(ss)->n_server : 0;
}

const char *dscan_session_server_at(const struct dscan_session *ss, size_t i)
{
    return i < dscan_session_server_count(ss) ? cur(ss)->server[i] : NULL;
}

size_t dscan_session_unresolved_count(const struct dscan_session *ss)
{
    return cur(ss) ? cur(ss)->n_unresolved : 0;
}

const struct dscan_unresolved *dscan_session_unresolved_at(const struct dscan_session *ss, size_t i)
{
    return i < dscan_session_unresolved_count(ss) ? &cur(ss)->unresolved[i] : NULL;
}

void dscan_session_get_stats(const struct dscan_session *ss, struct dscan_stats *out)
{
    *out = ss->stats;
}

size_t dscan_session_delta_count(const struct dscan_session *ss, enum dscan_list list, bool added)
{
    if (!cur(ss) || ss->same || (list != DSCAN_LIST_CLIENT && list != DSCAN_LIST_SERVER))
        return 0;
    return cur(ss)->n_delta[list == DSCAN_LIST_SERVER][added];
}

const char *dscan_session_delta_at(const struct dscan_session *ss, enum dscan_list list, bool added,
                                   size_t i)
{
    if (i >= dscan_session_delta_count(ss, list, added))
        return NULL;
    return cur(ss)->delta[list == DSCAN_LIST_SERVER][added][i];
}
