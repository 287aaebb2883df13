/* The floor for listing a tree's links with their link counts: the system calls `mklink /L /S` cannot do
 * without, and nothing else. Two threads take directories from a shared stack, read each with getdents64
 * into a 64 KiB buffer and lstat every entry that is not a directory (the link count of a regular file is
 * known no other way). Nothing is printed or sorted.
 *   --no-stat   read the directories only
 *   --uring     ask for the link counts through io_uring instead, a directory's entries in one batch of
 *               statx requests (built with -DWITH_LIBURING -luring)
 * Usage: walk_floor [--no-stat | --uring] [DIR]   (default DIR: .) */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#ifdef WITH_LIBURING
#include <liburing.h>
#endif

struct raw_dirent { unsigned long long ino; long long off; unsigned short reclen; unsigned char type; char name[]; };

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ready = PTHREAD_COND_INITIALIZER;
static char **stack;
static size_t depth, capacity, busy;
enum { NO_STAT, LSTAT, URING };
static int mode = LSTAT;
static long stats, failures;

static void push(char *path) {
    if (depth == capacity) {
        capacity = capacity ? capacity * 2 : 1024;
        stack = realloc(stack, capacity * sizeof *stack);
        if (!stack) abort();
    }
    stack[depth++] = path;
    pthread_cond_signal(&ready);
}

static char *pop(void) {
    pthread_mutex_lock(&lock);
    while (depth == 0 && busy > 0) pthread_cond_wait(&ready, &lock);
    char *path = depth ? stack[--depth] : NULL;
    if (path) busy++;
    else pthread_cond_broadcast(&ready);
    pthread_mutex_unlock(&lock);
    return path;
}

#ifdef WITH_LIBURING
static __thread struct io_uring ring;
static __thread struct statx results[1024];
static __thread unsigned queued;

/* Waits for every statx request queued on this thread's ring. */
static void drain(void) {
    if (queued == 0) return;
    io_uring_submit_and_wait(&ring, queued);
    for (; queued > 0; queued--) {
        struct io_uring_cqe *cqe;
        if (io_uring_wait_cqe(&ring, &cqe) < 0) abort();
        io_uring_cqe_seen(&ring, cqe);
    }
}
#endif

static void read_dir(char *path) {
    static __thread char buf[64 * 1024];
    long n_stats = 0;
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) { __atomic_add_fetch(&failures, 1, __ATOMIC_RELAXED); return; }
    for (;;) {
        long n = syscall(SYS_getdents64, fd, buf, sizeof buf);
        if (n <= 0) break;
        for (long off = 0; off < n;) {
            struct raw_dirent *d = (struct raw_dirent *)(buf + off);
            off += d->reclen;
            if (d->type == DT_DIR) {
                if (strcmp(d->name, ".") == 0 || strcmp(d->name, "..") == 0) continue;
                char *child = malloc(strlen(path) + strlen(d->name) + 2);
                if (!child) abort();
                sprintf(child, "%s/%s", path, d->name);
                pthread_mutex_lock(&lock);
                push(child);
                pthread_mutex_unlock(&lock);
            } else if (mode == LSTAT) {
                struct stat st;
                fstatat(fd, d->name, &st, AT_SYMLINK_NOFOLLOW);
                n_stats++;
            } else if (mode == URING) {
#ifdef WITH_LIBURING
                /* The names stay in `buf` until the batch is drained, before the next getdents64. */
                if (queued == sizeof results / sizeof results[0]) drain();
                struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
                if (!sqe) { drain(); sqe = io_uring_get_sqe(&ring); }
                io_uring_prep_statx(sqe, fd, d->name, AT_SYMLINK_NOFOLLOW, STATX_NLINK, &results[queued++]);
                n_stats++;
#endif
            }
        }
#ifdef WITH_LIBURING
        if (mode == URING) drain();
#endif
    }
    close(fd);
    __atomic_add_fetch(&stats, n_stats, __ATOMIC_RELAXED);
}

static void *worker(void *unused) {
    (void)unused;
    char *path;
#ifdef WITH_LIBURING
    if (mode == URING && io_uring_queue_init(1024, &ring, 0) < 0) abort();
#endif
    while ((path = pop()) != NULL) {
        read_dir(path);
        free(path);
        pthread_mutex_lock(&lock);
        busy--;
        if (busy == 0 && depth == 0) pthread_cond_broadcast(&ready);
        pthread_mutex_unlock(&lock);
    }
    return NULL;
}

int main(int argc, char **argv) {
    int i = 1;
    if (i < argc && strcmp(argv[i], "--no-stat") == 0) { mode = NO_STAT; i++; }
    else if (i < argc && strcmp(argv[i], "--uring") == 0) {
#ifndef WITH_LIBURING
        fprintf(stderr, "walk_floor: built without liburing\n");
        return 2;
#endif
        mode = URING;
        i++;
    }
    push(strdup(i < argc ? argv[i] : "."));
    pthread_t threads[2];
    for (int t = 0; t < 2; t++) pthread_create(&threads[t], NULL, worker, NULL);
    for (int t = 0; t < 2; t++) pthread_join(threads[t], NULL);
    fprintf(stderr, "%ld entries stat'ed, %ld directories unreadable\n", stats, failures);
    return failures ? 1 : 0;
}
