import IR

/// socket, bind, listen, close, shutdown and the descriptor bookkeeping around them.
extension NetworkModel {
    mutating func simulateSocket(_ call: Call) -> Outcome {
        let c = call.syscall
        guard let fd = c.returnValue.flatMap({ Int32(exactly: $0) }) else {
            return .accepted(c.errorName.map { _ in [explained(call, .warning, "socket() failed: the host refused to create a socket")] } ?? [])
        }
        let platform = hosts[call.host].platform
        let family = Self.family(of: c.argument(0), platform: platform)
        let transport = Self.transport(of: c.argument(1), platform: platform)
        let id = newSocket(host: call.host, family: family, transport: transport, created: call.ref)
        if c.names(1).contains("SOCK_NONBLOCK") { sockets[id]?.nonBlocking = true }
        if let old = processes.set(call.process, fd, id) { release(old, at: call) }
        return .accepted([])
    }

    static func family(of value: Value?, platform: Platform) -> SocketFamily {
        guard let value else { return .other("unknown") }
        for name in value.flagNames {
            switch name {
            case "AF_INET", "PF_INET": return .inet
            case "AF_INET6", "PF_INET6": return .inet6
            default: return .other(name)
            }
        }
        if let n = value.integerValue {
            if n == 2 { return .inet }
            let inet6: Int64 = switch platform {
            case .linux, .unknown: 10
            case .freebsd, .openbsd, .netbsd: 28
            case .macos: 30
            case .solaris: 26
            case .windows: 23
            }
            if n == inet6 { return .inet6 }
            return .other("family \(n)")
        }
        return .other("unknown")
    }

    static func transport(of value: Value?, platform: Platform) -> Transport {
        guard let value else { return .other }
        let names = value.flagNames
        if names.contains("SOCK_STREAM") { return .stream }
        if names.contains("SOCK_DGRAM") { return .datagram }
        if let n = value.integerValue {
            let stream: Int64 = platform == .solaris ? 2 : 1
            let datagram: Int64 = platform == .solaris ? 1 : 2
            if n & 0xF == stream { return .stream }
            if n & 0xF == datagram { return .datagram }
        }
        return .other
    }

    /// A call that returns descriptors that are not sockets (open, pipe, socketpair, epoll_create):
    /// whatever those numbers referred to is gone from the process.
    mutating func simulateOtherDescriptor(_ call: Call) -> Outcome {
        let key = call.process
        var numbers: [Int32] = []
        if let fd = call.syscall.returnValue.flatMap({ Int32(exactly: $0) }), fd >= 0, call.kind != .socketpair {
            numbers.append(fd)
        }
        if call.kind == .socketpair || call.syscall.name == "pipe", call.syscall.returnValue != nil {
            for argument in call.syscall.arguments {
                if case .array = argument.value { numbers += argument.value.integers.compactMap { Int32(exactly: $0) } }
            }
        }
        for fd in numbers { if let old = processes.set(key, fd, nil) { release(old, at: call) } }
        return .accepted([])
    }

    mutating func simulateDup(_ call: Call) -> Outcome {
        let c = call.syscall
        guard let newFD = c.returnValue.flatMap({ Int32(exactly: $0) }) else { return .accepted([]) }
        let key = call.process
        let source = socket(for: call, descriptor: c.descriptor(0))
        if let old = processes.set(key, newFD, source), old != source { release(old, at: call) }
        if let source { sockets[source]?.references += 1 }
        return .accepted([])
    }

    mutating func simulateFork(_ call: Call) -> Outcome {
        let c = call.syscall
        guard let child = c.returnValue.flatMap({ Int32(exactly: $0) }), child > 0 else { return .accepted([]) }
        let text = c.arguments.compactMap { $0.text.map(String.init) }.joined(separator: ",")
        let share = call.syscall.arguments.contains { $0.value.flagNames.contains("CLONE_FILES") } || text.contains("CLONE_FILES")
        let parent = call.process
        let copied = processes.announce(child: ProcessTable.Key(host: call.host, feed: call.space, pid: child), parent: parent, share: share)
        for socket in copied { sockets[socket]?.references += 1 }
        return .accepted([])
    }

    // MARK: bind

