package dev.mecgw.app.registry;

import jakarta.validation.constraints.Pattern;

/**
 * The device's SIM identity as the 5G core knows it (TS 29.571 {@code Supi} and {@code Gpsi} formats).
 *
 * @param supi {@code imsi-<5..15 digits>} or {@code nai-<NAI>}; unique across devices; may be null
 * @param gpsi {@code msisdn-<5..15 digits>} or {@code extid-<local>@<domain>}; may be null
 */
public record Sim(
        @Pattern(
                regexp = "imsi-[0-9]{5,15}|nai-.+|gci-.+|gli-.+",
                message = "must be a SUPI as in TS 29.571 (imsi-<5..15 digits> or nai-...)")
        String supi,

        @Pattern(
                regexp = "msisdn-[0-9]{5,15}|extid-[^@]+@[^@]+",
                message = "must be a GPSI as in TS 29.571 (msisdn-<5..15 digits> or extid-<id>@<domain>)")
        String gpsi) {}
