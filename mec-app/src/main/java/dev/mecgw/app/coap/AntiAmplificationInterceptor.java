package dev.mecgw.app.coap;

import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.network.interceptors.MessageInterceptorAdapter;

/**
 * Safety net on the plain (unauthenticated) endpoint: strips the diagnostic payload from every error
 * response before it is serialized, including the ones Californium itself produces for malformed
 * requests (e.g. 4.02 with a text explaining the bad option), so that a spoofed request never draws a
 * larger answer (RFC 7252 section 11.3). Success responses on this endpoint are sized by their resources.
 */
final class AntiAmplificationInterceptor extends MessageInterceptorAdapter {

    @Override
    public void sendResponse(Response response) {
        if (response.isError() && response.getPayloadSize() > 0) {
            response.setPayload((byte[]) null);
            response.getOptions().removeContentFormat();
        }
    }
}
