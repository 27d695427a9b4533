import IR

/// Rule 1: connections that reached a listener and were never accepted.
struct UnacceptedConnectionsRule: DiagnosisRule {
    func evaluate(_ context: DiagnosisContext) -> [Problem] {
        let e = context.evidence.unacceptedConnections
        guard !e.isEmpty else { return [] }
        let listenerTraces = e.items.compactMap { attempt in
            context.evidence.listeners.first { $0.port == attempt.target.port }?.call.trace
        }
        return [Problem(rule: "unaccepted_connections", severity: .error,
                        traces: e.items.map(\.call.trace) + listenerTraces,
                        message: "\(e.count) connection(s) reached a listener but were never accepted (first to \(e.items[0].target)); the connecting host may be behind a middlebox, or the server stopped accepting",
                        evidence: e.items.map(\.call),
                        fix: "Check that the server calls accept for every connection and that its backlog is large enough.")]
    }
}

/// Rule 2: accepts with no matching connect.
struct IgnoredAcceptsRule: DiagnosisRule {
    func evaluate(_ context: DiagnosisContext) -> [Problem] {
        let e = context.evidence.unmatchedAccepts
        guard !e.isEmpty else { return [] }
        return [Problem(rule: "ignored_accepts", severity: .error, traces: e.items.map(\.trace),
                        message: "\(e.count) accept(s) returned a connection no traced connect opened: a middlebox (NAT, proxy) sits between the hosts, or the client was not traced",
                        evidence: e.items,
                        fix: "Trace the client too, or declare the NAT or port forward in the configuration.")]
    }
}

/// Rule 3: connects that failed for reasons other than a refusal (timeouts, unreachable networks).
struct ConnectFailureRule: DiagnosisRule {
    func evaluate(_ context: DiagnosisContext) -> [Problem] {
        let e = context.evidence.failedConnects
        guard !e.isEmpty else { return [] }
        let errors = Set(e.items.map(\.error)).sorted().joined(separator: ", ")
        return [Problem(rule: "connect_failure", severity: .error, traces: e.items.map(\.call.trace),
                        message: "\(e.count) connect(s) failed (\(errors)), first to \(e.items[0].target): a middlebox or firewall may be filtering connections",
                        evidence: e.items.map(\.call),
                        fix: "Check the route and any firewall between the hosts.")]
    }
}

