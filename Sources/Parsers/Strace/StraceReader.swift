#if canImport(Glibc)
import Glibc
#endif
import IR

/// Turns the lines of one strace output into IR events.
///
/// Joins calls strace split (`<unfinished ...>` / `<... resumed>`, by thread id) and lines a
/// tracer message cut, attaches `-k` frames and `-e read=` dumps to their call, and keeps every
/// line it cannot read as an `unparsed` event. Holds at most one event back, plus one open call
/// per thread: memory does not grow with the trace.
final class StraceReader: EventReader {
    private let lines: LineReader
    private let trace: TraceID
    private let info: TraceInfo
    private var parser: StraceLineParser
    private(set) var statistics = ReadStatistics()

    /// Events to hand out, oldest first. When `holding`, the newest is held back until the next
    /// line shows it has no more continuation lines.
    private let queue = EventQueue()
    private var holding = false
    /// Calls in progress: the first half of each split call, by thread.
    private var open: [Int32: Event] = [:]
    /// A call line a tracer message cut, waiting for the rest of its text.
    private var splice: (event: Event, name: String, head: String, message: String)?
    private var inSummary = false
    private var finished = false

    init(lines: LineReader, trace: TraceID, info: TraceInfo) {
        self.lines = lines
        self.trace = trace
        self.info = info
        parser = StraceLineParser(platform: info.platform)
    }

    func next() throws(InputError) -> Event? {
        while true {
            if queue.count > (holding ? 1 : 0) {
                statistics.events += 1
                return queue.removeFirst()
            }
            if finished { return nil }
            guard let line = try lines.next() else {
                finish()
                continue
            }
            statistics.lines += 1
            read(line)
        }
    }

    /// True when the held event is a call whose line ended inside its arguments: that is a call
    /// cut off by the end of the trace only if no line follows.
    private var heldIsCut = false

    /// Emits `event` after the held one, holding it back in turn.
    private func push(_ event: consuming Event) {
        if holding && heldIsCut { markHeldCut() }
        queue.append(event)
        holding = true
        heldIsCut = false
    }

    /// The held call's line ended inside its arguments and no line followed it: it is unparsed.
    private func markHeldCut() {
        guard holding, let held = queue.last, let raw = held.pointee.raw else { return }
        let first = held.pointee.lines.first
        let reason = "expected ')' and a result: the line ends inside the call"
        statistics.unparsed += 1
        if statistics.firstUnparsed == nil || statistics.firstUnparsed!.line > first {
            statistics.firstUnparsed = (first, raw.utf8.count + 1, reason)
        }
        held.pointee.kind = .unparsed(Unparsed(bytes: Array(raw.utf8), reason: reason, column: raw.utf8.count + 1))
        held.pointee.frame = LineFrame(pid: info.filePID)
    }

    private func unparsed(_ bytes: UnsafeBufferPointer<UInt8>, line: Int, reason: String, column: Int) {
        statistics.unparsed += 1
        if statistics.firstUnparsed == nil { statistics.firstUnparsed = (line, column, reason) }
        push(Event(trace: trace, lines: SourceLines(first: line), frame: LineFrame(pid: info.filePID),
                   kind: .unparsed(Unparsed(bytes: Array(bytes), reason: reason, column: column))))
    }

    private func read(_ line: LineReader.Line) {
        let bytes = line.bytes
        if let length = line.overlongLength {
            unparsed(bytes, line: line.number,
                     reason: "line is \(length) bytes long, over the limit of \(lines.maxLineLength); only its first \(bytes.count) bytes are kept",
                     column: bytes.count + 1)
            return
        }
        let plain = isPlainASCII(bytes)
        guard let text = plain ? String(decoding: bytes, as: UTF8.self) : String(validating: bytes, as: UTF8.self),
              plain || memchr0(bytes) == nil else {
            unparsed(bytes, line: line.number, reason: "binary data: expected a line of text",
                     column: (memchr0(bytes) ?? firstInvalidUTF8(bytes)) + 1)
            return
        }
        if let pending = splice {
            if case .message = parser.parse(text).body {} else {
                finishSplice(pending, tail: text, line: line.number)
                return
            }
        }
        var (frame, body) = parser.parse(text)
        if frame.pid == nil { frame.pid = info.filePID }
        let lineNumber = line.number
        if case .complete = body {
            // The common case, kept free of copies: the call moves from the parsed line into the event.
            guard case .complete(let call, let gap) = consume body else { return }
            inSummary = false
            frame.resultGap = gap
            push(Event(trace: trace, lines: SourceLines(first: lineNumber), frame: frame, kind: .syscall(call), raw: text))
            return
        }
        readOther(body, frame: frame, text: text, bytes: bytes, lineNumber: lineNumber)
    }

