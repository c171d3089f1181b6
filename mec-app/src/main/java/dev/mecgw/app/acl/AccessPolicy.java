package dev.mecgw.app.acl;

/**
 * Decides which topics a principal may publish to and subscribe to. Shared by the MQTT and CoAP
 * front-ends. Implementations answer from memory: both methods are cheap, non-blocking and
 * thread-safe, so they may be called on an event loop for every message.
 */
public interface AccessPolicy {

    /**
     * @param principal the authenticated client
     * @param topic a concrete topic name (no wildcards)
     * @return true when the principal may publish to the topic
     */
    boolean mayPublish(Principal principal, String topic);

    /**
     * @param principal the authenticated client
     * @param filter a topic filter, possibly with {@code +} and {@code #} wildcards (without any
     *     {@code $share/group/} prefix)
     * @return true when every topic the filter can match is one the principal may receive
     */
    boolean maySubscribe(Principal principal, String filter);

    /**
     * The scope part of {@link #mayPublish} alone, for front-ends whose own-device resources need no rule
     * (CoAP maps a resource to the topic {@code devices/{id}/<path>}).
     *
     * @param principal the authenticated client
     * @param topic a concrete topic name
     * @return false when the principal is confined (e.g. by its 5G slice) to topics that exclude this one
     */
    default boolean withinScope(Principal principal, String topic) {
        return true;
    }

    /**
     * @param principal the authenticated client
     * @return true when {@link #withinScope} may refuse some topic for this principal, i.e. it is confined
     *     beyond the rules; lets a front-end skip the scope check for unconfined principals
     */
    default boolean confined(Principal principal) {
        return false;
    }
}