/// Rule 4 and its relatives: a refused connect, told apart by what listened at the address.
struct ConnectionRefusedRule: DiagnosisRule {
    func evaluate(_ context: DiagnosisContext) -> [Problem] {
        let e = context.evidence.refusedConnects
        guard !e.isEmpty else { return [] }
        var listened: [Evidence.ConnectAttempt] = [], unlistened: [Evidence.ConnectAttempt] = []
        var listenerTraces: [TraceID] = []
        var versionMismatch: [(Evidence.ConnectAttempt, Evidence.Listening)] = []
        var loopbackOnly: [(Evidence.ConnectAttempt, Evidence.Listening)] = []
        var v6Only: [(Evidence.ConnectAttempt, Evidence.Listening)] = []
        for attempt in e.items {
            let candidates = Self.listeners(for: attempt, in: context)
            if let l = candidates.first(where: { $0.1 }) {
                listened.append(attempt)
                listenerTraces.append(l.0.call.trace)
                if l.0.address.isIPv6 && !attempt.target.address.unmapped.isIPv6 {
                    if l.0.v6Only { v6Only.append((attempt, l.0)) } else { versionMismatch.append((attempt, l.0)) }
                }
            } else if let l = candidates.first {
                unlistened.append(attempt)
                if l.0.address.isLoopback && !attempt.target.address.isLoopback { loopbackOnly.append((attempt, l.0)) }
            } else {
                unlistened.append(attempt)
            }
        }
        var problems: [Problem] = []
        if !listened.isEmpty {
            problems.append(Problem(rule: "connection_refused", severity: .error,
                                    traces: listened.map(\.call.trace) + listenerTraces,
                                    message: "\(listened.count) connect(s) to \(listened[0].target) were refused although a traced socket listens on that address: the connect came before the listen, or a middlebox refused it",
                                    evidence: listened.map(\.call),
                                    fix: "Make the client wait until the server listens (retry with backoff), and check firewalls between the hosts."))
        }
        if !unlistened.isEmpty {
            problems.append(Problem(rule: "connect_to_unlistened_port", severity: .error, traces: unlistened.map(\.call.trace),
                                    message: "\(unlistened.count) connect(s) to \(unlistened[0].target) were refused: no traced socket ever listens there",
                                    evidence: unlistened.map(\.call),
                                    fix: "Check the address and port the client uses against the ones the server listens on."))
        }
        if !versionMismatch.isEmpty {
            let (attempt, l) = versionMismatch[0]
            problems.append(Problem(rule: "ip_version_mismatch", severity: .warning,
                                    traces: versionMismatch.flatMap { [$0.0.call.trace, $0.1.call.trace] },
                                    message: "the IPv4 connect to \(attempt.target) meets a listener bound to the IPv6 address [\(l.address)]:\(l.port); it only takes IPv4 when the host allows dual-stack sockets (net.ipv6.bindv6only=0, IPV6_V6ONLY off)",
                                    evidence: versionMismatch.map(\.0.call) + [l.call],
                                    fix: "Bind an IPv4 listener too, or clear IPV6_V6ONLY on the listening socket."))
        }
        if !v6Only.isEmpty {
            problems.append(Problem(rule: "ipv6_only_listener", severity: .error,
                                    traces: v6Only.flatMap { [$0.0.call.trace, $0.1.call.trace] },
                                    message: "the listener on [\(v6Only[0].1.address)]:\(v6Only[0].1.port) is IPv6-only (IPV6_V6ONLY), so IPv4 clients are refused",
                                    evidence: v6Only.map(\.0.call), fix: "Clear IPV6_V6ONLY or add an IPv4 listener."))
        }
        if !loopbackOnly.isEmpty {
            problems.append(Problem(rule: "listener_bound_loopback", severity: .error,
                                    traces: loopbackOnly.flatMap { [$0.0.call.trace, $0.1.call.trace] },
                                    message: "the only listener for port \(loopbackOnly[0].1.port) is bound to \(loopbackOnly[0].1.address), so connects to \(loopbackOnly[0].0.target.address) are refused",
                                    evidence: loopbackOnly.map(\.0.call), fix: "Bind the server to the wildcard address or to the interface clients use."))
        }
        return problems
    }

    /// Listeners on the refused port of the host the target address leads to; `true` when the
    /// listener's address takes the target (ignoring IPV6_V6ONLY, which the rules above explain).
    static func listeners(for attempt: Evidence.ConnectAttempt, in context: DiagnosisContext) -> [(Evidence.Listening, Bool)] {
        var target = attempt.target
        if target.address.isUnspecified { target.address = .v4(.loopback) }
        let routed = context.model.route(target, from: attempt.host)
        return context.evidence.listeners.compactMap { l in
            guard l.port == routed?.endpoint.port ?? target.port else { return nil }
            if let routed, routed.host != l.host, !context.model.hostsDeclaring(routed.endpoint.address).contains(l.host) { return nil }
            if routed == nil && !context.model.hosts[l.host].addresses.isEmpty { return nil }
            let address = routed?.endpoint.address ?? target.address
            let takes = l.address.isUnspecified ? (l.address.isIPv6 || !address.unmapped.isIPv6) : NetworkModel.sameAddress(l.address, address)
            return (l, takes)
        }
    }
}

