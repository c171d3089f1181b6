package dev.mecgw.app.coap;

import java.io.IOException;
import java.net.InetSocketAddress;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.network.Endpoint;
import org.eclipse.californium.elements.config.Configuration;

/** Client endpoints for attack tests (issue 15): they send and see single blocks, as an attacker would. */
public final class RawCoapEndpoints {

    private RawCoapEndpoints() {}

    /**
     * A started plain CoAP endpoint with transparent block-wise handling off.
     *
     * @param address the local address to send from, e.g. {@code 127.0.0.2} to stand for another host
     */
    public static Endpoint bound(String address) throws IOException {
        Configuration config = Configuration.createStandardWithoutFile();
        config.set(org.eclipse.californium.core.config.CoapConfig.MAX_RESOURCE_BODY_SIZE, 0);
        Endpoint endpoint = CoapEndpoint.builder()
                .setConfiguration(config)
                .setInetSocketAddress(new InetSocketAddress(address, 0))
                .build();
        endpoint.start();
        return endpoint;
    }
}
