import IR

/// connect and accept: how connections are matched across hosts.
extension NetworkModel {
    /// The listener a connect from `host` to `destination` reaches now, if any; also says whether the
    /// destination is outside the traced hosts.
    func listener(for destination: Endpoint, from host: HostIndex) -> (listener: SocketID?, nat: NATMapping?, outside: Bool) {
        var target = destination
        if target.address.isUnspecified { target.address = target.address.isIPv6 ? .v6(.loopback) : .v4(.loopback) }
        if let routed = route(target, from: host) {
            let candidates = [routed.host] + hostsDeclaring(routed.endpoint.address).filter { $0 != routed.host }
            for candidate in candidates {
                for id in bound[routed.endpoint.port] ?? [] {
                    guard let s = sockets[id], !s.closed, s.isListening, s.host == candidate,
                          accepts(s, routed.endpoint.address) else { continue }
                    return (id, routed.nat, false)
                }
            }
            return (nil, routed.nat, false)
        }
        // An address no host is known to have: a host whose addresses are unknown may own it.
        for id in bound[target.port] ?? [] {
            guard let s = sockets[id], !s.closed, s.isListening, hosts[s.host].addresses.isEmpty,
                  s.localAddress?.isUnspecified ?? true, s.host != host else { continue }
            return (id, nil, false)
        }
        return (nil, nil, !hasHostsWithUnknownAddresses || isIgnored(destination))
    }

    /// Whether a listener's bound address takes connections addressed to `address`.
    func accepts(_ s: ModelSocket, _ address: IPAddress) -> Bool {
        guard let local = s.localAddress else { return false }
        if local.isUnspecified {
            if local.isIPv6 { return address.unmapped.isIPv6 || !(s.options.v6Only ?? false) }
            return !address.unmapped.isIPv6
        }
        return Self.sameAddress(local, address)
    }

