/* bench/spawn.c: runs a command and measures it: wall time from starting
 * the process to its exit, CPU time and peak resident memory.
 *
 * Runs COMMAND R times (after W unmeasured warm-up runs), one after the
 * other, with standard input on /dev/null, standard output on --out FILE and
 * standard error on --err FILE (both /dev/null by default), and prints the
 * median, minimum and mean wall time of a run in microseconds, the CPU time
 * (user + system) of the fastest run, and the largest peak RSS of any run
 * (ru_maxrss from wait4). Fails if any run does not exit with status 0.
 *
 * Start-up costs too small to time once are timed over many runs; the
 * benchmark also runs every long measurement through this small program
 * rather than from Python because a child's ru_maxrss starts at the RSS of
 * the process that started it: here that is about a megabyte.
 *
 * usage: spawn [--runs R] [--warmup W] [--out FILE] [--err FILE] -- COMMAND [ARG]...
 *        prints  spawn: runs=R median_us=... min_us=... mean_us=... cpu_us=... maxrss_kib=... */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE /* wait4 */
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef struct measured {
    double wall_us, cpu_us;
    long maxrss_kib;
} measured;

static measured run_once(char **cmd, const posix_spawn_file_actions_t *fa)
{
    pid_t pid;
    double t0 = now_us();
    int rc = posix_spawnp(&pid, cmd[0], fa, NULL, cmd, environ);
    if (rc != 0) {
        fprintf(stderr, "spawn: %s: %s\n", cmd[0], strerror(rc));
        exit(1);
    }
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0) {
        perror("spawn: wait4");
        exit(1);
    }
    measured m;
    m.wall_us = now_us() - t0;
    m.cpu_us = (double)ru.ru_utime.tv_sec * 1e6 + (double)ru.ru_utime.tv_usec +
               (double)ru.ru_stime.tv_sec * 1e6 + (double)ru.ru_stime.tv_usec;
    m.maxrss_kib = ru.ru_maxrss;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "spawn: %s exited with status %d\n", cmd[0],
                WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
        exit(1);
    }
    return m;
}

int main(int argc, char **argv)
{
    long runs = 200, warmup = 10;
    const char *out = "/dev/null", *err = "/dev/null";
    int i = 1;
    for (; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        } else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
            runs = atol(argv[++i]);
        } else if (strcmp(argv[i], "--warmup") == 0 && i + 1 < argc) {
            warmup = atol(argv[++i]);
        } else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc) {
            out = argv[++i];
        } else if (strcmp(argv[i], "--err") == 0 && i + 1 < argc) {
            err = argv[++i];
        } else {
            break;
        }
    }
    if (i >= argc || runs < 1 || warmup < 0) {
        fputs("usage: spawn [--runs R] [--warmup W] [--out FILE] [--err FILE] -- COMMAND [ARG]...\n",
              stderr);
        return 2;
    }
    char **cmd = argv + i;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0644);

    for (long k = 0; k < warmup; k++)
        run_once(cmd, &fa);
    double *t = malloc((size_t)runs * sizeof *t);
    if (!t)
        return 1;
    double sum = 0, best = 0, best_cpu = 0;
    long maxrss = 0;
    for (long k = 0; k < runs; k++) {
        measured m = run_once(cmd, &fa);
        t[k] = m.wall_us;
        sum += m.wall_us;
        if (k == 0 || m.wall_us < best) {
            best = m.wall_us;
            best_cpu = m.cpu_us;
        }
        if (m.maxrss_kib > maxrss)
            maxrss = m.maxrss_kib;
    }
    qsort(t, (size_t)runs, sizeof *t, cmp_double);
    double median = runs % 2 ? t[runs / 2] : (t[runs / 2 - 1] + t[runs / 2]) / 2;
    printf("spawn: runs=%ld median_us=%.1f min_us=%.1f mean_us=%.1f cpu_us=%.1f maxrss_kib=%ld\n",
           runs, median, t[0], sum / (double)runs, best_cpu, maxrss);
    posix_spawn_file_actions_destroy(&fa);
    free(t);
    return 0;
}
