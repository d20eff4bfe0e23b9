ALTER TABLE tenants DROP COLUMN placement;
