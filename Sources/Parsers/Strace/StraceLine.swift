#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import IR

/// One strace line taken apart, before calls split over two lines are joined: how the line
/// began (``LineFrame``) and what followed (``Body``).
///
/// The parser hands the two out as a tuple so the reader can move them into an event.
enum StraceLine {
    typealias Parsed = (frame: LineFrame, body: Body)

    enum Body {
        /// `name(args) = result`: the whole call, its arguments and result typed; `gap` as in
        /// ``Ending/result(_:gap:)``. Most lines are this.
        case complete(Syscall, gap: Int?)
        /// The first half of a split call, or a call line that does not end in a result; its
        /// arguments are typed.
        case call(name: KnownCall, arguments: [Argument], ending: Ending)
        /// `<... name resumed>args) = result`: the second half of a split call.
        case resumed(name: KnownCall, lead: String, arguments: [Argument], ending: Ending)
        case signal(SignalDelivery)
        case exit(ProcessExit)
        case message(String)
        case continuation(Continuation)
        /// A call line cut by a tracer message (`clone(Process 10951 attached`); the call's text
        /// continues on a later line. `head` is the call's text before the message.
        case spliceHead(name: KnownCall, head: String, message: String)
        case unparsed(reason: String, column: Int)
    }

    /// How a call line ends.
    enum Ending {
        case result(CallResult, gap: Int?)
        /// ` <unfinished ...>`; `marker` holds strace 4.x variants (`<unfinished ... exit status 0>`).
        case unfinished(trailer: String, marker: String?)
        case detached(trailer: String)
        /// The line ends inside the argument list: the trace was cut while the call was in progress.
        case cut
        /// `name(args)+++ killed by SIGKILL +++`: the process died inside the call (strace 4.x).
        case exitGlued(String)
        /// Both halves of a split call on one line (`name(a, <unfinished ...> <... name resumed> b) = r`),
        /// as in traces whose lines were joined by hand.
        case joined(trailer: String, lead: String, rest: [Argument], result: CallResult, gap: Int?)
    }
}

/// Takes single strace lines apart: process prefix, timestamp, `-n`/`-i` columns, then a call,
/// a resumed call, a signal, an exit, a tracer message or a continuation line.
struct StraceLineParser {
    var platform: Platform { cache.platform }
    /// Text already seen in this trace (decorations, messages, names), shared by every line.
    let cache: StraceTextCache

    init(platform: Platform = .linux) {
        cache = StraceTextCache(platform: platform)
    }

    /// Parses `line` (ASCII/UTF-8 text without its newline). Byte offsets index `line.utf8`.
    func parse(_ line: String) -> StraceLine.Parsed {
        var copy = line
        return copy.withUTF8 { buf in parse(buf, line: line) }
    }

    @inline(__always)
    private func text(_ p: UnsafeBufferPointer<UInt8>, _ a: Int, _ b: Int) -> String {
        guard b > a, let base = p.baseAddress else { return "" }
        return cache.string(base + a, b - a)
    }

