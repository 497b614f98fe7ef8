/* The persistent scanner's internal parts (SPEC §5b; the public interface is
 * dscan_session_* in include/dscan.h). session.c keeps the scan state between
 * scans: the path and specifier interners, each file's facts (directive flags
 * and imports, by path id), the resolver with its file-system caches, the
 * pre-scan candidates, and per (file, own environment) the imports as they
 * resolved. An update drops what the changed paths can affect and walks the
 * graph again from the roots over the stored edges. */
#ifndef DS_SESSION_H
#define DS_SESSION_H

#include "scan_int.h"

/* Answers given from outside (a Vite plugin container's resolveId) for
 * imports dscan left unresolved: (importer, specifier, env) -> target. */
struct ds_sess_override {
    uint32_t importer; /* path id */
    uint32_t target;   /* path id of the real file */
    struct ds_str spec;
    uint8_t env;
};

#endif
