import CZlib

/// Decompresses a gzip stream with zlib as it is read; never holds the whole file.
///
/// Concatenated gzip members are read one after another, as `zcat` does. A stream that ends
/// before its last member is complete, or whose data is corrupt, is an error naming the file.
/// ``GzipSource`` runs one of these on a thread of its own.
final class GzipInflater: ByteSource {
    var path: String { inner.path }
    private var inner: any ByteSource
    private var stream = z_stream()
    private var input: UnsafeMutableRawBufferPointer
    private var inputEnded = false
    private var finished = false
    private var memberOpen = true

    init(_ inner: any ByteSource, inputSize: Int = 1 << 18) throws(InputError) {
        self.inner = inner
        input = .allocate(byteCount: inputSize, alignment: 1)
        let rc = inflateInit2_(&stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard rc == Z_OK else {
            input.deallocate()
            throw InputError(path: inner.path, message: "cannot start gzip decompression (zlib error \(rc))")
        }
    }

    deinit {
        inflateEnd(&stream)
        input.deallocate()
    }

    private func refill() throws(InputError) {
        guard stream.avail_in == 0, !inputEnded else { return }
        let n = try inner.read(into: input)
        if n == 0 { inputEnded = true }
        stream.next_in = input.baseAddress!.assumingMemoryBound(to: UInt8.self)
        stream.avail_in = UInt32(n)
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        guard !finished, buffer.count > 0 else { return 0 }
        stream.next_out = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
        stream.avail_out = UInt32(min(buffer.count, Int(UInt32.max)))
        let capacity = Int(stream.avail_out)
        while stream.avail_out > 0 {
            try refill()
            if !memberOpen {
                // Between members: more input means another member follows; none means a clean end.
                if stream.avail_in == 0 && inputEnded { finished = true; break }
                inflateReset(&stream)
                memberOpen = true
            }
            if stream.avail_in == 0 && inputEnded {
                throw InputError(path: path, message: "truncated gzip data: the compressed stream ends early")
            }
            let rc = inflate(&stream, Z_NO_FLUSH)
            switch rc {
            case Z_OK:
                continue
            case Z_STREAM_END:
                memberOpen = false
            case Z_BUF_ERROR:
                if stream.avail_in == 0 && !inputEnded { continue }
                if stream.avail_out == 0 { break }
                throw InputError(path: path, message: "truncated gzip data: the compressed stream ends early")
            default:
                let detail = stream.msg.map { String(cString: $0) } ?? "zlib error \(rc)"
                throw InputError(path: path, message: "corrupt gzip data: \(detail)")
            }
            if capacity - Int(stream.avail_out) > 0 && stream.avail_in == 0 { break }
        }
        return capacity - Int(stream.avail_out)
    }
}
