-- The operator's routing switch (PUT /v1/regions/{region}/routing), shared by every API replica of a service: while
-- force_failover is true, no API sends the region's accounts to the region's own cluster. Keyed by the Orleans
-- ServiceId too, so that two deployments sharing a database (test topologies) never steer each other. Each change
-- commits with its admin_audit row; a region never switched has no row.
CREATE TABLE IF NOT EXISTS region_routing (
    service_id      text        NOT NULL,
    region          text        NOT NULL,
    force_failover  boolean     NOT NULL,
    set_by          text        NOT NULL,
    set_at          timestamptz NOT NULL,
    PRIMARY KEY (service_id, region)
);
