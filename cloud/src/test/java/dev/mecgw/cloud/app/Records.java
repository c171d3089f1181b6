package dev.mecgw.cloud.app;

/** Gateway change records as the two wire formats of CONTRACT sync 1 write them. */
final class Records {

    private Records() {}

    /** A Debezium JSON change-event envelope (schemas disabled) with the mecgw source block. */
    static String envelope(String site, String table, String op, long generation, long lsn, String row) {
        String before = "d".equals(op) ? row : "null";
        String after = "d".equals(op) ? "null" : row;
        return "{\"before\":" + before + ",\"after\":" + after + ",\"op\":\"" + op + "\",\"ts_ms\":1796482800000,"
                + "\"source\":{\"version\":\"0.1.0\",\"connector\":\"mecgw\",\"name\":\"" + site + "\",\"site\":\""
                + site + "\",\"db\":\"mecgw\",\"schema\":\"public\",\"table\":\"" + table + "\",\"lsn\":" + lsn
                + ",\"generation\":" + generation + ",\"ts_ms\":1796482800000}}";
    }

    /** A delete envelope whose {@code before} holds the key columns only. */
    static String delete(String site, String table, long generation, long lsn, String key) {
        return envelope(site, table, "d", generation, lsn, key);
    }

    /** The gateway's earlier flat format ({@code ChangeEventCodec} before issue 17): no generation. */
    static String flat(String site, String table, String op, long lsn, String key, String after) {
        return "{\"site\":\"" + site + "\",\"table\":\"public." + table + "\",\"op\":\"" + op + "\",\"lsn\":" + lsn
                + ",\"commitTime\":\"2026-12-05T15:00:00Z\",\"key\":" + quote(key) + ",\"after\":" + after + "}";
    }

    private static String quote(String json) {
        return "\"" + json.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
