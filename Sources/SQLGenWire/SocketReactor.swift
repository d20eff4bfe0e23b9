import CLibPQ
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Waits for sockets to become readable or writable without blocking Swift's cooperative threads:
/// one thread of its own sleeps in `epoll_wait` (Linux) or `poll` (elsewhere) for every connection
/// at once and resumes the tasks whose sockets are ready.
package final class SocketReactor: Sendable {
    /// What a waiter waits for on its socket.
    package enum Interest: Sendable {
        case readable, writable, either
    }

    private struct Waiter {
        var interest: Interest
        var continuation: CheckedContinuation<Void, Never>
    }

    /// The process's reactor, started on first use.
    package static let shared = SocketReactor()

    private let waiters = LockedState<[Int32: Waiter]>([:])
    #if os(Linux)
        private let epoll: Int32
    #else
        private let wakePipe: (read: Int32, write: Int32)
    #endif

    private init() {
        #if os(Linux)
            epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        #else
            var descriptors: [Int32] = [0, 0]
            _ = pipe(&descriptors)
            _ = fcntl(descriptors[0], F_SETFL, O_NONBLOCK)
            wakePipe = (descriptors[0], descriptors[1])
        #endif
        let thread = Thread { [self] in self.run() }
        thread.name = "sqlgen-reactor"
        thread.start()
    }

    /// Suspends until `socket` is ready for `interest` (or closed, or in error).
    package func wait(for interest: Interest, on socket: Int32) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            waiters.withLock { $0[socket] = Waiter(interest: interest, continuation: continuation) }
            arm(socket, for: interest)
        }
    }

    /// Resumes the task waiting on `socket`, if any, as if it were ready: for a deadline that passed.
    /// The waiter checks for itself what is ready (libpq's polling does).
    package func wake(_ socket: Int32) {
        resume(socket)
    }

    #if os(Linux)
        private func arm(_ socket: Int32, for interest: Interest) {
            var event = epoll_event()
            let wanted: UInt32
            switch interest {
            case .readable: wanted = EPOLLIN.rawValue
            case .writable: wanted = EPOLLOUT.rawValue
            case .either: wanted = EPOLLIN.rawValue | EPOLLOUT.rawValue
            }
            event.events = wanted | EPOLLONESHOT.rawValue | EPOLLRDHUP.rawValue
            event.data.fd = socket
            if epoll_ctl(epoll, EPOLL_CTL_MOD, socket, &event) != 0 {
                if epoll_ctl(epoll, EPOLL_CTL_ADD, socket, &event) != 0 { resume(socket) }
            }
        }

        private func run() {
            var events = [epoll_event](repeating: epoll_event(), count: 64)
            while true {
                let count = epoll_wait(epoll, &events, Int32(events.count), -1)
                guard count > 0 else { continue }
                for index in 0..<Int(count) { resume(events[index].data.fd) }
            }
        }
    #else
        private func arm(_ socket: Int32, for interest: Interest) {
            var byte: UInt8 = 1
            _ = write(wakePipe.write, &byte, 1)
        }

        private func run() {
            while true {
                let watched = waiters.withLock { waiters in waiters.map { ($0.key, $0.value.interest) } }
                var descriptors = [pollfd(fd: wakePipe.read, events: Int16(POLLIN), revents: 0)]
                for (socket, interest) in watched {
                    let events: Int32
                    switch interest {
                    case .readable: events = Int32(POLLIN)
                    case .writable: events = Int32(POLLOUT)
                    case .either: events = Int32(POLLIN) | Int32(POLLOUT)
                    }
                    descriptors.append(pollfd(fd: socket, events: Int16(events), revents: 0))
                }
                guard poll(&descriptors, nfds_t(descriptors.count), -1) > 0 else { continue }
                if descriptors[0].revents != 0 {
                    var buffer = [UInt8](repeating: 0, count: 256)
                    while read(wakePipe.read, &buffer, buffer.count) > 0 {}
                }
                for descriptor in descriptors.dropFirst() where descriptor.revents != 0 { resume(descriptor.fd) }
            }
        }
    #endif

    private func resume(_ socket: Int32) {
        let waiter = waiters.withLock { $0.removeValue(forKey: socket) }
        waiter?.continuation.resume()
    }
}
