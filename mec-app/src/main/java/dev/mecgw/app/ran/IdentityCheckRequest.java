package dev.mecgw.app.ran;

import jakarta.validation.constraints.NotNull;

/**
 * Body of {@code POST /api/v1/ran/identity-checks}.
 *
 * @param ueAddress the connecting UE's IP address
 * @param deviceId the device id the client presented, optional
 */
public record IdentityCheckRequest(@NotNull String ueAddress, String deviceId) {}