    /// Everything but a complete call: split calls, signals, exits, messages, continuation lines.
    private func readOther(_ body: StraceLine.Body, frame: LineFrame, text: String, bytes: UnsafeBufferPointer<UInt8>,
                           lineNumber: Int) {
        func event(_ kind: Event.Kind) -> Event {
            Event(trace: trace, lines: SourceLines(first: lineNumber), frame: frame, kind: kind, raw: text)
        }
        switch body {
        case .complete:
            break
        case .continuation(let c):
            guard holding, let held = queue.last else {
                unparsed(bytes, line: lineNumber, reason: "expected a call before this continuation line", column: 1)
                return
            }
            held.pointee.continuation.append(c)
            held.pointee.lines.continuationCount += 1
        case .call(let known, let typed, let ending):
            inSummary = false
            let name = known.normalized
            let written = known.written
            switch ending {
            case .result:
                // Calls that return come as .complete.
                break
            case .detached(let trailer):
                // A detached call keeps its trailer in the split's lead: it has no second half.
                var s = Syscall(name: name, writtenName: written, arguments: typed, outcome: .detached)
                s.split = CallSplit(shape: .unfinished(argumentsAtEntry: typed.count, entryTrailer: trailer, resumeLead: ""),
                                    resumedFrame: LineFrame())
                push(event(.syscall(s)))
            case .joined(let trailer, let lead, let rest, let result, let gap):
                var resumedFrame = LineFrame(pid: frame.pid)
                resumedFrame.resultGap = gap
                var all = typed
                all.reserveCapacity(typed.count + rest.count)
                all += rest
                known.type(&all, from: typed.count)
                let call = Syscall(name: name, writtenName: written, arguments: all, outcome: .returned(result),
                                   split: CallSplit(shape: .unfinished(argumentsAtEntry: typed.count, entryTrailer: trailer,
                                                                       resumeLead: lead), resumedFrame: resumedFrame))
                push(Event(trace: trace, lines: SourceLines(first: lineNumber, resumed: lineNumber), frame: frame,
                           kind: .syscall(call), raw: text))
            case .exitGlued(let exitText):
                var s = Syscall(name: name, writtenName: written, arguments: typed, outcome: .neverReturned)
                s.split = CallSplit(shape: .spliced(headLength: 0, message: exitText), resumedFrame: LineFrame())
                push(event(.syscall(s)))
            case .cut:
                push(event(.syscall(Syscall(name: name, writtenName: written, arguments: typed, outcome: .neverReturned))))
                heldIsCut = true
            case .unfinished(let trailer, let marker):
                let key = frame.pid ?? -1
                if let stale = open.removeValue(forKey: key) { closeNeverReturned(stale) }
                let start = event(.callStart(CallStart(name: name, writtenName: written, arguments: typed, entryTrailer: trailer,
                                                       marker: marker)))
                open[key] = start
                push(start)
            }
        case .resumed(let known, let lead, var args, let ending):
            let name = known.normalized
            let written = known.written
            let key = frame.pid ?? -1
            guard case .result(let result, let gap) = ending else {
                unparsed(bytes, line: lineNumber, reason: "expected a result after the resumed call", column: bytes.count + 1)
                return
            }
            var resumedFrame = frame
            resumedFrame.resultGap = gap
            if let start = open[key], case .callStart(let entry) = start.kind, entry.writtenName == written {
                open[key] = nil
                var all = entry.arguments
                all.reserveCapacity(all.count + args.count)
                all += args
                known.type(&all, from: entry.arguments.count)
                let call = Syscall(name: name, writtenName: written, arguments: all, outcome: .returned(result),
                                   split: CallSplit(shape: .unfinished(argumentsAtEntry: entry.arguments.count,
                                                                       entryTrailer: entry.entryTrailer, resumeLead: lead),
                                                    resumedFrame: resumedFrame))
                push(Event(trace: trace, lines: SourceLines(first: start.lines.first, resumed: lineNumber),
                           frame: start.frame, kind: .syscall(call), raw: (start.raw ?? "") + "\n" + text))
            } else {
                known.type(&args)
                let call = Syscall(name: name, writtenName: written, arguments: args,
                                   outcome: .returned(result),
                                   split: CallSplit(shape: .resumedOnly(resumeLead: lead), resumedFrame: resumedFrame))
                push(Event(trace: trace, lines: SourceLines(first: lineNumber, resumed: lineNumber), frame: frame,
                           kind: .syscall(call), raw: text))
            }
        case .spliceHead(let known, let head, let message):
            let name = known.normalized
            let written = known.written
            let start = event(.callStart(CallStart(name: name, writtenName: written, arguments: [], entryTrailer: "",
                                                   splice: (head, message))))
            splice = (start, written, head, message)
            push(start)
        case .signal(let s):
            push(event(.signal(s)))
        case .exit(let x):
            push(event(.exit(x)))
        case .message(let m):
            push(event(.message(TracerMessage(text: m))))
        case .unparsed(let reason, let column):
            if isSummaryLine(text) {
                push(Event(trace: trace, lines: SourceLines(first: lineNumber), frame: LineFrame(pid: info.filePID),
                           kind: .message(TracerMessage(text: text)), raw: text))
            } else {
                unparsed(bytes, line: lineNumber, reason: reason, column: column)
            }
        }
    }

