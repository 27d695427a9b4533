import IR

/// Reads strace's value notation from bytes: numbers, strings, flag sets, structures, arrays,
/// function-style renderings, descriptor decorations and comments.
///
/// Tolerant by design: a value it cannot read structurally becomes ``Value/raw(_:)`` holding the
/// text up to the next separator at the same nesting depth, so new strace decodings degrade to
/// text rather than to a parse error.
struct StraceValueScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var i: Int
    let end: Int
    /// Where the scanner met brackets that do not balance; the line cannot be read.
    var unbalancedAt: Int?

    init(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) {
        self.bytes = bytes
        self.i = start
        self.end = end
    }

    @inline(__always) var atEnd: Bool { i >= end }
    @inline(__always) func peek(_ offset: Int = 0) -> UInt8 { i + offset < end ? bytes[i + offset] : 0 }

    func text(_ from: Int, _ to: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[from..<to]), as: UTF8.self)
    }

    /// Reads the argument list of a call, starting after `(`; stops at the matching `)` (left
    /// unconsumed) or at ` <unfinished ...>` / ` <detached ...>` / end of input.
    /// Returns each argument's value and byte range.
    mutating func arguments(stopAtMarkers: Bool = true) -> [(Value, Range<Int>)] {
        var out: [(Value, Range<Int>)] = []
        while !atEnd {
            if peek() == C.rparen { break }
            // " <unfinished ...>" and " <detached ...>" end the first half of a split call.
            if stopAtMarkers && peek() == C.space && peek(1) == C.lt { break }
            let start = i
            let v = value(inCall: true)
            out.append((v, start..<i))
            if peek() == C.comma && peek(1) == C.space {
                // A trailing "," before " <unfinished ...>" belongs to the split marker, not to an argument.
                if stopAtMarkers && (peek(2) == C.lt || (peek(2) == C.space && peek(3) == C.lt)) { break }
                if i + 2 >= end { break }
                i += 2
            } else if peek() == C.comma {
                i += 1
            } else {
                break
            }
        }
        return out
    }

    /// Reads the arguments of the second half of a split call, after `<... name resumed>`.
    mutating func resumedArguments() -> [(Value, Range<Int>)] { arguments(stopAtMarkers: false) }

    func startsWith(_ s: StaticString) -> Bool {
        let n = s.utf8CodeUnitCount
        guard i + n <= end else { return false }
        let p = s.utf8Start
        for k in 0..<n where bytes[i + k] != p[k] { return false }
        return true
    }

    /// Reads one value; on anything it does not understand, returns the text up to the next
    /// separator at this depth as `.raw`.
    mutating func value(inCall: Bool = false) -> Value {
        let start = i
        if var v = primary() {
            // Flag sets: A|B|0x10
            if peek() == C.pipe {
                var items = [v]
                while peek() == C.pipe {
                    i += 1
                    guard let next = primary() else { return fallback(from: start) }
                    items.append(next)
                }
                v = .flags(items)
            }
            // Trailing comment: 0x2 /* AF_INET */
            if peek() == C.space && peek(1) == C.slash && peek(2) == C.star {
                let commentStart = i + 4
                var k = i + 3
                while k + 1 < end && !(bytes[k] == C.star && bytes[k + 1] == C.slash) { k += 1 }
                guard k + 1 < end else { return fallback(from: start) }
                let comment = text(commentStart, max(commentStart, k - 1))
                i = k + 2
                v = .commented(v, comment: comment)
            }
            if isTerminator(peek()) || atEnd { return v }
            if inCall && peek() == C.space && (peek(1) == C.lt) { return v }
        }
        return fallback(from: start)
    }

    @inline(__always) func isTerminator(_ b: UInt8) -> Bool {
        b == C.comma || b == C.rparen || b == C.rbracket || b == C.rbrace
    }

    /// Skips to the next separator at the starting depth and returns the skipped text as raw.
    mutating func fallback(from start: Int) -> Value {
        i = start
        // Closers expected, innermost last; a closer that does not match ends the value.
        var closers: [UInt8] = []
        while !atEnd {
            let b = bytes[i]
            if b == C.quote { skipString(); continue }
            if b == C.lparen { closers.append(C.rparen) }
            else if b == C.lbracket { closers.append(C.rbracket) }
            else if b == C.lbrace { closers.append(C.rbrace) }
            else if b == C.rparen || b == C.rbracket || b == C.rbrace {
                if closers.last != b { break }
                closers.removeLast()
            } else if b == C.comma && closers.isEmpty { break }
            else if b == C.space && closers.isEmpty && peek(1) == C.lt && (peek(2) == C.u8("u") || peek(2) == C.u8("d")) { break }
            i += 1
        }
        if !closers.isEmpty && unbalancedAt == nil { unbalancedAt = i }
        return .raw(text(start, i))
    }

    mutating func skipString() {
        i += 1
        while !atEnd {
            let b = bytes[i]
            if b == C.backslash { i += 2; continue }
            i += 1
            if b == C.quote { break }
        }
        if i > end { i = end }
    }

    mutating func primary() -> Value? {
        guard !atEnd else { return nil }
        let b = bytes[i]
        switch b {
        case C.quote:
            return string()
        case C.lbrace:
            return structure()
        case C.lbracket:
            i += 1
            guard let items = list(close: C.rbracket) else { return nil }
            return .array(items)
        case C.dot:
            if peek(1) == C.dot && peek(2) == C.dot { i += 3; return .elided }
            return nil
        case C.minus, C.u8("0")...C.u8("9"):
            return number()
        case C.at:
            // Abstract unix socket name: @"name"
            guard peek(1) == C.quote else { return nil }
            let start = i
            i += 1
            guard string() != nil else { return nil }
            return .raw(text(start, i))
        case C.amp:
            let start = i
            i += 1
            while !atEnd && isIdentifierByte(bytes[i]) { i += 1 }
            return .raw(text(start, i))
        default:
            guard isIdentifierStart(b) else { return nil }
            let start = i
            while !atEnd && isIdentifierByte(bytes[i]) { i += 1 }
            let name = text(start, i)
            if peek() == C.lparen {
                i += 1
                guard let args = list(close: C.rparen) else { return nil }
                return .call(name, args)
            }
            if name == "NULL" { return .null }
            return .symbol(name)
        }
    }

    /// Reads `v, v, ...` up to `close` (consumed).
    mutating func list(close: UInt8) -> [Value]? {
        var items: [Value] = []
        while true {
            if atEnd { return nil }
            if bytes[i] == close { i += 1; return items }
            items.append(value())
            if peek() == C.comma {
                i += 1
                if peek() == C.space { i += 1 }
            } else if peek() != close {
                return nil
            }
        }
    }

    mutating func structure() -> Value? {
        i += 1
        var fields: [Field] = []
        while true {
            if atEnd { return nil }
            if bytes[i] == C.rbrace { i += 1; break }
            // name=value (but not name=>value, which is an in/out change)
            var name: String?
            if isIdentifierStart(bytes[i]) {
                var k = i
                while k < end && isIdentifierByte(bytes[k]) { k += 1 }
                if k < end && bytes[k] == C.equals && (k + 1 >= end || bytes[k + 1] != C.gt) {
                    name = text(i, k)
                    i = k + 1
                }
            }
            fields.append(Field(name: name, value: value()))
            if peek() == C.comma {
                i += 1
                if peek() == C.space { i += 1 }
            } else if peek() != C.rbrace {
                return nil
            }
        }
        if let address = SockaddrDecoder.decode(fields) { return .address(address) }
        return .structure(fields)
    }

    mutating func number() -> Value? {
        let start = i
        var negative = false
        if peek() == C.minus { negative = true; i += 1 }
        if peek() == C.u8("0") && (peek(1) == C.u8("x") || peek(1) == C.u8("X")) {
            i += 2
            var v: UInt64 = 0
            var digits = 0
            while !atEnd, let d = hexDigit(bytes[i]) {
                v = v &* 16 &+ UInt64(d); i += 1; digits += 1
            }
            guard digits > 0, digits <= 16, !negative else { return nil }
            return .hex(v)
        }
        var v: Int64 = 0
        var digits = 0
        while !atEnd, bytes[i] >= C.u8("0"), bytes[i] <= C.u8("9") {
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(Int64(bytes[i] - C.u8("0")))
            if o1 || o2 { return nil }
            v = s; i += 1; digits += 1
        }
        guard digits > 0 else { return nil }
        // Leading zeros mean octal (modes) or fixed-width hex (netlink groups): keep as written.
        if digits > 1 && bytes[start + (negative ? 1 : 0)] == C.u8("0") {
            if !atEnd && isIdentifierByte(bytes[i]) { return nil }
            return .raw(text(start, i))
        }
        if !atEnd && bytes[i] == C.lt {
            guard let info = decoration() else { return nil }
            guard let n = Int32(exactly: negative ? -v : v) else { return nil }
            return .descriptor(Descriptor(number: n, info: info))
        }
        if !atEnd && (isIdentifierByte(bytes[i]) || bytes[i] == C.dot) { return nil }
        return .integer(negative ? -v : v)
    }

    /// Reads a `-y`/`-yy` decoration `<...>` after a number; brackets nest, `->` does not close.
    mutating func decoration() -> DescriptorInfo? {
        let start = i + 1
        var depth = 0
        while !atEnd {
            let b = bytes[i]
            if b == C.lt { depth += 1 }
            else if b == C.gt && !(i > start && bytes[i - 1] == C.minus) {
                depth -= 1
                if depth == 0 {
                    let inner = text(start, i)
                    let socket = SocketInfoDecoder.decode(UnsafeBufferPointer(rebasing: bytes[start..<i]))
                    i += 1
                    return DescriptorInfo(text: inner, socket: socket)
                }
            }
            i += 1
        }
        return nil
    }

    /// Reads a quoted string with strace's escapes; `"..."...` marks truncation.
    mutating func string() -> Value? {
        i += 1
        var out: [UInt8] = []
        while true {
            guard !atEnd else { return nil }
            let b = bytes[i]
            if b == C.quote { i += 1; break }
            if b != C.backslash { out.append(b); i += 1; continue }
            i += 1
            guard !atEnd else { return nil }
            let e = bytes[i]
            i += 1
            switch e {
            case C.u8("n"): out.append(0x0A)
            case C.u8("t"): out.append(0x09)
            case C.u8("r"): out.append(0x0D)
            case C.u8("v"): out.append(0x0B)
            case C.u8("f"): out.append(0x0C)
            case C.u8("x"):
                var v: UInt8 = 0
                var n = 0
                while n < 2, !atEnd, let d = hexDigit(bytes[i]) { v = v &* 16 &+ d; i += 1; n += 1 }
                guard n > 0 else { return nil }
                out.append(v)
            case C.u8("0")...C.u8("7"):
                var v = Int(e - C.u8("0"))
                var n = 1
                while n < 3, !atEnd, bytes[i] >= C.u8("0"), bytes[i] <= C.u8("7") {
                    v = v * 8 + Int(bytes[i] - C.u8("0")); i += 1; n += 1
                }
                guard v <= 255 else { return nil }
                out.append(UInt8(v))
            default: out.append(e)
            }
        }
        var truncated = false
        if peek() == C.dot && peek(1) == C.dot && peek(2) == C.dot { truncated = true; i += 3 }
        return .bytes(Buffer(bytes: out, truncated: truncated))
    }
}

