import IR

/// UDP: each datagram is delivered whole to the socket bound at its destination, or lost.
extension NetworkModel {
    static let maximumUDPPayload = 65507

    /// The destination of a datagram send: the call's address, or the socket's connected peer.
    func destination(of call: Call, socket s: ModelSocket) -> Endpoint? {
        if call.kind == .sendto || call.kind == .sendmsg || call.kind == .sendmmsg, let a = call.syscall.socketAddress?.endpoint { return a }
        return s.datagramPeer
    }

    mutating func sendDatagram(_ call: Call, id: SocketID) -> Outcome {
        let c = call.syscall
        guard var s = sockets[id] else { return .accepted([]) }
        let requested = Int(c.integer(2) ?? 0)
        guard let destination = destination(of: call, socket: s) else {
            if let error = c.errorName { return .accepted([explained(call, .warning, "send on an unconnected datagram socket without an address (\(error))")]) }
            return .accepted([finding(call, "UNEXPECTED_SUCCESS", .warning, "datagram sent without a destination the model knows")])
        }
        let isBroadcast: Bool = { if case .v4(let a) = destination.address.unmapped { return a.isBroadcast } else { return false } }()
        if let error = c.errorName {
            switch error {
            case "EACCES" where isBroadcast && !s.options.broadcast:
                return .accepted([explained(call, .warning, "sending to the broadcast address \(destination.address) needs SO_BROADCAST, which the socket does not have",
                                            fix: "setsockopt(SOL_SOCKET, SO_BROADCAST, 1) before sending broadcasts.")])
            case "EMSGSIZE" where requested > Self.maximumUDPPayload:
                return .accepted([explained(call, .warning, "a \(requested)-byte datagram is larger than the largest UDP payload (\(Self.maximumUDPPayload) bytes over IPv4)",
                                            fix: "Split the data into datagrams that fit the path MTU, or use TCP.")])
            case "EMSGSIZE":
                return .accepted([explained(call, .warning, "a \(requested)-byte datagram does not fit the path (message too long)")])
            case "ECONNREFUSED":
                return .accepted([explained(call, .warning, "an earlier datagram to \(destination) was refused (ICMP port unreachable)")])
            case "EWOULDBLOCK":
                return .accepted([explained(call, .info, "the send buffer is full")])
            default:
                if c.wasInterrupted { return .accepted([explained(call, .info, "send interrupted by a signal")]) }
                return .accepted([explained(call, .warning, "datagram send to \(destination) failed with \(error)")])
            }
        }
        let count = Int(c.returnValue ?? 0)
        var findings: [Finding] = []
        if isBroadcast && !s.options.broadcast {
            findings.append(finding(call, "UNEXPECTED_SUCCESS", .warning, "a broadcast was sent without SO_BROADCAST; Linux refuses this with EACCES"))
        }
        if let limit = s.options.sendBuffer, count > limit {
            evidence.bufferExceeded.add(call.ref)
            findings.append(finding(call, "MSG_EXCEEDS_BUFSIZE", .warning,
                                    "a \(count)-byte datagram was sent through a socket whose send buffer is \(limit) bytes; other systems fail such a send",
                                    fix: "Keep datagrams smaller than the send buffer you set, or do not shrink the buffer."))
        }
        if s.localAddress == nil || s.localAddress!.isUnspecified {
            if let source = sourceAddress(towards: destination.address, from: call.host, family: s.family) { s.localAddress = source }
        }
        s.lastUse = call.ref
        sockets[id] = s
        if isIgnored(destination) { counters.ignoredPeerCalls += 1; return .accepted(findings) }
        let key = TrafficStatistics.FlowKey(transport: "udp", client: hosts[call.host].name, server: destination.description)
        guard let routed = route(destination, from: call.host) else {
            counters.externalCalls += 1
            evidence.externalTraffic[call.ref.trace, default: 0] += count
            return .accepted(findings)
        }
        evidence.tracedTraffic[call.ref.trace, default: 0] += count
        evidence.datagramsSent += 1
        statistics.update(key) {
            $0.forward.datagramsSent += 1
            $0.forward.bytesSent += count
            $0.clientTraces.insert(call.ref.trace)
        }
        let datagram = Datagram(bytes: c.payload?.bytes ?? [], length: count, source: id, sourceAddress: s.localAddress,
                                sourcePort: s.localPort, destination: destination, origin: call.ref)
        var receiver: SocketID?
        for candidate in [routed.host] + hostsDeclaring(routed.endpoint.address) where receiver == nil {
            receiver = datagramReceiver(at: routed.endpoint, host: candidate)
        }
        if let receiver {
            sockets[receiver]?.queue.append(datagram)
        } else {
            lose(datagram)
        }
        return .accepted(findings)
    }

    /// The datagram socket bound at an endpoint of a host.
    func datagramReceiver(at endpoint: Endpoint, host: HostIndex) -> SocketID? {
        for id in bound[endpoint.port] ?? [] {
            guard let s = sockets[id], !s.closed, s.transport == .datagram, s.host == host, accepts(s, endpoint.address) else { continue }
            return id
        }
        return nil
    }

