import IR

/// One direction of a TCP connection: the bytes sent and not yet received, in order.
///
/// Each send is kept as a chunk with the bytes the tracer printed (strace truncates long buffers,
/// so the tail of a chunk may be unknown) and the count the call returned. Memory follows the data
/// in flight, never the length of the trace.
struct ByteStream: Sendable {
    struct Chunk: Sendable {
        /// The bytes the tracer printed; shorter than `length` when the buffer was truncated.
        var bytes: [UInt8]
        var length: Int
        /// How much of the chunk has been received.
        var consumed = 0
        var origin: CallRef
        var remaining: Int { length - consumed }
        func byte(at offset: Int) -> UInt8? { offset < bytes.count ? bytes[offset] : nil }
    }

    private var chunks: [Chunk] = []
    private var head = 0
    /// Bytes sent and not yet received.
    private(set) var inFlight = 0
    /// Totals over the life of the connection.
    private(set) var sent = 0
    private(set) var received = 0
    /// Bytes discarded because the receiving side closed or reset with them unread.
    var discarded = 0
    /// The sender shut down its writing side or closed: no more data will come.
    var finished = false
    /// After a mismatch the model stops comparing contents on this direction (counts still hold).
    var desynchronized = false
    /// Sends in flight, for reports.
    var sendCount = 0

    mutating func append(_ bytes: [UInt8], length: Int, origin: CallRef) {
        guard length > 0 else { return }
        chunks.append(Chunk(bytes: bytes.count > length ? Array(bytes.prefix(length)) : bytes, length: length, origin: origin))
        inFlight += length
        sent += length
        sendCount += 1
    }

    /// The first chunk in flight.
    var front: Chunk? { head < chunks.count ? chunks[head] : nil }

    /// How a receive of `count` bytes with the printed contents `known` compares with the stream.
    enum Comparison: Equatable {
        case matches
        /// Byte `offset` of the receive differs from the data sent.
        case differs(offset: Int)
        /// Fewer bytes are in flight than the receive returned.
        case tooShort(available: Int)
    }

    func compare(count: Int, known: [UInt8]) -> Comparison {
        var offset = 0
        var index = head
        var within = head < chunks.count ? chunks[head].consumed : 0
        let checked = desynchronized ? 0 : min(count, known.count)
        while offset < checked, index < chunks.count {
            let chunk = chunks[index]
            if let sentByte = chunk.byte(at: within), sentByte != known[offset] { return .differs(offset: offset) }
            offset += 1
            within += 1
            if within == chunk.length { index += 1; within = index < chunks.count ? chunks[index].consumed : 0 }
        }
        return inFlight >= count ? .matches : .tooShort(available: inFlight)
    }

    /// Whether a receive of `count` bytes would stop inside a small send (one that travels in a
    /// single segment and so arrives whole): the receive returned part of a message although its
    /// buffer had room for all of it.
    func splitsSmallSend(count: Int, bufferSize: Int?, limit: Int = 536) -> Bool {
        guard let bufferSize, bufferSize > count, count > 0 else { return false }
        var left = count
        var index = head
        while index < chunks.count {
            let chunk = chunks[index]
            if left < chunk.remaining { return chunk.length <= limit }
            left -= chunk.remaining
            if left == 0 { return false }
            index += 1
        }
        return false
    }

    /// Removes `count` bytes (or all in flight, if fewer) from the front; returns how many were removed.
    @discardableResult
    mutating func consume(_ count: Int) -> Int {
        var left = min(count, inFlight)
        let taken = left
        while left > 0, head < chunks.count {
            let take = min(left, chunks[head].remaining)
            chunks[head].consumed += take
            left -= take
            if chunks[head].remaining == 0 { head += 1 }
        }
        inFlight -= taken
        received += taken
        compact()
        return taken
    }

    /// Drops everything in flight (the receiver closed or the connection was reset).
    mutating func discardAll() {
        discarded += inFlight
        inFlight = 0
        chunks.removeAll(keepingCapacity: false)
        head = 0
    }

    /// The sends that are still (partly) in flight.
    var pendingOrigins: [CallRef] { head < chunks.count ? chunks[head...].map(\.origin) : [] }

    private mutating func compact() {
        if head == chunks.count { chunks.removeAll(keepingCapacity: true); head = 0 }
        else if head > 64 && head * 2 > chunks.count { chunks.removeFirst(head); head = 0 }
    }
}