    /// A listener that will ever listen at `destination`, for the diagnosis of refused connects.
    mutating func simulateConnect(_ call: Call, force: Bool) -> Outcome {
        let c = call.syscall
        guard let id = socket(for: call, descriptor: c.descriptor()), var s = sockets[id] else { return .accepted([]) }
        guard s.isModelled else { counters.nonInternetSocketCalls += 1; return .accepted([]) }
        guard let address = c.socketAddress else { return .accepted([]) }
        guard let destination = address.endpoint else {
            // AF_UNSPEC dissolves a datagram socket's association.
            if s.transport == .datagram { s.datagramPeer = nil; sockets[id] = s }
            return .accepted([])
        }
        var findings = addressNotes(call, destination: destination, socket: s, address: address)
        if s.transport == .datagram { return connectDatagram(call, id: id, destination: destination, findings: findings) }
        if isIgnored(destination) {
            counters.ignoredPeerCalls += 1
            if c.errorName == nil { s.phase = .external(destination); sockets[id] = s }
            return .accepted(findings)
        }
        let error = c.errorName
        // A socket bound to loopback cannot reach another address (Linux: EINVAL).
        if let local = s.localAddress, local.isLoopback, !destination.address.isLoopback, !destination.address.isUnspecified {
            if error == "EINVAL" {
                findings.append(explained(call, .error, "the socket is bound to \(local), a loopback address, so it cannot connect to \(destination.address)",
                                          fix: "Bind to the wildcard address (0.0.0.0 or ::) or to an address of the interface that reaches \(destination.address), or do not bind before connecting."))
                s.phase = .failed(reason: "EINVAL")
                sockets[id] = s
                return .accepted(findings)
            }
        }
        let found = listener(for: destination, from: call.host)
        switch error {
        case nil:
            return connectSucceeded(call, id: id, s: s, destination: destination, found: found, force: force, findings: findings)
        case "EINPROGRESS", "EWOULDBLOCK":
            if case .connecting = s.phase {
                findings.append(explained(call, .info, "connect in progress again"))
                return .accepted(findings)
            }
            var connection: ConnectionID?
            if let l = found.listener { connection = enqueue(client: id, listener: l, destination: destination, call: call, nat: found.nat) }
            guard var s2 = sockets[id] else { return .accepted(findings) }
            s2.phase = found.outside && found.listener == nil ? .external(destination) : .connecting(target: destination, connection: connection)
            s2.lastUse = call.ref
            assignSource(&s2, towards: destination, host: call.host)
            sockets[id] = s2
            if !s.nonBlocking, error == "EINPROGRESS" {
                findings.append(explained(call, .warning, "connect returned EINPROGRESS on a socket the model has as blocking"))
            } else {
                findings.append(explained(call, .info, "non-blocking connect to \(destination) started"))
            }
            return .accepted(findings)
        case "EALREADY":
            findings.append(explained(call, .info, "a non-blocking connect is still in progress"))
            return .accepted(findings)
        case "EISCONN":
            if case .connecting(let target, let pending) = s.phase {
                if pending == nil, found.listener == nil, !found.outside {
                    if !force { return .rejected(reason: explained(call, .error, "connect reports the socket connected but nothing listens at \(target)")) }
                }
                if pending == nil, let l = found.listener { _ = enqueue(client: id, listener: l, destination: target, call: call, nat: found.nat) }
                if var s2 = sockets[id], case .connecting(_, let cid) = s2.phase {
                    s2.phase = cid.map { .connected($0) } ?? .external(target)
                    sockets[id] = s2
                }
            }
            findings.append(explained(call, .warning, "connect on a socket that is already connected",
                                      fix: "After a non-blocking connect, wait for writability and check SO_ERROR instead of calling connect again."))
            return .accepted(findings)
        case "ECONNREFUSED", "EINVAL" where isConnecting(s):
            return connectRefused(call, id: id, s: s, destination: destination, found: found, findings: findings)
        case "EINTR", "ERESTARTSYS", "ERESTARTNOINTR", "ERESTARTNOHAND":
            var connection: ConnectionID?
            if let l = found.listener { connection = enqueue(client: id, listener: l, destination: destination, call: call, nat: found.nat) }
            if var s2 = sockets[id] { s2.phase = .connecting(target: destination, connection: connection); sockets[id] = s2 }
            findings.append(explained(call, .info, "connect interrupted by a signal; it completes in the background"))
            return .accepted(findings)
        default:
            let failure = error ?? "ERROR"
            evidence.failedConnects.add(.init(call: call.ref, host: call.host, target: destination, error: failure))
            s.phase = .failed(reason: failure)
            sockets[id] = s
            findings.append(explained(call, .warning, "connect to \(destination) failed with \(failure)"))
            return .accepted(findings)
        }
    }

    func isConnecting(_ s: ModelSocket) -> Bool { if case .connecting = s.phase { return true } else { return false } }

    private mutating func connectSucceeded(_ call: Call, id: SocketID, s: ModelSocket, destination: Endpoint,
                                           found: (listener: SocketID?, nat: NATMapping?, outside: Bool),
                                           force: Bool, findings: [Finding]) -> Outcome {
        var findings = findings
        if case .connecting(_, let pending?) = s.phase {
            if var s2 = sockets[id] { s2.phase = .connected(pending); sockets[id] = s2 }
            return .accepted(findings)
        }
        if case .connected = s.phase { return .accepted(findings) }
        if case .external = s.phase { return .accepted(findings) }
        if let l = found.listener {
            let cid = enqueue(client: id, listener: l, destination: destination, call: call, nat: found.nat)
            if var s2 = sockets[id] { s2.phase = .connected(cid); s2.lastUse = call.ref; sockets[id] = s2 }
            return .accepted(findings)
        }
        if found.outside {
            counters.externalCalls += 1
            if var s2 = sockets[id] {
                s2.phase = .external(destination)
                assignSource(&s2, towards: destination, host: call.host)
                sockets[id] = s2
            }
            return .accepted(findings)
        }
        let reason = finding(call, "UNEXPECTED_SUCCESS", .error,
                             "connect to \(destination) succeeded but no traced socket listens there at this point")
        if !force { return .rejected(reason: route(destination, from: call.host) == nil ? nil : reason) }
        if var s2 = sockets[id] {
            s2.phase = .external(destination)
            assignSource(&s2, towards: destination, host: call.host)
            sockets[id] = s2
        }
        if route(destination, from: call.host) != nil {
            evidence.failedConnects.add(.init(call: call.ref, host: call.host, target: destination, error: "no listener"))
            findings.append(reason)
        } else {
            counters.externalCalls += 1
        }
        return .accepted(findings)
    }

