-- Which server holds each tenant's schema: a placement key of the application's configuration
-- (TenancyOptions.placements in the runtime), or NULL for the server that holds this registry and
-- the shared tables.
ALTER TABLE tenants ADD COLUMN placement varchar(63)
    CONSTRAINT tenants_placement_format CHECK (placement ~ '^[a-z][a-z0-9_-]{0,62}$');

COMMENT ON COLUMN tenants.placement IS 'The server holding the tenant''s schema (a configured placement key), or NULL for this one.';
