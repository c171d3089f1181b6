package dev.mecgw.app.coap;

import dev.mecgw.app.credentials.SecretCipher;
import dev.mecgw.app.registry.DeviceRegistry;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import javax.crypto.SecretKey;
import org.eclipse.californium.scandium.dtls.ConnectionId;
import org.eclipse.californium.scandium.dtls.HandshakeResultHandler;
import org.eclipse.californium.scandium.dtls.PskPublicInformation;
import org.eclipse.californium.scandium.dtls.PskSecretResult;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedPskStore;
import org.eclipse.californium.scandium.util.SecretUtil;
import org.eclipse.californium.scandium.util.ServerNames;
import org.jboss.logging.Logger;

/**
 * DTLS PSK authentication against the device registry: the PSK identity is the device id and the key is
 * the device's PSK, decrypted with the data-dir key. The lookup is blocking (JDBC), so it runs on a worker
 * executor and answers Scandium asynchronously; a full executor fails the handshake instead of stalling
 * Scandium's threads. Unknown devices, devices without a PSK and undecryptable keys all look the same to
 * the peer (handshake failure), so the handshake reveals no registry content.
 */
class RegistryPskStore implements AdvancedPskStore {

    private static final Logger LOG = Logger.getLogger(RegistryPskStore.class);
    private static final int MAX_IDENTITY_LENGTH = 64;

    private final DeviceRegistry registry;
    private final SecretCipher cipher;
    private final Executor lookups;
    private volatile HandshakeResultHandler resultHandler;

    public RegistryPskStore(DeviceRegistry registry, SecretCipher cipher, Executor lookups) {
        this.registry = registry;
        this.cipher = cipher;
        this.lookups = lookups;
    }

    @Override
    public boolean hasEcdhePskSupported() {
        return true;
    }

    @Override
    public PskSecretResult requestPskSecretResult(
            ConnectionId cid,
            ServerNames serverName,
            PskPublicInformation identity,
            String hmacAlgorithm,
            SecretKey otherSecret,
            byte[] seed,
            boolean useExtendedMasterSecret) {
        String deviceId = identity.getPublicInfoAsString();
        if (deviceId.isEmpty() || deviceId.length() > MAX_IDENTITY_LENGTH) {
            return new PskSecretResult(cid, identity, null);
        }
        try {
            lookups.execute(() -> resultHandler.apply(new PskSecretResult(cid, identity, lookup(deviceId))));
        } catch (RejectedExecutionException e) {
            LOG.debugf("PSK lookup queue full; handshake of %s refused", deviceId);
            return new PskSecretResult(cid, identity, null);
        }
        // null: the result follows through the handler (AdvancedPskStore contract).
        return null;
    }

    private SecretKey lookup(String deviceId) {
        try {
            byte[] ciphertext =
                    registry.credentials(deviceId).map(c -> c.pskCiphertext()).orElse(null);
            if (ciphertext == null) {
                return null;
            }
            byte[] psk = cipher.decrypt(ciphertext, deviceId);
            try {
                return SecretUtil.create(psk, "PSK");
            } finally {
                Arrays.fill(psk, (byte) 0);
            }
        } catch (RuntimeException e) {
            LOG.warnf("PSK lookup for %s failed: %s", deviceId, e.getMessage());
            return null;
        }
    }

    @Override
    public PskPublicInformation getIdentity(InetSocketAddress peerAddress, ServerNames virtualHost) {
        // Server only: never acts as a PSK client.
        return null;
    }

    @Override
    public void setResultHandler(HandshakeResultHandler resultHandler) {
        this.resultHandler = resultHandler;
    }
}
