import Testing
@testable import IR

@Suite struct JSONTests {
    @Test func writesAndParsesEveryKind() throws {
        let value: JSONValue = .object([("a", .int(Int64.max)), ("b", .array([.null, .bool(true), .double(1.5)])),
                                         ("c", .string("tab\tquote\"nl\n\u{1}é"))])
        var w = JSONWriter()
        w.write(value)
        #expect(try JSONParser.parse(w.bytes) == value)
    }

    @Test func controlCharactersAreEscaped() {
        var w = JSONWriter()
        w.writeString("\u{0}\u{7f}")
        #expect(String(decoding: w.bytes, as: UTF8.self) == #""\u0000\u007f""#)
    }

    @Test func reportsTheColumnOfAnError() {
        #expect(throws: JSONSyntaxError(column: 8, expected: "',' or '}'")) { try JSONParser.parse(Array(#"{"a":1 "b":2}"#.utf8)) }
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(Array("[1,".utf8)) }
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(Array(String(repeating: "[", count: 2000).utf8)) }
    }

    @Test func decodesSurrogatePairs() throws {
        #expect(try JSONParser.parse(Array(#""\ud83d\ude00""#.utf8)) == .string("😀"))
    }
}
