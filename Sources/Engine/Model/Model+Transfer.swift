import IR

/// send/recv and their relatives on TCP (byte-exact along each direction) and UDP (per datagram:
/// loss, truncation, reordering, duplication).
extension NetworkModel {
    /// The flags argument of a send or receive call.
    func messageFlags(_ call: Call) -> [String] {
        switch call.kind {
        case .send, .recv, .sendto, .recvfrom: return call.syscall.names(3)
        case .sendmsg, .recvmsg: return call.syscall.names(2)
        case .sendmmsg, .recvmmsg: return call.syscall.names(3)
        default: return []
        }
    }

    /// The buffer size a receive offered, when the call says.
    func bufferSize(_ call: Call) -> Int? {
        switch call.kind {
        case .recv, .recvfrom, .read: return call.syscall.integer(2).map { Int($0) }
        default: return nil
        }
    }

    // MARK: send

    /// Default send plus receive buffer of a TCP connection, per platform: what one non-blocking
    /// send can queue before the receiver reads.
    static func defaultBuffers(_ platform: Platform) -> Int {
        switch platform {
        case .linux, .unknown: return 16384 + 87380
        case .freebsd, .openbsd, .netbsd: return 32768 + 65536
        case .macos: return 131072 + 131072
        case .solaris: return 49152 + 128000
        case .windows: return 8192 + 8192
        }
    }

    mutating func simulateSend(_ call: Call, force: Bool) -> Outcome {
        let c = call.syscall
        guard let id = socket(for: call, descriptor: c.descriptor()), let s = sockets[id] else {
            counters.callsOnOtherDescriptors += 1
            return .accepted([])
        }
        guard s.isModelled else { counters.nonInternetSocketCalls += 1; return .accepted([]) }
        if s.transport == .datagram { return sendDatagram(call, id: id) }
        if let error = c.errorName { return sendFailed(call, id: id, error: error, force: force) }
        let count = Int(c.returnValue ?? 0)
        var findings: [Finding] = []
        if let limit = s.options.sendBuffer, count > limit {
            evidence.bufferExceeded.add(call.ref)
            findings.append(finding(call, "MSG_EXCEEDS_BUFSIZE", .warning,
                                    "\(count) bytes were accepted in one send, more than the socket's send buffer of \(limit) bytes",
                                    fix: "Do not rely on the buffer size you set: systems round it (Linux doubles it) and may take more or less per call."))
        }
        if s.options.sendBuffer == nil, s.nonBlocking, count > Self.defaultBuffers(hosts[s.host].platform) {
            evidence.bufferExceeded.add(call.ref)
            findings.append(finding(call, "MSG_EXCEEDS_BUFSIZE", .info,
                                    "a non-blocking send queued \(count) bytes at once, more than the default socket buffers hold (\(Self.defaultBuffers(hosts[s.host].platform)) bytes); how much a non-blocking send takes differs between systems",
                                    fix: "Send in a loop and handle partial sends and EWOULDBLOCK; do not size writes by the buffer."))
        }
        var cid: ConnectionID
        switch s.phase {
        case .connected(let existing): cid = existing
        case .connecting(_, let pending?):
            cid = pending
            sockets[id]?.phase = .connected(pending)
        case .connecting(let target, nil):
            let found = listener(for: target, from: s.host)
            if let l = found.listener {
                cid = enqueue(client: id, listener: l, destination: target, call: call, nat: found.nat)
                sockets[id]?.phase = .connected(cid)
            } else if found.outside {
                sockets[id]?.phase = .external(target)
                counters.externalCalls += 1
                return .accepted(findings)
            } else {
                let reason = finding(call, "UNEXPECTED_SUCCESS", .error, "send succeeded on a connection nothing listens for (\(target))")
                if !force { return .rejected(reason: reason) }
                sockets[id]?.phase = .external(target)
                return .accepted(findings + [reason])
            }
        case .external:
            counters.externalCalls += 1
            evidence.externalTraffic[call.ref.trace, default: 0] += count
            return .accepted(findings)
        case .fresh, .listening, .failed:
            return .accepted(findings + [finding(call, "UNEXPECTED_SUCCESS", .error, "send succeeded on a socket that is not connected")])
        }
        guard var connection = connections[cid] else { return .accepted(findings) }
        let towardsServer = connection.client == id
        let peerClosed = towardsServer ? connection.serverClosed : connection.clientClosed
        let bytes = c.payload?.bytes ?? []
        evidence.tracedTraffic[call.ref.trace, default: 0] += count
        if peerClosed || connection.resetBy != nil {
            // The data reaches a socket that is gone: the peer answers with a reset.
            let receiver = (towardsServer ? connection.server : connection.client).flatMap { sockets[$0]?.lastUse } ?? call.ref
            if count > 0 { evidence.dataLosses.add(.init(sender: call.ref, receiver: receiver, bytes: count, byApplication: true)) }
            if towardsServer { connection.toServer.append(bytes, length: count, origin: call.ref); connection.toServer.discardAll() }
            else { connection.toClient.append(bytes, length: count, origin: call.ref); connection.toClient.discardAll() }
            if connection.resetBy == nil {
                connection.resetBy = towardsServer ? .server : .client
                connection.resetCall = receiver
            }
        } else if towardsServer {
            connection.toServer.append(bytes, length: count, origin: call.ref)
        } else {
            connection.toClient.append(bytes, length: count, origin: call.ref)
        }
        connections[cid] = connection
        sockets[id]?.lastUse = call.ref
        return .accepted(findings)
    }

