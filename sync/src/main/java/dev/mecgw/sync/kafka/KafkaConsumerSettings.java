package dev.mecgw.sync.kafka;

import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * The properties of a consumer whose loop keeps an exactly-once effect: the settings that effect depends on (offsets
 * committed by the loop after the store, never automatically; the transactions it reads) are fixed, the operator's
 * pass-through properties (TLS, SASL, timeouts) set everything else and may override the tuning defaults. A
 * pass-through key that would change a fixed setting is refused, naming the key, rather than silently winning or
 * silently ignored.
 */
public final class KafkaConsumerSettings {

    private KafkaConsumerSettings() {}

    /**
     * @param fixed settings the loop's contract needs; a pass-through entry may repeat one with the same value
     * @param defaults tuning the pass-through may override
     * @param passThrough the operator's further properties
     * @return the consumer's properties
     * @throws IllegalArgumentException naming the first pass-through key that would change a fixed setting
     */
    public static Properties of(Map<String, ?> fixed, Map<String, ?> defaults, Map<String, String> passThrough) {
        fixed.forEach((key, value) -> {
            String given = passThrough.get(key);
            if (given != null && !Objects.equals(given.strip(), String.valueOf(value))) {
                throw new IllegalArgumentException("consumer property " + key + " cannot be set through the"
                        + " pass-through properties: this consumer fixes it to " + value
                        + " (its exactly-once effect depends on it, or a setting of its own gives it)");
            }
        });
        Properties props = new Properties();
        props.putAll(defaults);
        props.putAll(passThrough);
        props.putAll(fixed);
        return props;
    }
}
