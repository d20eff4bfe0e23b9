DROP TABLE IF EXISTS tenant_template.communications;
DROP TYPE IF EXISTS tenant_template.communication_direction;
DROP TYPE IF EXISTS tenant_template.communication_channel;
