import Testing
import IR
@testable import Parsers

/// What the strace front end makes of single lines, in every form strace writes.
@Suite struct StraceLineTests {
    @Test func plainCallWithAddressAndError() throws {
        let c = try call(#"connect(3, {sa_family=AF_INET, sin_port=htons(1), sin_addr=inet_addr("127.0.0.1")}, 16) = -1 ECONNREFUSED (Connection refused)"#)
        #expect(c.name == "connect")
        #expect(c.argument(0) == .descriptor(Descriptor(number: 3)))
        #expect(c.argument(1) == .address(.inet(.loopback, port: 1)))
        #expect(c.argument(2) == .integer(16))
        #expect(c.result?.error == ErrorCode(name: "ECONNREFUSED", number: 111))
        #expect(c.result?.errorMessage == "Connection refused")
        #expect(c.result?.integer == -1)
    }

    @Test func prefixesAndTimestamps() throws {
        let (evs, _) = try events("""
            [pid  8455] 07:36:11.840218 socket(AF_INET, SOCK_DGRAM, IPPROTO_IP) = 4
            6480  1795246545.994738 close(3) = 0
                 0.000127 close(4)                  = 0
            6547<net> 07:35:45 close(5) = 0
            6528  [  42] [00007fe8ad6e77c0] close(6) = 0 <0.000046>

            """)
        #expect(evs.map(\.frame.pid) == [8455, 6480, nil, 6547, 6528])
        #expect(evs[0].frame.time == Timestamp(kind: .timeOfDay, nanoseconds: (7 * 3600 + 36 * 60 + 11) * 1_000_000_000 + 840_218_000, text: "07:36:11.840218"))
        #expect(evs[1].frame.time?.kind == .epoch)
        #expect(evs[2].frame.time?.kind == .relative)
        #expect(evs[2].frame.time?.nanoseconds == 127_000)
        #expect(evs[3].frame.prefixText == "6547<net> ")
        #expect(evs[4].frame.infix == "[  42] [00007fe8ad6e77c0] ")
        #expect(evs[4].syscall?.result?.duration?.nanoseconds == 46_000)
    }

    @Test func yyDecorationsBecomeSocketInfo() throws {
        let c = try call("accept4(3<TCP:[127.0.0.1:5000]>, {sa_family=AF_INET, sin_port=htons(35758), sin_addr=inet_addr(\"127.0.0.1\")}, [16], SOCK_CLOEXEC) = 5<TCP:[127.0.0.1:5000->127.0.0.1:35758]>")
        #expect(c.name == "accept")
        #expect(c.writtenName == "accept4")
        guard case .descriptor(let d)? = c.result?.value else { Issue.record("result is not a descriptor"); return }
        #expect(d.number == 5)
        #expect(d.info?.socket?.local == Endpoint("127.0.0.1:5000"))
        #expect(d.info?.socket?.peer == Endpoint("127.0.0.1:35758"))
        let dup = try call("dup2(6<TCP:[1.2.3.4:5->6.7.8.9:10]>, 10</dev/null<char 1:3>>) = 10")
        guard case .descriptor(let target)? = dup.argument(1) else { Issue.record("not a descriptor"); return }
        #expect(target.info?.text == "/dev/null<char 1:3>")
        let v6 = try call("close(3<UDPv6:[[::]:48442]>) = 0")
        guard case .descriptor(let d6)? = v6.argument(0) else { Issue.record("not a descriptor"); return }
        #expect(d6.info?.socket?.local == Endpoint("[::]:48442"))
    }

    @Test(arguments: [
        #"{sa_family=AF_INET6, sin6_port=htons(6000), sin6_flowinfo=htonl(5), inet_pton(AF_INET6, "fe80::1", &sin6_addr), sin6_scope_id=if_nametoindex("lo")}"#,
        #"{sa_family=AF_INET6, sin6_port=htons(6000), inet_pton(AF_INET6, "fe80::1", &sin6_addr), sin6_flowinfo=5, sin6_scope_id=0}"#,
        #"{sa_family=0xa /* AF_INET6 */, sin6_port="\x17\x70" /* htons(6000) */, sin6_flowinfo="\x00\x00\x00\x05", sin6_addr="\xfe\x80\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01", sin6_scope_id=0}"#,
    ])
    func ipv6AddressesInEveryStraceSpelling(text: String) throws {
        let c = try call("bind(3, \(text), 28) = 0")
        guard case .address(let a)? = c.argument(1) else { Issue.record("no address in \(c.arguments)"); return }
        #expect(a.endpoint == Endpoint("[fe80::1]:6000"))
    }

    @Test func rawAndOldIPv4AndUnixSpellings() throws {
        let raw = try call(#"connect(0x3, {sa_family=0x2, sin_port="\x00\x01", sin_addr="\x7f\x00\x00\x01"}, 0x10) = -1 ECONNREFUSED (Connection refused)"#)
        #expect(raw.argument(1) == .address(.inet(.loopback, port: 1)))
        let old = try call(#"connect(3, {sa_family=AF_FILE, path="/var/run/nscd/socket"}, 110) = -1 ENOENT (No such file or directory)"#)
        #expect(old.argument(1) == .address(.unix(path: Array("/var/run/nscd/socket".utf8), abstract: false)))
        let abstract = try call(#"bind(3, {sa_family=AF_UNIX, sun_path=@"abstract-name"}, 16) = 0"#)
        #expect(abstract.argument(1) == .address(.unix(path: Array("abstract-name".utf8), abstract: true)))
        let netlink = try call("bind(3, {sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000010}, 12) = 0")
        #expect(netlink.argument(1) == .address(.netlink(pid: 0, groups: 16)))
        let edited = try call(#"connect(3, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("hostname")}, 16) = 0"#)
        guard case .structure = edited.argument(1) else { Issue.record("a hostname is not an address"); return }
    }

    @Test func stringsDecodeEscapesAndTruncation() throws {
        let c = try call(#"sendto(4, "GET / HTTP/1.0\r\nHost: x\r\n\r\n\1\377 bi"..., 37, 0, NULL, 0) = 37"#)
        guard case .bytes(let b)? = c.argument(1) else { Issue.record("no buffer"); return }
        #expect(b.truncated)
        #expect(Array(b.bytes.suffix(5)) == [1, 255, 32, 98, 105])
        let hex = try call(#"write(1, "\x68\x69\x0a", 3) = 3"#)
        #expect(hex.argument(1) == .bytes(Buffer(bytes: Array("hi\n".utf8))))
    }

    @Test func unknownNotationDegradesToRawText() throws {
        let c = try call("wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 10954")
        #expect(c.argument(1) == .array([.structure([Field(name: nil, value: .raw("WIFEXITED(s) && WEXITSTATUS(s) == 0"))])]))
        let odd = try call("set_thread_area({entry_number:6, base_addr:0xb76ff6c0, limit:1048575}) = 0")
        #expect(odd.argument(0) == .structure(["entry_number:6", "base_addr:0xb76ff6c0", "limit:1048575"].map {
            Field(name: nil, value: .raw($0))
        }))
        let unbalanced = try events("read(3, {a=[1, 2}, 3) = 3\n").0
        guard case .unparsed(let u) = unbalanced[0].kind else { Issue.record("unbalanced braces parsed"); return }
        #expect(u.reason.hasPrefix("expected"))
    }

    @Test func resultDecorationsAndRestarts() throws {
        let poll = try call("poll([{fd=4, events=POLLOUT}], 1, 1000) = 1 ([{fd=4, revents=POLLOUT}])")
        #expect(poll.result?.detail == "([{fd=4, revents=POLLOUT}])")
        let fcntl = try call("fcntl(4, F_GETFL) = 0x802 (flags O_RDWR|O_NONBLOCK)")
        #expect(fcntl.result?.value == .hex(0x802))
        #expect(fcntl.result?.detail == "(flags O_RDWR|O_NONBLOCK)")
        let restart = try call("accept(3, NULL, NULL)   = ? ERESTARTSYS (To be restarted if SA_RESTART is set)")
        #expect(restart.result?.value == .unknown)
        #expect(restart.result?.error?.isRestart == true)
        let injected = try call("socketpair(AF_UNIX, SOCK_STREAM, 0, 0x7ffc) = -1 EMFILE (Too many open files) (INJECTED)")
        #expect(injected.result?.injected == true)
        let unnamed = try call("ioctl(3, 0x1234) = -1 (errno 123)")
        #expect(unnamed.result?.error?.number == 123)
    }

    @Test func unfinishedAndResumedJoinByThread() throws {
        let (evs, _) = try events("""
            5837  accept4(3,  <unfinished ...>
            5838  poll([{fd=4, events=POLLOUT}], 1, 1000 <unfinished ...>
            5837  <... accept4 resumed>{sa_family=AF_INET, sin_port=htons(35680), sin_addr=inet_addr("127.0.0.1")}, [16], SOCK_CLOEXEC) = 5
            5838  <... poll resumed>)               = 1 ([{fd=4, revents=POLLOUT}])

            """)
        #expect(evs.count == 4)
        guard case .callStart(let start) = evs[0].kind else { Issue.record("no call start"); return }
        #expect(start.name == "accept")
        let accept = try #require(evs[2].syscall)
        #expect(evs[2].lines.all == [1, 3])
        #expect(evs[2].frame.pid == 5837)
        #expect(accept.arguments.count == 4)
        #expect(accept.argument(1) == .address(.inet(.loopback, port: 35680)))
        #expect(accept.result?.value == .descriptor(Descriptor(number: 5)))
        #expect(evs[3].lines.all == [2, 4])
    }

    @Test func callsNeverResumedEndTheTrace() throws {
        let (evs, _) = try events("""
            9202  recvfrom(4,  <unfinished ...>
            9202  <... recvfrom resumed> <unfinished ...>) = ?
            9202  +++ killed by SIGKILL +++
            9201  accept(3, NULL, NULL <detached ...>
            9203  read(5,  <unfinished ...>

            """)
        #expect(evs.compactMap(\.syscall).map(\.outcome.isReturned) == [true, false, false])
        guard case .exit(let x) = evs[2].kind else { Issue.record("no exit"); return }
        #expect(x.cause == .killed(signal: "SIGKILL", coreDumped: false))
    }

    @Test func signalsAndExits() throws {
        let (evs, _) = try events("""
            --- SIGPIPE {si_signo=SIGPIPE, si_code=SI_USER, si_pid=5837, si_uid=0} ---
            [pid 10950] --- SIGCHLD (Child exited) @ 0 (0) ---
            +++ exited with 3 +++
            +++ killed by SIGSEGV (core dumped) +++

            """)
        guard case .signal(let s) = evs[0].kind, case .signal(let old) = evs[1].kind,
              case .exit(let e) = evs[2].kind, case .exit(let k) = evs[3].kind else { Issue.record("kinds: \(evs.map(\.kind))"); return }
        #expect(s.name == "SIGPIPE")
        #expect(old.name == "SIGCHLD")
        #expect(e.cause == .exited(status: 3))
        #expect(k.cause == .killed(signal: "SIGSEGV", coreDumped: true))
    }

    @Test func tracerMessagesCuttingACallAreJoined() throws {
        let (evs, reg) = try events("""
            clone(Process 10951 attached (waiting for parent)
            Process 10951 resumed (parent 10950 ready)
            child_stack=0xb64c7314, flags=CLONE_VM|CLONE_THREAD, child_tidptr=0xb64c7bd8) = 10951
            07:36:11.839820 clone3({flags=CLONE_VM|CLONE_THREAD, exit_signal=0}strace: Process 8455 attached
             => {parent_tid=[8455]}, 88) = 8455

            """)
        let calls = evs.compactMap(\.syscall)
        #expect(calls.count == 2)
        #expect(calls.map { $0.result?.integer } == [10951, 8455])
        #expect(calls[0].arguments.count == 3)
        #expect(evs.filter { if case .unparsed = $0.kind { return true }; return false }.isEmpty)
        #expect(render(evs, reg) == """
            clone(Process 10951 attached (waiting for parent)
            Process 10951 resumed (parent 10950 ready)
            child_stack=0xb64c7314, flags=CLONE_VM|CLONE_THREAD, child_tidptr=0xb64c7bd8) = 10951
            07:36:11.839820 clone3({flags=CLONE_VM|CLONE_THREAD, exit_signal=0}strace: Process 8455 attached
             => {parent_tid=[8455]}, 88) = 8455

            """)
    }

    @Test func aMessageInsideAStringIsNotACut() throws {
        let c = try call(#"write(2, "strace: Process 5 attached\n", 27) = 27"#)
        #expect(c.result?.integer == 27)
        #expect(c.argument(1) == .bytes(Buffer(bytes: Array("strace: Process 5 attached\n".utf8))))
    }

    @Test func continuationLinesAttachToTheirCall() throws {
        let (evs, _) = try events("""
            connect(3, {sa_family=AF_INET, sin_port=htons(1), sin_addr=inet_addr("127.0.0.1")}, 16) = 0
             > /usr/lib/x86_64-linux-gnu/libc.so.6(__connect+0x10) [0x10a7c0]
             > /usr/bin/net(main+0x20) [0x1234]
            write(4, "GET", 3) = 3
             | 00000  47 45 54                                          GET              |

            """)
        #expect(evs.count == 2)
        #expect(evs[0].continuation.map(\.kind) == [.stackFrame, .stackFrame])
        #expect(evs[1].continuation.map(\.kind) == [.dataDump])
        #expect(evs[1].lines.continuationCount == 1)
    }

    @Test func brokenLinesAreKeptAsUnparsedWithAColumn() throws {
        let (evs, _) = try events("""
            connect(3, {sa_family=AF_INET, sin_port=htons(1) = 0
            this is not strace
            close(3) = 0

            """)
        guard case .unparsed(let u) = evs[0].kind, case .unparsed(let v) = evs[1].kind else {
            Issue.record("kinds: \(evs.map(\.kind))"); return
        }
        #expect(u.reason.hasPrefix("expected"))
        #expect(v.column == 1)
        #expect(evs[2].syscall?.name == "close")
    }

    @Test func overlongDigitRunsInTimesAreReadWithoutTrapping() throws {
        let text = """
            6480  07:35:45.9775840001 close(3) = 0 <0.0000460001>
            6480  999999999999.000001 close(3) = 0
            6480  07:35:45.977584 close(3) = 0 <99999999999999999999.5>

            """
        let (evs, registry) = try events(text)
        #expect(evs.count == 3)
        let expected: Int64 = 27_345_977_584_000  // 07:35:45.977584: digits past the ninth are dropped
        #expect(evs[0].frame.time?.nanoseconds == expected)
        #expect(evs[0].syscall?.result?.duration?.nanoseconds == 46_000)
        guard case .unparsed = evs[1].kind else { Issue.record("an epoch past 64-bit nanoseconds is not a timestamp"); return }
        #expect(evs[2].syscall?.result?.duration == nil)
        #expect(render(evs, registry) == text)
    }
}

extension CallOutcome {
    var isReturned: Bool { if case .returned = self { return true }; return false }
}
