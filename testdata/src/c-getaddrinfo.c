/* c-getaddrinfo: resolves "localhost" with glibc's getaddrinfo, which reads
   /etc/nsswitch.conf ("hosts:"), loads libnss_files.so.2 / libnss_dns.so.2 and reads
   /etc/hosts (and /etc/resolv.conf for dns). Built dynamic (c-getaddrinfo) and -static
   (c-getaddrinfo-static: static glibc still dlopens libnss_*.so.2 at run time). */
#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#ifndef NAME
#define NAME "c-getaddrinfo"
#endif
int main(void) {
    struct addrinfo hints, *res, *ai;
    char addr[INET6_ADDRSTRLEN], all[256] = "";
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    int rc = getaddrinfo("localhost", NULL, &hints, &res);
    if (rc != 0) {
        printf("FAIL " NAME ": getaddrinfo(localhost): %s\n", gai_strerror(rc));
        return 1;
    }
    for (ai = res; ai; ai = ai->ai_next) {
        void *a = ai->ai_family == AF_INET6 ? (void *)&((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr
                                            : (void *)&((struct sockaddr_in *)ai->ai_addr)->sin_addr;
        inet_ntop(ai->ai_family, a, addr, sizeof addr);
        if (strlen(all) + strlen(addr) + 2 < sizeof all) {
            if (*all) strcat(all, " ");
            strcat(all, addr);
        }
    }
    freeaddrinfo(res);
    printf("ok " NAME " (localhost: %s)\n", all);
    return 0;
}
