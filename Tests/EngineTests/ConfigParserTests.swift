import Testing
import IR
@testable import Engine

@Suite struct ConfigParserTests {
    @Test func readsNetCheckSyntaxWithExtensions() throws {
        let config = try ConfigParser.parse("""
            # comment line
            ignore 127.0.0.1,53
            ignore 10.0.0.9
            host server   # trailing comment
             trace server.strace srv
             ip 192.168.1.10
             nat 192.168.1.10,3005 96.250.21.150,3001
             platform freebsd
            host
             trace /abs/client.strace platform=macos
            """, path: "cases/x/netcheck.conf")
        #expect(config.ignored == [IgnoredPeer(address: IPAddress("127.0.0.1")!, port: 53), IgnoredPeer(address: IPAddress("10.0.0.9")!)])
        #expect(config.hosts.count == 2)
        #expect(config.hosts[0].name == "server")
        #expect(config.hosts[0].traces[0].path == "cases/x/server.strace")
        #expect(config.hosts[0].traces[0].name == "srv")
        #expect(config.hosts[0].addresses == [IPAddress("192.168.1.10")!])
        #expect(config.hosts[0].platform == .freebsd)
        let nat = config.hosts[0].nats[0]
        #expect(nat.inbound(Endpoint("96.250.21.150:3001")!) == Endpoint("192.168.1.10:3005"))
        #expect(nat.inbound(Endpoint("96.250.21.150:3002")!) == nil)
        #expect(config.hosts[1].name == nil)
        #expect(config.hosts[1].traces[0].path == "/abs/client.strace")
        #expect(config.hosts[1].traces[0].platform == .macos)
    }

    @Test(arguments: [
        ("host\n trace\n", 2, "expected `trace FILE [NAME]`"),
        (" trace a.strace\n", 1, "must follow a `host` line"),
        ("host\n trace a\n ip 300.1.1.1\n", 3, "expected `ip ADDRESS`"),
        ("host\n trace a\n nat 1.2.3.4\n", 3, "expected `nat PRIVATE[,PORT] PUBLIC[,PORT]`"),
        ("host\n trace a\n frobnicate\n", 3, "unknown keyword `frobnicate`"),
        ("host\n trace a platform=beos\n", 2, "unknown platform `beos`"),
        ("ignore 1.2.3.4,http\nhost\n trace a\n", 1, "expected `ignore ADDRESS[,PORT]`"),
        ("# only a comment\n", 0, "no `trace` lines"),
    ])
    func errorsNameFileAndLine(text: String, line: Int, message: String) {
        do {
            _ = try ConfigParser.parse(text, path: "bad.conf")
            Issue.record("expected an error")
        } catch {
            #expect(error.line == line)
            #expect(error.description.hasPrefix("bad.conf"))
            #expect(error.message.contains(message), "\(error.message)")
        }
    }
}
