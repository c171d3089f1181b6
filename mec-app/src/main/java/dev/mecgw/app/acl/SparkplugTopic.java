package dev.mecgw.app.acl;

import java.util.Optional;

/**
 * A Sparkplug B topic {@code spBv1.0/{group}/{type}/{node}[/{device}]} (Sparkplug 3.0 section 4.1): the one place
 * such a topic is built or taken apart, by the access policy (a node owns its topics) and the Sparkplug host.
 * Immutable and thread-safe.
 *
 * @param group the Sparkplug group id
 * @param type the message type
 * @param node the edge node id; at this gateway the id of the edge node's registered device
 * @param device the Sparkplug device id for device messages, null for node messages
 */
public record SparkplugTopic(String group, Type type, String node, String device) {

    /** The first level of every Sparkplug B topic. */
    public static final String NAMESPACE = "spBv1.0";

    /** The registry type of an edge node's device, and of the Sparkplug devices registered under it. */
    public static final String NODE_DEVICE_TYPE = "sparkplug";

    private static final String PREFIX = NAMESPACE + "/";

    /** Sparkplug B message types; births, data and deaths come from edge nodes, commands from host applications. */
    public enum Type {
        NBIRTH(false, true),
        NDEATH(false, true),
        NDATA(false, true),
        NCMD(false, false),
        DBIRTH(true, true),
        DDEATH(true, true),
        DDATA(true, true),
        DCMD(true, false);

        private final boolean deviceLevel;
        private final boolean fromNode;

        Type(boolean deviceLevel, boolean fromNode) {
            this.deviceLevel = deviceLevel;
            this.fromNode = fromNode;
        }

        /** True for the {@code D*} types, whose topic names a device. */
        public boolean deviceLevel() {
            return deviceLevel;
        }

        /** True for the types an edge node publishes (births, data, deaths). */
        public boolean fromNode() {
            return fromNode;
        }
    }

    /**
     * Parses a concrete topic name.
     *
     * @return empty unless the topic is exactly a Sparkplug B node or device topic with non-empty levels
     */
    public static Optional<SparkplugTopic> parse(String topic) {
        if (!topic.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String[] levels = topic.substring(PREFIX.length()).split("/", -1);
        if (levels.length < 3 || levels.length > 4) {
            return Optional.empty();
        }
        Type type;
        try {
            type = Type.valueOf(levels[1]);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (type.deviceLevel() != (levels.length == 4)) {
            return Optional.empty();
        }
        for (String level : levels) {
            if (level.isEmpty()) {
                return Optional.empty();
            }
        }
        return Optional.of(new SparkplugTopic(levels[0], type, levels[2], levels.length == 4 ? levels[3] : null));
    }

    /** Whether a topic or filter lies in the Sparkplug B namespace. */
    public static boolean isInNamespace(String topicOrFilter) {
        return topicOrFilter.equals(NAMESPACE) || topicOrFilter.startsWith(PREFIX);
    }

    /**
     * The ACL of an edge node (docs/southbound.md, Sparkplug): it may publish births, data and deaths only under
     * its own node id, which is its device id; the group is checked against the node's registration by the host.
     */
    public static boolean nodeMayPublish(String nodeDeviceId, String topic) {
        return parse(topic)
                .filter(t -> t.type().fromNode() && t.node().equals(nodeDeviceId))
                .isPresent();
    }

    /**
     * The subscriptions of an edge node: its own commands {@code spBv1.0/{group|+}/NCMD/{node}[/#]} and
     * {@code spBv1.0/{group|+}/DCMD/{node}/{device|+|#}}, and the host applications' state
     * {@code spBv1.0/STATE/{host|+}} (Sparkplug 3.0 section 4.2.1.2).
     */
    public static boolean nodeMaySubscribe(String nodeDeviceId, String filter) {
        if (!filter.startsWith(PREFIX)) {
            return false;
        }
        String[] levels = filter.substring(PREFIX.length()).split("/", -1);
        if (levels.length == 2 && levels[0].equals("STATE")) {
            return !levels[1].isEmpty() && !levels[1].equals("#");
        }
        if (levels.length < 3 || levels[0].isEmpty() || levels[0].equals("#") || !levels[2].equals(nodeDeviceId)) {
            return false;
        }
        if (levels[1].equals("NCMD")) {
            // Tahu's clients subscribe to NCMD/{node}/#, which matches the node's own command topic only.
            return levels.length == 3 || (levels.length == 4 && levels[3].equals("#"));
        }
        return levels[1].equals("DCMD") && levels.length == 4 && !levels[3].isEmpty();
    }

    /** The topic of a node message ({@code N*} types). */
    public static String ofNode(String group, Type type, String node) {
        return PREFIX + group + "/" + type + "/" + node;
    }

    /** The topic of a device message ({@code D*} types). */
    public static String ofDevice(String group, Type type, String node, String device) {
        return ofNode(group, type, node) + "/" + device;
    }
}
