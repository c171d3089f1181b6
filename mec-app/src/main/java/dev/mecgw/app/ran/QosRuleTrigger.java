package dev.mecgw.app.ran;

import dev.mecgw.app.events.EventLog;
import dev.mecgw.app.events.EventRecorded;
import dev.mecgw.app.registry.Device;
import dev.mecgw.app.registry.DeviceRegistry;
import dev.mecgw.ran.qos.QosOnDemand;
import dev.mecgw.ran.qos.QosRule;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * QoS on demand by rule (issue 7, {@code mecgw.ran.qos-rules.*}): an event recorded for a device whose kind
 * (and device type) a rule names keeps QoS for that device through {@link QosOnDemand#keep}, at the UE
 * address it was last admitted from, else at its {@value #UE_LABEL} label. {@link #onEvent} runs on the
 * worker that delivers {@link EventRecorded}, after the event row was written, so the recording thread never
 * waits; the network calls themselves are asynchronous too. Outcomes are counted in
 * {@code mecgw.ran.qos.rule.triggers}; a device without a known UE address is recorded once as
 * {@code ran.qos.no-ue-address}.
 */
public final class QosRuleTrigger {

    /** Device label giving the UE address of devices that never connect through admission (pulled cameras). */
    static final String UE_LABEL = "ue-ipv4";

    private static final Logger LOG = Logger.getLogger(QosRuleTrigger.class);
    private static final Pattern IPV4 =
            Pattern.compile("(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}");

    private final RanNetwork ran;
    private final DeviceRegistry registry;
    private final EventLog events;
    private final MeterRegistry meters;
    private final List<QosRule> rules;
    private final Set<String> unaddressed = ConcurrentHashMap.newKeySet();

    /**
     * @param rules the rules, the first matching one applies ({@link #rules(RanConfig)} orders them by name)
     * @param events where a device without a UE address is recorded
     */
    public QosRuleTrigger(
            RanNetwork ran, List<QosRule> rules, DeviceRegistry registry, EventLog events, MeterRegistry meters) {
        this.ran = ran;
        this.registry = registry;
        this.events = events;
        this.meters = meters;
        this.rules = List.copyOf(rules);
    }

    /** Turns the configuration into rules, in name order so that the first matching rule is predictable. */
    public static List<QosRule> rules(RanConfig config) {
        return new TreeMap<>(config.qosRules())
                .entrySet().stream()
                        .map(rule -> new QosRule(
                                rule.getKey(),
                                rule.getValue().eventKind(),
                                rule.getValue().deviceType(),
                                rule.getValue().qosReference(),
                                rule.getValue().duration(),
                                rule.getValue().flowDescriptions()))
                        .toList();
    }

    /** Logs the rules at start-up, when there are any. */
    public void announce() {
        if (!rules.isEmpty()) {
            LOG.infof("QoS rules: %s", rules.stream().map(QosRule::name).toList());
        }
    }

    /** Keeps QoS for the event's device when a rule names the event's kind; never throws. */
    public void onEvent(EventRecorded event) {
        if (event.deviceId() == null) {
            return;
        }
        List<QosRule> matching = rules.stream()
                .filter(rule -> rule.eventKind().equals(event.kind()))
                .toList();
        Optional<QosOnDemand> qos = ran.qos();
        if (matching.isEmpty() || qos.isEmpty()) {
            return;
        }
        try {
            trigger(qos.get(), event.deviceId(), matching);
        } catch (RuntimeException e) {
            // Never back into the recording path: count, log once here, and wait for the next event.
            count("all", "error");
            LOG.warnf("QoS rule for %s of %s failed: %s", event.kind(), event.deviceId(), e.getMessage());
        }
    }

    private void trigger(QosOnDemand qos, String deviceId, List<QosRule> matching) {
        Optional<String> admitted = ran.admittedUeIpv4(deviceId);
        boolean typed = matching.stream().anyMatch(rule -> rule.deviceType().isPresent());
        Optional<Device> device = typed || admitted.isEmpty() ? registry.find(deviceId) : Optional.empty();
        String type = device.map(Device::type).orElse(null);
        Optional<QosRule> rule =
                matching.stream().filter(candidate -> candidate.appliesTo(type)).findFirst();
        if (rule.isEmpty()) {
            return;
        }
        Optional<String> ue = admitted.or(() -> device.map(Device::labels)
                .map(labels -> labels.get(UE_LABEL))
                .filter(address -> IPV4.matcher(address).matches()));
        if (ue.isEmpty()) {
            unaddressed(rule.get(), deviceId);
            return;
        }
        unaddressed.remove(deviceId);
        qos.keep(rule.get().demandFor(deviceId, ue.get()));
        count(rule.get().name(), "demanded");
    }

    private void unaddressed(QosRule rule, String deviceId) {
        count(rule.name(), "no-ue-address");
        if (unaddressed.add(deviceId)) {
            LOG.warnf(
                    "QoS rule %s: no UE address known for device %s (not admitted, no %s label)",
                    rule.name(), deviceId, UE_LABEL);
            events.record(
                    deviceId,
                    "ran.qos.no-ue-address",
                    "warning",
                    Map.of("rule", rule.name(), "qosReference", rule.qosReference()));
        }
    }

    private void count(String rule, String outcome) {
        meters.counter("mecgw.ran.qos.rule.triggers", "rule", rule, "outcome", outcome)
                .increment();
    }
}
