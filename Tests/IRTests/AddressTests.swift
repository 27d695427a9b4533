import Testing
@testable import IR

@Suite struct AddressTests {
    @Test func ipv4ParsesAndPrints() {
        #expect(IPv4Address("127.0.0.1") == .loopback)
        #expect(IPv4Address("10.0.0.196")?.description == "10.0.0.196")
        #expect(IPv4Address("256.1.1.1") == nil)
        #expect(IPv4Address("1.2.3") == nil)
        #expect(IPv4Address("hostname") == nil)
        #expect(IPv4Address("255.255.255.255")!.isBroadcast)
    }

    @Test(arguments: [
        ("::1", "::1"), ("::", "::"), ("fe80::1", "fe80::1"), ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
        ("::ffff:128.238.38.66", "::ffff:128.238.38.66"), ("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"),
    ])
    func ipv6RoundTrips(text: String, canonical: String) {
        #expect(IPv6Address(text)?.description == canonical)
    }

    @Test func ipv6RejectsMalformed() {
        #expect(IPv6Address("1::2::3") == nil)
        #expect(IPv6Address("12345::") == nil)
        #expect(IPv6Address("1:2:3:4:5:6:7") == nil)
    }

    @Test func mappedAddressesFoldToIPv4() {
        let mapped = IPv6Address("::ffff:10.0.0.1")!
        #expect(mapped.mappedIPv4 == IPv4Address("10.0.0.1"))
        #expect(IPAddress.v6(mapped).unmapped == .v4(IPv4Address("10.0.0.1")!))
        #expect(SocketAddress.inet6(mapped, port: 80, flowInfo: 0, scopeID: 0).isIPv4Mapped)
        #expect(IPv6Address.loopback.mappedIPv4 == nil)
    }

    @Test func endpointsParseBothFamilies() {
        #expect(Endpoint("127.0.0.1:5000") == Endpoint(address: .v4(.loopback), port: 5000))
        #expect(Endpoint("[::]:48442") == Endpoint(address: .v6(.any), port: 48442))
        #expect(Endpoint("[::1]:80")?.description == "[::1]:80")
        #expect(Endpoint("127.0.0.1") == nil)
    }

    @Test func errnoNumbersDependOnPlatform() {
        #expect(ErrorCode(name: "ECONNREFUSED", platform: .linux).number == 111)
        #expect(ErrorCode(name: "ECONNREFUSED", platform: .freebsd).number == 61)
        #expect(ErrorCode(name: "ECONNREFUSED", platform: .solaris).number == 146)
        #expect(ErrnoTable.name(of: 115, on: .linux) == "EINPROGRESS")
        #expect(ErrnoTable.name(of: 36, on: .macos) == "EINPROGRESS")
        #expect(ErrorCode(name: "EAGAIN", number: 11).canonicalName == "EWOULDBLOCK")
    }

    @Test func timestampsFormatByKind() {
        #expect(Timestamp(kind: .timeOfDay, nanoseconds: (7 * 3600 + 35 * 60 + 45) * 1_000_000_000 + 977_538_000).text == "07:35:45.977538")
        #expect(Timestamp(kind: .epoch, nanoseconds: 1_795_246_545_994_738_000).text == "1795246545.994738")
        #expect(Timestamp(kind: .epoch, nanoseconds: 1_500_000_000, fractionDigits: 9).text == "1.500000000")
    }
}
