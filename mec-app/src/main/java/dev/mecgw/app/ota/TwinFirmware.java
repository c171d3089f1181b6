package dev.mecgw.app.ota;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.twin.DesiredTwin;
import dev.mecgw.app.twin.DesiredTwinPush;
import dev.mecgw.app.twin.TwinStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The device side of a rollout, through the twin (docs/ota.md): writes the {@code firmware} object into the
 * desired twin (stored, retained on {@code devices/{id}/twin/desired}, pushed to CoAP observers) and reads the
 * {@code firmware} object of the reported twin. The rest of the desired document is left as it was. Blocking.
 * Writes are batched per rollout step and announced to devices only after their commit.
 */
public class TwinFirmware {

    private static final Logger LOG = Logger.getLogger(TwinFirmware.class);
    static final String FIRMWARE = "firmware";

    private final TwinStore twins;
    private final DesiredTwinPush desiredPush;
    private final ObjectMapper json;

    public TwinFirmware(TwinStore twins, DesiredTwinPush desiredPush, ObjectMapper json) {
        this.twins = twins;
        this.desiredPush = desiredPush;
        this.json = json;
    }

    /**
     * Replaces the desired firmware object of many devices in one transaction (issue 18: a rollout step over a
     * fleet is one commit, not one per device); joins the caller's open transaction. Nothing reaches the devices
     * here: {@link #announce} the result once it is committed. Devices that are not registered are left out.
     *
     * @param firmware the new object per device id; a JSON null removes it
     * @return the twins written and the firmware object each one replaced
     */
    public Written writeAll(Map<String, JsonNode> firmware) {
        Map<String, DesiredTwin> current = twins.desiredAll(firmware.keySet());
        Map<String, ObjectNode> desired = new LinkedHashMap<>();
        Map<String, String> previous = new LinkedHashMap<>();
        firmware.forEach((deviceId, object) -> {
            DesiredTwin twin = current.get(deviceId);
            if (twin == null) {
                return;
            }
            ObjectNode document = parse(twin.desired());
            JsonNode replaced = document.get(FIRMWARE);
            previous.put(deviceId, replaced == null || replaced.isNull() ? null : replaced.toString());
            if (object == null || object.isNull()) {
                document.remove(FIRMWARE);
            } else {
                document.set(FIRMWARE, object);
            }
            desired.put(deviceId, document);
        });
        List<DesiredTwin> written = new ArrayList<>();
        twins.setDesiredAll(desired)
                .forEach((deviceId, version) ->
                        written.add(new DesiredTwin(deviceId, version, bytes(desired.get(deviceId)))));
        return new Written(written, previous);
    }

    /**
     * Pushes committed desired twins to the devices: CoAP observers, and the retained {@code devices/{id}/twin/desired}
     * message, so that a device that is offline now gets it when it comes back (dynamic pick-up of offline devices).
     * Never throws.
     */
    public void announce(List<DesiredTwin> written) {
        for (DesiredTwin twin : written) {
            desiredPush.push(twin).whenComplete((ok, failure) -> {
                if (failure != null) {
                    LOG.warnf(
                            "Desired firmware for device %s not retained by the broker: %s",
                            twin.deviceId(), failure.getMessage());
                }
            });
        }
    }

    /** The stored firmware object of a rollback (JSON, null for none) as the node {@link #writeAll} takes. */
    JsonNode previousObject(String previousFirmware) {
        if (previousFirmware == null) {
            return NullNode.getInstance();
        }
        try {
            return json.readTree(previousFirmware);
        } catch (JsonProcessingException e) {
            throw new GatewayException(ErrorKind.INTERNAL, "Stored firmware object unreadable", e);
        }
    }

    /**
     * What {@link #writeAll} wrote.
     *
     * @param twins the new desired twins, to {@link #announce} after the commit
     * @param previous per device written: the firmware object it replaced (JSON), null when there was none
     */
    public record Written(List<DesiredTwin> twins, Map<String, String> previous) {}

    /**
     * The reported firmware objects of the devices, each with the twin's reported version of the last report that
     * carried it (a report of another key does not raise it), read in one query; devices that reported none are left
     * out.
     */
    public Map<String, FirmwareReport> reportedAll(Collection<String> deviceIds) {
        Map<String, FirmwareReport> reports = new LinkedHashMap<>();
        twins.reportedAll(deviceIds).forEach((deviceId, reported) -> {
            JsonNode firmware = reported.reported().path(FIRMWARE);
            if (firmware.isObject()) {
                reports.put(
                        deviceId,
                        new FirmwareReport(
                                text(firmware, "version"),
                                text(firmware, "state"),
                                firmware.path("result").asInt(0),
                                text(firmware, "rollout"),
                                text(firmware, "error"),
                                reported.versionOf(FIRMWARE)));
            }
        });
        return reports;
    }

    private ObjectNode parse(byte[] desired) {
        try {
            JsonNode node = json.readTree(desired);
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