    private mutating func sendFailed(_ call: Call, id: SocketID, error: String, force: Bool) -> Outcome {
        guard let s = sockets[id] else { return .accepted([]) }
        switch error {
        case "EPIPE", "ECONNRESET":
            if let cid = s.connection, let connection = connections[cid] {
                let side = side(of: id, in: cid)
                let peerGone = side == .client ? connection.serverClosed : connection.clientClosed
                if connection.resetBy != nil || peerGone {
                    evidence.sendsToClosed.add(call.ref)
                    if connection.resetBy != nil { evidence.resets.add(.init(by: connection.resetCall ?? call.ref, victim: call.ref, reason: "\(error) after the peer's reset")) }
                    sockets[id]?.phase = .failed(reason: error)
                    return .accepted([explained(call, .warning, "send failed with \(error): the peer had already closed the connection",
                                                fix: "The peer stopped reading; make both sides agree on when the exchange ends.")])
                }
                let reason = finding(call, "CONN_NOT_CLOSED", .error, "send failed with \(error) but the peer has not closed the connection in the model")
                if !force { return .rejected(reason: reason) }
                sockets[id]?.phase = .failed(reason: error)
                return .accepted([reason])
            }
            if case .failed = s.phase { return .accepted([explained(call, .warning, "send on a failed connection")]) }
            return .accepted([explained(call, .warning, "send failed with \(error)")])
        case "ECONNREFUSED":
            return refusedLater(call, id: id)
        case "ENOTCONN", "EDESTADDRREQ":
            return .accepted([explained(call, .warning, "send on a socket that is not connected")])
        case "EWOULDBLOCK":
            return .accepted([explained(call, s.nonBlocking ? .info : .warning,
                                        s.nonBlocking ? "the send buffer is full" : "send would block on a socket the model has as blocking")])
        default:
            if call.syscall.wasInterrupted { return .accepted([explained(call, .info, "send interrupted by a signal")]) }
            return .accepted([explained(call, .warning, "send failed with \(error)")])
        }
    }

