import Foundation

/// The pool's timers: tasks waiting past their patience are served, and past their deadline failed.
extension PostgresPool {
    /// Starts the timer that serves the first task in line once it has waited long enough: with an idle
    /// connection after ``PoolOptions/affinityPatience``, or with a new one after
    /// ``PoolOptions/batchingPatience`` when none is idle and the pool may grow; and so on while tasks wait.
    func startPatienceTimer() {
        guard patienceTimer == nil else { return }
        patienceTimer = Task { [weak self] in await self?.serveOverdueWaiters() }
    }

    /// The patience timer's loop: runs while tasks wait and an idle connection or room to grow is left.
    func serveOverdueWaiters() async {
        while !closed, let first = waiters.first {
            let now = ContinuousClock.now
            if let entry = idle.last {
                let due = first.enqueued + options.affinityPatience
                if now < due {
                    try? await Task.sleep(until: due, clock: .continuous)
                    continue
                }
                idle.removeLast()
                if now - entry.opened > options.maxLifetime || now - entry.lastUsed > options.healthCheckAfterIdle {
                    // Checked or replaced as an acquire would; a fresh connection goes to the next waiter.
                    await discard(entry.connection)
                } else if !hand(entry.connection, on: entry.searchPath) {
                    idle.append(entry)
                    break
                }
            } else if openCount < options.maxConnections, hasRoom(first.group) {
                // Another connection once the first in line has waited the patience, unless the connections
                // lent out are coming back quickly enough to take it (then it is looked at again later).
                let due = first.enqueued + options.batchingPatience
                if now < due || (first.read != nil && waitsToRideAlong(first.read)) {
                    try? await Task.sleep(until: max(due, now + options.batchingPatience), clock: .continuous)
                    continue
                }
                await openConnection(for: waiters.removeFirst())
            } else {
                break
            }
        }
        patienceTimer = nil
    }

    /// Opens a connection for a task taken out of line, or hands it the error. The connection being
    /// opened counts against the task's group (``PoolOptions/maxConnectionsPerTenant``) from the start.
    func openConnection(for waiter: Waiter) async {
        openCount += 1
        if let group = waiter.group { groupsInUse[group.id, default: 0] += 1 }
        do {
            let connection = try await connectWithBackoff(deadline: waiter.deadline)
            if let group = waiter.group { freePlace(of: group) }
            register(connection)
            lend(connection, to: waiter.group)
            waiter.continuation.resume(returning: .connection(connection, mates: []))
        } catch {
            if let group = waiter.group { freePlace(of: group) }
            openCount -= 1
            waiter.continuation.resume(throwing: error)
        }
    }

    /// Sleeps until the earliest waiter's deadline and fails the waiters past theirs; ends when none wait.
    /// One timer for the whole pool, rather than one per waiting task.
    func expireOverdueWaiters() async {
        while let earliest = waiters.map(\.deadline).min() {
            try? await Task.sleep(until: earliest, clock: .continuous)
            let now = ContinuousClock.now
            let overdue = waiters.filter { $0.deadline <= now }
            waiters.removeAll { $0.deadline <= now }
            for waiter in overdue {
                waiter.continuation.resume(
                    throwing: SQLGenError(
                        .poolTimeout, message: "no connection became free within \(options.acquireTimeout)"))
            }
        }
        timeoutSweeper = nil
    }

    func cancel(waiter id: Int) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(
            throwing: SQLGenError(.cancelled, message: "cancelled while waiting for a connection"))
    }
}
