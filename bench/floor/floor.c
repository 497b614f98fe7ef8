/* The floor of issue 4: how long a minimal C program takes to open and read
 * the files a scan reads, one thread, no lexing, no resolving.
 *
 *   build/dscan scan ROOT --list-files > files.txt
 *   build/bench/floor < files.txt
 *
 * Reads each path (one per line on stdin) whole with open/fstat/read/close
 * into one reused buffer, `rounds` times (argv[1], default 5), and prints the
 * best round: files, bytes, wall and CPU milliseconds. The best round is the warm-cache
 * floor, which is what dscan's own warm runs are compared with. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double clock_ms(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 5;
    char **paths = NULL;
    size_t n = 0, cap = 0, bufcap = 1 << 16;
    char line[8192];
    char *buf = malloc(bufcap);

    if (!buf || rounds < 1)
        return 2;
    while (fgets(line, sizeof line, stdin)) {
        size_t len = strlen(line);
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (!len)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 1024;
            paths = realloc(paths, cap * sizeof *paths);
            if (!paths)
                return 2;
        }
        paths[n] = strdup(line);
        if (!paths[n++])
            return 2;
    }
    double best = 0, best_cpu = 0;
    unsigned long long bytes = 0;
    size_t ok = 0;
    for (int r = 0; r < rounds; r++) {
        double t0 = clock_ms(CLOCK_MONOTONIC), c0 = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
        bytes = 0;
        ok = 0;
        for (size_t i = 0; i < n; i++) {
            int fd = open(paths[i], O_RDONLY | O_CLOEXEC);
            struct stat st;
            if (fd < 0)
                continue;
            if (fstat(fd, &st) == 0 && (size_t)st.st_size + 1 > bufcap) {
                bufcap = (size_t)st.st_size + 1;
                free(buf);
                buf = malloc(bufcap);
                if (!buf)
                    return 2;
            }
            ssize_t got;
            while ((got = read(fd, buf, bufcap)) > 0)
                bytes += (unsigned long long)got;
            close(fd);
            ok++;
        }
        double t = clock_ms(CLOCK_MONOTONIC) - t0, c = clock_ms(CLOCK_PROCESS_CPUTIME_ID) - c0;
        if (r == 0 || t < best)
            best = t;
        if (r == 0 || c < best_cpu)
            best_cpu = c;
    }
    printf("files=%zu bytes=%llu ms=%.3f cpu_ms=%.3f\n", ok, bytes, best, best_cpu);
    for (size_t i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
    free(buf);
    return 0;
}