    /// A non-blocking connect's refusal reported by a later call (recv, send, getsockopt).
    mutating func refusedLater(_ call: Call, id: SocketID) -> Outcome {
        guard let s = sockets[id] else { return .accepted([]) }
        switch s.phase {
        case .connecting(let target, let pending):
            let found = listener(for: target, from: s.host)
            evidence.refusedConnects.add(.init(call: call.ref, host: s.host, target: target, error: "ECONNREFUSED"))
            evidence.unfinishedNonBlockingConnects.add(.init(call: call.ref, host: s.host, target: target, error: "refused"))
            sockets[id]?.phase = .failed(reason: "refused")
            if pending != nil || found.listener != nil {
                return .accepted([explained(call, .error, "the connection to \(target) is reported refused although a listener took it")])
            }
            return .accepted([explained(call, .warning, "the non-blocking connect to \(target) was refused (nothing listened at that point); this call reports it",
                                        fix: "Wait for the connect to finish (poll for writability, then check SO_ERROR) before using the socket.")])
        case .failed:
            return .accepted([explained(call, .warning, "the connection was refused earlier")])
        default:
            return .accepted([explained(call, .error, "\(call.ref.name) reports a refused connection the model does not see")])
        }
    }

    // MARK: receive

    mutating func simulateReceive(_ call: Call, force: Bool) -> Outcome {
        let c = call.syscall
        guard let id = socket(for: call, descriptor: c.descriptor()), let s = sockets[id] else {
            counters.callsOnOtherDescriptors += 1
            return .accepted([])
        }
        guard s.isModelled else { counters.nonInternetSocketCalls += 1; return .accepted([]) }
        if s.transport == .datagram { return receiveDatagram(call, id: id, force: force) }
        if let error = c.errorName { return receiveFailed(call, id: id, error: error, force: force) }
        let count = Int(c.returnValue ?? 0)
        let flags = messageFlags(call)
        let cid: ConnectionID
        switch s.phase {
        case .connected(let existing): cid = existing
        case .connecting(_, let pending?):
            cid = pending
        case .connecting(let target, nil):
            let reason = finding(call, count > 0 ? "MSGNOTSENT" : "CONN_NOT_CLOSED", .error,
                                 count > 0 ? "received \(count) bytes on a connection to \(target) that no traced accept has taken" : "end of file on a connection to \(target) that no traced accept has taken")
            if !force { return .rejected(reason: reason) }
            sockets[id]?.phase = .external(target)
            return .accepted([reason])
        case .external:
            counters.externalCalls += 1
            evidence.externalTraffic[call.ref.trace, default: 0] += count
            return .accepted([])
        case .fresh, .listening, .failed:
            if count == 0, case .failed = s.phase { return .accepted([]) }
            return .accepted([finding(call, "UNEXPECTED_SUCCESS", .error, "receive succeeded on a socket that is not connected")])
        }
        guard var connection = connections[cid] else { return .accepted([]) }
        let isClient = connection.client == id
        var stream = isClient ? connection.toClient : connection.toServer
        var findings: [Finding] = []
        if count == 0 {
            if s.shutRead || bufferSize(call) == 0 { return .accepted([]) }
            if stream.inFlight > 0 {
                let reason = finding(call, "NETWORK_ERROR", .error, "end of file while \(stream.inFlight) bytes sent by the peer were never received")
                if !force, !stream.finished { return .rejected(reason: reason) }
                return .accepted([reason])
            }
            if stream.finished || connection.resetBy != nil {
                sockets[id]?.lastUse = call.ref
                if case .connecting = s.phase { sockets[id]?.phase = .connected(cid) }
                return .accepted([])
            }
            let reason = finding(call, "CONN_NOT_CLOSED", .error, "end of file although the peer has neither closed nor shut down the connection")
            if !force { return .rejected(reason: reason) }
            return .accepted([reason])
        }
        let known = c.payload?.bytes ?? []
        switch stream.compare(count: count, known: known) {
        case .matches:
            if stream.splitsSmallSend(count: count, bufferSize: bufferSize(call)), !flags.contains("MSG_PEEK") {
                let front = stream.front
                findings.append(finding(call, "MSG_DONT_MATCH", .error,
                                        "received only \(count) bytes of a \(front?.length ?? 0)-byte send (line \(front?.origin.line ?? 0)) although the buffer had room: the rest of that send did not arrive in order (out-of-band byte, loss or alteration)"))
            }
            if !flags.contains("MSG_PEEK") { stream.consume(count) }
        case .differs(let offset):
            findings.append(finding(call, "MSG_DONT_MATCH", .error,
                                    "the received bytes differ from the bytes sent on this connection at byte \(stream.received + offset)\(stream.front.map { " (sent at line \($0.origin.line))" } ?? "")",
                                    fix: "Something between the hosts alters, drops or reorders data, or the application reads out-of-band data as normal data."))
            stream.consume(count)
            stream.desynchronized = true
        case .tooShort(let available):
            let reason = finding(call, "MSGNOTSENT", .error, "received \(count) bytes but only \(available) were sent and not yet received on this connection")
            if !force, !stream.finished, connection.resetBy == nil { return .rejected(reason: reason) }
            findings.append(reason)
            stream.consume(count)
            stream.desynchronized = true
        }
        if isClient { connection.toClient = stream } else { connection.toServer = stream }
        connections[cid] = connection
        evidence.tracedTraffic[call.ref.trace, default: 0] += count
        sockets[id]?.lastUse = call.ref
        if case .connecting = s.phase { sockets[id]?.phase = .connected(cid) }
        return .accepted(findings)
    }

