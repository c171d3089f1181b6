-- Issue 19 item 5: the console's device list filtered by type pages by keyset (WHERE type = ? AND id > ? ORDER BY
-- id LIMIT 51). With (type) alone PostgreSQL either walks the primary key filtering every row or sorts all devices of
-- the type; (type, id) answers the page from one index range. It also serves every lookup by type, so it replaces
-- devices_type_idx.
CREATE INDEX devices_type_id_idx ON devices (type, id);
DROP INDEX IF EXISTS devices_type_idx;
