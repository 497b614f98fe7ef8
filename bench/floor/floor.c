/* The floor of issue 4: how long a minimal C program takes to open and read
 * the files a scan reads, no lexing, no resolving.
 *
 *   build/dscan scan ROOT --list-files > files.txt
 *   build/bench/floor [ROUNDS [THREADS]] < files.txt
 *
 * Reads each path (one per line on stdin) whole with open/fstat/read/close
 * into a reused buffer, `rounds` times (default 5), and prints the best
 * round: files, bytes, wall and CPU milliseconds. The best round is the
 * warm-cache floor, which is what dscan's own warm runs are compared with.
 * With THREADS (default 1) the files are shared out among that many threads
 * of one process, as a scan's workers share them: what the kernel's file
 * calls cost when two threads of one process make them at once. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_THREADS 16

struct reader {
    char **paths;
    size_t n, first, step;
    unsigned long long bytes;
    size_t ok;
    int failed;
};

static double clock_ms(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void *read_share(void *arg)
{
    struct reader *rd = arg;
    size_t bufcap = 1 << 16;
    char *buf = malloc(bufcap);

    rd->bytes = 0;
    rd->ok = 0;
    if (!buf) {
        rd->failed = 1;
        return NULL;
    }
    for (size_t i = rd->first; i < rd->n; i += rd->step) {
        int fd = open(rd->paths[i], O_RDONLY | O_CLOEXEC);
        struct stat st;
        if (fd < 0)
            continue;
        if (fstat(fd, &st) == 0 && (size_t)st.st_size + 1 > bufcap) {
            bufcap = (size_t)st.st_size + 1;
            free(buf);
            buf = malloc(bufcap);
            if (!buf) {
                rd->failed = 1;
                close(fd);
                return NULL;
            }
        }
        ssize_t got;
        while ((got = read(fd, buf, bufcap)) > 0)
            rd->bytes += (unsigned long long)got;
        close(fd);
        rd->ok++;
    }
    free(buf);
    return NULL;
}

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 5;
    int threads = argc > 2 ? atoi(argv[2]) : 1;
    char **paths = NULL;
    size_t n = 0, cap = 0;
    char line[8192];

    if (rounds < 1 || threads < 1 || threads > MAX_THREADS)
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
        struct reader rd[MAX_THREADS];
        pthread_t tid[MAX_THREADS];
        double t0 = clock_ms(CLOCK_MONOTONIC), c0 = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
        for (int k = 0; k < threads; k++) {
            rd[k] = (struct reader){paths, n, (size_t)k, (size_t)threads, 0, 0, 0};
            // Thread 0 is this one, as the scan's waiter works too.
            if (k > 0 && pthread_create(&tid[k], NULL, read_share, &rd[k]) != 0)
                return 2;
        }
        read_share(&rd[0]);
        for (int k = 1; k < threads; k++)
            pthread_join(tid[k], NULL);
        double t = clock_ms(CLOCK_MONOTONIC) - t0, c = clock_ms(CLOCK_PROCESS_CPUTIME_ID) - c0;
        bytes = 0;
        ok = 0;
        for (int k = 0; k < threads; k++) {
            if (rd[k].failed)
                return 2;
            bytes += rd[k].bytes;
            ok += rd[k].ok;
        }
        if (r == 0 || t < best)
            best = t;
        if (r == 0 || c < best_cpu)
            best_cpu = c;
    }
    printf("files=%zu bytes=%llu ms=%.3f cpu_ms=%.3f\n", ok, bytes, best, best_cpu);
    for (size_t i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
    return 0;
}