    mutating func simulateBind(_ call: Call, force: Bool) -> Outcome {
        let c = call.syscall
        guard let id = socket(for: call, descriptor: c.descriptor()), var s = sockets[id] else { return .accepted([]) }
        guard s.isModelled, let endpoint = c.socketAddress?.endpoint else { return .accepted([]) }
        let conflict = endpoint.port == 0 ? nil : conflictingBinding(for: s, at: endpoint)
        if let error = c.errorName {
            if error == "EADDRINUSE" {
                if let other = conflict {
                    return .accepted([explained(call, .warning, "\(endpoint) is already bound by \(describe(other)) (\(sockets[other].map { $0.created.name } ?? "socket") at line \(sockets[other]?.created.line ?? 0))",
                                                fix: "Close the other socket first, or set SO_REUSEADDR on both if the first is not listening.")])
                }
                if !force { return .rejected(reason: explained(call, .error, "bind failed with EADDRINUSE but no traced socket holds \(endpoint): another program on the host does")) }
                return .accepted([explained(call, .warning, "bind failed with EADDRINUSE but no traced socket holds \(endpoint): another program on the host does")])
            }
            return .accepted([explained(call, .warning, "bind to \(endpoint) failed with \(error)")])
        }
        if let other = conflict {
            let reason = Finding(call: call.ref, code: "EADDRINUSE", severity: .warning,
                                 message: "bind to \(endpoint) succeeded although \(describe(other)) holds the same address; Linux refuses this with EADDRINUSE (BSD allows it until one socket listens)",
                                 fix: "Do not rely on binding one address twice; it is not portable.")
            if !force { return .rejected(reason: reason) }
            apply(bind: endpoint, to: &s, host: call.host)
            sockets[id] = s
            return .accepted([reason])
        }
        apply(bind: endpoint, to: &s, host: call.host)
        s.lastUse = call.ref
        sockets[id] = s
        return .accepted([])
    }

    private mutating func apply(bind endpoint: Endpoint, to s: inout ModelSocket, host: HostIndex) {
        s.localAddress = endpoint.address
        s.boundExplicitly = true
        if endpoint.port != 0 { setPort(endpoint.port, of: &s) }
        learn(endpoint.address, for: host)
    }

    /// A live socket on the same host that already holds an overlapping address and port.
    func conflictingBinding(for s: ModelSocket, at endpoint: Endpoint) -> SocketID? {
        for otherID in bound[endpoint.port] ?? [] {
            guard let other = sockets[otherID], other.id != s.id, !other.closed, other.host == s.host,
                  other.transport == s.transport else { continue }
            guard let otherAddress = other.localAddress else { continue }
            guard Self.overlaps(otherAddress, other.options.v6Only ?? false, endpoint.address, s.options.v6Only ?? false) else { continue }
            if s.transport == .datagram, s.options.reuseAddress && other.options.reuseAddress { continue }
            if s.options.reusePort && other.options.reusePort { continue }
            if s.transport == .stream, s.options.reuseAddress && other.options.reuseAddress && !other.isListening { continue }
            if s.transport == .stream, s.options.reuseAddress, other.acceptedFrom != nil || other.connection != nil { continue }
            return other.id
        }
        return nil
    }

    /// Whether two bound addresses overlap (equal, or one is a wildcard covering the other).
    static func overlaps(_ a: IPAddress, _ aV6Only: Bool, _ b: IPAddress, _ bV6Only: Bool) -> Bool {
        if a.unmapped == b.unmapped { return true }
        func covers(_ wildcard: IPAddress, _ v6Only: Bool, _ other: IPAddress) -> Bool {
            guard wildcard.isUnspecified else { return false }
            if wildcard.isIPv6 { return other.isIPv6 && other.unmapped.isIPv6 || !v6Only }
            return !other.unmapped.isIPv6
        }
        return covers(a, aV6Only, b) || covers(b, bV6Only, a)
    }

    // MARK: listen

