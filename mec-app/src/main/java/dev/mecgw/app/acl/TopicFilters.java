package dev.mecgw.app.acl;

import dev.mecgw.app.problem.GatewayException;

/** MQTT topic-filter algebra (MQTT 5 section 4.7) shared by the ACL and the brokers. Pure functions. */
public final class TopicFilters {

    private TopicFilters() {}

    /** True when the filter matches the topic name; wildcards never match topics starting with '$'. */
    public static boolean matches(String filter, String topic) {
        if (topic.startsWith("$") && (filter.startsWith("+") || filter.startsWith("#"))) {
            return false;
        }
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true;
            }
            if (i >= t.length || (!f[i].equals("+") && !f[i].equals(t[i]))) {
                return false;
            }
        }
        return f.length == t.length;
    }

    /** True when every topic matched by {@code inner} is also matched by {@code outer}. */
    public static boolean covers(String outer, String inner) {
        String[] o = outer.split("/", -1);
        String[] in = inner.split("/", -1);
        for (int i = 0; i < o.length; i++) {
            if (o[i].equals("#")) {
                return true;
            }
            if (i >= in.length || in[i].equals("#")) {
                return false;
            }
            if (!o[i].equals("+") && (in[i].equals("+") || !o[i].equals(in[i]))) {
                return false;
            }
        }
        return o.length == in.length;
    }

    /**
     * True when some topic name matches both filters (a DENY rule refuses every subscription that could receive a
     * topic it covers). Wildcards at the first level never reach topics starting with '$'.
     */
    public static boolean intersects(String a, String b) {
        String[] x = a.split("/", -1);
        String[] y = b.split("/", -1);
        if ((x[0].startsWith("$") && isWildcard(y[0])) || (y[0].startsWith("$") && isWildcard(x[0]))) {
            return false;
        }
        for (int i = 0; ; i++) {
            // '#' also matches its parent level, so it is checked before the ends.
            if ((i < x.length && x[i].equals("#")) || (i < y.length && y[i].equals("#"))) {
                return true;
            }
            if (i == x.length || i == y.length) {
                return x.length == y.length;
            }
            if (!x[i].equals("+") && !y[i].equals("+") && !x[i].equals(y[i])) {
                return false;
            }
        }
    }

    private static boolean isWildcard(String level) {
        return level.equals("+") || level.equals("#");
    }

    /**
     * Checks a topic filter's syntax.
     *
     * @throws GatewayException BAD_REQUEST naming the problem
     */
    public static String validateFilter(String filter) {
        if (filter == null || filter.isEmpty() || filter.length() > 65_535 || filter.indexOf('\0') >= 0) {
            throw GatewayException.badField("topicFilter", "must be 1..65535 characters without NUL");
        }
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.contains("#") && (!level.equals("#") || i != levels.length - 1)) {
                throw GatewayException.badField("topicFilter", "'#' must be the whole last level");
            }
            if (level.contains("+") && !level.equals("+")) {
                throw GatewayException.badField("topicFilter", "'+' must be a whole level");
            }
        }
        return filter;
    }

    /** True when the string is a valid topic name for PUBLISH (no wildcards, not empty). */
    public static boolean isValidTopicName(String topic) {
        return topic != null
                && !topic.isEmpty()
                && topic.indexOf('+') < 0
                && topic.indexOf('#') < 0
                && topic.indexOf('\0') < 0;
    }
}