    /// strace `-c`/`-C` print a table of counts instead of (or after) the trace.
    private func isSummaryLine(_ text: String) -> Bool {
        if text.hasPrefix("% time") { inSummary = true; return true }
        return inSummary
    }

    /// Joins a cut call line with the rest of its text, now that the rest has arrived.
    private func finishSplice(_ pending: (event: Event, name: String, head: String, message: String), tail: String, line: Int) {
        splice = nil
        let joined = pending.head + tail
        guard case .complete(var call, let gap) = parser.parse(joined).body else {
            var copy = tail
            copy.withUTF8 { unparsed($0, line: line, reason: "expected the rest of the call \(pending.name)(...) that a tracer message cut", column: 1) }
            return
        }
        var frame = pending.event.frame
        frame.resultGap = nil
        var resumedFrame = LineFrame(pid: frame.pid)
        resumedFrame.resultGap = gap
        call.split = CallSplit(shape: .spliced(headLength: pending.head.utf8.count, message: pending.message),
                               resumedFrame: resumedFrame)
        push(Event(trace: trace, lines: SourceLines(first: pending.event.lines.first, resumed: line), frame: frame,
                   kind: .syscall(call), raw: (pending.event.raw ?? "") + "\n" + tail))
    }

    /// A call whose thread started another call or exited, or that was open at the end of the trace.
    private func closeNeverReturned(_ start: Event) {
        guard case .callStart(let entry) = start.kind else { return }
        var s = Syscall(name: entry.name, writtenName: entry.writtenName, arguments: entry.arguments, outcome: .neverReturned)
        s.split = CallSplit(shape: .unfinished(argumentsAtEntry: entry.arguments.count, entryTrailer: entry.entryTrailer,
                                               resumeLead: ""), resumedFrame: LineFrame())
        push(Event(trace: trace, lines: start.lines, frame: start.frame, kind: .syscall(s), raw: start.raw))
    }

    private func finish() {
        finished = true
        if let pending = splice {
            splice = nil
            closeNeverReturned(pending.event)
        }
        for key in open.keys.sorted() { closeNeverReturned(open[key]!) }
        open.removeAll()
        holding = false
    }
}

/// True when every byte is ASCII and none is NUL (eight bytes at a time): such a line is
/// valid UTF-8 and text, as nearly every strace line is.
@inline(__always)
func isPlainASCII(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = p.baseAddress else { return true }
    let raw = UnsafeRawPointer(base)
    let n = p.count
    var k = 0
    let high: UInt64 = 0x8080_8080_8080_8080, ones: UInt64 = 0x0101_0101_0101_0101
    while k + 8 <= n {
        let w = raw.loadUnaligned(fromByteOffset: k, as: UInt64.self)
        // A high bit set, or a zero byte (w - ones sets the high bit of each byte that was 0).
        if w & high != 0 || (w &- ones) & ~w & high != 0 { return false }
        k += 8
    }
    while k < n {
        if base[k] == 0 || base[k] >= 0x80 { return false }
        k += 1
    }
    return true
}

func memchr0(_ p: UnsafeBufferPointer<UInt8>) -> Int? {
    guard let base = p.baseAddress, p.count > 0, let hit = memchr(base, 0, p.count) else { return nil }
    return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
}

/// The offset of the first byte that is not part of valid UTF-8 (linear time).
func firstInvalidUTF8(_ p: UnsafeBufferPointer<UInt8>) -> Int {
    var k = 0
    while k < p.count {
        let b = p[k]
        let length: Int
        switch b {
        case 0x00...0x7F: length = 1
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default: return k
        }
        guard k + length <= p.count else { return k }
        for m in 1..<max(length, 1) where p[k + m] & 0xC0 != 0x80 { return k }
        k += length
    }
    return k
}
