import Foundation

/// The lock that keeps two migration runs of one registry (two deploys) from running at once: a
/// session advisory lock, held on a connection of its own for the whole run and gone with it, so a
/// run that dies releases it.
struct MigrationRunLock {
    let connection: PostgresSession
    let key: String

    /// Takes the lock for `registryTable`, or throws ``SQLGenError/Kind/migrationInProgress`` naming the
    /// run that holds it (its backend, application, client and since when).
    static func acquire(_ configuration: PostgresConfiguration, registryTable: String) async throws -> MigrationRunLock
    {
        var configuration = configuration
        if configuration.parameters["application_name"] == nil {
            configuration.parameters["application_name"] = "sqlgen migrateAll"
        }
        let connection = try await PostgresSession.connect(configuration)
        let key = "sqlgen.migrate-all:" + registryTable
        do {
            let taken = try await connection.queryFirst(
                PlainStatement(
                    "SELECT pg_catalog.pg_try_advisory_lock(pg_catalog.hashtextextended($1, 0)) AS taken",
                    bindings: bindings(key)))
            guard taken?["taken"] == "t" else {
                let holder = try await connection.queryFirst(
                    PlainStatement(
                        "SELECT a.pid::pg_catalog.text AS pid, a.application_name, "
                            + "coalesce(a.client_addr::pg_catalog.text, 'local') AS client, "
                            + "a.backend_start::pg_catalog.text AS since FROM pg_catalog.pg_locks l "
                            + "JOIN pg_catalog.pg_stat_activity a ON a.pid OPERATOR(pg_catalog.=) l.pid "
                            + "WHERE l.locktype OPERATOR(pg_catalog.=) 'advisory' AND l.granted "
                            + "AND ((l.classid::pg_catalog.int8 OPERATOR(pg_catalog.<<) 32) "
                            + "OPERATOR(pg_catalog.|) l.objid::pg_catalog.int8) "
                            + "OPERATOR(pg_catalog.=) pg_catalog.hashtextextended($1, 0) LIMIT 1",
                        bindings: bindings(key)))
                let who =
                    holder.map { row in
                        "backend \(row["pid"] ?? "?") (application \"\(row["application_name"] ?? "")\", "
                            + "client \(row["client"] ?? "?"), connected since \(row["since"] ?? "?"))"
                    } ?? "a backend that has just let go"
                throw SQLGenError(
                    .migrationInProgress,
                    message:
                        "another migration run of \(registryTable) holds its lock: \(who); wait for it to finish (or end that backend with pg_terminate_backend), then run again; nothing was migrated"
                )
            }
        } catch {
            await connection.close()
            throw error
        }
        return MigrationRunLock(connection: connection, key: key)
    }

    /// Lets go of the lock: unlocked first, since a closed connection's backend lets go only when it has
    /// exited, after the next run may already have asked (closing lets go if the unlock cannot be sent).
    func release() async {
        do {
            _ = try await connection.query(
                PlainStatement(
                    "SELECT pg_catalog.pg_advisory_unlock(pg_catalog.hashtextextended($1, 0))", bindings: bindings(key))
            )
        } catch {
            // The connection is closed below, and its backend lets go as it exits.
        }
        await connection.close()
    }
}
