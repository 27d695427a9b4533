#if canImport(Glibc)
import Glibc
#endif

/// Where a command writes its output: standard output or a file, written whole or not at all
/// reported as an error (exit 74).
final class OutputSink {
    private let fd: Int32
    private let path: String

    init(path: String?) throws {
        guard let path, path != "-" else {
            fd = 1
            self.path = "standard output"
            return
        }
        let opened = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard opened >= 0 else {
            throw Failure(message: "\(path): cannot write: \(String(cString: strerror(errno)))", code: .ioError)
        }
        fd = opened
        self.path = path
    }

    func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                throw Failure(message: "\(path): write failed: \(String(cString: strerror(errno)))", code: .ioError)
            }
            offset += n
        }
    }

    func close() throws {
        if fd > 2 && Glibc.close(fd) != 0 {
            throw Failure(message: "\(path): close failed: \(String(cString: strerror(errno)))", code: .ioError)
        }
    }
}
