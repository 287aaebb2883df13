/* The one-thread limit for batch hard links: read a directory and linkat() every regular file into another
 * directory, relative to the two directory descriptors. Usage: linkat_loop SRC DST */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc != 3) return 2;
    DIR *src = opendir(argv[1]);
    int dst = open(argv[2], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (!src || dst < 0) { perror("open"); return 1; }
    int sfd = dirfd(src);
    struct dirent *e;
    long n = 0, errors = 0;
    while ((e = readdir(src)) != NULL) {
        if (e->d_type != DT_REG) continue;
        if (linkat(sfd, e->d_name, dst, e->d_name, 0) == 0) n++; else errors++;
    }
    closedir(src);
    close(dst);
    fprintf(stderr, "%ld linked, %ld errors\n", n, errors);
    return errors ? 1 : 0;
}
