import IR

/// A first-in, first-out queue of events that moves them in and out and never copies them.
///
/// Readers hold back an event or two (the last one may still get continuation lines); an
/// `Event` is a few hundred bytes with many references, so a copy costs far more than a move.
/// The storage is raw memory, which also spares the per-access exclusivity checks of a class's
/// array property. It grows as needed and keeps its capacity.
final class EventQueue {
    private var storage: UnsafeMutablePointer<Event>
    private var capacity: Int
    private var head = 0
    /// How many events are queued.
    private(set) var count = 0

    init(capacity: Int = 8) {
        self.capacity = max(capacity, 2)
        storage = .allocate(capacity: self.capacity)
    }

    deinit {
        while count > 0 { _ = removeFirst() }
        storage.deallocate()
    }

    var isEmpty: Bool { count == 0 }

    /// Adds `event` at the end.
    @inline(__always)
    func append(_ event: consuming Event) {
        if count == capacity { grow() }
        (storage + (head + count) % capacity).initialize(to: event)
        count += 1
    }

    /// Takes the oldest event out; nil when the queue is empty.
    @inline(__always)
    func removeFirst() -> Event? {
        guard count > 0 else { return nil }
        let event = (storage + head).move()
        head = (head + 1) % capacity
        count -= 1
        return event
    }

    /// The newest event, to change in place; nil when the queue is empty.
    var last: UnsafeMutablePointer<Event>? {
        count > 0 ? storage + (head + count - 1) % capacity : nil
    }

    private func grow() {
        let bigger = UnsafeMutablePointer<Event>.allocate(capacity: capacity * 2)
        for k in 0..<count { (bigger + k).moveInitialize(from: storage + (head + k) % capacity, count: 1) }
        storage.deallocate()
        storage = bigger
        capacity *= 2
        head = 0
    }
}
