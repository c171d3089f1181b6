package dev.mecgw.ran.mec;

/**
 * Where a UE is, per ETSI GS MEC 013 {@code UserInfo}.
 *
 * @param address the UE address as MEC 013 writes it, e.g. {@code acr:10.45.0.2}
 * @param zoneId the zone
 * @param accessPointId the access point (cell) serving the UE
 */
public record UserLocation(String address, String zoneId, String accessPointId) {}
