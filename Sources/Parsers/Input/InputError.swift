/// An input that could not be read: which file, where, and what was expected.
///
/// Its description is the one-line message the command line prints (`file:line:column: ...`).
public struct InputError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, for choosing an exit code.
    public enum Kind: Sendable, Hashable {
        /// The input could not be opened (missing, unreadable, a directory).
        case cannotOpen
        /// The input was opened but its content is damaged or not in the expected format.
        case malformed
    }

    public var kind: Kind = .malformed
    public var path: String
    public var line: Int?
    public var column: Int?
    public var message: String

    public init(path: String, line: Int? = nil, column: Int? = nil, message: String) {
        self.path = path
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        var s = path
        if let line { s += ":\(line)" }
        if let column { s += ":\(column)" }
        return s + ": " + message
    }
}