    mutating func simulateListen(_ call: Call) -> Outcome {
        let c = call.syscall
        guard let id = socket(for: call, descriptor: c.descriptor()), var s = sockets[id], s.isModelled else { return .accepted([]) }
        if let error = c.errorName {
            return .accepted([explained(call, .warning, "listen failed with \(error)")])
        }
        if s.transport != .stream {
            return .accepted([finding(call, "UNEXPECTED_SUCCESS", .warning, "listen succeeded on a datagram socket")])
        }
        s.phase = .listening
        s.backlogLimit = Int(c.integer(1) ?? 128)
        if s.localAddress == nil { s.localAddress = s.family == .inet6 ? .v6(.any) : .v4(.any) }
        s.lastUse = call.ref
        sockets[id] = s
        if let port = s.localPort {
            evidence.listeners.append(.init(host: s.host, address: s.localAddress!, port: port,
                                            v6Only: s.options.v6Only ?? false, call: call.ref))
        }
        return .accepted([])
    }

    // MARK: close

    mutating func simulateClose(_ call: Call) -> Outcome {
        let c = call.syscall
        guard let fd = c.descriptor() else { return .accepted([]) }
        let key = call.process
        guard let id = processes.lookup(key, fd) else { return .accepted([]) }
        if let error = c.errorName, error != "EINTR" {
            return .accepted([explained(call, .warning, "close failed with \(error)")])
        }
        noteCloseWhileBlocked(id, call: call, shutdown: false)
        processes.set(key, fd, nil)
        return .accepted(release(id, at: call))
    }

    /// Drops one reference to a socket; the last one closes it.
    @discardableResult
    mutating func release(_ id: SocketID, at call: Call) -> [Finding] {
        guard var s = sockets[id] else { return [] }
        s.references -= 1
        sockets[id] = s
        guard s.references <= 0 else { return [] }
        return closeSocket(id, at: call)
    }

    /// The last descriptor of a socket is gone: the socket closes, with what that does to its peer.
    mutating func closeSocket(_ id: SocketID, at call: Call) -> [Finding] {
        guard var s = sockets[id], !s.closed else { return [] }
        var findings: [Finding] = []
        s.closed = true
        switch s.phase {
        case .listening:
            noteUnaccepted(s.backlog)
            for pending in s.backlog {
                connections[pending]?.resetBy = .server
                connections[pending]?.resetCall = call.ref
            }
            s.backlog.removeAll()
        case .connected(let cid), .connecting(_, .some(let cid)):
            findings += closeConnection(cid, side: side(of: id, in: cid), at: call)
        case .connecting:
            // The handshake may still have completed before the close: a later accept can take it.
            sockets[id] = s
            if let port = s.localPort { bound[port]?.removeAll { $0 == id } }
            return findings
        case .fresh, .failed, .external:
            break
        }
        if s.transport == .datagram { dropQueuedDatagrams(&s) }
        sockets[id] = s
        if let port = s.localPort { bound[port]?.removeAll { $0 == id } }
        retire(id)
        return findings
    }

    /// The side a socket plays in a connection.
    func side(of socket: SocketID, in connection: ConnectionID) -> Connection.Side {
        connections[connection]?.client == socket ? .client : .server
    }

    /// Closes one side of a connection: unread data resets it (and is lost to the application),
    /// SO_LINGER {1, 0} resets it, otherwise the peer sees end of file after the data in flight.
    mutating func closeConnection(_ cid: ConnectionID, side: Connection.Side, at call: Call) -> [Finding] {
        guard var connection = connections[cid] else { return [] }
        var findings: [Finding] = []
        let socketID = side == .client ? connection.client : connection.server
        let lingerReset = socketID.flatMap { sockets[$0]?.options.linger }.map { $0.on && $0.seconds == 0 } ?? false
        let incoming = side == .client ? connection.toClient : connection.toServer
        if incoming.inFlight > 0 {
            let origins = incoming.pendingOrigins
            findings.append(Finding(call: call.ref, code: "NONEMPTY_BUFFERS", severity: .error,
                                    message: "socket closed with \(incoming.inFlight) byte(s) received but never read (sent at \(origins.first.map { "line \($0.line)" } ?? "?")); the peer gets a reset",
                                    fix: "Read until end of file (recv returns 0) before closing, or shut down the writing side first and drain."))
            if let origin = origins.first {
                evidence.dataLosses.add(.init(sender: origin, receiver: call.ref, bytes: incoming.inFlight, byApplication: true))
            }
        }
        let reset = incoming.inFlight > 0 || lingerReset
        if side == .client {
            connection.toClient.discardAll()
            connection.toServer.finished = true
            connection.clientClosed = true
        } else {
            connection.toServer.discardAll()
            connection.toClient.finished = true
            connection.serverClosed = true
        }
        if reset, connection.resetBy == nil, !(side == .client ? connection.serverClosed : connection.clientClosed) {
            connection.resetBy = side
            connection.resetCall = call.ref
            evidence.resets.add(.init(by: call.ref, victim: nil, reason: lingerReset ? "SO_LINGER {on, 0 s}" : "closed with unread data"))
        }
        connections[cid] = connection
        return findings
    }