    /// Counts a datagram that never reached the application (nothing bound, or never read).
    mutating func lose(_ datagram: Datagram) {
        evidence.datagramsLost += 1
        evidence.datagrams.add(.init(sent: datagram.origin, size: datagram.length, received: false, destinationTraced: true))
        let key = TrafficStatistics.FlowKey(transport: "udp", client: hosts[sockets[datagram.source]?.host ?? 0].name, server: datagram.destination.description)
        statistics.update(key) {
            $0.forward.datagramsLost += 1
            $0.forward.bytesLost += datagram.length
        }
    }

    /// Datagrams still queued when their socket closes are lost to the application.
    mutating func dropQueuedDatagrams(_ s: inout ModelSocket) {
        for datagram in s.queue { lose(datagram) }
        s.queue.removeAll()
    }

    mutating func receiveDatagram(_ call: Call, id: SocketID, force: Bool) -> Outcome {
        let c = call.syscall
        guard let s = sockets[id] else { return .accepted([]) }
        let flags = messageFlags(call)
        if let error = c.errorName {
            switch error {
            case "EWOULDBLOCK":
                if s.nonBlocking || flags.contains("MSG_DONTWAIT") || s.options.receiveTimeout {
                    return .accepted([explained(call, .info, "no datagram waiting on the non-blocking socket")])
                }
                return .accepted([finding(call, "EXPECTED_BLOCKING", .warning, "receive returned EWOULDBLOCK on a socket the model has as blocking")])
            case "ECONNREFUSED":
                return .accepted([explained(call, .warning, "an earlier datagram was refused by its destination (ICMP port unreachable)")])
            default:
                if c.wasInterrupted { return .accepted([explained(call, .info, "receive interrupted by a signal")]) }
                return .accepted([explained(call, .warning, "datagram receive failed with \(error)")])
            }
        }
        let count = Int(c.returnValue ?? 0)
        let source = (call.kind == .recvfrom || call.kind == .recvmsg || call.kind == .recvmmsg) ? c.socketAddress?.endpoint : s.datagramPeer
        let known = c.payload?.bytes ?? []
        let offered = bufferSize(call)
        if let source, isIgnored(source) { counters.ignoredPeerCalls += 1; return .accepted([]) }
        if let index = s.queue.firstIndex(where: { matches($0, count: count, known: known, source: source, offered: offered, flags: flags) }) {
            let datagram = s.queue[index]
            var findings: [Finding] = []
            if !flags.contains("MSG_PEEK") {
                sockets[id]?.queue.remove(at: index)
                if let port = source?.port, var sender = sockets[datagram.source], sender.localPort == nil {
                    setPort(port, of: &sender)
                    sockets[datagram.source] = sender
                }
                let truncated = datagram.length > count && !flags.contains("MSG_TRUNC")
                if let senderHost = sockets[datagram.source]?.host { evidence.workingPairs.insert(HostPair(senderHost, s.host)) }
                evidence.datagrams.add(.init(sent: datagram.origin, size: datagram.length, received: !truncated, destinationTraced: true))
                let key = TrafficStatistics.FlowKey(transport: "udp", client: hosts[sockets[datagram.source]?.host ?? s.host].name, server: datagram.destination.description)
                statistics.update(key) {
                    $0.forward.datagramsReceived += 1
                    $0.forward.bytesReceived += count
                    $0.serverTraces.insert(call.ref.trace)
                    if truncated { $0.forward.bytesLost += datagram.length - count }
                }
                if truncated {
                    evidence.truncatedDatagrams.add(call.ref)
                    findings.append(finding(call, "MSGNOTSENT", .warning,
                                            "received the first \(count) bytes of a \(datagram.length)-byte datagram (line \(datagram.origin.line)): the receive buffer was too small and the rest was discarded",
                                            fix: "Receive with a buffer as large as the largest datagram (up to 65507 bytes), or check MSG_TRUNC."))
                }
            }
            sockets[id]?.lastUse = call.ref
            evidence.tracedTraffic[call.ref.trace, default: 0] += count
            return .accepted(findings)
        }
        if let source, route(source, from: s.host) == nil, !hasHostsWithUnknownAddresses || !source.address.isLoopback {
            counters.externalCalls += 1
            evidence.externalTraffic[call.ref.trace, default: 0] += count
            return .accepted([])
        }
        let reason = finding(call, "MSGNOTSENT", .error, "received a \(count)-byte datagram\(source.map { " from \($0)" } ?? "") that no traced socket sent")
        if !force { return .rejected(reason: reason) }
        return .accepted([reason])
    }

    private func matches(_ d: Datagram, count: Int, known: [UInt8], source: Endpoint?, offered: Int?, flags: [String]) -> Bool {
        if let source {
            if let port = d.sourcePort ?? sockets[d.source]?.localPort, port != source.port { return false }
            if let address = d.sourceAddress ?? sockets[d.source]?.localAddress, !address.isUnspecified,
               !Self.sameAddress(address, source.address) { return false }
        }
        let lengthFits = d.length == count || (d.length > count && (offered == count || offered == nil)) || (flags.contains("MSG_TRUNC") && d.length == count)
        guard lengthFits else { return false }
        let n = min(known.count, d.bytes.count, count)
        var i = 0
        while i < n { if known[i] != d.bytes[i] { return false }; i += 1 }
        return true
    }
}
