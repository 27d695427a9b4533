/*
 * udp_client.c - UDP client used to record netcheck samples.
 *
 * usage: udp_client ADDR PORT
 *
 * Sends datagrams of 5, 64, 512, 1400, 100 and 200 bytes (then "BYE") to
 * ADDR:PORT from an unbound (auto-bound) socket, waiting for each echo
 * with recvfrom() and a 2 s SO_RCVTIMEO.  The server reads the 100- and
 * 200-byte datagrams with too-small buffers, so their echoes come back
 * shorter (32 and 16 bytes) than what was sent.
 */
#include "sample.h"
#include <sys/time.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s ADDR PORT\n", argv[0]);
        return 2;
    }
    struct sockaddr_storage addr, from;
    socklen_t alen = make_addr(argv[1], atoi(argv[2]), &addr);
    alarm(SAMPLE_ALARM);

    int s = socket(addr.ss_family, SOCK_DGRAM, 0);
    CHECK(s);
    struct timeval tv = { .tv_sec = 2 };
    CHECK(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv));

    static const int sizes[] = { 5, 64, 512, 1400, 100, 200, 3 };
    char out[1500], in[2048];
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        int len = sizes[i];
        if (i == 0)
            memcpy(out, "hello", 5);
        else if (i == sizeof sizes / sizeof sizes[0] - 1)
            memcpy(out, "BYE", 3);                /* last one ends the server */
        else
            for (int k = 0; k < len; k++)         /* printable filler */
                out[k] = 'a' + (k + i) % 26;
        if (sendto(s, out, len, 0, (struct sockaddr *)&addr, alen) < 0) {
            WARN("sendto");
            continue;
        }
        socklen_t flen = sizeof from;
        ssize_t n = recvfrom(s, in, sizeof in, 0, (struct sockaddr *)&from, &flen);
        if (n < 0)
            WARN("recvfrom");
        else
            printf("sent %d, echo %zd%s\n", len, n, n < len ? " (short)" : "");
    }
    close(s);
    return 0;
}
