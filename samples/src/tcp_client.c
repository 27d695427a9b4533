/*
 * tcp_client.c - one-shot TCP client used to record netcheck samples.
 *
 * usage: tcp_client MODE ADDR PORT
 *   echo              connect, send one request line, shutdown(SHUT_WR),
 *                     recv the reply until EOF, close.
 *   refused           connect to a port nobody listens on (ECONNREFUSED).
 *   reset             send the request, then recv: the server resets the
 *                     connection (ECONNRESET); a second send then fails
 *                     with EPIPE (SIGPIPE is ignored so we survive it).
 *   nonblock          O_NONBLOCK connect -> EINPROGRESS, poll for POLLOUT,
 *                     getsockopt(SO_ERROR), one recv before sending (always
 *                     EAGAIN), then the echo exchange with poll() whenever
 *                     recv says EAGAIN.
 *   nonblock-refused  the same non-blocking connect to a dead port:
 *                     SO_ERROR reports ECONNREFUSED.
 */
#include "sample.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>

static const char REQUEST[] = "HELLO netcheck sample request #1\n";

/* Non-blocking connect; returns the pending error from SO_ERROR. */
static int connect_nonblocking(int s, struct sockaddr *a, socklen_t alen)
{
    int fl = fcntl(s, F_GETFL);
    CHECK(fcntl(s, F_SETFL, fl | O_NONBLOCK));
    if (connect(s, a, alen) == 0)
        return 0;                        /* completed at once */
    if (errno != EINPROGRESS)
        return errno;
    struct pollfd p = { .fd = s, .events = POLLOUT };
    if (poll(&p, 1, 2000) <= 0)
        return ETIMEDOUT;
    int err = 0;
    socklen_t elen = sizeof err;
    CHECK(getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &elen));
    return err;
}

/* Receive until EOF, waiting with poll() when the socket would block. */
static size_t recv_all(int s)
{
    char buf[4096];
    size_t total = 0;
    for (;;) {
        ssize_t n = recv(s, buf, sizeof buf, 0);
        if (n > 0) {
            total += n;
            continue;
        }
        if (n == 0)
            break;                       /* orderly shutdown by peer */
        if (errno == EAGAIN) {
            struct pollfd p = { .fd = s, .events = POLLIN };
            if (poll(&p, 1, 2000) <= 0)
                break;
            continue;
        }
        WARN("recv");
        break;
    }
    return total;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s echo|refused|reset|nonblock|nonblock-refused ADDR PORT\n", argv[0]);
        return 2;
    }
    const char *mode = argv[1];
    struct sockaddr_storage addr;
    socklen_t alen = make_addr(argv[2], atoi(argv[3]), &addr);
    alarm(SAMPLE_ALARM);                 /* never outlive a recording */

    int s = socket(addr.ss_family, SOCK_STREAM, 0);
    CHECK(s);

    if (strncmp(mode, "nonblock", 8) == 0) {
        int err = connect_nonblocking(s, (struct sockaddr *)&addr, alen);
        if (err != 0) {
            printf("connect: %s\n", strerror(err));
            close(s);
            return 1;
        }
        /* Nothing can be readable before we send the request (the server
         * only answers a request), so this recv always fails with EAGAIN. */
        char probe[16];
        if (recv(s, probe, sizeof probe, 0) < 0)
            WARN("early recv");
    } else if (connect(s, (struct sockaddr *)&addr, alen) < 0) {
        WARN("connect");                 /* the "refused" scenario ends here */
        close(s);
        return 1;
    }

    if (send(s, REQUEST, sizeof REQUEST - 1, 0) < 0)
        WARN("send");

    if (strcmp(mode, "reset") == 0) {
        signal(SIGPIPE, SIG_IGN);
        char buf[512];
        if (recv(s, buf, sizeof buf, 0) < 0)
            WARN("recv");                /* ECONNRESET */
        if (send(s, REQUEST, sizeof REQUEST - 1, 0) < 0)
            WARN("send again");          /* EPIPE */
        close(s);
        return 1;
    }

    shutdown(s, SHUT_WR);                /* request complete */
    size_t got = recv_all(s);
    printf("received %zu bytes\n", got);
    close(s);
    return 0;
}
