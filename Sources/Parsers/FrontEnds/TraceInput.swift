import IR

/// Opens trace inputs: chooses the front end (by `--from` or by sniffing the content) and
/// returns a reader. Directories and `-ff` file sets are merged in timestamp order.
public enum TraceInput {
    /// How many bytes are sniffed to choose a format.
    public static let sniffBytes = 16 << 10

    /// Opens `path` with the format named `format` (`auto` or nil to sniff).
    public static func open(_ path: String, format: String? = nil, traces: TraceRegistry,
                            options: ReadOptions = ReadOptions(),
                            maxLineLength: Int = 16 << 20) throws(InputError) -> any EventReader {
        try open(source: InputOpener.open(path), format: format, traces: traces, options: options, maxLineLength: maxLineLength)
    }

    /// Reads an already opened source (for example a ``MemorySource``) the same way.
    public static func open(source: any ByteSource, format: String? = nil, traces: TraceRegistry,
                            options: ReadOptions = ReadOptions(),
                            maxLineLength: Int = 16 << 20) throws(InputError) -> any EventReader {
        let path = source.path
        let lines = LineReader(source, maxLineLength: maxLineLength)
        let chosen: any FrontEnd.Type
        if let format, format != "auto" {
            guard let f = FrontEnds.named(format) else {
                throw InputError(path: path, message: "unknown format '\(format)'; expected one of: auto, "
                                 + FrontEnds.all.map { $0.name }.joined(separator: ", "))
            }
            chosen = f
        } else {
            let sample = try lines.peekSample(sniffBytes)
            guard let (f, confidence) = FrontEnds.sniff(sample), confidence >= 0.2 else {
                if sample.isEmpty { return EmptyReader() }
                throw InputError(path: path, line: 1, message: "cannot tell which tracer wrote this file; expected "
                                 + FrontEnds.all.map { $0.summary }.joined(separator: ", ") + " (choose one with --from)")
            }
            chosen = f
        }
        return try chosen.reader(lines: lines, path: path, traces: traces, options: options)
    }
}

/// The reader of an empty input.
final class EmptyReader: EventReader {
    func next() throws(InputError) -> Event? { nil }
    var statistics: ReadStatistics { ReadStatistics() }
}