    private mutating func connectRefused(_ call: Call, id: SocketID, s: ModelSocket, destination: Endpoint,
                                         found: (listener: SocketID?, nat: NATMapping?, outside: Bool), findings: [Finding]) -> Outcome {
        var findings = findings
        let wasPending = isConnecting(s)
        evidence.refusedConnects.add(.init(call: call.ref, host: call.host, target: destination, error: call.syscall.errorName ?? "ECONNREFUSED"))
        if wasPending { evidence.unfinishedNonBlockingConnects.add(.init(call: call.ref, host: call.host, target: destination, error: "refused")) }
        var s2 = s
        s2.phase = .failed(reason: "refused")
        s2.pendingError = nil
        sockets[id] = s2
        if let l = found.listener, let listener = sockets[l] {
            findings.append(explained(call, .error, "connection to \(destination) refused although \(describe(l)) listens there (since line \(listener.lastUse.line))",
                                      fix: "Look for a firewall or middlebox between the hosts, or a listener that refuses this address family."))
        } else {
            findings.append(explained(call, .warning, "connection to \(destination) refused: nothing listens there at this point",
                                      fix: "Check the port and address, and that the server listens before the client connects."))
        }
        return .accepted(findings)
    }

    /// Puts a new connection into a listener's backlog.
    mutating func enqueue(client: SocketID, listener: SocketID, destination: Endpoint, call: Call, nat: NATMapping?) -> ConnectionID {
        let cid = newConnection(client: client, listener: listener, target: destination, opened: call.ref)
        connections[cid]?.translated = nat
        sockets[listener]?.backlog.append(cid)
        if var s = sockets[client] {
            assignSource(&s, towards: destination, host: call.host)
            sockets[client] = s
        }
        if let nat {
            evidence.natTraversals.add(.init(call: call.ref, text: "connection to \(destination) reaches \(nat.privateAddress)\(nat.privatePort.map { ":\($0)" } ?? "") through the NAT declared in the configuration"))
        }
        return cid
    }

    /// Gives an unbound socket the source address the host would pick (the port stays unknown
    /// until a peer or getsockname reports it).
    mutating func assignSource(_ s: inout ModelSocket, towards destination: Endpoint, host: HostIndex) {
        if s.localAddress == nil || s.localAddress!.isUnspecified {
            if let source = sourceAddress(towards: destination.address, from: host, family: s.family) { s.localAddress = source }
        }
    }

    private mutating func connectDatagram(_ call: Call, id: SocketID, destination: Endpoint, findings: [Finding]) -> Outcome {
        guard var s = sockets[id] else { return .accepted(findings) }
        if let error = call.syscall.errorName {
            return .accepted(findings + [explained(call, .warning, "connect of a datagram socket to \(destination) failed with \(error)")])
        }
        s.datagramPeer = destination
        if !s.boundExplicitly || s.localAddress?.isUnspecified ?? true {
            if let source = sourceAddress(towards: destination.address, from: call.host, family: s.family) { s.localAddress = source }
        }
        s.lastUse = call.ref
        sockets[id] = s
        return .accepted(findings)
    }

    /// Notes on the peer address itself: unspecified, IPv4-mapped, family mismatch.
    mutating func addressNotes(_ call: Call, destination: Endpoint, socket s: ModelSocket, address: SocketAddress) -> [Finding] {
        var notes: [Finding] = []
        if address.isIPv4Mapped, !(s.options.v6Only ?? false) {
            evidence.mappedOnWire.add(.init(call: call.ref, text: "\(call.ref.name) to the IPv4-mapped address \(destination) on an IPv6 socket without IPV6_V6ONLY"))
        }
        if destination.address.isUnspecified && destination.port != 0 {
            evidence.unspecifiedPeers.add(.init(call: call.ref, text: "\(call.ref.name) to \(destination)"))
            notes.append(finding(call, "UNSPECIFIED_ADDRESS", .warning,
                                 "the peer address \(destination.address) is unspecified; Linux takes it as this host, other systems refuse it",
                                 fix: "Connect to 127.0.0.1 (or ::1) or to the host's real address."))
        }
        return notes
    }

