package dev.mecgw.ran.identity;

import java.net.InetAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Resolves a UE address to the SIM's external identifier; {@code NefUeIdClient::externalIdOf} implements it
 * with TS 29.522 UEId.
 */
@FunctionalInterface
public interface UeIdentityResolver {

    /**
     * @return the external identifier ({@code <local>@<domain>}), empty when the network knows no UE with
     *     that address; fails when the network cannot be asked
     */
    CompletableFuture<Optional<String>> externalIdOf(InetAddress ueAddress);
}
