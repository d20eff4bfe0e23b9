-- Statements that are not SELECT, INSERT, UPDATE or DELETE, run with :exec and friends.

-- name: ClearEvents :exec
TRUNCATE events RESTART IDENTITY;

-- name: AnalyzeCustomers :exec
ANALYZE customers;

-- name: NotifyOrders :exec
NOTIFY orders_changed, 'refresh';

-- Takes effect inside a transaction, as LOCK does.
-- name: LockOrders :exec
LOCK TABLE orders IN SHARE ROW EXCLUSIVE MODE;

-- name: TouchNothing :exec
DO $$ BEGIN PERFORM 1; END $$;