/// Rule 5: non-blocking connects never seen to connect.
struct NonblockingConnectFailureRule: DiagnosisRule {
    func evaluate(_ context: DiagnosisContext) -> [Problem] {
        let e = context.evidence.unfinishedNonBlockingConnects
        guard !e.isEmpty else { return [] }
        return [Problem(rule: "nonblocking_connect_failure", severity: .error, traces: e.items.map(\.call.trace),
                        message: "\(e.count) non-blocking connect(s) never connected (first to \(e.items[0].target): \(e.items[0].error))",
                        evidence: e.items.map(\.call),
                        fix: "Wait for the socket to become writable and check SO_ERROR before using it; retry when the connect fails.")]
    }
}

/// NAT seen from the addresses: declared translations used, and undeclared ones inferred.
struct NATRule: DiagnosisRule {
    func evaluate(_ context: DiagnosisContext) -> [Problem] {
        var problems: [Problem] = []
        let e = context.evidence
        if !e.natTraversals.isEmpty {
            problems.append(Problem(rule: "nat_traversal", severity: .info, traces: e.natTraversals.items.map(\.call.trace),
                                    message: e.natTraversals.items[0].text, evidence: e.natTraversals.items.map(\.call)))
        }
        if !e.sourceNAT.isEmpty {
            problems.append(Problem(rule: "client_behind_nat", severity: .warning, traces: e.sourceNAT.items.map(\.call.trace),
                                    message: e.sourceNAT.items[0].text + ": the client is behind a NAT", evidence: e.sourceNAT.items.map(\.call),
                                    fix: "Declare the NAT in the configuration (`nat PRIVATE PUBLIC`) if it is expected; otherwise find what rewrites the address."))
        }
        if !e.unmatchedAccepts.isEmpty && (!e.unfinishedNonBlockingConnects.isEmpty || !e.failedConnects.isEmpty || !e.refusedConnects.isEmpty) {
            let traces = e.unmatchedAccepts.items.map(\.trace) + e.unfinishedNonBlockingConnects.items.map(\.call.trace) + e.failedConnects.items.map(\.call.trace)
            problems.append(Problem(rule: "undeclared_nat", severity: .warning, traces: traces,
                                    message: "accepts without a matching connect and connects without a matching accept: a NAT or port forward between the hosts may be missing from the configuration",
                                    evidence: e.unmatchedAccepts.items,
                                    fix: "Add a `nat PRIVATE[,PORT] PUBLIC[,PORT]` line to the host behind the translation."))
        }
        return problems
    }
}

/// Rule 9: A reaches B and B reaches C, but A never reaches C.
struct NontransitiveConnectivityRule: DiagnosisRule {
    func evaluate(_ context: DiagnosisContext) -> [Problem] {
        let e = context.evidence
        var failed: [HostPair: CallRef] = [:]
        for attempt in e.refusedConnects.items + e.failedConnects.items + e.unfinishedNonBlockingConnects.items {
            guard let routed = context.model.route(attempt.target, from: attempt.host), routed.host != attempt.host else { continue }
            let pair = HostPair(attempt.host, routed.host)
            if !e.workingPairs.contains(pair) { failed[pair] = failed[pair] ?? attempt.call }
        }
        var problems: [Problem] = []
        for (pair, call) in failed.sorted(by: { ($0.key.low, $0.key.high) < ($1.key.low, $1.key.high) }) {
            let hosts = context.model.hosts.indices
            guard let middle = hosts.first(where: { $0 != pair.low && $0 != pair.high
                && e.workingPairs.contains(HostPair(pair.low, $0)) && e.workingPairs.contains(HostPair($0, pair.high)) }) else { continue }
            problems.append(Problem(rule: "nontransitive_connectivity", severity: .error,
                                    traces: context.traces(of: pair.low) + context.traces(of: pair.high),
                                    message: "\(context.hostName(pair.low)) and \(context.hostName(pair.high)) both reach \(context.hostName(middle)) but not each other",
                                    evidence: [call], fix: "Look for a firewall or routing rule between the two hosts."))
        }
        return problems
    }
}
