import ArgumentParser
import Exporters
import Parsers

/// `netcheck formats`: lists the formats this build reads and writes.
struct Formats: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the trace formats netcheck reads and writes.")

    func run() {
        print("Input formats (--from):")
        for f in FrontEnds.all { print("  \(f.name.padding(8))\(f.summary)") }
        print("Output formats (convert --to):")
        for r in TraceRenderers.all { print("  \(r.name)") }
    }
}

extension String {
    func padding(_ width: Int) -> String { count >= width ? self + " " : self + String(repeating: " ", count: width - count) }
}