    // MARK: accept

    mutating func simulateAccept(_ call: Call, force: Bool) -> Outcome {
        let c = call.syscall
        guard let lid = socket(for: call, descriptor: c.descriptor()), let listener = sockets[lid] else { return .accepted([]) }
        guard listener.isModelled else { return acceptOther(call) }
        if let error = c.errorName {
            if error == "EWOULDBLOCK" {
                return .accepted([explained(call, listener.nonBlocking ? .info : .warning,
                                            listener.nonBlocking ? "no connection waiting on the non-blocking listener" : "accept would block on a socket the model has as blocking")])
            }
            if call.syscall.wasInterrupted { return .accepted([explained(call, .info, "accept interrupted by a signal")]) }
            return .accepted([explained(call, .warning, "accept failed with \(error)")])
        }
        guard let fd = c.returnValue.flatMap({ Int32(exactly: $0) }) else { return .accepted([]) }
        let peer = c.address(at: 1)?.endpoint
        var findings: [Finding] = []
        let chosen = pendingConnection(for: lid, peer: peer, call: call)
        if chosen == nil {
            let reason = finding(call, "NO_PENDING_CONN", .error,
                                 "accept returned a connection\(peer.map { " from \($0)" } ?? "") but no traced connect is pending on this listener",
                                 fix: "If the client is traced, a NAT or proxy may rewrite its address; declare it with a `nat` line. Otherwise the peer is outside the traced hosts.")
            if !force { return .rejected(reason: reason) }
            evidence.unmatchedAccepts.add(call.ref)
            findings.append(reason)
        }
        let accepted = newSocket(host: call.host, family: listener.family, transport: .stream, created: call.ref)
        var s = sockets[accepted]!
        s.acceptedFrom = lid
        s.options = listener.options
        s.localAddress = listener.localAddress
        if let port = listener.localPort { setPort(port, of: &s) }
        let inherits = hosts[call.host].platform.isBSDLike || hosts[call.host].platform == .macos || hosts[call.host].platform == .windows
        s.nonBlocking = c.names(3).contains("SOCK_NONBLOCK") || (inherits && listener.nonBlocking)
        s.inheritedNonBlocking = listener.nonBlocking
        if let (cid, matched) = chosen {
            if var connection = connections[cid] {
                connection.server = accepted
                connection.accepted = call.ref
                if let clientHost = sockets[connection.client]?.host { evidence.workingPairs.insert(HostPair(clientHost, call.host)) }
                connections[cid] = connection
                sockets[lid]?.backlog.removeAll { $0 == cid }
                if let local = s.localAddress, local.isUnspecified { s.localAddress = connection.target.address.isUnspecified ? .v4(.loopback) : connection.target.address }
                s.phase = .connected(cid)
                findings += learnPeer(peer, client: connection.client, call: call, matched: matched)
                if var client = sockets[connection.client], case .connecting(_, nil) = client.phase {
                    client.phase = .connecting(target: connection.target, connection: cid)
                    sockets[connection.client] = client
                }
            }
        } else {
            s.phase = .external(peer ?? Endpoint(address: .v4(.any), port: 0))
        }
        if let old = processes.set(call.process, fd, accepted) { release(old, at: call) }
        sockets[accepted]?.lastUse = call.ref
        sockets[accepted] = s
        return .accepted(findings)
    }

    private mutating func acceptOther(_ call: Call) -> Outcome {
        if let fd = call.syscall.returnValue.flatMap({ Int32(exactly: $0) }),
           let old = processes.set(call.process, fd, nil) { release(old, at: call) }
        counters.nonInternetSocketCalls += 1
        return .accepted([])
    }

