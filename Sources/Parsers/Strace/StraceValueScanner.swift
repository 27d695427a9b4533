import IR

/// Reads strace's value notation from bytes: numbers, strings, flag sets, structures, arrays,
/// function-style renderings, descriptor decorations and comments.
///
/// Tolerant by design: a value it cannot read structurally becomes ``Value/raw(_:)`` holding the
/// text up to the next separator at the same nesting depth, so new strace decodings degrade to
/// text rather than to a parse error.
///
/// Runs for every argument of every line: it reads bytes in place and makes a `String` only for
/// text the IR keeps, taking recurring text (decorations, long symbols) from ``StraceTextCache``.
struct StraceValueScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    let base: UnsafePointer<UInt8>
    var i: Int
    let end: Int
    /// Where the scanner met brackets that do not balance; the line cannot be read.
    var unbalancedAt: Int?
    let cache: StraceTextCache

    init(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, cache: StraceTextCache) {
        self.bytes = bytes
        // A line is never empty when values are read from it; a dummy base keeps the type non-optional.
        self.base = bytes.baseAddress.map { UnsafePointer($0) } ?? cache.emptyBase
        self.i = start
        self.end = end
        self.cache = cache
    }

    @inline(__always) var atEnd: Bool { i >= end }
    @inline(__always) func peek(_ offset: Int = 0) -> UInt8 { i + offset < end ? base[i + offset] : 0 }

    @inline(__always) func text(_ from: Int, _ to: Int) -> String { cache.string(base + from, to - from) }

    /// Reads the argument list of a call, starting after `(`; stops at the matching `)` (left
    /// unconsumed) or at ` <unfinished ...>` / ` <detached ...>` / end of input.
    /// Each argument keeps its text as a slice of `line`, whose UTF-8 bytes the scanner reads;
    /// with `call`, arguments get the types its signature gives them.
    mutating func arguments(of line: String, call: KnownCall? = nil, stopAtMarkers: Bool = true) -> [Argument] {
        var out: [Argument] = []
        out.reserveCapacity(6)
        let utf8 = line.utf8
        while !atEnd {
            if peek() == C.rparen { break }
            // " <unfinished ...>" and " <detached ...>" end the first half of a split call.
            if stopAtMarkers && peek() == C.space && peek(1) == C.lt { break }
            let start = i
            var v = value(inCall: true)
            if let call { v = call.typed(v, at: out.count) }
            let lower = utf8.index(utf8.startIndex, offsetBy: start)
            let upper = utf8.index(lower, offsetBy: i - start)
            out.append(Argument(v, text: line[lower..<upper]))
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
    mutating func resumedArguments(of line: String) -> [Argument] { arguments(of: line, call: nil, stopAtMarkers: false) }

    func startsWith(_ s: StaticString) -> Bool {
        let n = s.utf8CodeUnitCount
        guard i + n <= end else { return false }
        return memoryEqual(base + i, s.utf8Start, n)
    }

    /// Reads one value; on anything it does not understand, returns the text up to the next
    /// separator at this depth as `.raw`.
    mutating func value(inCall: Bool = false) -> Value {
        let start = i
        if var v = primary() {
            // Flag sets: A|B|0x10
            if peek() == C.pipe {
                var items: [Value] = []
                items.reserveCapacity(4)
                items.append(v)
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
                while k + 1 < end && !(base[k] == C.star && base[k + 1] == C.slash) { k += 1 }
                guard k + 1 < end else { return fallback(from: start) }
                let comment = text(commentStart, max(commentStart, k - 1))
                i = k + 2
                v = .commented(v, comment: comment)
            }
            if atEnd || isTerminator(base[i]) { return v }
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
        var closers = CloserStack()
        while !atEnd {
            let b = base[i]
            if b == C.quote { skipString(); continue }
            if b == C.lparen { closers.push(C.rparen) }
            else if b == C.lbracket { closers.push(C.rbracket) }
            else if b == C.lbrace { closers.push(C.rbrace) }
            else if b == C.rparen || b == C.rbracket || b == C.rbrace {
                if closers.last != b { break }
                closers.pop()
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
            let b = base[i]
            if b == C.backslash { i += 2; continue }
            i += 1
            if b == C.quote { break }
        }
        if i > end { i = end }
    }

    mutating func primary() -> Value? {
        guard !atEnd else { return nil }
        let b = base[i]
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
            while !atEnd && isIdentifierByte(base[i]) { i += 1 }
            return .raw(text(start, i))
        default:
            guard isIdentifierStart(b) else { return nil }
            let start = i
            while !atEnd && isIdentifierByte(base[i]) { i += 1 }
            if peek() == C.lparen {
                let name = text(start, i)
                i += 1
                guard let args = list(close: C.rparen) else { return nil }
                return .call(name, args)
            }
            if i - start == 4 && startsWithNULL(start) { return .null }
            return .symbol(text(start, i))
        }
    }

    @inline(__always) private func startsWithNULL(_ k: Int) -> Bool {
        base[k] == C.u8("N") && base[k + 1] == C.u8("U") && base[k + 2] == C.u8("L") && base[k + 3] == C.u8("L")
    }

    /// Reads `v, v, ...` up to `close` (consumed).
    mutating func list(close: UInt8) -> [Value]? {
        var items: [Value] = []
        while true {
            if atEnd { return nil }
            if base[i] == close { i += 1; return items }
            if items.isEmpty { items.reserveCapacity(2) }
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
        if let address = inetAddress() { return .address(address) }
        i += 1
        var fields: [Field] = []
        while true {
            if atEnd { return nil }
            if base[i] == C.rbrace { i += 1; break }
            // name=value (but not name=>value, which is an in/out change)
            var name: String?
            if isIdentifierStart(base[i]) {
                var k = i
                while k < end && isIdentifierByte(base[k]) { k += 1 }
                if k < end && base[k] == C.equals && (k + 1 >= end || base[k + 1] != C.gt) {
                    name = text(i, k)
                    i = k + 1
                }
            }
            if fields.isEmpty { fields.reserveCapacity(4) }
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
            while !atEnd, let d = hexDigit(base[i]) {
                v = v &* 16 &+ UInt64(d); i += 1; digits += 1
            }
            guard digits > 0, digits <= 16, !negative else { return nil }
            return .hex(v)
        }
        var v: Int64 = 0
        var digits = 0
        while !atEnd, isDigit(base[i]) {
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(Int64(base[i] &- C.u8("0")))
            if o1 || o2 { return nil }
            v = s; i += 1; digits += 1
        }
        guard digits > 0 else { return nil }
        // Leading zeros mean octal (modes) or fixed-width hex (netlink groups): keep as written.
        if digits > 1 && base[start + (negative ? 1 : 0)] == C.u8("0") {
            if !atEnd && isIdentifierByte(base[i]) { return nil }
            return .raw(text(start, i))
        }
        if !atEnd && base[i] == C.lt {
            guard let described = decoration() else { return nil }
            guard let n = Int32(exactly: negative ? -v : v) else { return nil }
            var d = described
            d.number = n
            return .descriptor(d)
        }
        if !atEnd && (isIdentifierByte(base[i]) || base[i] == C.dot) { return nil }
        return .integer(negative ? -v : v)
    }

    /// Reads a `-y`/`-yy` decoration `<...>` after a number; brackets nest, `->` does not close.
    /// Returns a descriptor numbered 0 that carries the decoded decoration.
    mutating func decoration() -> Descriptor? {
        let start = i + 1
        var depth = 0
        while !atEnd {
            let b = base[i]
            if b == C.lt { depth += 1 }
            else if b == C.gt && !(i > start && base[i - 1] == C.minus) {
                depth -= 1
                if depth == 0 {
                    let d = cache.descriptor(base + start, i - start)
                    i += 1
                    return d
                }
            }
            i += 1
        }
        return nil
    }
}

/// The closing brackets ``StraceValueScanner/fallback(from:)`` still expects, innermost last:
/// two bits each in a word, spilling to an array only past 32 levels.
struct CloserStack {
    private var bits: UInt64 = 0
    private var count = 0
    private var spilled: [UInt8] = []

    var isEmpty: Bool { count == 0 }

    @inline(__always) mutating func push(_ closer: UInt8) {
        if count >= 32 { spilled.append(closer); count += 1; return }
        let code: UInt64 = closer == C.rparen ? 1 : closer == C.rbracket ? 2 : 3
        bits = bits << 2 | code
        count += 1
    }

    @inline(__always) var last: UInt8? {
        if count == 0 { return nil }
        if count > 32 { return spilled.last }
        switch bits & 3 {
        case 1: return C.rparen
        case 2: return C.rbracket
        default: return C.rbrace
        }
    }

    @inline(__always) mutating func pop() {
        if count > 32 { spilled.removeLast(); count -= 1; return }
        bits >>= 2
        count -= 1
    }
}
