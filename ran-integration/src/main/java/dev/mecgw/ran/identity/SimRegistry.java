package dev.mecgw.ran.identity;

import java.util.Optional;

/**
 * The device registry as identity checks see it; mec-app adapts its {@code DeviceRegistry}. Methods block
 * on the database: call them from worker threads only.
 */
public interface SimRegistry {

    /** The device with this id, if registered. */
    Optional<RegisteredDevice> find(String deviceId);

    /** The device whose registered GPSI is {@code gpsi} (e.g. {@code extid-cam-1@site.example}), if any. */
    Optional<RegisteredDevice> findByGpsi(String gpsi);

    /**
     * Creates a device for an unknown SIM with a fresh password.
     *
     * @param deviceId id to give the device
     * @param gpsi its GPSI
     * @param slice the slice it connected on
     * @param type the slice's default type
     * @return the device and its password in clear
     * @throws IllegalStateException when the id or SIM got registered meanwhile
     */
    OnboardedDevice onboard(String deviceId, String gpsi, Snssai slice, String type);
}