    /// Removes a closed socket from the model once nothing can refer to it any more.
    mutating func retire(_ id: SocketID) {
        guard let s = sockets[id], s.closed else { return }
        if let cid = s.connection, let connection = connections[cid] {
            let otherClosed: Bool
            if connection.client == id { otherClosed = connection.server.map { sockets[$0]?.closed ?? true } ?? (connection.accepted == nil && !isPending(cid)) }
            else { otherClosed = sockets[connection.client]?.closed ?? true }
            guard otherClosed else { return }
            recordConnectionStatistics(cid)
            connections[cid] = nil
            if let server = connection.server, id != server { sockets[server] = nil }
            if id != connection.client { sockets[connection.client] = nil }
        }
        sockets[id] = nil
    }

    func isPending(_ cid: ConnectionID) -> Bool {
        guard let connection = connections[cid], let listener = sockets[connection.listener] else { return false }
        return listener.backlog.contains(cid)
    }

    // MARK: shutdown

    mutating func simulateShutdown(_ call: Call, force: Bool) -> Outcome {
        let c = call.syscall
        guard let id = socket(for: call, descriptor: c.descriptor()), var s = sockets[id], s.isModelled else { return .accepted([]) }
        let how = Self.shutdownHow(c.argument(1))
        noteCloseWhileBlocked(id, call: call, shutdown: true)
        var findings: [Finding] = []
        if let error = c.errorName {
            if error == "ENOTCONN" {
                if let cid = s.connection, let connection = connections[cid], connection.resetBy != nil,
                   connection.resetBy != side(of: id, in: cid) {
                    findings.append(explained(call, .warning, "shutdown failed with ENOTCONN: the peer had reset the connection (\(connection.resetCall.map { "line \($0.line)" } ?? "earlier"))"))
                    evidence.resets.add(.init(by: connection.resetCall ?? call.ref, victim: call.ref, reason: "shutdown after the peer's reset"))
                    s.phase = .failed(reason: "reset by peer")
                    sockets[id] = s
                    return .accepted(findings)
                }
                if case .connected = s.phase, !force {
                    return .rejected(reason: explained(call, .error, "shutdown failed with ENOTCONN although the model has the connection established and not reset"))
                }
                if case .connected = s.phase {
                    findings.append(explained(call, .error, "shutdown failed with ENOTCONN although the model has the connection established and not reset: the peer must have reset it"))
                    evidence.resets.add(.init(by: s.lastUse, victim: call.ref, reason: "a reset the model did not see"))
                    return .accepted(findings)
                }
                if case .external(let peer) = s.phase {
                    findings.append(explained(call, .warning, "shutdown failed with ENOTCONN on a connection to \(peer): the peer reset it"))
                    evidence.resets.add(.init(by: s.lastUse, victim: call.ref, reason: "reset by the untraced peer \(peer)"))
                    sockets[id]?.phase = .failed(reason: "reset by peer")
                    return .accepted(findings)
                }
                findings.append(explained(call, .warning, "shutdown of a socket that is not connected",
                                          fix: "Only shut down connected sockets; to wake a thread blocked on an unconnected socket, close it from that thread or use a timeout."))
                return .accepted(findings)
            }
            findings.append(explained(call, .warning, "shutdown failed with \(error)"))
            return .accepted(findings)
        }
        if how.read { s.shutRead = true }
        if how.write { s.shutWrite = true }
        s.lastUse = call.ref
        sockets[id] = s
        if let cid = s.connection, var connection = connections[cid] {
            if how.write {
                if connection.client == id { connection.toServer.finished = true } else { connection.toClient.finished = true }
            }
            connections[cid] = connection
        } else if s.transport == .stream, !s.isListening {
            findings.append(finding(call, "UNEXPECTED_SUCCESS", .warning, "shutdown succeeded on a socket that is not connected"))
        }
        return .accepted(findings)
    }

