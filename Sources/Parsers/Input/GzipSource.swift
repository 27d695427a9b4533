#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a gzip file decompressed, streaming: a thread of its own inflates the next megabytes
/// (``GzipInflater``, zlib) while the caller parses the ones before, so decompression and
/// parsing overlap on two cores. Memory stays at a few 1 MiB chunks whatever the file's size.
///
/// Data and errors arrive in the order a sequential read would give them: everything that
/// decompressed, then the error that stopped decompression.
public final class GzipSource: ByteSource {
    public let path: String
    private let pipe: ChunkPipe
    private var thread: pthread_t?
    /// The chunk being read, and how far.
    private var current = UnsafeRawBufferPointer(start: nil, count: 0)
    private var offset = 0
    private var holdsChunk = false
    private var ended = false

    /// Starts decompressing `inner` (gzip data) on a new thread.
    init(_ inner: any ByteSource, chunkSize: Int = 1 << 20, chunks: Int = 4) throws(InputError) {
        path = inner.path
        let inflater = try GzipInflater(inner)
        pipe = ChunkPipe(slots: chunks, chunkSize: chunkSize)
        let job = Unmanaged.passRetained(GzipJob(inflater: inflater, pipe: pipe)).toOpaque()
        #if canImport(Glibc)
        var handle = pthread_t()
        let rc = pthread_create(&handle, nil, { GzipJob.run($0) }, job)
        #else
        var handle: pthread_t?
        let rc = pthread_create(&handle, nil, { GzipJob.run($0) }, job)
        #endif
        guard rc == 0 else {
            Unmanaged<GzipJob>.fromOpaque(job).release()
            throw InputError(path: path, message: "cannot start gzip decompression: \(String(cString: strerror(rc)))")
        }
        thread = handle
    }

    /// Stops the thread without waiting for it: it may be blocked reading a pipe that stays open.
    /// It holds its own references to what it uses and ends at its next chunk.
    deinit {
        pipe.cancel()
        if let thread { pthread_detach(thread) }
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        guard buffer.count > 0, !ended else { return 0 }
        if offset == current.count {
            if holdsChunk { pipe.release(); holdsChunk = false }
            current = try pipe.nextChunk()
            offset = 0
            if current.isEmpty { ended = true; return 0 }
            holdsChunk = true
        }
        let n = min(buffer.count, current.count - offset)
        buffer.baseAddress!.copyMemory(from: current.baseAddress! + offset, byteCount: n)
        offset += n
        return n
    }
}

/// The decompressing thread's work: fill chunks until the input ends, fails, or nobody reads.
private final class GzipJob: @unchecked Sendable {
    let inflater: GzipInflater
    let pipe: ChunkPipe

    init(inflater: GzipInflater, pipe: ChunkPipe) {
        self.inflater = inflater
        self.pipe = pipe
    }

    /// The thread's entry point; `context` is a retained GzipJob.
    static func run(_ context: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
        let job = Unmanaged<GzipJob>.fromOpaque(context!).takeRetainedValue()
        job.fill()
        return nil
    }

    private func fill() {
        // One inflater read per chunk: it returns when the chunk is full or its compressed input
        // ran out, so a slow stream (a pipe) is passed on as it arrives.
        while let chunk = pipe.chunkToFill() {
            do throws(InputError) {
                let n = try inflater.read(into: chunk)
                if n == 0 {
                    pipe.end(error: nil)
                    return
                }
                pipe.publish(n)
            } catch {
                pipe.end(error: error)
                return
            }
        }
    }
}