    /// The connection an accept returns: the backlog entry whose client matches the logged peer,
    /// or a non-blocking connect still in progress towards this listener. `matched` tells whether
    /// the peer address agreed with the client's own.
    private mutating func pendingConnection(for lid: SocketID, peer: Endpoint?, call: Call) -> (ConnectionID, Bool)? {
        guard let listening = sockets[lid] else { return nil }
        var fallback: (ConnectionID, Bool)?
        for cid in listening.backlog {
            guard let connection = connections[cid], let client = sockets[connection.client] else { continue }
            switch compare(peer, with: client) {
            case .same: return (cid, true)
            case .addressDiffers: if fallback == nil { fallback = (cid, false) }
            case .portDiffers: continue
            }
        }
        if let fallback { return fallback }
        // A non-blocking connect whose handshake the model has not matched yet.
        if let id = lateConnector(to: lid, where: { self.compare(peer, with: $0) != .portDiffers }),
           let client = sockets[id], case .connecting(let target, nil) = client.phase {
            let cid = newConnection(client: id, listener: lid, target: target, opened: client.lastUse)
            sockets[id]?.phase = .connecting(target: target, connection: cid)
            sockets[lid]?.backlog.append(cid)
            if client.closed {
                // The client gave up after the handshake: the server accepts a connection already closed.
                connections[cid]?.clientClosed = true
                connections[cid]?.toServer.finished = true
                sockets[id]?.phase = .connected(cid)
            }
            return (cid, true)
        }
        return nil
    }

    /// The first socket (by id) whose non-blocking connect is still unmatched and would reach
    /// listener `lid` now, and that `accepts` admits.
    func lateConnector(to lid: SocketID, where admits: (ModelSocket) -> Bool = { _ in true }) -> SocketID? {
        for id in sockets.keys.sorted() {
            guard let client = sockets[id], case .connecting(let target, nil) = client.phase,
                  listener(for: target, from: client.host).listener == lid, admits(client) else { continue }
            return id
        }
        return nil
    }

    enum PeerComparison { case same, addressDiffers, portDiffers }

    func compare(_ peer: Endpoint?, with client: ModelSocket) -> PeerComparison {
        guard let peer else { return .same }
        if let port = client.localPort, port != peer.port { return .portDiffers }
        if let address = client.localAddress, !address.isUnspecified, !Self.sameAddress(address, peer.address) { return .addressDiffers }
        return .same
    }

    /// What an accept's peer address tells about the client: its port, its address, a NAT.
    private mutating func learnPeer(_ peer: Endpoint?, client: SocketID, call: Call, matched: Bool) -> [Finding] {
        guard let peer, var s = sockets[client] else { return [] }
        var findings: [Finding] = []
        if s.localPort == nil { setPort(peer.port, of: &s) }
        if s.localAddress == nil || s.localAddress!.isUnspecified {
            s.localAddress = peer.address
            learn(peer.address, for: s.host)
        } else if !matched {
            let own = s.localAddress!
            let declared = hosts[s.host].nats.contains { $0.publicAddress.unmapped == peer.address.unmapped }
            if declared {
                evidence.natTraversals.add(.init(call: call.ref, text: "the server sees \(hosts[s.host].name) as \(peer.address) (its own address is \(own)): the NAT declared in the configuration"))
            } else {
                evidence.sourceNAT.add(.init(call: call.ref, text: "\(hosts[s.host].name) connects from \(own) but the server sees \(peer.address)"))
                findings.append(finding(call, "PEER_ADDRESS_MISMATCH", .warning,
                                        "the connection arrives from \(peer.address), but the client's own address is \(own): something rewrites the source address (NAT)",
                                        fix: "Declare the translation with a `nat` line in the configuration if it is expected."))
            }
        }
        if peer.address.isIPv6, case .v6(let v6) = peer.address, v6.mappedIPv4 != nil {
            evidence.mappedPeers.add(.init(call: call.ref, text: "peer \(peer) is an IPv4-mapped IPv6 address"))
        }
        sockets[client] = s
        return findings
    }
}
