/* The read floor: replays the reads whichbase made (a list of "PATH\tSIZE\tOFFSET" lines,
 * recorded by bench/run.sh with strace) and nothing else. Each file is opened, fstat'ed and
 * read at the same offsets with pread, by THREADS threads taking files in list order from a
 * shared counter, as whichbase does for many paths. Its time is what reading those bytes
 * this way costs, before any parsing, lookup or output.
 *
 *   replay LIST THREADS
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct read_op { long long size, offset; };
struct file_ops { char *path; struct read_op *ops; size_t n, cap; };

static struct file_ops *files;
static size_t nfiles;
static atomic_size_t next_file;
static atomic_llong total;
static atomic_int unopened;

static void *worker(void *arg) {
    (void)arg;
    size_t cap = 1 << 20;
    char *buf = malloc(cap);
    if (!buf) return NULL;
    for (;;) {
        size_t i = atomic_fetch_add(&next_file, 1);
        if (i >= nfiles) break;
        int fd = open(files[i].path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (fd < 0) {
            atomic_fetch_add(&unopened, 1);
            continue;
        }
        struct stat st;
        fstat(fd, &st);
        long long sum = 0;
        for (size_t k = 0; k < files[i].n; k++) {
            size_t size = (size_t)files[i].ops[k].size;
            if (size > cap) {
                char *bigger = realloc(buf, size);
                if (!bigger) break;
                buf = bigger;
                cap = size;
            }
            ssize_t got = pread(fd, buf, size, files[i].ops[k].offset);
            if (got > 0) sum += got;
        }
        close(fd);
        atomic_fetch_add(&total, sum);
    }
    free(buf);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: replay LIST THREADS\n"); return 2; }
    int threads = atoi(argv[2]);
    if (threads < 1 || threads > 64) { fprintf(stderr, "replay: THREADS must be 1 to 64\n"); return 2; }
    FILE *list = fopen(argv[1], "r");
    if (!list) { fprintf(stderr, "replay: cannot read %s\n", argv[1]); return 2; }
    char *line = NULL;
    size_t len = 0, cap = 0;
    while (getline(&line, &len, list) > 0) {
        char *tab1 = strchr(line, '\t');
        char *tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
        if (!tab2) continue;
        *tab1 = 0;
        if (nfiles == 0 || strcmp(files[nfiles - 1].path, line) != 0) {
            if (nfiles == cap) {
                cap = cap ? 2 * cap : 1024;
                files = realloc(files, cap * sizeof *files);
                if (!files) return 2;
            }
            files[nfiles++] = (struct file_ops){strdup(line), NULL, 0, 0};
        }
        struct file_ops *f = &files[nfiles - 1];
        if (f->n == f->cap) {
            f->cap = f->cap ? 2 * f->cap : 16;
            f->ops = realloc(f->ops, f->cap * sizeof *f->ops);
            if (!f->ops) return 2;
        }
        f->ops[f->n++] = (struct read_op){atoll(tab1 + 1), atoll(tab2 + 1)};
    }
    if (nfiles == 0) { fprintf(stderr, "replay: no reads in %s\n", argv[1]); return 2; }
    pthread_t tid[64];
    for (int t = 1; t < threads; t++) {
        if (pthread_create(&tid[t], NULL, worker, NULL) != 0) {
            fprintf(stderr, "replay: cannot start thread %d\n", t);
            return 2;
        }
    }
    worker(NULL);
    for (int t = 1; t < threads; t++) pthread_join(tid[t], NULL);
    fprintf(stderr, "replay: %zu files, %lld bytes read\n", nfiles, (long long)atomic_load(&total));
    if (atomic_load(&unopened) > 0) {
        fprintf(stderr, "replay: %d files could not be opened: not a floor\n", atomic_load(&unopened));
        return 1;
    }
    return 0;
}
