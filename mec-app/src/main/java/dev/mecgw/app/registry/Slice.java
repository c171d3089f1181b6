package dev.mecgw.app.registry;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * The network slice (S-NSSAI, TS 29.571 {@code Snssai}) the device attaches to.
 *
 * @param sst slice/service type, 0..255, required
 * @param sd slice differentiator, six hex digits, optional
 */
public record Slice(
        @NotNull @Min(0) @Max(255) Integer sst,

        @Pattern(regexp = "[A-Fa-f0-9]{6}", message = "must be 6 hexadecimal digits") String sd) {}
