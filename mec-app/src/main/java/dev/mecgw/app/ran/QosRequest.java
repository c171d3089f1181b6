package dev.mecgw.app.ran;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * Body of {@code POST /api/v1/ran/qos}.
 *
 * @param deviceId the device
 * @param ueIpv4 its UE address
 * @param flowDescriptions IPFilterRules of its flows, 1..16
 * @param qosReference QoS profile pre-agreed with the operator
 * @param durationSeconds how long, 1..86400 s; capped by {@code mecgw.ran.qos.max-duration}
 */
public record QosRequest(
        @NotNull String deviceId,
        @NotNull String ueIpv4,
        @NotEmpty @Size(max = 16) List<@NotNull @Size(max = 512) String> flowDescriptions,
        @NotNull @Size(max = 128) String qosReference,
        @Min(1) @Max(86400) long durationSeconds) {}
