/// A timestamp as a tracer printed it, and its value.
///
/// `text` is kept exactly as written so traces convert back byte for byte; `nanoseconds` is the
/// value in the clock `kind` names (since midnight, since the epoch, or since the previous line).
public struct Timestamp: Sendable, Hashable {
    /// Which clock the tracer used.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Wall clock, time of day (`-t`, `-tt`; the day is not recorded and may roll over).
        case timeOfDay = "time_of_day"
        /// Seconds since the Unix epoch (`-ttt`).
        case epoch
        /// Seconds since the previous line (`-r`).
        case relative
        /// Seconds since the start of the trace (truss `-d`, kdump `-R`-like clocks).
        case sinceStart = "since_start"
    }

    public var kind: Kind
    public var nanoseconds: Int64
    public var text: String

    @inlinable public init(kind: Kind, nanoseconds: Int64, text: String) {
        self.kind = kind
        self.nanoseconds = nanoseconds
        self.text = text
    }

    /// Builds a timestamp from its value, writing it with `fractionDigits` digits after the point
    /// (`HH:MM:SS.ffffff` for time of day, `S.ffffff` otherwise).
    public init(kind: Kind, nanoseconds: Int64, fractionDigits: Int = 6) {
        self.kind = kind
        self.nanoseconds = nanoseconds
        self.text = Timestamp.format(kind: kind, nanoseconds: nanoseconds, fractionDigits: fractionDigits)
    }

    public static func format(kind: Kind, nanoseconds: Int64, fractionDigits: Int) -> String {
        let seconds = nanoseconds / 1_000_000_000
        var fraction = nanoseconds % 1_000_000_000
        for _ in 0..<(9 - max(0, min(9, fractionDigits))) { fraction /= 10 }
        let fractionText = fractionDigits > 0 ? "." + pad(fraction, fractionDigits) : ""
        switch kind {
        case .timeOfDay:
            let h = seconds / 3600, m = (seconds / 60) % 60, s = seconds % 60
            return pad(h, 2) + ":" + pad(m, 2) + ":" + pad(s, 2) + fractionText
        case .epoch, .relative, .sinceStart:
            return String(seconds) + fractionText
        }
    }

    private static func pad(_ v: Int64, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
