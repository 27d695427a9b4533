import IR

/// Rules 7 and 8: datagram loss, and loss that depends on size (MTU).
struct DatagramLossRule: DiagnosisRule {
    func evaluate(_ context: DiagnosisContext) -> [Problem] {
        let e = context.evidence
        guard e.datagramsSent > 0, e.datagramsLost > 0 else { return [] }
        let fates = e.datagrams.items
        let lost = fates.filter { !$0.received }
        let received = fates.filter(\.received)
        var problems: [Problem] = []
        let fraction = Double(e.datagramsLost) / Double(e.datagramsSent)
        if fraction >= context.options.datagramLossThreshold {
            let percent = (fraction * 1000).rounded() / 10
            let receivers = context.evidence.datagrams.items.isEmpty ? [] : received.map(\.sent.trace)
            problems.append(Problem(rule: "datagram_loss", severity: .error,
                                    traces: lost.map(\.sent.trace) + receivers,
                                    message: "\(e.datagramsLost) of \(e.datagramsSent) datagram(s) (\(percent)%) sent to traced hosts never reached the application",
                                    evidence: lost.map(\.sent),
                                    fix: "Check for a firewall, a receiver that was not bound or not reading, or a congested path; add retransmission to the protocol."))
        }
        // MTU: every datagram above some size is lost, every one at or below it arrives.
        let lostSizes = lost.map(\.size), receivedSizes = received.map(\.size)
        if lostSizes.count >= 2, let smallestLost = lostSizes.min(), let largestReceived = receivedSizes.max(),
           smallestLost > largestReceived, !receivedSizes.isEmpty {
            problems.append(Problem(rule: "mtu", severity: .error, traces: lost.map(\.sent.trace),
                                    message: "every datagram of \(smallestLost) bytes or more was lost while every one of \(largestReceived) bytes or less arrived: the path drops packets above its MTU",
                                    evidence: lost.map(\.sent),
                                    fix: "Keep datagrams under the path MTU (about 1472 bytes of UDP payload on Ethernet), or fix the link that drops large packets."))
        }
        return problems
    }
}

/// Datagrams cut short because the receive buffer was smaller.
struct DatagramTruncatedRule: DiagnosisRule {
    func evaluate(_ context: DiagnosisContext) -> [Problem] {
        let e = context.evidence.truncatedDatagrams
        guard !e.isEmpty else { return [] }
        return [Problem(rule: "udp_datagram_truncated", severity: .error, traces: e.items.map(\.trace),
                        message: "\(e.count) datagram(s) were larger than the receive buffer and were truncated",
                        evidence: e.items, fix: "Receive into a buffer as large as the largest datagram.")]
    }
}
