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
}
