-- Issue 19 item 5: every console page within 50 ms p95 with 10,000 devices and 200,000 events (bench/console).
-- "What is wrong now" counts the active warnings and alarms by severity and groups them by kind and device: with
-- this covering partial index both are index-only scans over the active entries and never visit the event rows,
-- which sit one in twenty among the history (10,000 active alarms: 47 / 126 ms p50/p95 before, at load 22).
CREATE INDEX events_active_groups_idx ON events (kind, device_id) INCLUDE (severity, ts, id, acked_at)
    WHERE cleared_at IS NULL AND severity IN ('warning', 'alarm');
-- The device list's online filter pages by id (keyset): one range of this index per page. Presence updates that
-- only move last_seen stay HOT.
CREATE INDEX devices_online_idx ON devices (online, id);
-- The sync screen's timeline: the newest link ups and downs and disk alarms (SyncTimelineQuery names the same kinds).
-- Without it the newest 30 are found by walking every event newest first (112 ms p50 with 200,000 events).
CREATE INDEX events_sync_idx ON events (id DESC)
    WHERE kind IN ('sync.backhaul.down', 'sync.backhaul.up', 'sync.disk-alarm');