@inline(__always) func isIdentifierStart(_ b: UInt8) -> Bool {
    (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
}

@inline(__always) func isIdentifierByte(_ b: UInt8) -> Bool {
    isIdentifierStart(b) || (b >= 0x30 && b <= 0x39)
}

@inline(__always) func hexDigit(_ b: UInt8) -> UInt8? {
    switch b {
    case 0x30...0x39: return b - 0x30
    case 0x61...0x66: return b - 0x61 + 10
    case 0x41...0x46: return b - 0x41 + 10
    default: return nil
    }
}

/// Byte constants for the scanners.
enum C {
    static func u8(_ s: Unicode.Scalar) -> UInt8 { UInt8(s.value) }
    static let space: UInt8 = 0x20, tab: UInt8 = 0x09, quote: UInt8 = 0x22, backslash: UInt8 = 0x5C
    static let lparen: UInt8 = 0x28, rparen: UInt8 = 0x29, lbracket: UInt8 = 0x5B, rbracket: UInt8 = 0x5D
    static let lbrace: UInt8 = 0x7B, rbrace: UInt8 = 0x7D, comma: UInt8 = 0x2C, pipe: UInt8 = 0x7C
    static let lt: UInt8 = 0x3C, gt: UInt8 = 0x3E, equals: UInt8 = 0x3D, dot: UInt8 = 0x2E, minus: UInt8 = 0x2D
    static let slash: UInt8 = 0x2F, star: UInt8 = 0x2A, at: UInt8 = 0x40, amp: UInt8 = 0x26, colon: UInt8 = 0x3A
    static let plus: UInt8 = 0x2B, question: UInt8 = 0x3F
}
