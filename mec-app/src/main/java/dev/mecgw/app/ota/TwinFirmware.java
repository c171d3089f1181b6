package dev.mecgw.app.ota;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mecgw.app.acl.DeviceTopic;
import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.twin.DesiredTwin;
import dev.mecgw.app.twin.DeviceMessenger;
import dev.mecgw.app.twin.DeviceUpdatePublisher;
import dev.mecgw.app.twin.TwinStore;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The device side of a rollout, through the twin (docs/ota.md): writes the {@code firmware} object into the
 * desired twin (stored, retained on {@code devices/{id}/twin/desired}, pushed to CoAP observers) and reads the
 * {@code firmware} object of the reported twin. The rest of the desired document is left as it was. Blocking.
 */
public class TwinFirmware {

    private static final Logger LOG = Logger.getLogger(TwinFirmware.class);
    static final String FIRMWARE = "firmware";

    private final TwinStore twins;
    private final DeviceMessenger messenger;
    private final DeviceUpdatePublisher coapUpdates;
    private final ObjectMapper json;

    public TwinFirmware(
            TwinStore twins, DeviceMessenger messenger, DeviceUpdatePublisher coapUpdates, ObjectMapper json) {
        this.twins = twins;
        this.messenger = messenger;
        this.coapUpdates = coapUpdates;
        this.json = json;
    }

    /**
     * Replaces the desired firmware object.
     *
     * @param firmware the new object, or null to remove it
     * @return the firmware object it replaced (JSON), null when there was none
     */
    public String write(String deviceId, JsonNode firmware) {
        ObjectNode desired = currentDesired(deviceId);
        JsonNode previous = desired.get(FIRMWARE);
        if (firmware == null || firmware.isNull()) {
            desired.remove(FIRMWARE);
        } else {
            desired.set(FIRMWARE, firmware);
        }
        long version = twins.setDesired(deviceId, desired);
        byte[] bytes = bytes(desired);
        coapUpdates.publishDesired(new DesiredTwin(deviceId, version, bytes));
        // Retained, so a device that is offline now gets it when it comes back (dynamic pick-up of offline devices).
        messenger.send(DeviceTopic.of(deviceId, "twin/desired"), bytes, 1, true).whenComplete((ok, failure) -> {
            if (failure != null) {
                LOG.warnf(
                        "Desired firmware for device %s not retained by the broker: %s",
                        deviceId, failure.getMessage());
            }
        });
        return previous == null || previous.isNull() ? null : previous.toString();
    }

    /** Restores the firmware object the device had before a rollout. */
    public void restore(String deviceId, String previousFirmware) {
        try {
            write(deviceId, previousFirmware == null ? null : json.readTree(previousFirmware));
        } catch (JsonProcessingException e) {
            throw new GatewayException(ErrorKind.INTERNAL, "Stored firmware object unreadable", e);
        }
    }

    /** The device's reported firmware object, empty when it reported none or is unknown. */
    public Optional<FirmwareReport> reported(String deviceId) {
        JsonNode twin;
        try {
            twin = twins.get(deviceId);
        } catch (GatewayException e) {
            return Optional.empty();
        }
        JsonNode firmware = twin.path("reported").path(FIRMWARE);
        if (!firmware.isObject()) {
            return Optional.empty();
        }
        return Optional.of(new FirmwareReport(
                text(firmware, "version"),
                text(firmware, "state"),
                firmware.path("result").asInt(0),
                text(firmware, "rollout"),
                text(firmware, "error")));
    }

    private ObjectNode currentDesired(String deviceId) {
        Optional<DesiredTwin> current = twins.desired(deviceId);
        if (current.isEmpty()) {
            throw GatewayException.notFound("Device " + deviceId);
        }
        try {
            JsonNode node = json.readTree(current.get().desired());
            return node instanceof ObjectNode object ? object : json.createObjectNode();
        } catch (java.io.IOException e) {
            return json.createObjectNode();
        }
    }

    private byte[] bytes(JsonNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new GatewayException(ErrorKind.INTERNAL, "Desired twin not serializable", e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
