/// An executor that routes each tenant-scoped statement to the current tenant's schema: a
/// ``TenantPool`` and the ``TenantTransaction``s it hands out.
///
/// The queries type sqlgen generates for a query file that touches tenant tables takes one, so that
/// handing it a plain ``PostgresPool``, a connection or a plain transaction does not compile:
///
/// ```swift
/// let contacts = ContactsQueries(tenantPool)      // routes to RegisteredTenant.current's schema
/// // ContactsQueries(plainPool)                   // error: PostgresPool is not a TenantRoutingExecutor
/// ```
///
/// A type made to conform by hand gains nothing: every executor that does not route refuses a
/// tenant-scoped statement at run time, with ``SQLGenError/Kind/tenantStatementNotRouted``, before
/// anything is sent.
public protocol TenantRoutingExecutor: SQLExecutor {}

extension TenantPool: TenantRoutingExecutor {}

extension TenantTransaction: TenantRoutingExecutor {}
