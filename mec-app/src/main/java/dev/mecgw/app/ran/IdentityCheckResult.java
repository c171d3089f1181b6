package dev.mecgw.app.ran;

/**
 * Result of a SIM identity check; the zero-touch secret is fetched separately, once.
 *
 * @param outcome NOT_APPLICABLE, ACCEPTED, ONBOARDED or REJECTED
 * @param deviceId the device, or null
 * @param reason why it was rejected, or null
 * @param slice the S-NSSAI whose policy applied, or null
 */
public record IdentityCheckResult(String outcome, String deviceId, String reason, String slice) {}
