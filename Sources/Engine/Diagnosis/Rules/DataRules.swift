import IR

/// TCP data that never reached the receiving application, split by who is to blame.
struct DataLossRule: DiagnosisRule {
    func evaluate(_ context: DiagnosisContext) -> [Problem] {
        let losses = context.evidence.dataLosses.items
        var problems: [Problem] = []
        let application = losses.filter(\.byApplication)
        if !application.isEmpty {
            let bytes = application.reduce(0) { $0 + $1.bytes }
            problems.append(Problem(rule: "application_data_loss", severity: .error,
                                    traces: application.flatMap { [$0.sender.trace, $0.receiver.trace] },
                                    message: "\(bytes) byte(s) sent on TCP were never read because the receiving application closed or shut down first",
                                    evidence: application.flatMap { [$0.sender, $0.receiver] },
                                    fix: "Make the receiver read until end of file before it closes, or make the protocol say when the exchange ends."))
        }
        let network = losses.filter { !$0.byApplication }
        if !network.isEmpty {
            let bytes = network.reduce(0) { $0 + $1.bytes }
            problems.append(Problem(rule: "network_data_loss", severity: .error,
                                    traces: network.flatMap { [$0.sender.trace, $0.receiver.trace] },
                                    message: "\(bytes) byte(s) sent on TCP never reached a receiver that was still reading",
                                    evidence: network.map(\.sender),
                                    fix: "Look for a path problem (MTU black hole, middlebox) between the hosts."))
        }
        return problems
    }
}

/// Sends that failed because the peer had closed or reset the connection.
struct SendToClosedRule: DiagnosisRule {
    func evaluate(_ context: DiagnosisContext) -> [Problem] {
        let e = context.evidence.sendsToClosed
        guard !e.isEmpty else { return [] }
        return [Problem(rule: "send_to_closed_connection", severity: .error, traces: e.items.map(\.trace),
                        message: "\(e.count) send(s) failed because the peer had already closed the connection",
                        evidence: e.items, fix: "Agree on who closes first; handle EPIPE (and ignore SIGPIPE) in the sender.")]
    }
}

/// A reset that made a later call fail.
struct PeerResetRule: DiagnosisRule {
    func evaluate(_ context: DiagnosisContext) -> [Problem] {
        let hit = context.evidence.resets.items.filter { $0.victim != nil }
        guard let first = hit.first else { return [] }
        return [Problem(rule: "peer_reset", severity: .error, traces: hit.flatMap { [$0.victim!.trace, $0.by.trace] },
                        message: "the peer reset the connection (\(first.reason); reset at \(first.by.name) line \(first.by.line)), so later calls on the socket fail",
                        evidence: hit.flatMap { [$0.by, $0.victim!] },
                        fix: "Avoid SO_LINGER {1, 0} and closing with unread data unless an abortive close is intended.")]
    }
}

/// A socket closed or shut down by one thread while another is blocked on it.
struct ClosedByOtherThreadRule: DiagnosisRule {
    func evaluate(_ context: DiagnosisContext) -> [Problem] {
        let e = context.evidence.threadCloses
        guard let first = e.items.first else { return [] }
        let how = first.shutdown ? "shut down" : "closed"
        return [Problem(rule: "socket_closed_by_other_thread", severity: first.shutdown ? .info : .warning,
                        traces: e.items.flatMap { [$0.close.trace, $0.blocked.trace] },
                        message: "a socket was \(how) by one thread (line \(first.close.line)) while another was blocked in \(first.blocked.name) on it (line \(first.blocked.line))"
                            + (first.shutdown ? "; shutdown wakes the blocked call" : "; close does not reliably wake the blocked call"),
                        evidence: e.items.flatMap { [$0.close, $0.blocked] },
                        fix: first.shutdown ? nil : "Call shutdown(SHUT_RDWR) to wake the blocked thread, then close the socket from the thread that uses it.")]
    }
}

/// More data moved per call than the socket buffer size the application set.
struct BufferSizeRule: DiagnosisRule {
    func evaluate(_ context: DiagnosisContext) -> [Problem] {
        let e = context.evidence.bufferExceeded
        guard !e.isEmpty else { return [] }
        return [Problem(rule: "buffer_size_exceeded", severity: .warning, traces: e.items.map(\.trace),
                        message: "\(e.count) send(s) moved more data than the socket buffer size the application set; behaviour here differs between systems",
                        evidence: e.items, fix: "Do not size messages by SO_SNDBUF/SO_RCVBUF; the kernel rounds and doubles these values.")]
    }
}
