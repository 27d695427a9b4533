/// One system call, with its arguments and outcome.
public struct Syscall: Sendable, Hashable {
    /// The normalized name the engine works with (`accept` for `accept4`, `socket` for `so_socket`).
    public var name: String
    /// The name exactly as the tracer wrote it.
    public var writtenName: String
    public var arguments: [Argument]
    public var outcome: CallOutcome
    /// Present when the tracer split the call over two lines (strace's unfinished/resumed):
    /// how the two halves looked, so the call can be written back as it was.
    @inlinable public var split: CallSplit? {
        get { splitBox?.split }
        set { splitBox = newValue.map(CallSplitBox.init) }
    }
    /// Most calls are not split: the shape is kept out of line so a call stays small to move.
    @usableFromInline var splitBox: CallSplitBox?

    @inlinable public init(name: String, writtenName: String? = nil, arguments: [Argument], outcome: CallOutcome,
                split: CallSplit? = nil) {
        self.name = name
        self.writtenName = writtenName ?? name
        self.arguments = arguments
        self.outcome = outcome
        self.splitBox = split.map(CallSplitBox.init)
    }

    /// The result, when the call returned.
    public var result: CallResult? {
        if case .returned(let r) = outcome { return r }
        return nil
    }

    /// The argument at `index`, or nil when the call has fewer.
    public func argument(_ index: Int) -> Value? {
        index < arguments.count ? arguments[index].value : nil
    }
}

/// The shape of a call the tracer printed in two parts.
///
/// The first part is at ``SourceLines/first`` (where a ``CallStart`` event stands in the stream);
/// the second, with the result, at ``SourceLines/resumed``.
public struct CallSplit: Sendable, Hashable {
    public enum Shape: Sendable, Hashable {
        /// strace's `name(args <unfinished ...>` then `<... name resumed>rest) = result`: the first
        /// part printed `argumentsAtEntry` arguments followed by `entryTrailer` (`", "` or empty);
        /// `resumeLead` stood between `resumed>` and the remaining arguments (old strace: a space).
        case unfinished(argumentsAtEntry: Int, entryTrailer: String, resumeLead: String)
        /// A tracer message cut the call's line (`clone(Process 10951 attached`): the call's text
        /// is the first `headLength` bytes of its rendering on the first line, the rest on the second.
        case spliced(headLength: Int, message: String)
        /// Only the second part is in the trace (tracing began while the call was in progress).
        case resumedOnly(resumeLead: String)
    }

    public var shape: Shape
    /// How the line of the second part began (process prefix, timestamp).
    public var resumedFrame: LineFrame

    @inlinable public init(shape: Shape, resumedFrame: LineFrame) {
        self.shape = shape
        self.resumedFrame = resumedFrame
    }
}

/// Holds a ``CallSplit`` for ``Syscall``; compared and hashed by its content.
@usableFromInline final class CallSplitBox: Sendable, Hashable {
    @usableFromInline let split: CallSplit
    @usableFromInline init(_ split: CallSplit) { self.split = split }
    @usableFromInline static func == (a: CallSplitBox, b: CallSplitBox) -> Bool { a === b || a.split == b.split }
    @usableFromInline func hash(into hasher: inout Hasher) { hasher.combine(split) }
}

/// The first half of a call the tracer split, at the place in the trace where it was printed.
///
/// The complete call follows later in the stream as a ``Syscall`` whose ``SourceLines`` name both
/// lines; this event only marks where the call began (a blocking call in progress).
public struct CallStart: Sendable, Hashable {
    public var name: String
    public var writtenName: String
    /// The arguments printed before the call was interrupted.
    public var arguments: [Argument]
    /// What followed the last argument before ` <unfinished ...>` (`", "` or empty).
    public var entryTrailer: String
    /// The marker as written when it is not strace's usual `<unfinished ...>`
    /// (strace 4.x wrote `<unfinished ... exit status 0>`).
    public var marker: String?
    /// For a line a tracer message cut: the call's text before the message, and the message.
    public var splice: (head: String, message: String)? {
        get { spliceHead.map { ($0, spliceMessage ?? "") } }
        set { spliceHead = newValue?.head; spliceMessage = newValue?.message }
    }
    private var spliceHead: String?
    private var spliceMessage: String?

    public init(name: String, writtenName: String, arguments: [Argument], entryTrailer: String, marker: String? = nil,
                splice: (head: String, message: String)? = nil) {
        self.marker = marker
        self.name = name
        self.writtenName = writtenName
        self.arguments = arguments
        self.entryTrailer = entryTrailer
        self.splice = splice
    }
}
