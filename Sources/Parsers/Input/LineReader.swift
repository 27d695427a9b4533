#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits a byte source into lines without copying them, in a buffer that grows only up to a
/// limit; a line longer than the limit is reported, not loaded.
public final class LineReader {
    /// One line: valid only until the next call to ``next()``.
    public struct Line {
        /// The line's bytes without the newline (for an overlong line: its first bytes only).
        public var bytes: UnsafeBufferPointer<UInt8>
        /// The 1-based line number.
        public var number: Int
        /// The line's full length when it was longer than the limit and was cut; nil otherwise.
        public var overlongLength: Int?
    }

    public private(set) var source: any ByteSource
    public let maxLineLength: Int
    /// How many bytes of an overlong line are kept for the report.
    public let overlongKeep = 4096
    private var buffer: UnsafeMutableRawBufferPointer
    private var start = 0
    private var end = 0
    private var eof = false
    private var lineNumber = 0
    /// Total bytes consumed so far (for progress and throughput).
    public private(set) var bytesRead = 0

    public init(_ source: any ByteSource, chunkSize: Int = 1 << 20, maxLineLength: Int = 16 << 20) {
        self.source = source
        self.maxLineLength = max(maxLineLength, 1024)
        // A buffer no larger than the limit (plus its newline) makes every longer line overflow it.
        buffer = .allocate(byteCount: min(max(chunkSize, 4096), self.maxLineLength + 1), alignment: 16)
    }

    deinit {
        buffer.deallocate()
        overlongPrefix.deallocate()
    }

    private var base: UnsafeMutablePointer<UInt8> { buffer.baseAddress!.assumingMemoryBound(to: UInt8.self) }

    /// Reads more input behind what is buffered; false at the end of input.
    private func fill() throws(InputError) -> Bool {
        if eof { return false }
        if start > 0 {
            if end > start { memmove(base, base + start, end - start) }
            end -= start
            start = 0
        }
        if end == buffer.count {
            guard buffer.count < maxLineLength + 1 else { return true }
            let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: min(buffer.count * 2, maxLineLength + 1), alignment: 16)
            bigger.baseAddress!.copyMemory(from: buffer.baseAddress!, byteCount: end)
            buffer.deallocate()
            buffer = bigger
        }
        let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[end...]))
        if n == 0 { eof = true; return false }
        end += n
        bytesRead += n
        return true
    }

    /// The first `count` bytes not yet consumed (fewer at the end of input), without consuming them.
    public func peekSample(_ count: Int) throws(InputError) -> [UInt8] {
        while end - start < count {
            let before = end - start
            if try !fill() { break }
            if end - start == before { break }
        }
        return Array(UnsafeBufferPointer(start: base + start, count: min(count, end - start)))
    }

    /// The next line, or nil at the end of input.
    public func next() throws(InputError) -> Line? {
        var scanFrom = start
        while true {
            if scanFrom < end, let nl = memchr(base + scanFrom, 0x0A, end - scanFrom) {
                let lineEnd = base.distance(to: nl.assumingMemoryBound(to: UInt8.self))
                let line = UnsafeBufferPointer(start: base + start, count: lineEnd - start)
                start = lineEnd + 1
                lineNumber += 1
                return Line(bytes: line, number: lineNumber, overlongLength: nil)
            }
            let pending = end - start
            if pending >= maxLineLength {
                return try skipOverlong()
            }
            scanFrom = end
            let before = start
            if try !fill() {
                guard end > start else { return nil }
                let line = UnsafeBufferPointer(start: base + start, count: end - start)
                start = end
                lineNumber += 1
                return Line(bytes: line, number: lineNumber, overlongLength: nil)
            }
            scanFrom -= before - start
        }
    }

    private lazy var overlongPrefix = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: overlongKeep)

    /// Consumes the rest of an overlong line, keeping only its first bytes.
    private func skipOverlong() throws(InputError) -> Line {
        let kept = min(overlongKeep, end - start)
        _ = overlongPrefix.initialize(from: UnsafeBufferPointer(start: base + start, count: kept))
        var length = 0
        while true {
            if let nl = memchr(base + start, 0x0A, end - start) {
                let lineEnd = base.distance(to: nl.assumingMemoryBound(to: UInt8.self))
                length += lineEnd - start
                start = lineEnd + 1
                break
            }
            length += end - start
            start = end
            if try !fill() { break }
        }
        lineNumber += 1
        return Line(bytes: UnsafeBufferPointer(rebasing: overlongPrefix[0..<kept]), number: lineNumber, overlongLength: length)
    }
}
