package dev.mecgw.app.registry;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.validation.groups.Default;
import java.util.Map;

/**
 * Body of {@code POST /api/v1/devices} and {@code PUT /api/v1/devices/{id}}.
 *
 * <p>Ids and types must be safe as MQTT topic levels and CoAP path segments, hence no '/', '+', '#'.
 * Unknown JSON fields are rejected.
 *
 * @param id required on create; on update absent or equal to the path id
 * @param type device type such as {@code sensor} or {@code camera}; drives ACL rules
 * @param labels up to 32 free-form labels for filtering
 * @param sim SIM identity, optional
 * @param slice network slice, optional
 * @param credentials secrets, optional
 * @param connection connection settings of a southbound device type ({@code modbus}, {@code iec104},
 *     {@code sparkplug}; issue 21), checked by the type's protocol; refused for other types. On update an absent
 *     object keeps the stored settings.
 */
public record DeviceRequest(
        @NotNull(groups = OnCreate.class) @Pattern(
                regexp = "[A-Za-z0-9][A-Za-z0-9._:-]{0,63}",
                message = "must be 1..64 letters, digits, '.', '_', ':' or '-', starting with a letter or digit")
        String id,

        @NotNull @Pattern(regexp = "[a-z0-9][a-z0-9_-]{0,31}", message = "must be 1..32 lower-case letters, digits, '_' or '-'") String type,

        @Size(max = 32, message = "at most 32 labels") Map<
                        @Pattern(
                                regexp = "[A-Za-z0-9][A-Za-z0-9._/-]{0,62}",
                                message = "label keys are 1..63 letters, digits, '.', '_', '/' or '-'")
                        String,
                        @NotNull @Size(max = 256, message = "label values are at most 256 characters") String>
                labels,

        @Valid Sim sim,
        @Valid Slice slice,
        @Valid CredentialsRequest credentials,
        JsonNode connection) {

    /** A request without connection settings. */
    public DeviceRequest(
            String id, String type, Map<String, String> labels, Sim sim, Slice slice, CredentialsRequest credentials) {
        this(id, type, labels, sim, slice, credentials, null);
    }

    /** Validation group for creation, where the id is required. */
    public interface OnCreate extends Default {}

    /** Labels, never null. */
    public Map<String, String> labelsOrEmpty() {
        return labels == null ? Map.of() : labels;
    }
}
