package dev.mecgw.ran.identity;

/**
 * A device as the registry knows it, reduced to what identity checks need.
 *
 * @param id device id
 * @param type device type
 * @param gpsi registered GPSI ({@code extid-<local>@<domain>} or {@code msisdn-<digits>}), or null
 * @param slice registered slice, or null
 */
public record RegisteredDevice(String id, String type, String gpsi, Snssai slice) {}
