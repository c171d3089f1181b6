-- Issue 21 item 2: quality of a reading, for sources that qualify their values (IEC 60870-5-104 QDS/SIQ/DIQ/BCR).
-- NULL means good, which is what every MQTT/CoAP reading and every existing row is: a nullable column without a
-- default is a catalog-only change (no table rewrite of the partitioned readings). Bits follow the QDS octet of
-- IEC 60870-5-101 clause 7.2.6.3: 0x80 invalid, 0x40 not topical, 0x20 substituted, 0x10 blocked, 0x01 overflow;
-- plus 0x08 time tag invalid and 0x02 counter carry/adjusted. Raw telemetry is local-only (not captured), so the
-- change feed and the cloud's tables are unchanged; the per-minute rollup, which is replicated, leaves out
-- readings flagged invalid or not topical, so the cloud never averages them as clean values.
ALTER TABLE telemetry ADD COLUMN quality smallint CHECK (quality > 0);
