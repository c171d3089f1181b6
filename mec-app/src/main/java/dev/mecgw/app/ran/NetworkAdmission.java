package dev.mecgw.app.ran;

import java.net.InetAddress;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Asks the 5G network whether an authenticated device may connect from this UE address: its SIM must
 * match the registered SIM and its slice must allow the device type. Called by the protocol front-ends
 * after authentication. Non-blocking and thread-safe.
 */
public interface NetworkAdmission {

    /**
     * @param peer the connection's source address (the UE address on a 5G slice)
     * @param deviceId the authenticated device
     * @return empty when admitted (also when the address is on no managed slice or the integration is
     *     off), otherwise the machine-readable rejection reason such as {@code SIM_MISMATCH}; never fails
     */
    CompletionStage<Optional<String>> admit(InetAddress peer, String deviceId);
}
