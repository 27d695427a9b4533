/// How much a finding or problem matters.
public enum Severity: String, Sendable, Hashable, Comparable, CaseIterable {
    /// Expected behaviour worth knowing (a non-blocking call that would block, an interrupted call).
    case info
    /// Behaviour the model explains but that usually hurts (a refused connect, a portability trap).
    case warning
    /// Behaviour the model cannot explain, or a fault.
    case error

    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
    private var rank: Int { self == .info ? 0 : self == .warning ? 1 : 2 }
}

/// A call the network model flags: its logged result deviates from the ideal network, or is an
/// error the model explains. Codes come from corpus/VOCABULARY.md (an errno name, or one of
/// NetCheck's codes such as `MSG_DONT_MATCH`, `NO_PENDING_CONN`, `NONEMPTY_BUFFERS`).
public struct Finding: Sendable, Hashable {
    public var call: CallRef
    public var code: String
    public var severity: Severity
    /// One sentence a person understands.
    public var message: String
    /// What to do about it, when there is something to do.
    public var fix: String?

    public init(call: CallRef, code: String, severity: Severity, message: String, fix: String? = nil) {
        self.call = call
        self.code = code
        self.severity = severity
        self.message = message
        self.fix = fix
    }
}
