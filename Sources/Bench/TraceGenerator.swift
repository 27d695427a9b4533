#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SplitMix64: a tiny seeded pseudo-random generator, so a given size always yields the same trace.
struct SplitMix64 {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<n`.
    mutating func below(_ n: Int) -> Int { Int(truncatingIfNeeded: next() % UInt64(n)) }
    /// A number in `range`.
    mutating func within(_ range: ClosedRange<Int>) -> Int { range.lowerBound + below(range.count) }
    /// True `p` times in 100.
    mutating func percent(_ p: Int) -> Bool { below(100) < p }
    /// True once in `n` times.
    mutating func oneIn(_ n: Int) -> Bool { below(n) == 0 }
}

/// Collects trace text in a byte buffer and writes it to a file descriptor in ~1 MB chunks,
/// so the trace is never held in memory whole.
struct ChunkedWriter {
    static let chunk = 1 << 20
    private let fd: Int32
    private(set) var buffer: [UInt8] = []
    private(set) var flushed = 0

    init(fd: Int32) {
        self.fd = fd
        buffer.reserveCapacity(Self.chunk + (64 << 10))
    }

    /// Bytes written so far, flushed or not.
    var total: Int { flushed + buffer.count }

    mutating func append(_ s: String) { buffer.append(contentsOf: s.utf8) }
    mutating func append(byte: UInt8) { buffer.append(byte) }
    mutating func spaces(_ n: Int) { for _ in 0..<n { buffer.append(0x20) } }

    /// Appends `value` (not negative) in decimal, zero-padded to `width` digits.
    mutating func append(_ value: Int, width: Int = 1) {
        var digits = 1
        var t = value
        while t >= 10 { t /= 10; digits += 1 }
        let start = buffer.count
        for _ in 0..<max(digits, width) { buffer.append(0x30) }
        var v = value
        var k = buffer.count - 1
        while v > 0 && k >= start {
            buffer[k] = UInt8(v % 10) + 0x30
            v /= 10
            k -= 1
        }
    }

    mutating func flushIfFull() {
        if buffer.count >= Self.chunk { flush() }
    }

    mutating func flush() {
        buffer.withUnsafeBytes { p in
            var done = 0
            while done < p.count {
                let n = write(fd, p.baseAddress! + done, p.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    fail("cannot write the trace: \(String(cString: strerror(errno)))")
                }
                done += n
            }
        }
        flushed += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }
}

/// One system call as strace prints it, before it is laid out on one line or split in two.
struct Call {
    var name: String
    /// Arguments strace prints when the call starts.
    var entry: [String]
    /// Arguments strace prints only when the call returns (buffers read, peer addresses).
    var exit: [String] = []
    /// The text after `= `.
    var result: String
    /// False for calls strace shows no `<duration>` for (`exit_group`).
    var timed = true
    /// Whether the call may block, and so be printed as `<unfinished ...>` / `<... resumed>`.
    var blocking = false
}

/// One line (or split pair) a simulated process will print next.
enum Step {
    case call(Call)
    /// `--- SIGxxx {...} ---`
    case signal(String)
    /// `+++ exited with N +++`; the process's pid is retired and a new one waits to be cloned.
    case exited(Int32)
    /// The parent's `clone(...) = pid` that brings actor `index` back to life as `pid`.
    case spawn(index: Int, pid: Int32)
}

/// What a simulated process does: serve on 127.0.0.1:5000, make TCP requests, or resolve names.
enum Role { case server, client, resolver }

/// A simulated process of the traced program, with its own script of steps.
struct Actor {
    var pid: Int32
    var role: Role
    var queue: [Step] = []
    var head = 0
    /// A call printed as `<unfinished ...>`, with the time it started (µs).
    var pending: (call: Call, start: Int)?
    /// Exited and not yet cloned again.
    var dormant = false
    var nextFD: Int

    init(pid: Int32, role: Role) {
        self.pid = pid
        self.role = role
        nextFD = role == .server ? 5 : 3
    }
}

/// Writes a synthetic `strace -f -tt -T -yy -s 200` trace of a small network program: a server
/// thread accepting on 127.0.0.1:5000, client processes making HTTP and TLS requests (IPv4 and
/// IPv6, some refused or reset), and a resolver sending DNS queries over UDP. Calls interleave
/// between pids, blocking calls are sometimes split into `<unfinished ...>` / `<... resumed>`,
/// and signals and process exits appear rarely. Deterministic for a given seed.
struct TraceGenerator {
    private var rng: SplitMix64
    private var out: ChunkedWriter
    private var actors: [Actor] = []
    /// Local ports of clients that connected to the server and wait to be accepted.
    private var backlog: [Int] = []
    private var backlogHead = 0
    /// Microseconds since midnight.
    private var now = (7 * 3600 + 35 * 60 + 45) * 1_000_000 + 977_538
    private var inode = 10113
    private var port = 35758
    private var nextPID: Int32 = 6488
    private(set) var lines = 0

    init(fd: Int32, seed: UInt64 = 0x6E65_7463_6865_636B) {
        rng = SplitMix64(seed: seed)
        out = ChunkedWriter(fd: fd)
        actors.append(Actor(pid: 6480, role: .server))
        for k in 0..<6 { actors.append(Actor(pid: 6481 + Int32(k), role: .client)) }
        actors.append(Actor(pid: 6487, role: .resolver))
    }

    /// Writes lines until at least `bytes` bytes are out, then lets every process finish and exit.
    /// Returns the bytes written.
    mutating func generate(bytes target: Int) -> Int {
        while out.total < target {
            // The server does a share of everyone's work, so it is picked more often.
            var i = rng.below(actors.count + 3)
            if i >= actors.count { i = 0 }
            if actors[i].dormant { continue }
            advance(i)
            out.flushIfFull()
        }
        // Finish: resume what is open, then every process exits (the server last).
        for i in actors.indices.reversed() where !actors[i].dormant {
            if actors[i].pending != nil { advance(i) }
            emit(actors[i].pid, call: Call(name: "exit_group", entry: ["0"], result: "?", timed: false))
            exitLine(actors[i].pid, status: 0)
        }
        out.flush()
        return out.total
    }

    /// Prints the next line of actor `i`.
    private mutating func advance(_ i: Int) {
        if let (call, start) = actors[i].pending {
            actors[i].pending = nil
            resumeLine(actors[i].pid, call: call, started: start)
            return
        }
        if actors[i].head == actors[i].queue.count {
            actors[i].queue.removeAll(keepingCapacity: true)
            actors[i].head = 0
            script(i)
        }
        let step = actors[i].queue[actors[i].head]
        actors[i].head += 1
        let pid = actors[i].pid
        switch step {
        case .call(let call):
            if call.blocking && rng.percent(25) {
                actors[i].pending = (call, now)
                unfinishedLine(pid, call: call)
            } else {
                emit(pid, call: call)
            }
        case .signal(let text):
            prefix(pid)
            out.append("--- ")
            out.append(text)
            out.append(" ---")
            endLine()
        case .exited(let status):
            exitLine(pid, status: status)
            actors[i].dormant = true
            let child = nextPID
            nextPID += 1
            let s = Int(status)
            // The parent reaps the child and starts a new one in its place.
            var parent = actors[0]
            parent.queue.insert(contentsOf: [
                .signal("SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=\(pid), si_uid=1000, si_status=\(s), si_utime=0, si_stime=0}"),
                .call(Call(name: "wait4", entry: ["\(pid)", "[{WIFEXITED(s) && WEXITSTATUS(s) == \(s)}]", "WNOHANG", "NULL"],
                           result: "\(pid)")),
                .spawn(index: i, pid: child),
            ], at: parent.head)
            actors[0] = parent
        case .spawn(let index, let child):
            emit(pid, call: Call(name: "clone", entry: ["child_stack=NULL", "flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD",
                                                        "child_tidptr=0x7f804103ba10"], result: "\(child)"))
            actors[index].pid = child
            actors[index].dormant = false
            actors[index].queue.removeAll()
            actors[index].head = 0
        }
    }

    // MARK: Line layout

    private mutating func tick() { now += 1 + rng.below(48) }

    /// `6480  07:35:45.977538 `
    private mutating func prefix(_ pid: Int32) {
        tick()
        out.append(Int(pid))
        out.spaces(pid >= 10000 ? 1 : 2)
        let t = now % (86_400 * 1_000_000)
        out.append(t / 3_600_000_000, width: 2)
        out.append(byte: 0x3A)
        out.append(t / 60_000_000 % 60, width: 2)
        out.append(byte: 0x3A)
        out.append(t / 1_000_000 % 60, width: 2)
        out.append(byte: 0x2E)
        out.append(t % 1_000_000, width: 6)
        out.append(byte: 0x20)
    }

    private mutating func endLine() {
        out.append(byte: 0x0A)
        lines += 1
    }

    private mutating func arguments(_ args: [String]) {
        for (k, a) in args.enumerated() {
            if k > 0 { out.append(", ") }
            out.append(a)
        }
    }

    /// `) = result <0.000021>`, with `=` in column 40 as strace aligns it.
    private mutating func result(_ call: Call, lineStart: Int, duration: Int) {
        out.append(byte: 0x29)
        let column = out.buffer.count - lineStart
        out.spaces(column < 40 ? 40 - column : 1)
        out.append("= ")
        out.append(call.result)
        if call.timed {
            out.append(" <")
            out.append(duration / 1_000_000)
            out.append(byte: 0x2E)
            out.append(duration % 1_000_000, width: 6)
            out.append(byte: 0x3E)
        }
        endLine()
    }

    private mutating func randomDuration(_ call: Call) -> Int {
        if call.name == "poll" && rng.percent(30) { return rng.within(1_000...250_000) }
        return rng.within(4...160)
    }

    private mutating func emit(_ pid: Int32, call: Call) {
        let start = out.buffer.count
        prefix(pid)
        out.append(call.name)
        out.append(byte: 0x28)
        arguments(call.entry + call.exit)
        result(call, lineStart: start, duration: randomDuration(call))
    }

    /// `recvfrom(5<TCP:[...]>,  <unfinished ...>`, `close(5<TCP:[...]> <unfinished ...>`
    private mutating func unfinishedLine(_ pid: Int32, call: Call) {
        prefix(pid)
        out.append(call.name)
        out.append(byte: 0x28)
        arguments(call.entry)
        if !call.exit.isEmpty { out.append(", ") }
        out.append(" <unfinished ...>")
        endLine()
    }

    /// `<... recvfrom resumed>"GET / HTTP/1.0\r\n"..., 4096, 0, NULL, NULL) = 37 <0.000100>`
    private mutating func resumeLine(_ pid: Int32, call: Call, started: Int) {
        let start = out.buffer.count
        prefix(pid)
        out.append("<... ")
        out.append(call.name)
        out.append(" resumed>")
        arguments(call.exit)
        result(call, lineStart: start, duration: now - started + rng.within(1...9))
    }

    private mutating func exitLine(_ pid: Int32, status: Int32) {
        prefix(pid)
        out.append("+++ exited with ")
        out.append(Int(status))
        out.append(" +++")
        endLine()
    }

    // MARK: Scripts

    /// Queues actor `i`'s next session.
    private mutating func script(_ i: Int) {
        var steps: [Step] = []
        switch actors[i].role {
        case .server: serverSession(&steps, pid: actors[i].pid)
        case .client: clientSession(&steps, actor: i)
        case .resolver: resolverSession(&steps)
        }
        actors[i].queue = steps
    }

    private mutating func newInode() -> Int { inode += 1; return inode }
    private mutating func newPort() -> Int {
        port = port >= 60999 ? 32768 : port + 1
        return port
    }

    private mutating func bufferAddress() -> String {
        "0x7ffc" + String(0x2094_0000 + rng.below(0xFFFF) * 16, radix: 16)
    }

    private static let listener = "3<TCP:[127.0.0.1:5000]>"

    private mutating func serverSession(_ s: inout [Step], pid: Int32) {
        guard backlogHead < backlog.count else {
            // Nothing to accept: wait a little.
            if rng.percent(70) {
                s.append(.call(Call(name: "poll", entry: ["[{fd=\(Self.listener), events=POLLIN}]", "1", "100"],
                                    result: "0 (Timeout)", blocking: true)))
            } else {
                s.append(.call(Call(name: "accept4", entry: [Self.listener, "\(bufferAddress())", "[16]", "SOCK_CLOEXEC"],
                                    result: "-1 EAGAIN (Resource temporarily unavailable)")))
            }
            return
        }
        let peer = backlog[backlogHead]
        backlogHead += 1
        if backlogHead > 1024 {
            backlog.removeFirst(backlogHead)
            backlogHead = 0
        }
        let fd = 5 + rng.below(3)
        let ep = "\(fd)<TCP:[127.0.0.1:5000->127.0.0.1:\(peer)]>"
        s.append(.call(Call(name: "accept4", entry: [Self.listener],
                            exit: ["{sa_family=AF_INET, sin_port=htons(\(peer)), sin_addr=inet_addr(\"127.0.0.1\")}", "[16]", "SOCK_CLOEXEC"],
                            result: ep, blocking: true)))
        if rng.percent(20) {
            s.append(.call(Call(name: "setsockopt", entry: [ep, "SOL_SOCKET", "SO_SNDBUF", "[262144]", "4"], result: "0")))
        }
        let exchanges = rng.within(1...3)
        for _ in 0..<exchanges {
            let request = httpRequest()
            s.append(.call(Call(name: "recvfrom", entry: [ep], exit: [quote(request, length: request.count), "4096", "0", "NULL", "NULL"],
                                result: "\(request.count)", blocking: true)))
            let (response, length) = httpResponse()
            if rng.percent(30) {
                let split = min(response.count, rng.within(40...120))
                s.append(.call(Call(name: "writev", entry: [ep, "[{iov_base=\(quote(Array(response[..<split]), length: split)), iov_len=\(split)}, {iov_base=\(quote(Array(response[split...]), length: length - split)), iov_len=\(length - split)}]", "2"],
                                    result: "\(length)", blocking: true)))
            } else if rng.percent(3) {
                s.append(.call(Call(name: "sendto", entry: [ep, quote(response, length: length), "\(length)", "0", "NULL", "0"],
                                    result: "-1 EPIPE (Broken pipe)")))
                s.append(.signal("SIGPIPE {si_signo=SIGPIPE, si_code=SI_USER, si_pid=\(pid), si_uid=1000}"))
                break
            } else {
                s.append(.call(Call(name: "sendto", entry: [ep, quote(response, length: length), "\(length)", "MSG_NOSIGNAL", "NULL", "0"],
                                    result: "\(length)")))
            }
        }
        if rng.percent(10) {
            s.append(.call(Call(name: "getsockopt", entry: [ep, "SOL_SOCKET", "SO_ERROR"], exit: ["[0]", "[4]"], result: "0")))
        }
        s.append(.call(Call(name: "close", entry: [ep], result: "0", blocking: true)))
    }

    private mutating func clientSession(_ s: inout [Step], actor i: Int) {
        let fd = actors[i].nextFD
        actors[i].nextFD = fd == 9 ? 3 : fd + 1
        let lport = newPort()
        let ino = newInode()
        let pick = rng.below(100)
        let v6 = pick >= 85 && pick < 95
        let tls = pick >= 50 && pick < 85
        let refused = pick >= 95
        let family = v6 ? "AF_INET6" : "AF_INET"
        let proto = v6 ? "TCPv6" : "TCP"
        let fresh = "\(fd)<\(proto):[\(ino)]>"
        let remote: (host: String, port: Int)
        if v6 { remote = ("2001:db8::\(String(rng.within(1...0xff), radix: 16))", 8080) }
        else if tls { remote = ("10.20.\(rng.below(8)).\(rng.within(1...254))", 443) }
        else if refused { remote = ("127.0.0.1", 5001) }
        else { remote = ("127.0.0.1", 5000) }
        let local = v6 ? "2001:db8::aa" : (remote.host.hasPrefix("127.") ? "127.0.0.1" : "10.20.0.17")
        let ep = v6 ? "\(fd)<TCPv6:[[\(local)]:\(lport)->[\(remote.host)]:\(remote.port)]>"
                    : "\(fd)<TCP:[\(local):\(lport)->\(remote.host):\(remote.port)]>"
        let sockaddr = v6
            ? "{sa_family=AF_INET6, sin6_port=htons(\(remote.port)), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, \"\(remote.host)\", &sin6_addr), sin6_scope_id=0}"
            : "{sa_family=AF_INET, sin_port=htons(\(remote.port)), sin_addr=inet_addr(\"\(remote.host)\")}"
        let addrlen = v6 ? "28" : "16"

        s.append(.call(Call(name: "socket", entry: [family, "SOCK_STREAM|SOCK_NONBLOCK", "IPPROTO_IP"], result: fresh)))
        if rng.percent(60) {
            s.append(.call(Call(name: "setsockopt", entry: [fresh, "SOL_TCP", "TCP_NODELAY", "[1]", "4"], result: "0")))
        }
        s.append(.call(Call(name: "connect", entry: [fresh, sockaddr, addrlen], result: "-1 EINPROGRESS (Operation now in progress)")))
        if refused {
            s.append(.call(Call(name: "poll", entry: ["[{fd=\(fresh), events=POLLOUT}]", "1", "1000"],
                                result: "1 ([{fd=\(fd), revents=POLLOUT|POLLERR|POLLHUP}])", blocking: true)))
            s.append(.call(Call(name: "getsockopt", entry: [fresh, "SOL_SOCKET", "SO_ERROR"], exit: ["[ECONNREFUSED]", "[4]"], result: "0")))
            s.append(.call(Call(name: "close", entry: [fresh], result: "0")))
            return
        }
        if remote.port == 5000 { backlog.append(lport) }
        s.append(.call(Call(name: "poll", entry: ["[{fd=\(ep), events=POLLOUT}]", "1", "1000"],
                            result: "1 ([{fd=\(fd), revents=POLLOUT}])", blocking: true)))
        s.append(.call(Call(name: "getsockopt", entry: [ep, "SOL_SOCKET", "SO_ERROR"], exit: ["[0]", "[4]"], result: "0")))
        let exchanges = rng.within(1...4)
        for k in 0..<exchanges {
            let request = tls ? tlsRecord(length: rng.within(80...600)) : httpRequest()
            let rlen = tls ? Int(request[3]) << 8 + Int(request[4]) + 5 : request.count
            let shown = Array(request.prefix(200))
            switch (k, rng.below(10)) {
            case (_, 0..<6), (0, _):
                s.append(.call(Call(name: "sendto", entry: [ep, quote(shown, length: rlen), "\(rlen)", "MSG_NOSIGNAL", "NULL", "0"],
                                    result: "\(rlen)")))
            case (_, 6..<8):
                let cut = min(shown.count, 24)
                s.append(.call(Call(name: "writev", entry: [ep, "[{iov_base=\(quote(Array(shown[..<cut]), length: cut)), iov_len=\(cut)}, {iov_base=\(quote(Array(shown[cut...]), length: rlen - cut)), iov_len=\(rlen - cut)}]", "2"],
                                    result: "\(rlen)", blocking: true)))
            default:
                s.append(.call(Call(name: "sendmsg", entry: [ep, "{msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base=\(quote(shown, length: rlen)), iov_len=\(rlen)}], msg_iovlen=1, msg_controllen=0, msg_flags=0}", "MSG_NOSIGNAL"],
                                    result: "\(rlen)", blocking: true)))
            }
            if rng.percent(15) {
                s.append(.call(Call(name: "recvfrom", entry: [ep, bufferAddress(), "65536", "MSG_DONTWAIT", "NULL", "NULL"],
                                    result: "-1 EAGAIN (Resource temporarily unavailable)")))
                s.append(.call(Call(name: "poll", entry: ["[{fd=\(ep), events=POLLIN}]", "1", "5000"],
                                    result: "1 ([{fd=\(fd), revents=POLLIN}])", blocking: true)))
            }
            if rng.oneIn(60) {
                s.append(.call(Call(name: "recvfrom", entry: [ep, bufferAddress(), "65536", "0", "NULL", "NULL"],
                                    result: "-1 ECONNRESET (Connection reset by peer)", blocking: true)))
                break
            }
            let (response, length) = tls ? { let r = tlsRecord(length: rng.within(100...16000)); return (Array(r.prefix(200)), Int(r[3]) << 8 + Int(r[4]) + 5) }()
                                          : httpResponse()
            s.append(.call(Call(name: "recvfrom", entry: [ep], exit: [quote(response, length: length), "65536", "0", "NULL", "NULL"],
                                result: "\(length)", blocking: true)))
        }
        if rng.percent(30) {
            s.append(.call(Call(name: "shutdown", entry: [ep, "SHUT_WR"], result: "0")))
        }
        s.append(.call(Call(name: "close", entry: [ep], result: "0", blocking: true)))
        if rng.oneIn(400) {
            s.append(.call(Call(name: "exit_group", entry: ["0"], result: "?", timed: false)))
            s.append(.exited(0))
        }
    }

    private mutating func resolverSession(_ s: inout [Step]) {
        let ino = newInode()
        let lport = newPort()
        let fresh = "3<UDP:[\(ino)]>"
        let bound = "3<UDP:[0.0.0.0:\(lport)]>"
        let server = rng.percent(80) ? "10.0.0.53" : "10.0.0.54"
        let dns = "{sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr(\"\(server)\")}"
        let id = rng.below(65536)
        let name = ["api", "db", "cache", "auth", "metrics"][rng.below(5)] + "\(rng.below(40))"
        let query = dnsMessage(id: id, name: name, answer: false)
        s.append(.call(Call(name: "socket", entry: ["AF_INET", "SOCK_DGRAM|SOCK_CLOEXEC|SOCK_NONBLOCK", "IPPROTO_IP"], result: fresh)))
        s.append(.call(Call(name: "sendto", entry: [fresh, quote(query, length: query.count), "\(query.count)", "MSG_NOSIGNAL", dns, "16"],
                            result: "\(query.count)")))
        if rng.percent(5) {
            s.append(.call(Call(name: "poll", entry: ["[{fd=\(bound), events=POLLIN}]", "1", "5000"], result: "0 (Timeout)", blocking: true)))
        } else {
            s.append(.call(Call(name: "poll", entry: ["[{fd=\(bound), events=POLLIN}]", "1", "5000"],
                                result: "1 ([{fd=3, revents=POLLIN}])", blocking: true)))
            let answer = dnsMessage(id: id, name: name, answer: true)
            s.append(.call(Call(name: "recvfrom", entry: [bound],
                                exit: [quote(answer, length: answer.count), "2048", "0", dns, "[16]"],
                                result: "\(answer.count)", blocking: true)))
        }
        s.append(.call(Call(name: "close", entry: [bound], result: "0")))
    }

    // MARK: Payloads

    private static let paths = ["/", "/index.html", "/api/v1/items", "/api/v1/users", "/healthz", "/static/app.js", "/metrics"]
    private static let agents = ["curl/8.5.0", "Go-http-client/1.1", "python-requests/2.31.0", "netcheck-bench/1.0"]

    private mutating func httpRequest() -> [UInt8] {
        var r = "GET \(Self.paths[rng.below(Self.paths.count)])"
        if rng.percent(40) { r += "?page=\(rng.below(100))&limit=\(rng.within(10...50))" }
        r += " HTTP/1.1\r\nHost: svc-\(rng.below(20)).internal:5000\r\nUser-Agent: \(Self.agents[rng.below(Self.agents.count)])\r\nAccept: */*\r\n"
        if rng.percent(50) { r += "Authorization: Bearer \(String(rng.next(), radix: 36))\(String(rng.next(), radix: 36))\r\n" }
        if rng.percent(30) { r += "X-Request-Id: \(String(rng.next(), radix: 16))\r\n" }
        r += "Connection: keep-alive\r\n\r\n"
        return Array(r.utf8)
    }

    /// A response's first bytes (at most what strace shows, with headroom) and its full length.
    private mutating func httpResponse() -> ([UInt8], Int) {
        let body = rng.percent(80) ? rng.within(2...4000) : rng.within(4000...60000)
        let status = rng.percent(90) ? "200 OK" : (rng.percent(50) ? "404 Not Found" : "503 Service Unavailable")
        var r = "HTTP/1.1 \(status)\r\nContent-Type: application/json\r\nContent-Length: \(body)\r\nDate: Tue, 04 Mar 2025 07:35:\(10 + rng.below(50)) GMT\r\n"
        if rng.percent(40) { r += "Cache-Control: no-cache\r\n" }
        r += "\r\n"
        let headers = r.utf8.count
        r += "["
        while r.utf8.count < headers + 220 {
            r += "{\"id\":\(rng.below(100000)),\"name\":\"item-\(rng.below(1000))\",\"tags\":[\"a\",\"b\\\\c\"],\"ok\":true,\"note\":\"tab\there\"},"
        }
        var bytes = Array(r.utf8)
        if bytes.count > headers + body { bytes.removeLast(bytes.count - headers - body) }
        return (bytes, headers + body)
    }

    /// A TLS application-data record: a 5-byte header and random bytes (only what strace would show).
    private mutating func tlsRecord(length: Int) -> [UInt8] {
        var r: [UInt8] = [0x17, 0x03, 0x03, UInt8(length >> 8), UInt8(length & 0xFF)]
        let shown = min(length, 210)
        r.reserveCapacity(5 + shown)
        var bits: UInt64 = 0
        for k in 0..<shown {
            if k % 8 == 0 { bits = rng.next() }
            r.append(UInt8(truncatingIfNeeded: bits))
            bits >>= 8
        }
        return r
    }

    private func dnsMessage(id: Int, name: String, answer: Bool) -> [UInt8] {
        var m: [UInt8] = [UInt8(id >> 8), UInt8(id & 0xFF), answer ? 0x81 : 0x01, answer ? 0x80 : 0x00,
                          0, 1, 0, answer ? 1 : 0, 0, 0, 0, 0]
        for label in [name, "svc", "cluster", "local"] {
            m.append(UInt8(label.utf8.count))
            m.append(contentsOf: label.utf8)
        }
        m += [0, 0, 1, 0, 1]
        if answer { m += [0xC0, 0x0C, 0, 1, 0, 1, 0, 0, 0, 30, 0, 4, 10, 20, UInt8(id % 8), UInt8(1 + id % 254)] }
        return m
    }

    /// `bytes` as strace `-s 200` quotes them: C escapes, octal for the rest (three digits when a
    /// digit follows), and `"..."...` when more than 200 bytes were transferred.
    private func quote(_ bytes: [UInt8], length: Int) -> String {
        var q: [UInt8] = [0x22]
        q.reserveCapacity(min(bytes.count, 200) * 2 + 8)
        let n = min(bytes.count, length, 200)
        for k in 0..<n {
            let c = bytes[k]
            switch c {
            case 0x22, 0x5C: q.append(0x5C); q.append(c)
            case 0x09: q.append(0x5C); q.append(0x74)
            case 0x0A: q.append(0x5C); q.append(0x6E)
            case 0x0B: q.append(0x5C); q.append(0x76)
            case 0x0C: q.append(0x5C); q.append(0x66)
            case 0x0D: q.append(0x5C); q.append(0x72)
            case 0x20...0x7E: q.append(c)
            default:
                q.append(0x5C)
                let nextIsDigit = k + 1 < n && bytes[k + 1] >= 0x30 && bytes[k + 1] <= 0x37
                if nextIsDigit || c >= 0o100 { q.append(0x30 + (c >> 6)) }
                if nextIsDigit || c >= 0o10 { q.append(0x30 + ((c >> 3) & 7)) }
                q.append(0x30 + (c & 7))
            }
        }
        q.append(0x22)
        if length > 200 { q.append(contentsOf: "...".utf8) }
        return String(decoding: q, as: UTF8.self)
    }
}
