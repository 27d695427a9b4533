/*
 * tcp_server.c - one-shot TCP server used to record netcheck samples.
 *
 * usage: tcp_server MODE ADDR PORT
 *   echo          accept one client, read its request line, write a reply
 *                 (4-byte big-endian length + "OK: " + request), close.
 *   fork          same as echo, but a forked child serves the connection
 *                 while the parent waits for it (gives a second pid).
 *   reset-linger  accept, read the request, set SO_LINGER {on, 0} and
 *                 close: the kernel answers with a RST instead of a FIN.
 *   reset-unread  accept, read only 8 bytes of the request and close with
 *                 the rest still unread: the kernel sends a RST.
 *   idle          listen, wait up to 3 s (poll) for a client that never
 *                 comes, give up (used by the "refused" scenario, where
 *                 the client dials a different port).
 */
#include "sample.h"
#include <poll.h>
#include <sys/wait.h>

/* Read until a '\n' arrives or the peer stops sending. */
static ssize_t read_request(int c, char *buf, size_t size)
{
    size_t got = 0;
    while (got < size - 1) {
        ssize_t n = read(c, buf + got, size - 1 - got);
        if (n <= 0)
            break;
        got += n;
        if (buf[got - 1] == '\n')
            break;
    }
    buf[got] = '\0';
    return got;
}

/* Serve one connection: request in, length-prefixed reply out. */
static void serve(int c)
{
    char req[512], reply[600];
    ssize_t n = read_request(c, req, sizeof req);
    int body = snprintf(reply + 4, sizeof reply - 4, "OK: %s", req);
    uint32_t len = htonl(body);          /* binary header: non-ASCII bytes */
    memcpy(reply, &len, 4);
    if (write(c, reply, 4 + body) < 0)
        WARN("write");
    printf("served %zd-byte request\n", n);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s echo|fork|reset-linger|reset-unread|idle ADDR PORT\n", argv[0]);
        return 2;
    }
    const char *mode = argv[1];
    struct sockaddr_storage addr, peer;
    socklen_t alen = make_addr(argv[2], atoi(argv[3]), &addr);
    alarm(SAMPLE_ALARM);                 /* never outlive a recording */

    int s = socket(addr.ss_family, SOCK_STREAM, 0);
    CHECK(s);
    int one = 1;
    CHECK(setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one));
    CHECK(bind(s, (struct sockaddr *)&addr, alen));
    CHECK(listen(s, 5));

    if (strcmp(mode, "idle") == 0) {
        /* Nobody will connect here: wait a bounded time, then leave. */
        struct pollfd p = { .fd = s, .events = POLLIN };
        if (poll(&p, 1, 3000) == 0)
            printf("no client within 3 s\n");
        close(s);
        return 0;
    }

    socklen_t plen = sizeof peer;
    int c = accept(s, (struct sockaddr *)&peer, &plen);
    CHECK(c);

    if (strcmp(mode, "echo") == 0) {
        serve(c);
        close(c);
    } else if (strcmp(mode, "fork") == 0) {
        pid_t pid = fork();
        CHECK(pid);
        if (pid == 0) {                  /* child: owns the connection */
            close(s);
            serve(c);
            close(c);
            _exit(0);
        }
        close(c);                        /* parent: drop its copy, reap */
        int status;
        waitpid(pid, &status, 0);
    } else if (strcmp(mode, "reset-linger") == 0) {
        char req[512];
        read_request(c, req, sizeof req);
        struct linger lg = { .l_onoff = 1, .l_linger = 0 };
        CHECK(setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof lg));
        close(c);                        /* abortive close -> RST */
    } else if (strcmp(mode, "reset-unread") == 0) {
        char part[8];
        if (read(c, part, sizeof part) < 0)  /* leave the rest unread */
            WARN("read");
        close(c);                        /* unread data -> RST */
    } else {
        fprintf(stderr, "unknown mode %s\n", mode);
        return 2;
    }
    close(s);
    return 0;
}
