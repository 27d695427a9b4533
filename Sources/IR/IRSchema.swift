/// The IR's JSON Lines format: version, record shapes, and helpers shared by encoder and decoder.
///
/// A stream is a sequence of lines. A trace record (`{"netcheck_ir":1,"trace":0,"path":...}`)
/// introduces each trace before its first event; every other line is one ``Event``.
/// `docs/ir-jsonl.md` documents every field.
public enum IRSchema {
    /// The schema version this build writes and the highest it reads.
    public static let version: Int64 = 1

    /// Bytes as a JSON string in which each byte is one code point U+0000-U+00FF (Latin-1), so
    /// binary data survives and ASCII stays readable in jq.
    static func latin1(_ bytes: [UInt8]) -> String {
        var scalars = String.UnicodeScalarView()
        for b in bytes { scalars.append(Unicode.Scalar(b)) }
        return String(scalars)
    }

    /// The inverse of ``latin1(_:)``; nil when a code point is above U+00FF.
    static func bytes(fromLatin1 s: String) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            guard u.value <= 0xFF else { return nil }
            out.append(UInt8(u.value))
        }
        return out
    }

    static func hexText(_ v: UInt64) -> String { "0x" + String(v, radix: 16) }
}

/// A trace announcement in an IR stream.
public struct TraceRecord: Sendable, Hashable {
    public var id: TraceID
    public var info: TraceInfo
    public init(id: TraceID, info: TraceInfo) { self.id = id; self.info = info }
}

/// One line of an IR stream.
public enum IRRecord: Sendable, Hashable {
    case trace(TraceRecord)
    case event(Event)
}