    @inline(__always)
    private func makeScanner(_ p: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> StraceValueScanner {
        StraceValueScanner(p, from: from, to: to, cache: cache)
    }

    @inline(__always)
    private func knownCall(_ p: UnsafeBufferPointer<UInt8>, _ a: Int, _ b: Int) -> KnownCall {
        cache.call(p.baseAddress! + a, b - a)
    }

    private func parse(_ p: UnsafeBufferPointer<UInt8>, line: String) -> StraceLine.Parsed {
        let n = p.count
        // Continuation lines carry no prefix.
        if n >= 3 && p[0] == C.space && p[2] == C.space && (p[1] == C.gt || p[1] == C.pipe) {
            return (LineFrame(), .continuation(Continuation(
                kind: p[1] == C.gt ? .stackFrame : .dataDump, text: line)))
        }
        // The frame's parts, gathered first and put together once.
        var pid: Int32?
        var prefixText: String?
        var i = 0
        // Process prefix: "[pid  NNNN] " or "NNNN  " or "NNNN<comm> ".
        if n > 5 && p[0] == C.lbracket && p[1] == C.u8("p") && p[2] == C.u8("i") && p[3] == C.u8("d") {
            var k = 4
            while k < n && p[k] == C.space { k += 1 }
            let digitsStart = k
            var number: Int64 = 0
            while k < n && isDigit(p[k]) && k - digitsStart < 10 { number = number * 10 + Int64(p[k] - 48); k += 1 }
            if k > digitsStart && k + 1 < n && p[k] == C.rbracket && p[k + 1] == C.space {
                i = k + 2
                pid = Int32(truncatingIfNeeded: number)
                prefixText = text(p, 0, i)
            }
        } else if n > 1 && isDigit(p[0]) {
            var k = 0
            var number: Int64 = 0
            while k < n && isDigit(p[k]) && k < 10 { number = number * 10 + Int64(p[k] - 48); k += 1 }
            var isPrefix = false
            if k < n && p[k] == C.lt {
                // -Y: "6547<net> "
                var m = k + 1
                while m < n && p[m] != C.gt { m += 1 }
                if m + 1 < n && p[m + 1] == C.space { k = m + 1; isPrefix = true }
            } else if k < n && p[k] == C.space {
                isPrefix = true
            }
            if isPrefix {
                while k < n && p[k] == C.space { k += 1 }
                i = k
                pid = Int32(truncatingIfNeeded: number)
                prefixText = text(p, 0, i)
            }
        }
        // Timestamp.
        var time: Timestamp?
        if let (t, next) = timestamp(p, from: i) {
            time = t
            i = next
        }
        // -n "[  42] " and -i "[00007f...] " columns.
        let infixStart = i
        while i + 1 < n && p[i] == C.lbracket {
            var k = i + 1
            while k < n && (p[k] == C.space || p[k] == C.question || isHexDigit(p[k])) { k += 1 }
            guard k + 1 < n && p[k] == C.rbracket && p[k + 1] == C.space else { break }
            i = k + 2
        }
        let infix: String? = i > infixStart ? text(p, infixStart, i) : nil
        let body = body(p, from: i, line: line)
        return (LineFrame(pid: pid, time: time, prefixText: prefixText, infix: infix), body)
    }

    private func body(_ p: UnsafeBufferPointer<UInt8>, from start: Int, line: String) -> StraceLine.Body {
        let n = p.count
        var i = start
        guard i < n else {
            if n == 0 { return .message("") }
            return .unparsed(reason: "expected a system call after the line prefix", column: i + 1)
        }
        if hasPrefix(p, i, "--- ") && hasSuffix(p, " ---") && n - i >= 8 {
            let inner = text(p, i + 4, n - 4)
            return .signal(signal(inner))
        }
        if hasPrefix(p, i, "+++ ") && hasSuffix(p, " +++") && n - i >= 8 {
            let inner = text(p, i + 4, n - 4)
            return .exit(exit(inner))
        }
        if hasPrefix(p, i, "strace: ") || hasPrefix(p, i, "Process ") || isElisionMarker(p, from: i) {
            return .message(text(p, i, n))
        }
        if hasPrefix(p, i, "<... ") {
            var k = i + 5
            let nameStart = k
            while k < n && isIdentifierByte(p[k]) { k += 1 }
            guard k > nameStart, hasPrefix(p, k, " resumed>") else {
                return .unparsed(reason: "expected '<... NAME resumed>'", column: k + 1)
            }
            let name = knownCall(p, nameStart, k)
            k += 9
            let leadStart = k
            while k < n && p[k] == C.space { k += 1 }
            let lead = text(p, leadStart, k)
            var scanner = makeScanner(p, from: k, to: n)
            let args = scanner.resumedArguments(of: line)
            return callTail(p, name: name, args: args, scanner: scanner, line: line, resumedLead: lead)
        }
        // name(
        let nameStart = i
        while i < n && isIdentifierByte(p[i]) { i += 1 }
        guard i > nameStart, i < n, p[i] == C.lparen, !isDigit(p[nameStart]) else {
            return .unparsed(reason: "expected a system call like 'name(...)', a signal '--- ... ---' or an exit '+++ ... +++'",
                             column: nameStart + 1)
        }
        let name = knownCall(p, nameStart, i)
        var scanner = makeScanner(p, from: i + 1, to: n)
        let args = scanner.arguments(of: line, call: name)
        let call = callTail(p, name: name, args: args, scanner: scanner, line: line, resumedLead: nil)
        // Only a line that does not read as a whole call can be one a tracer message cut.
        switch call {
        case .unparsed, .call(_, _, .cut):
            return spliceHead(p, name: name, open: i) ?? call
        default:
            return call
        }
    }

    /// A call whose line a tracer message cut: `clone(Process N attached...` (strace 4.x) or
    /// `clone3({...}strace: Process N attached` (strace writing to stderr).
    private func spliceHead(_ p: UnsafeBufferPointer<UInt8>, name: KnownCall, open: Int) -> StraceLine.Body? {
        let n = p.count
        var at: Int?
        if hasPrefix(p, open + 1, "Process ") {
            at = open + 1
        } else if let k = find(p, "strace: Process ", from: open + 1) {
            at = k
        }
        guard let split = at, find(p, " attached", from: split) != nil else { return nil }
        return .spliceHead(name: name, head: text(p, open - name.written.utf8.count, split), message: text(p, split, n))
    }

    private func callTail(_ p: UnsafeBufferPointer<UInt8>, name: KnownCall, args: [Argument],
                          scanner: StraceValueScanner, line: String, resumedLead: String?) -> StraceLine.Body {
        let n = p.count
        var i = scanner.i
        if let bad = scanner.unbalancedAt {
            return .unparsed(reason: "expected a closing bracket: the brackets of \(name.written)'s arguments do not balance",
                             column: bad + 1)
        }
        func make(_ ending: StraceLine.Ending) -> StraceLine.Body {
            if let lead = resumedLead { return .resumed(name: name, lead: lead, arguments: args, ending: ending) }
            return .call(name: name, arguments: args, ending: ending)
        }
        if hasSuffix(p, " <unfinished ...>") && i <= n - 17 {
            return make(.unfinished(trailer: text(p, i, n - 17), marker: nil))
        }
        if resumedLead == nil, let k = find(p, " <unfinished ...> <... ", from: i) {
            let trailer = text(p, i, k)
            let resumedStart = k + 18
            if case .resumed(let rname, let lead, let rest, .result(let r, let gap)) = body(p, from: resumedStart, line: line),
               rname.written == name.written {
                return make(.joined(trailer: trailer, lead: lead, rest: rest, result: r, gap: gap))
            }
        }
        if n > 0, p[n - 1] == C.gt, let k = find(p, " <unfinished ...", from: i), k >= i {
            return make(.unfinished(trailer: text(p, i, k), marker: text(p, k + 1, n)))
        }
        if i == n && resumedLead == nil && !args.isEmpty {
            return make(.cut)
        }
        if hasSuffix(p, " <detached ...>") && i <= n - 15 {
            return make(.detached(trailer: text(p, i, n - 15)))
        }
        // strace 4.x: a process killed inside a call got its exit line glued to the call's.
        if resumedLead == nil, i < n, p[i] == C.rparen, hasPrefix(p, i + 1, "+++ "), hasSuffix(p, " +++") {
            return make(.exitGlued(text(p, i + 1, n)))
        }
        guard i < n, p[i] == C.rparen else {
            return .unparsed(reason: "expected ',' or ')' after an argument of \(name.written)", column: i + 1)
        }
        i += 1
        let closeEnd = i
        while i < n && p[i] == C.space { i += 1 }
        guard i + 1 < n, p[i] == C.equals, p[i + 1] == C.space, i > closeEnd else {
            return .unparsed(reason: "expected ' = ' and a result after ')'", column: i + 1)
        }
        let standardColumn = max(closeEnd + 1, 40)
        let gap: Int? = (i == standardColumn) ? nil : i - closeEnd
        guard let result = result(p, from: i + 2, of: name) else {
            return .unparsed(reason: "expected a return value after '= '", column: i + 3)
        }
        if resumedLead != nil { return make(.result(result, gap: gap)) }
        return .complete(Syscall(name: name.normalized, writtenName: name.written, arguments: args, outcome: .returned(result)),
                         gap: gap)
    }

    /// Reads what follows `= `: value, errno and message, detail, `(INJECTED)`, `<duration>`.
    private func result(_ p: UnsafeBufferPointer<UInt8>, from start: Int, of call: KnownCall) -> CallResult? {
        // The parts are gathered first and the result is made once, at the end.
        var end = p.count
        var duration: CallResult.Duration?
        var injected = false
        // Duration " <0.000046>" at the very end.
        if end > start, p[end - 1] == C.gt, let lt = lastIndex(p, C.lt, before: end - 1, notBefore: start),
           lt > start, p[lt - 1] == C.space, let ns = seconds(p, lt + 1, end - 1) {
            duration = .init(nanoseconds: ns, text: text(p, lt + 1, end - 1))
            end = lt - 1
        }
        if hasSuffix(p, " (INJECTED)", end: end) && end - 11 >= start {
            injected = true
            end -= 11
        }
        var i = start
        var value: CallResult.ReturnValue = .unknown
        if i < end && p[i] == C.question {
            i += 1
        } else {
            var scanner = makeScanner(p, from: i, to: end)
            guard let v = scanner.number() else { return nil }
            i = scanner.i
            switch v {
            case .integer(let x): value = .integer(x)
            case .hex(let x): value = .hex(x)
            case .descriptor(let d): value = .descriptor(d)
            default: return nil
            }
        }
        let valueText = text(p, start, i)
        var error: ErrorCode?
        var errorMessage: String?
        // " ENAME (message)" or " (errno N)"
        if i + 2 < end && p[i] == C.space && p[i + 1] == C.u8("E") {
            var k = i + 1
            while k < end && (isIdentifierByte(p[k])) { k += 1 }
            error = cache.errorCode(p.baseAddress! + i + 1, k - i - 1)
            i = k
            if i + 1 < end && p[i] == C.space && p[i + 1] == C.lparen, let close = matchingParen(p, i + 1, end) {
                errorMessage = text(p, i + 2, close)
                i = close + 1
            }
        } else if hasPrefix(p, i, " (errno ") {
            var k = i + 8
            var number: Int64 = 0
            while k < end && isDigit(p[k]) { number = number * 10 + Int64(p[k] - 48); k += 1 }
            if k < end && p[k] == C.rparen && k > i + 8 {
                error = ErrorCode(name: "ERRNO_\(number)", number: Int32(truncatingIfNeeded: number))
                i = k + 1
            }
        }
        var detail: String?
        if i < end {
            guard p[i] == C.space else { return nil }
            detail = text(p, i + 1, end)
        }
        // A call that returns a descriptor: the number is one.
        if call.returnsDescriptor, error == nil, case .integer(let n) = value, let fd = Int32(exactly: n), fd >= 0 {
            value = .descriptor(Descriptor(number: fd))
        }
        return CallResult(value: value, valueText: valueText, error: error, errorMessage: errorMessage, detail: detail,
                          injected: injected, duration: duration)
    }

    /// `... [lines not shown] ...`: an elision someone put into an excerpt of a trace.
    private func isElisionMarker(_ p: UnsafeBufferPointer<UInt8>, from i: Int) -> Bool {
        hasPrefix(p, i, "... ") && hasSuffix(p, " ...") && p.count - i > 8
    }

    private func matchingParen(_ p: UnsafeBufferPointer<UInt8>, _ open: Int, _ end: Int) -> Int? {
        var depth = 0
        var k = open
        while k < end {
            if p[k] == C.lparen { depth += 1 }
            else if p[k] == C.rparen {
                depth -= 1
                if depth == 0 { return k }
            }
            k += 1
        }
        return nil
    }

    /// `HH:MM:SS[.frac] ` or `[spaces]S.frac ` (epoch, or relative when short).
    private func timestamp(_ p: UnsafeBufferPointer<UInt8>, from start: Int) -> (Timestamp, Int)? {
        let n = p.count
        var i = start
        while i < n && p[i] == C.space { i += 1 }
        let digitsStart = i
        var whole: Int64 = 0
        while i < n && isDigit(p[i]) && i - digitsStart < 12 { whole = whole * 10 + Int64(p[i] - 48); i += 1 }
        let wholeDigits = i - digitsStart
        guard wholeDigits > 0, i < n else { return nil }
        var kind: Timestamp.Kind
        var seconds: Int64
        if p[i] == C.colon {
            guard wholeDigits == 2, digitsStart == start, i + 6 <= n, isDigit(p[i + 1]), isDigit(p[i + 2]), p[i + 3] == C.colon,
                  isDigit(p[i + 4]), isDigit(p[i + 5]) else { return nil }
            let m = Int64(p[i + 1] - 48) * 10 + Int64(p[i + 2] - 48)
            let s = Int64(p[i + 4] - 48) * 10 + Int64(p[i + 5] - 48)
            seconds = whole * 3600 + m * 60 + s
            kind = .timeOfDay
            i += 6
        } else if p[i] == C.dot {
            kind = wholeDigits >= 9 ? .epoch : .relative
            seconds = whole
            if kind == .epoch && digitsStart != start { return nil }
        } else {
            return nil
        }
        var fraction: Int64 = 0
        if i < n && p[i] == C.dot {
            i += 1
            var digits = 0
            while i < n && isDigit(p[i]) {
                if digits < 9 { fraction = fraction * 10 + Int64(p[i] - 48) }
                digits += 1; i += 1
            }
            guard digits > 0 else { return nil }
            if digits < 9 { for _ in digits..<9 { fraction *= 10 } }
        } else if kind != .timeOfDay {
            return nil
        }
        guard i < n, p[i] == C.space, let ns = nanoseconds(seconds, fraction) else { return nil }
        let t = Timestamp(kind: kind, nanoseconds: ns, text: text(p, start, i))
        return (t, i + 1)
    }

    private func seconds(_ p: UnsafeBufferPointer<UInt8>, _ a: Int, _ b: Int) -> Int64? {
        var i = a
        var whole: Int64 = 0
        while i < b && isDigit(p[i]) && i - a < 18 { whole = whole * 10 + Int64(p[i] - 48); i += 1 }
        guard i > a, i < b, p[i] == C.dot else { return nil }
        i += 1
        var fraction: Int64 = 0
        var digits = 0
        while i < b && isDigit(p[i]) {
            if digits < 9 { fraction = fraction * 10 + Int64(p[i] - 48) }
            digits += 1; i += 1
        }
        guard i == b, digits > 0 else { return nil }
        if digits < 9 { for _ in digits..<9 { fraction *= 10 } }
        return nanoseconds(whole, fraction)
    }

    /// `seconds` and a nanosecond `fraction` as nanoseconds; nil when that does not fit in 64 bits.
    private func nanoseconds(_ seconds: Int64, _ fraction: Int64) -> Int64? {
        let (scaled, o1) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let (sum, o2) = scaled.addingReportingOverflow(fraction)
        return o1 || o2 ? nil : sum
    }

    private func signal(_ inner: String) -> SignalDelivery {
        let words = inner.split(separator: " ", maxSplits: 1)
        let name = inner.split(separator: " ").first { $0.hasPrefix("SIG") }.map(String.init) ?? String(words.first ?? "")
        var info: String?
        if let brace = inner.firstIndex(of: "{"), inner.last == "}" { info = String(inner[brace...]) }
        return SignalDelivery(name: name, info: info, text: inner)
    }

    private func exit(_ inner: String) -> ProcessExit {
        if inner.hasPrefix("exited with "), let status = Int32(inner.dropFirst(12)) {
            return ProcessExit(cause: .exited(status: status), text: inner)
        }
        if inner.hasPrefix("killed by ") {
            let rest = inner.dropFirst(10)
            let core = rest.hasSuffix(" (core dumped)")
            let sig = rest.split(separator: " ").first.map(String.init) ?? String(rest)
            return ProcessExit(cause: .killed(signal: sig, coreDumped: core), text: inner)
        }
        if inner.hasPrefix("superseded by execve in pid "), let pid = Int32(inner.dropFirst(28)) {
            return ProcessExit(cause: .superseded(byPID: pid), text: inner)
        }
        return ProcessExit(cause: .other, text: inner)
    }
}


@inline(__always)
func hasPrefix(_ p: UnsafeBufferPointer<UInt8>, _ at: Int, _ s: StaticString) -> Bool {
    let m = s.utf8CodeUnitCount
    guard at >= 0, at + m <= p.count, let base = p.baseAddress else { return false }
    return memoryEqual(base + at, s.utf8Start, m)
}

@inline(__always)
func hasSuffix(_ p: UnsafeBufferPointer<UInt8>, _ s: StaticString, end: Int? = nil) -> Bool {
    let e = end ?? p.count
    return hasPrefix(p, e - s.utf8CodeUnitCount, s) && e - s.utf8CodeUnitCount >= 0
}

/// Where `s` first occurs in `p` at or after `from`.
func find(_ p: UnsafeBufferPointer<UInt8>, _ s: StaticString, from: Int) -> Int? {
    let m = s.utf8CodeUnitCount
    guard let base = p.baseAddress, from >= 0 else { return nil }
    let first = Int32(s.utf8Start[0])
    var k = from
    while k + m <= p.count {
        guard let hit = memchr(base + k, first, p.count - m + 1 - k) else { return nil }
        k = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        if memoryEqual(base + k, s.utf8Start, m) { return k }
        k += 1
    }
    return nil
}

func lastIndex(_ p: UnsafeBufferPointer<UInt8>, _ b: UInt8, before: Int, notBefore: Int) -> Int? {
    var k = before - 1
    while k >= notBefore {
        if p[k] == b { return k }
        k -= 1
    }
    return nil
}