    private mutating func receiveFailed(_ call: Call, id: SocketID, error: String, force: Bool) -> Outcome {
        guard let s = sockets[id] else { return .accepted([]) }
        let flags = messageFlags(call)
        switch error {
        case "EWOULDBLOCK":
            if s.nonBlocking || flags.contains("MSG_DONTWAIT") || s.options.receiveTimeout {
                return .accepted([explained(call, .info, "no data has arrived yet on the non-blocking socket")])
            }
            if s.acceptedFrom != nil, s.inheritedNonBlocking {
                return .accepted([finding(call, "COULD_HAVE_BLOCKED", .warning,
                                          "the socket came from accept on a non-blocking listener and behaves as non-blocking: BSD and macOS pass O_NONBLOCK on to accepted sockets, Linux does not",
                                          fix: "Set the blocking mode of every accepted socket explicitly (fcntl) instead of relying on inheritance.")])
            }
            return .accepted([finding(call, "EXPECTED_BLOCKING", .warning, "receive returned EWOULDBLOCK on a socket the model has as blocking")])
        case "ECONNREFUSED", "EINVAL" where isConnecting(s) && !flags.contains("MSG_OOB"):
            return refusedLater(call, id: id)
        case "ENOTCONN":
            return .accepted([explained(call, .warning, "receive on a socket that is not connected\(s.phase == .failed(reason: "refused") ? " (its connect was refused)" : "")",
                                        fix: "Check the result of connect before using the socket.")])
        case "ECONNRESET":
            if let cid = s.connection, let connection = connections[cid] {
                let side = side(of: id, in: cid)
                if connection.resetBy != nil && connection.resetBy != side {
                    evidence.resets.add(.init(by: connection.resetCall ?? call.ref, victim: call.ref, reason: "reset by peer"))
                    sockets[id]?.phase = .failed(reason: "reset")
                    return .accepted([explained(call, .warning, "the peer reset the connection")])
                }
                let reason = finding(call, "CONN_NOT_CLOSED", .error, "receive reports a reset but the peer has not reset the connection in the model")
                if !force { return .rejected(reason: reason) }
                return .accepted([reason])
            }
            return .accepted([explained(call, .warning, "receive failed with ECONNRESET")])
        case "EINVAL" where flags.contains("MSG_OOB"):
            return .accepted([explained(call, .error, "out-of-band receive failed: no urgent data was sent (the peer's data is all in the normal stream)",
                                        fix: "Read normal data without MSG_OOB; only use MSG_OOB when the peer sends urgent data.")])
        default:
            if call.syscall.wasInterrupted { return .accepted([explained(call, .info, "receive interrupted by a signal")]) }
            return .accepted([explained(call, .warning, "receive failed with \(error)")])
        }
    }
}