    static func shutdownHow(_ value: Value?) -> (read: Bool, write: Bool) {
        let names = value?.flagNames ?? []
        let n = value?.integerValue
        if names.contains("SHUT_RD") || n == 0 { return (true, false) }
        if names.contains("SHUT_WR") || n == 1 { return (false, true) }
        return (true, true)
    }

    /// A close or shutdown of a socket another thread of the process is blocked on.
    mutating func noteCloseWhileBlocked(_ id: SocketID, call: Call, shutdown: Bool) {
        let other = blocked.first { thread, entry in entry.0 == id && thread.trace == call.space && thread.pid != (call.ref.pid ?? -1) }
        if let (_, entry) = other { evidence.threadCloses.add(.init(close: call.ref, blocked: entry.1, shutdown: shutdown)) }
    }

    /// Connections still waiting in a listener's backlog when it closes or the traces end.
    mutating func noteUnaccepted(_ backlog: [ConnectionID]) {
        for cid in backlog {
            guard let connection = connections[cid] else { continue }
            evidence.unacceptedConnections.add(.init(call: connection.opened, host: connection.clientHost,
                                                     target: connection.target, error: "never accepted"))
        }
    }
}

extension NetworkModel {
    /// Adds a finished (or, at the end of the run, still open) connection to the flow statistics.
    mutating func recordConnectionStatistics(_ cid: ConnectionID) {
        guard let connection = connections[cid] else { return }
        let key = TrafficStatistics.FlowKey(transport: "tcp", client: hosts[connection.clientHost].name, server: connection.target.description)
        statistics.update(key) { flow in
            flow.connections += 1
            flow.clientTraces.insert(connection.opened.trace)
            if let accepted = connection.accepted { flow.serverTraces.insert(accepted.trace) }
            for (direction, stream) in [(0, connection.toServer), (1, connection.toClient)] {
                var d = direction == 0 ? flow.forward : flow.backward
                d.bytesSent += stream.sent
                d.bytesReceived += stream.received
                d.bytesLost += stream.discarded + stream.inFlight
                if direction == 0 { flow.forward = d } else { flow.backward = d }
            }
        }
    }
}

extension NetworkModel {
    /// A process ends: the descriptors only it held close, as if it had closed them.
    mutating func simulateExit(_ call: Call) -> Outcome {
        let key = call.process
        let wholeProcess = call.syscall.writtenName == "exit_group" || processes.sharers(of: key) <= 1
        guard wholeProcess else { processes.remove(key); return .accepted([]) }
        var findings: [Finding] = []
        for (fd, id) in processes.entries(of: key).sorted(by: { $0.0 < $1.0 }) {
            processes.set(key, fd, nil)
            findings += release(id, at: call)
        }
        return .accepted(findings)
    }

    /// Whether an exit would close any socket.
    func exitClosesSockets(_ call: Call) -> Bool {
        !processes.entries(of: call.process).isEmpty
    }

    /// The end of the traces: what is still open tells its own story (connects that never
    /// finished, connections never accepted, datagrams never read).
    mutating func finish() {
        for id in sockets.keys.sorted() {
            guard let s = sockets[id] else { continue }
            if case .connecting(let target, nil) = s.phase {
                evidence.unfinishedNonBlockingConnects.add(.init(call: s.lastUse, host: s.host, target: target,
                                                                 error: s.closed ? "closed before it connected" : "never observed to connect"))
            }
            guard !s.closed else { continue }
            if s.isListening { noteUnaccepted(s.backlog) }
            var open = s
            dropQueuedDatagrams(&open)
            sockets[id] = open
        }
        for cid in connections.keys.sorted() {
            guard let connection = connections[cid] else { continue }
            for (stream, receiver) in [(connection.toServer, connection.server), (connection.toClient, Optional(connection.client))] {
                guard stream.inFlight > 0, let origin = stream.pendingOrigins.first else { continue }
                let receiverRef = receiver.flatMap { sockets[$0]?.lastUse } ?? origin
                let receiverClosedOrGone = receiver.flatMap { sockets[$0] }.map { $0.closed || $0.shutRead } ?? true
                evidence.dataLosses.add(.init(sender: origin, receiver: receiverRef, bytes: stream.inFlight, byApplication: receiverClosedOrGone))
            }
            recordConnectionStatistics(cid)
        }
    }
}
