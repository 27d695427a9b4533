/*
 * sample.h - tiny helpers shared by the netcheck sample programs.
 *
 * The programs exist only to be traced with strace; they keep every
 * byte on loopback (127.0.0.1 or ::1) and arm alarm() so that they can
 * never hang a recording session.
 */
#ifndef SAMPLE_H
#define SAMPLE_H

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Hard upper bound on the life of every sample program (seconds). */
#define SAMPLE_ALARM 10

/* Fill *ss from a numeric address ("127.0.0.1" or "::1") and a port.
 * Returns the sockaddr length, or exits on a bad address. */
static socklen_t make_addr(const char *host, int port, struct sockaddr_storage *ss)
{
    memset(ss, 0, sizeof *ss);
    struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
    if (inet_pton(AF_INET, host, &a4->sin_addr) == 1) {
        a4->sin_family = AF_INET;
        a4->sin_port = htons(port);
        return sizeof *a4;
    }
    if (inet_pton(AF_INET6, host, &a6->sin6_addr) == 1) {
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons(port);
        return sizeof *a6;
    }
    fprintf(stderr, "bad address: %s\n", host);
    exit(2);
}

/* Print a failed call the way perror does, but keep going. */
#define WARN(what) fprintf(stdout, "%s: %s\n", (what), strerror(errno))

/* Abort on an unexpected failure. */
#define CHECK(expr) do { if ((expr) < 0) { perror(#expr); exit(1); } } while (0)

#endif
