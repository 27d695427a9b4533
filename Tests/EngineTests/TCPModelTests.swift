import Foundation
import Testing
import IR
@testable import Engine

@Suite struct TCPModelTests {
    @Test func healthyExchangeHasNoFault() throws {
        let d = try diagnose([[("server.strace", echoServer)], [("client.strace", echoClient)]], config: twoHostConfig)
        #expect(d.rules == ["no_network_fault"])
        #expect(d.findings.filter { $0.severity != .info }.isEmpty)
        #expect(d.ordering.stalls == 0)
        let flow = try #require(d.statistics.sorted.first)
        #expect(flow.connections == 1)
        #expect(flow.forward.bytesSent == 4 && flow.forward.bytesReceived == 4 && flow.forward.bytesLost == 0)
        #expect(flow.backward.bytesSent == 4 && flow.backward.bytesReceived == 4)
    }

    @Test func connectBeforeListenWaitsForTheListen() throws {
        // The client trace comes first, but its connect succeeded, so it must be ordered after listen.
        let d = try diagnose([[("client.strace", echoClient)], [("server.strace", echoServer)]], config: """
            host client
             trace client.strace
             ip 10.0.0.2
            host server
             trace server.strace
             ip 10.0.0.1
            """)
        #expect(d.rules == ["no_network_fault"])
        #expect(d.ordering.rejections > 0)
        #expect(d.ordering.stalls == 0)
    }

    @Test func alteredDataIsFlagged() throws {
        let client = echoClient.replacingOccurrences(of: "recv(3, \"pong\"", with: "recv(3, \"pang\"")
        let d = try diagnose([[("server.strace", echoServer)], [("client.strace", client)]], config: twoHostConfig)
        #expect(d.codes("client.strace", line: 4) == ["MSG_DONT_MATCH"])
    }

    @Test func dataNeverSentIsFlagged() throws {
        let client = echoClient.replacingOccurrences(of: "recv(3, \"pong\", 100, 0) = 4", with: "recv(3, \"pong!!\", 100, 0) = 6")
        let d = try diagnose([[("server.strace", echoServer)], [("client.strace", client)]], config: twoHostConfig)
        #expect(d.codes("client.strace", line: 4).contains("MSGNOTSENT"))
    }

    @Test func refusedBeforeListenIsConnectionRefused() throws {
        let client = """
            socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3
            connect(3, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("10.0.0.1")}, 16) = -1 ECONNREFUSED (Connection refused)
            close(3) = 0
            """
        let server = """
            socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3
            bind(3, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("10.0.0.1")}, 16) = 0
            listen(3, 5) = 0
            close(3) = 0
            """
        let d = try diagnose([[("server.strace", server)], [("client.strace", client)]], config: twoHostConfig)
        #expect(d.codes("client.strace", line: 2) == ["ECONNREFUSED"])
        let problem = try #require(d.problem("connection_refused"))
        #expect(d.traceNames(of: problem) == ["client.strace", "server.strace"])
        #expect(!d.rules.contains("connect_to_unlistened_port"))
    }

    @Test func refusedOnAnotherPortIsAnUnlistenedPort() throws {
        let client = """
            socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3
            connect(3, {sa_family=AF_INET, sin_port=htons(81), sin_addr=inet_addr("10.0.0.1")}, 16) = -1 ECONNREFUSED (Connection refused)
            """
        let d = try diagnose([[("server.strace", echoServer)], [("client.strace", client)]], config: twoHostConfig)
        #expect(d.rules.contains("connect_to_unlistened_port"))
        #expect(!d.rules.contains("connection_refused"))
    }

    @Test func closeWithUnreadDataResetsThePeer() throws {
        let server = """
            socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3
            bind(3, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("0.0.0.0")}, 16) = 0
            listen(3, 5) = 0
            accept(3, {sa_family=AF_INET, sin_port=htons(40000), sin_addr=inet_addr("10.0.0.2")}, [16]) = 4
            close(4) = 0
            """
        let client = """
            socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3
            connect(3, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("10.0.0.1")}, 16) = 0
            send(3, "hello", 5, 0) = 5
            recv(3, 0x7ffc, 100, 0) = -1 ECONNRESET (Connection reset by peer)
            close(3) = 0
            """
        let d = try diagnose([[("server.strace", server)], [("client.strace", client)]], config: twoHostConfig)
        #expect(d.codes("server.strace", line: 5) == ["NONEMPTY_BUFFERS"])
        #expect(d.codes("client.strace", line: 4) == ["ECONNRESET"])
        #expect(d.rules.isSuperset(of: ["application_data_loss", "peer_reset"]))
    }

    @Test func nonBlockingConnectThatNeverConnects() throws {
        let client = """
            socket(AF_INET, SOCK_STREAM|SOCK_NONBLOCK, IPPROTO_IP) = 3
            connect(3, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("10.0.0.1")}, 16) = -1 EINPROGRESS (Operation now in progress)
            close(3) = 0
            """
        let d = try diagnose([[("server.strace", "socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3\n")], [("client.strace", client)]], config: twoHostConfig)
        #expect(d.rules.contains("nonblocking_connect_failure"))
        #expect(d.codes("client.strace", line: 2) == ["EINPROGRESS"])
    }

