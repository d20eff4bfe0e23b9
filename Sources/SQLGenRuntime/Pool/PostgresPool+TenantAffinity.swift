import Foundation

/// How the pool chooses which task a connection goes to and which reads ride along: tenants kept to
/// the connections warm for them (their home slot, or connections that served them before).
extension PostgresPool {
    /// Whether a task with `read` is to wait for a connection lent out rather than open one: it can be
    /// sent along with another's, and the connections being opened or lent out within
    /// ``PoolOptions/affinityPatience`` (not held by anything slow) can take every waiting read in their
    /// next two round trips.
    func waitsToRideAlong(_ read: BatchedRead?) -> Bool {
        guard read != nil, options.readsPerRoundTrip > 1, options.maxConnectionsPerTenant == nil else { return false }
        let now = ContinuousClock.now
        // Connections being opened count too: they come back as soon as they are open.
        var comingBack = max(openCount - idle.count - lentSince.count, 0)
        for since in lentSince.values where now - since < options.affinityPatience { comingBack += 1 }
        guard comingBack > 0 else { return false }
        var waitingReads = 0
        for index in waiters.indices where waiters[index].read != nil { waitingReads += 1 }
        return waitingReads < comingBack * options.readsPerRoundTrip * 2
    }

    /// The idle connection to reuse: one on `affinity`'s path, else one warm for `group` (its home, or one
    /// that served it), else the most recently used; but none when a connection warm for the group was
    /// lent out lately and will come back soon: the task waits for that one, for up to
    /// ``PoolOptions/affinityPatience``.
    func takeIdle(affinity: String?, group: TenantGroup?) -> Idle? {
        if let affinity, let index = idle.lastIndex(where: { $0.searchPath == affinity }) {
            return idle.remove(at: index)
        }
        guard let group, group.home != nil else { return idle.popLast() }
        if let index = idle.lastIndex(where: { isWarm(slot(of: $0.connection), for: group) }) {
            return idle.remove(at: index)
        }
        let waitsForWarm = slotsComingBack().contains { isWarm($0, for: group) }
        return waitsForWarm ? nil : idle.popLast()
    }

    /// The slots of the connections lent out lately (within ``PoolOptions/batchingPatience``), which
    /// will come back soon unless something slow holds them.
    func slotsComingBack() -> [Int] {
        let now = ContinuousClock.now
        var comingBack: [Int] = []
        for (connection, since) in lentSince where now - since < options.batchingPatience {
            if let slot = slots[connection] { comingBack.append(slot) }
        }
        return comingBack
    }

    /// The slot of an open connection.
    func slot(of connection: PostgresSession) -> Int? {
        slots[ObjectIdentifier(connection)]
    }

    /// Whether `slot`'s connection is `group`'s home or has served it.
    func isWarm(_ slot: Int?, for group: TenantGroup?) -> Bool {
        guard let slot, let group else { return false }
        return slot == group.home || servedGroups[slot].contains(group.id)
    }

    /// The waiter to serve next with a connection on `searchPath`: one of the first few in line that
    /// wants that path (no switch needed); else, unless the first in line has waited past
    /// ``PoolOptions/affinityPatience``, the first of the next 64 for whose group the connection is warm
    /// (its home, or it served the group), else the first of the next 16 that no connection lent out is
    /// warm for, else none (the connection stays idle for the waiters' own warm connections, which are
    /// lent out and will come back); else,
    /// among those whose group has room, the one whose group holds the fewest connections, the longest
    /// waiting first.
    func nextWaiter(for connection: PostgresSession? = nil, on searchPath: String? = nil) -> Waiter? {
        // Waiters are looked at in place, by index: copying one costs more than the look.
        if let searchPath {
            for index in waiters.indices.prefix(16)
            where waiters[index].affinity == searchPath && hasRoom(waiters[index].group) {
                return waiters.remove(at: index)
            }
        }
        if let connection, let first = waiters.first?.enqueued, ContinuousClock.now - first < options.affinityPatience {
            let slot = slot(of: connection)
            for index in waiters.indices.prefix(64)
            where isWarm(slot, for: waiters[index].group) && hasRoom(waiters[index].group) {
                return waiters.remove(at: index)
            }
            // One none of whose warm connections will come back soon gains nothing by waiting: it is served now.
            let comingBack = slotsComingBack()
            for index in waiters.indices.prefix(16) where hasRoom(waiters[index].group) {
                guard let group = waiters[index].group, comingBack.contains(where: { isWarm($0, for: group) }) else {
                    return waiters.remove(at: index)
                }
            }
            startPatienceTimer()
            return nil
        }
        var chosen: (index: Int, held: Int)?
        for index in waiters.indices where hasRoom(waiters[index].group) {
            let held = waiters[index].group.map { groupsInUse[$0.id, default: 0] } ?? 0
            if chosen == nil || held < chosen?.held ?? 0 { chosen = (index, held) }
            if held == 0 { break }
        }
        guard let chosen else { return nil }
        return waiters.remove(at: chosen.index)
    }

    /// Waiting reads to send with `read` on `connection` (on `searchPath`): those at home on the
    /// connection's slot first, then those of tenants it served; none unless the connection is on the
    /// reads' shared path.
    func readsToSendAlong(with read: BatchedRead, on connection: PostgresSession, searchPath: String?)
        -> [BatchedRead]
    {
        let limit = options.readsPerRoundTrip - 1
        guard limit > 0, searchPath == read.sharedPath, options.maxConnectionsPerTenant == nil else { return [] }
        let slot = slot(of: connection)
        var chosen: [Int] = []
        for index in waiters.indices where chosen.count < limit && waiters[index].read != nil {
            if let slot, waiters[index].group?.home == slot { chosen.append(index) }
        }
        for index in waiters.indices where chosen.count < limit && waiters[index].read != nil {
            let group = waiters[index].group
            if group?.home != slot, isWarm(slot, for: group) { chosen.append(index) }
        }
        var mates: [BatchedRead] = []
        for index in chosen.sorted(by: >) {
            let waiter = waiters.remove(at: index)
            if let read = waiter.read {
                read.hold(waiter.continuation)
                noteServed(waiter.group, on: connection)
                mates.append(read)
            }
        }
        return mates.reversed()
    }

    /// Notes that `connection` serves `group` (up to 10,000 groups a slot; then it starts anew).
    func noteServed(_ group: TenantGroup?, on connection: PostgresSession) {
        guard let group, let slot = slot(of: connection), servedGroups.indices.contains(slot) else { return }
        if servedGroups[slot].count >= 10_000 { servedGroups[slot] = [] }
        servedGroups[slot].insert(group.id)
    }

    /// The group named `name`, numbered when first seen and given as its home (the slot whose connections
    /// serve it first) the slot home to the fewest groups; a group whose home slot has no connection open
    /// is served first by the connections that served it before. Kept for up to 100,000 groups; then they
    /// are numbered and dealt out anew (numbers are never reused, so counts of connections held stay apart).
    func group(named name: String?) -> TenantGroup? {
        guard let name else { return nil }
        if let known = groups[name] { return known }
        if groups.count >= 100_000 {
            groups.removeAll()
            groupsPerSlot = groupsPerSlot.map { _ in 0 }
        }
        var home: Int?
        if options.maxConnections > 1 {
            var fewest = 0
            for slot in groupsPerSlot.indices where groupsPerSlot[slot] < groupsPerSlot[fewest] { fewest = slot }
            groupsPerSlot[fewest] += 1
            home = fewest
        }
        let group = TenantGroup(id: nextGroupID, home: home)
        nextGroupID += 1
        groups[name] = group
        return group
    }
}
