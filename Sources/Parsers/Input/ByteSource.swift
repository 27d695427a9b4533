#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Something bytes are read from in chunks: a file, standard input, or a decompressor over one.
public protocol ByteSource {
    /// Fills the start of `buffer`; returns how many bytes were read, 0 at the end of input.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int
    /// The name reports use for this input.
    var path: String { get }
}

/// A file or standard input read with `read(2)`, with room to push back what was peeked at.
public final class FileSource: ByteSource {
    public let path: String
    private let fd: Int32
    private let ownsDescriptor: Bool
    private var pushback: [UInt8] = []

    /// Opens `path` for reading; `-` is standard input.
    public init(path: String) throws(InputError) {
        self.path = path
        if path == "-" {
            fd = 0
            ownsDescriptor = false
            return
        }
        let opened = open(path, O_RDONLY)
        guard opened >= 0 else {
            var e = InputError(path: path, message: "cannot open: \(String(cString: strerror(errno)))")
            e.kind = .cannotOpen
            throw e
        }
        var st = stat()
        if fstat(opened, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR {
            close(opened)
            var e = InputError(path: path, message: "is a directory, expected a trace file")
            e.kind = .cannotOpen
            throw e
        }
        fd = opened
        ownsDescriptor = true
    }

    deinit { if ownsDescriptor { close(fd) } }

    /// Reads up to `count` bytes from the start of the input without consuming them.
    public func peek(_ count: Int) throws(InputError) -> [UInt8] {
        var tmp = [UInt8](repeating: 0, count: count)
        while pushback.count < count {
            let want = count - pushback.count
            let n = tmp.withUnsafeMutableBytes { readRaw(into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<want])) }
            if n < 0 { throw InputError(path: path, message: "read failed: \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            pushback.append(contentsOf: tmp[0..<n])
        }
        return Array(pushback.prefix(count))
    }

    private func readRaw(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n < 0 && errno == EINTR { continue }
            return n
        }
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        if !pushback.isEmpty {
            let n = min(buffer.count, pushback.count)
            pushback.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: n) }
            pushback.removeFirst(n)
            return n
        }
        let n = readRaw(into: buffer)
        guard n >= 0 else {
            throw InputError(path: path, message: "read failed: \(String(cString: strerror(errno)))")
        }
        return n
    }
}

/// Opens inputs by content: gzip (by its magic bytes) is decompressed as it is read.
public enum InputOpener {
    /// Opens a file (or `-` for standard input), decompressing gzip transparently.
    public static func open(_ path: String) throws(InputError) -> any ByteSource {
        let file = try FileSource(path: path)
        let magic = try file.peek(2)
        if magic == [0x1F, 0x8B] { return try GzipSource(file) }
        return file
    }
}

/// Bytes already in memory, read like a file (for tests and for programs that embed netcheck).
public final class MemorySource: ByteSource {
    public let path: String
    private let bytes: [UInt8]
    private var offset = 0

    public init(_ bytes: [UInt8], path: String = "<memory>") {
        self.bytes = bytes
        self.path = path
    }

    public convenience init(_ text: String, path: String = "<memory>") { self.init(Array(text.utf8), path: path) }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        let n = min(buffer.count, bytes.count - offset)
        if n > 0 {
            bytes.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + offset, byteCount: n) }
            offset += n
        }
        return n
    }
}
