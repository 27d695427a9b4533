#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fixed ring of byte chunks passed from one producer thread to one consumer thread.
///
/// The producer fills a free chunk and publishes it; the consumer reads published chunks in order
/// and hands each back when done. Memory is `slots * chunkSize` bytes, whatever the input's size.
/// The producer may end the stream, with or without an error that the consumer gets after the
/// chunks published before it. Chunk contents are touched by one side at a time, so only the
/// bookkeeping is under the lock.
final class ChunkPipe: @unchecked Sendable {
    let chunkSize: Int
    let slots: Int
    private let memory: UnsafeMutableRawPointer
    private let lengths: UnsafeMutablePointer<Int>
    private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    // Guarded by `lock`.
    private var published = 0
    private var consumed = 0
    private var ended = false
    private var endError: InputError?
    private var cancelled = false

    init(slots: Int = 4, chunkSize: Int = 1 << 20) {
        self.slots = max(slots, 2)
        self.chunkSize = chunkSize
        memory = .allocate(byteCount: self.slots * chunkSize, alignment: 64)
        lengths = .allocate(capacity: self.slots)
        lengths.initialize(repeating: 0, count: self.slots)
        pthread_mutex_init(lock, nil)
        pthread_cond_init(changed, nil)
    }

    deinit {
        pthread_cond_destroy(changed)
        pthread_mutex_destroy(lock)
        changed.deallocate()
        lock.deallocate()
        lengths.deallocate()
        memory.deallocate()
    }

    private func chunk(_ sequence: Int) -> UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(start: memory + (sequence % slots) * chunkSize, count: chunkSize)
    }

    // MARK: producer

    /// The next chunk to fill, once one is free; nil when the consumer has gone.
    func chunkToFill() -> UnsafeMutableRawBufferPointer? {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        while published - consumed == slots && !cancelled { pthread_cond_wait(changed, lock) }
        return cancelled ? nil : chunk(published)
    }

    /// Publishes the chunk from ``chunkToFill()`` with `count` bytes in it (none is allowed).
    func publish(_ count: Int) {
        pthread_mutex_lock(lock)
        if count > 0 {
            lengths[published % slots] = count
            published += 1
        }
        pthread_cond_signal(changed)
        pthread_mutex_unlock(lock)
    }

    /// Ends the stream, after the chunks already published; `error` is what the consumer gets then.
    func end(error: InputError?) {
        pthread_mutex_lock(lock)
        ended = true
        endError = error
        pthread_cond_signal(changed)
        pthread_mutex_unlock(lock)
    }

    // MARK: consumer

    /// The next published chunk's bytes; an empty buffer at the end of the stream.
    /// The chunk stays the consumer's until ``release()``.
    func nextChunk() throws(InputError) -> UnsafeRawBufferPointer {
        pthread_mutex_lock(lock)
        while published == consumed && !ended { pthread_cond_wait(changed, lock) }
        if published > consumed {
            let bytes = UnsafeRawBufferPointer(start: chunk(consumed).baseAddress, count: lengths[consumed % slots])
            pthread_mutex_unlock(lock)
            return bytes
        }
        let error = endError
        pthread_mutex_unlock(lock)
        if let error { throw error }
        return UnsafeRawBufferPointer(start: nil, count: 0)
    }

    /// Hands the chunk from ``nextChunk()`` back to the producer.
    func release() {
        pthread_mutex_lock(lock)
        consumed += 1
        pthread_cond_signal(changed)
        pthread_mutex_unlock(lock)
    }

    /// Tells the producer to stop: nothing more will be read.
    func cancel() {
        pthread_mutex_lock(lock)
        cancelled = true
        pthread_cond_signal(changed)
        pthread_mutex_unlock(lock)
    }
}
