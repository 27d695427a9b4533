import Testing
import IR
@testable import Engine

@Suite struct UDPModelTests {
    static let receiverHeader = """
        socket(AF_INET, SOCK_DGRAM, IPPROTO_IP) = 3
        bind(3, {sa_family=AF_INET, sin_port=htons(5000), sin_addr=inet_addr("10.0.0.1")}, 16) = 0

        """

    static func send(_ size: Int) -> String {
        "sendto(3, \"\(String(repeating: "a", count: min(size, 32)))\"..., \(size), 0, {sa_family=AF_INET, sin_port=htons(5000), sin_addr=inet_addr(\"10.0.0.1\")}, 16) = \(size)\n"
    }

    static func receive(_ size: Int, buffer: Int = 65536) -> String {
        "recvfrom(3, \"\(String(repeating: "a", count: min(size, 32)))\"..., \(buffer), 0, {sa_family=AF_INET, sin_port=htons(6000), sin_addr=inet_addr(\"10.0.0.2\")}, [16]) = \(size)\n"
    }

    static let senderHeader = """
        socket(AF_INET, SOCK_DGRAM, IPPROTO_IP) = 3
        bind(3, {sa_family=AF_INET, sin_port=htons(6000), sin_addr=inet_addr("10.0.0.2")}, 16) = 0

        """

    @Test func deliveredDatagramsAreClean() throws {
        let sizes = [10, 200, 1000]
        let d = try diagnose([[("server.strace", Self.receiverHeader + sizes.map { Self.receive($0) }.joined())],
                              [("client.strace", Self.senderHeader + sizes.map(Self.send).joined())]], config: twoHostConfig)
        #expect(d.rules == ["no_network_fault"])
        let flow = try #require(d.statistics.sorted.first)
        #expect(flow.forward.datagramsSent == 3 && flow.forward.datagramsReceived == 3)
    }

    @Test func largeDatagramsLostIsMTU() throws {
        let sizes = [100, 500, 1400, 1600, 3000, 8000]
        let received = [100, 500, 1400]
        let d = try diagnose([[("server.strace", Self.receiverHeader + received.map { Self.receive($0) }.joined())],
                              [("client.strace", Self.senderHeader + sizes.map(Self.send).joined())]], config: twoHostConfig)
        #expect(d.rules.isSuperset(of: ["mtu", "datagram_loss"]))
        let loss = try #require(d.problem("datagram_loss"))
        #expect(d.traceNames(of: loss).contains("client.strace"))
    }

    @Test func scatteredLossIsNotMTU() throws {
        let sizes = [100, 1600, 500, 3000, 1400]
        let received = [1600, 3000]
        let d = try diagnose([[("server.strace", Self.receiverHeader + received.map { Self.receive($0) }.joined())],
                              [("client.strace", Self.senderHeader + sizes.map(Self.send).joined())]], config: twoHostConfig)
        #expect(d.rules.contains("datagram_loss"))
        #expect(!d.rules.contains("mtu"))
    }

    @Test func lossBelowThresholdIsNotReported() throws {
        let sizes = Array(repeating: 100, count: 40)
        let d = try diagnose([[("server.strace", Self.receiverHeader + Array(repeating: Self.receive(100), count: 39).joined())],
                              [("client.strace", Self.senderHeader + sizes.map(Self.send).joined())]], config: twoHostConfig,
                             options: DiagnosisOptions(datagramLossThreshold: 0.1))
        #expect(!d.rules.contains("datagram_loss"))
    }

    @Test func truncatedDatagram() throws {
        let d = try diagnose([[("server.strace", Self.receiverHeader + Self.receive(64, buffer: 64))],
                              [("client.strace", Self.senderHeader + Self.send(2048))]], config: twoHostConfig)
        #expect(d.codes("server.strace", line: 3) == ["MSGNOTSENT"])
        #expect(d.rules.contains("udp_datagram_truncated"))
    }

    @Test func broadcastWithoutPermission() throws {
        let client = """
            socket(AF_INET, SOCK_DGRAM, IPPROTO_IP) = 3
            sendto(3, "hi", 2, 0, {sa_family=AF_INET, sin_port=htons(5000), sin_addr=inet_addr("255.255.255.255")}, 16) = -1 EACCES (Permission denied)
            """
        let d = try diagnose([[("server.strace", Self.receiverHeader)], [("client.strace", client)]], config: twoHostConfig)
        #expect(d.codes("client.strace", line: 2) == ["EACCES"])
        #expect(d.findings.first { $0.code == "EACCES" }?.fix?.contains("SO_BROADCAST") == true)
    }
}
