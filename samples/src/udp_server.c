/*
 * udp_server.c - UDP echo server used to record netcheck samples.
 *
 * usage: udp_server ADDR PORT
 *
 * Binds ADDR:PORT and echoes every datagram back to its sender until it
 * gets one starting with "BYE" (or 3 s pass without traffic).  Most
 * datagrams are read into a 2048-byte buffer; datagram #5 is read with
 * recvfrom() into a 32-byte buffer and datagram #6 with recvmsg() into a
 * 16-byte buffer, so both arrive truncated (the tail is silently
 * discarded; recvmsg reports MSG_TRUNC).  Only what was read is echoed.
 */
#include "sample.h"
#include <sys/time.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s ADDR PORT\n", argv[0]);
        return 2;
    }
    struct sockaddr_storage addr, peer;
    socklen_t alen = make_addr(argv[1], atoi(argv[2]), &addr);
    alarm(SAMPLE_ALARM);

    int s = socket(addr.ss_family, SOCK_DGRAM, 0);
    CHECK(s);
    CHECK(bind(s, (struct sockaddr *)&addr, alen));
    struct timeval tv = { .tv_sec = 3 };          /* idle timeout */
    CHECK(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv));

    char buf[2048];
    for (int i = 1;; i++) {
        socklen_t plen = sizeof peer;
        ssize_t n;
        if (i == 5) {
            /* too-small buffer: 32 bytes of a larger datagram */
            n = recvfrom(s, buf, 32, 0, (struct sockaddr *)&peer, &plen);
        } else if (i == 6) {
            /* recvmsg with a 16-byte iovec: kernel sets MSG_TRUNC */
            struct iovec iov = { .iov_base = buf, .iov_len = 16 };
            struct msghdr mh = { .msg_name = &peer, .msg_namelen = plen,
                                 .msg_iov = &iov, .msg_iovlen = 1 };
            n = recvmsg(s, &mh, 0);
            plen = mh.msg_namelen;
            if (n >= 0 && (mh.msg_flags & MSG_TRUNC))
                printf("datagram %d truncated to %zd bytes\n", i, n);
        } else {
            n = recvfrom(s, buf, sizeof buf, 0, (struct sockaddr *)&peer, &plen);
        }
        if (n < 0) {
            WARN("recvfrom");                     /* idle timeout */
            break;
        }
        if (sendto(s, buf, n, 0, (struct sockaddr *)&peer, plen) < 0)
            WARN("sendto");
        if (n >= 3 && memcmp(buf, "BYE", 3) == 0)
            break;
    }
    close(s);
    return 0;
}
