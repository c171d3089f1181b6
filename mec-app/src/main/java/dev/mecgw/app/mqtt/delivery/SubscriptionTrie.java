package dev.mecgw.app.mqtt.delivery;

import dev.mecgw.app.mqtt.persistence.Subscription;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Subscriptions indexed by topic level, so matching a topic costs its depth times the wildcard
 * branching rather than the number of subscriptions. Shared subscriptions sit in the same nodes, by
 * group, and one member per group is chosen round-robin. Not thread-safe: owned by the broker's event loop.
 */
public class SubscriptionTrie {

    private final Node root = new Node();
    private int size;

    /** Adds or replaces the subscription of its client (and group) on its filter. */
    public void add(Subscription subscription) {
        Node node = root;
        for (String level : subscription.filter().split("/", -1)) {
            node = node.children.computeIfAbsent(level, k -> new Node());
        }
        if (subscription.shareGroup() == null) {
            if (node.subscribers.put(subscription.clientId(), subscription) == null) {
                size++;
            }
        } else {
            SharedGroup group = node.groups.computeIfAbsent(subscription.shareGroup(), k -> new SharedGroup());
            group.members.removeIf(s -> s.clientId().equals(subscription.clientId()));
            group.members.add(subscription);
            size++;
        }
    }

    /** Removes a client's subscription; true when it existed. */
    public boolean remove(String clientId, String filter, String shareGroup) {
        Node node = root;
        List<Node> path = new ArrayList<>();
        String[] levels = filter.split("/", -1);
        for (String level : levels) {
            path.add(node);
            node = node.children.get(level);
            if (node == null) {
                return false;
            }
        }
        boolean removed;
        if (shareGroup == null) {
            removed = node.subscribers.remove(clientId) != null;
        } else {
            SharedGroup group = node.groups.get(shareGroup);
            removed = group != null && group.members.removeIf(s -> s.clientId().equals(clientId));
            if (group != null && group.members.isEmpty()) {
                node.groups.remove(shareGroup);
            }
        }
        if (removed) {
            size--;
            prune(path, levels, node);
        }
        return removed;
    }

    private static void prune(List<Node> path, String[] levels, Node leaf) {
        Node child = leaf;
        for (int i = levels.length - 1; i >= 0 && child.isEmpty(); i--) {
            path.get(i).children.remove(levels[i]);
            child = path.get(i);
        }
    }

    /**
     * Calls the consumer for every non-shared subscription matching the topic, and for one member of
     * every matching shared group.
     */
    public void match(String topic, Consumer<Subscription> consumer) {
        String[] levels = topic.split("/", -1);
        match(root, levels, 0, topic.startsWith("$"), consumer);
    }

    private void match(Node node, String[] levels, int depth, boolean system, Consumer<Subscription> consumer) {
        // MQTT 5 section 4.7.2: wildcards at the first level never match topics starting with '$'.
        boolean wildcardsAllowed = !(system && depth == 0);
        if (wildcardsAllowed) {
            Node hash = node.children.get("#");
            if (hash != null) {
                emit(hash, consumer);
            }
        }
        if (depth == levels.length) {
            emit(node, consumer);
            return;
        }
        Node exact = node.children.get(levels[depth]);
        if (exact != null) {
            match(exact, levels, depth + 1, system, consumer);
        }
        if (wildcardsAllowed) {
            Node plus = node.children.get("+");
            if (plus != null) {
                match(plus, levels, depth + 1, system, consumer);
            }
        }
    }

    private static void emit(Node node, Consumer<Subscription> consumer) {
        node.subscribers.values().forEach(consumer);
        for (SharedGroup group : node.groups.values()) {
            consumer.accept(group.next());
        }
    }

    /** Number of subscriptions held. */
    public int size() {
        return size;
    }

    private static final class Node {
        final Map<String, Node> children = new HashMap<>(4);
        final Map<String, Subscription> subscribers = new HashMap<>(4);
        final Map<String, SharedGroup> groups = new HashMap<>(1);

        boolean isEmpty() {
            return children.isEmpty() && subscribers.isEmpty() && groups.isEmpty();
        }
    }

    private static final class SharedGroup {
        final List<Subscription> members = new ArrayList<>();
        int cursor;

        Subscription next() {
            cursor = (cursor + 1) % members.size();
            return members.get(cursor);
        }
    }
}