    @Test func nonBlockingConnectCompletedByAccept() throws {
        let client = """
            socket(AF_INET, SOCK_STREAM|SOCK_NONBLOCK, IPPROTO_IP) = 3
            connect(3, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("10.0.0.1")}, 16) = -1 EINPROGRESS (Operation now in progress)
            poll([{fd=3, events=POLLOUT}], 1, 1000) = 1 ([{fd=3, revents=POLLOUT}])
            getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]) = 0
            send(3, "ping", 4, 0) = 4
            poll([{fd=3, events=POLLIN}], 1, 1000) = 1 ([{fd=3, revents=POLLIN}])
            recv(3, "pong", 100, 0) = 4
            recv(3, "", 100, 0) = 0
            close(3) = 0
            """
        let d = try diagnose([[("server.strace", echoServer)], [("client.strace", client)]], config: twoHostConfig)
        #expect(d.rules == ["no_network_fault"])
    }

    @Test func acceptWithoutConnectIsIgnoredAccept() throws {
        let d = try diagnose([[("server.strace", echoServer)], [("client.strace", "socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3\n")]], config: twoHostConfig)
        #expect(d.codes("server.strace", line: 4) == ["NO_PENDING_CONN"])
        #expect(d.rules.contains("ignored_accepts"))
        #expect(d.ordering.stalls > 0)
    }

    @Test func sourceAddressRewrittenIsANAT() throws {
        // The client's own address is 10.0.0.2 but the server sees 192.0.2.7.
        let server = echoServer.replacingOccurrences(of: "10.0.0.2", with: "192.0.2.7")
        let client = """
            socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3
            bind(3, {sa_family=AF_INET, sin_port=htons(0), sin_addr=inet_addr("10.0.0.2")}, 16) = 0
            connect(3, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("10.0.0.1")}, 16) = 0
            send(3, "ping", 4, 0) = 4
            recv(3, "pong", 100, 0) = 4
            close(3) = 0
            """
        let d = try diagnose([[("server.strace", server)], [("client.strace", client)]], config: twoHostConfig)
        #expect(d.rules.contains("client_behind_nat"))
        let declared = try diagnose([[("server.strace", server)], [("client.strace", client)]], config: twoHostConfig + "\n nat 10.0.0.2 192.0.2.7\n")
        #expect(!declared.rules.contains("client_behind_nat"))
        #expect(declared.rules.contains("nat_traversal"))
    }

    @Test func acceptInheritsNonBlockingOnlyOnBSD() throws {
        let server = """
            socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3
            fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0
            bind(3, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("0.0.0.0")}, 16) = 0
            listen(3, 5) = 0
            accept(3, {sa_family=AF_INET, sin_port=htons(40000), sin_addr=inet_addr("10.0.0.2")}, [16]) = 4
            recv(4, 0x1000, 100, 0) = -1 EAGAIN (Resource temporarily unavailable)
            recv(4, "ping", 100, 0) = 4
            close(4) = 0
            """
        let client = """
            socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3
            connect(3, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("10.0.0.1")}, 16) = 0
            send(3, "ping", 4, 0) = 4
            close(3) = 0
            """
        let linux = try diagnose([[("server.strace", server)], [("client.strace", client)]], config: twoHostConfig)
        #expect(linux.codes("server.strace", line: 6) == ["COULD_HAVE_BLOCKED"])
        let bsd = try diagnose([[("server.strace", server)], [("client.strace", client)]],
                               config: twoHostConfig.replacingOccurrences(of: " ip 10.0.0.1", with: " ip 10.0.0.1\n platform freebsd"))
        #expect(bsd.codes("server.strace", line: 6) == ["EWOULDBLOCK"])
    }

    @Test func forkedChildInheritsTheConnection() throws {
        let server = """
            100 socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3
            100 bind(3, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("0.0.0.0")}, 16) = 0
            100 listen(3, 5) = 0
            100 accept(3, {sa_family=AF_INET, sin_port=htons(40000), sin_addr=inet_addr("10.0.0.2")}, [16]) = 4
            100 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f) = 101
            100 close(4) = 0
            101 recv(4, "ping", 100, 0) = 4
            101 send(4, "pong", 4, 0) = 4
            101 close(4) = 0
            """
        let d = try diagnose([[("server.strace", server)], [("client.strace", echoClient)]], config: twoHostConfig)
        #expect(d.rules == ["no_network_fault"], "\(d.problems)")
    }

    @Test func closeFromAnotherThreadWhileBlocked() throws {
        let client = """
            200 socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3
            200 connect(3, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("10.0.0.1")}, 16) = 0
            200 clone(child_stack=0x7f, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM) = 201
            200 recv(3,  <unfinished ...>
            201 close(3) = 0
            200 <... recv resumed> "", 100, 0) = 0
            """
        let server = """
            socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3
            bind(3, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("0.0.0.0")}, 16) = 0
            listen(3, 5) = 0
            accept(3, {sa_family=AF_INET, sin_port=htons(40000), sin_addr=inet_addr("10.0.0.2")}, [16]) = 4
            close(4) = 0
            """
        let d = try diagnose([[("server.strace", server)], [("client.strace", client)]], config: twoHostConfig)
        #expect(d.rules.contains("socket_closed_by_other_thread"))
    }
}
