/// The registered diagnosis rules, in the order their problems are reported (most important first
/// is decided by severity afterwards; this order breaks ties).
public enum DiagnosisRules {
    public static let all: [any DiagnosisRule] = [
        ConnectionRefusedRule(), UnacceptedConnectionsRule(), IgnoredAcceptsRule(), ConnectFailureRule(),
        NonblockingConnectFailureRule(), NontransitiveConnectivityRule(), NATRule(),
        DataLossRule(), PeerResetRule(), SendToClosedRule(), ClosedByOtherThreadRule(),
        DatagramLossRule(), DatagramTruncatedRule(), BufferSizeRule(),
        NoRelevantTrafficRule(), AddressPortabilityRule(),
    ]
}
