import IR
import TestSupport
import Parsers
import Exporters
#if canImport(Glibc)
import Glibc
#endif

/// Reads strace text into events (and the registry that names their traces).
func events(_ text: String, path: String = "t.strace", format: String? = "strace") throws -> ([Event], TraceRegistry) {
    let registry = TraceRegistry()
    let reader = try TraceInput.open(source: MemorySource(text, path: path), format: format, traces: registry)
    var out: [Event] = []
    while let e = try reader.next() { out.append(e) }
    return (out, registry)
}

/// The only complete call in `line`.
func call(_ line: String) throws -> Syscall {
    let (evs, _) = try events(line + "\n")
    guard let s = evs.compactMap(\.syscall).first else {
        throw TestFailure("no call in: \(line) -> \(evs.map(\.kind))")
    }
    return s
}

/// Writes events back in a format.
func render(_ evs: [Event], _ registry: TraceRegistry, as name: String = "strace") -> String {
    var r = TraceRenderers.named(name)!.init()
    var out: [UInt8] = []
    for e in evs { r.render(e, info: registry[e.trace], into: &out) }
    r.finish(into: &out)
    return String(decoding: out, as: UTF8.self)
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// The repository root, found from this file's path.
let repositoryRoot: String = {
    var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)
    return parts.joined(separator: "/")
}()

/// `../shared` beside the repository, when it is there (CI and developers' machines).
let sharedRoot: String? = {
    let p = repositoryRoot + "/../shared"
    var st = stat()
    return stat(p + "/formats", &st) == 0 ? p : nil
}()

/// Regular files under `dir` (recursively) whose names pass `include`, sorted.
func files(under dir: String, _ include: (String) -> Bool) -> [String] {
    guard let d = opendir(dir) else { return [] }
    defer { closedir(d) }
    var out: [String] = []
    while let entry = readdir(d) {
        let name = withUnsafePointer(to: entry.pointee.d_name) {
            $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
        }
        if name.hasPrefix(".") { continue }
        let full = dir + "/" + name
        var st = stat()
        guard stat(full, &st) == 0 else { continue }
        if (st.st_mode & S_IFMT) == S_IFDIR { out += files(under: full, include) } else if include(name) { out.append(full) }
    }
    return out.sorted()
}


func readFile(_ path: String) -> [UInt8] { Files.read(path) }
func writeFile(_ path: String, _ bytes: [UInt8]) { Files.write(path, bytes) }
func temporaryDirectory() -> String { Files.temporaryDirectory() }
