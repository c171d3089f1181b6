package dev.mecgw.app.coap;

import dev.mecgw.app.problem.ErrorKind;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.network.Exchange;
import org.eclipse.californium.core.network.stack.AbstractLayer;

/**
 * Refuses, with 5.03 and Max-Age, a new request that the {@link BudgetedDeduplicator} had no room to remember: were
 * it processed, a retransmission of it could no longer be recognised and would take effect twice. It sits right
 * above the reliability layer, below block-wise reassembly, so a refused block is not added to a transfer either;
 * the refusal has no effect, and the device's retry is judged afresh. Duplicates never get here: the reliability
 * layer answers them from the remembered exchange.
 */
final class DeduplicationRefusalLayer extends AbstractLayer {

    private final BudgetedDeduplicator deduplicator;

    DeduplicationRefusalLayer(BudgetedDeduplicator deduplicator) {
        this.deduplicator = deduplicator;
    }

    @Override
    public void receiveRequest(Exchange exchange, Request request) {
        if (request.isDuplicate() || deduplicator.remembers(exchange)) {
            super.receiveRequest(exchange, request);
            return;
        }
        Response refusal = CoapErrorResponse.of(
                ErrorKind.UNAVAILABLE, "too many exchanges in flight", CoapAuthenticator.deviceId(request) != null);
        // The retry hint is when room frees, not the generic one: the oldest blocking entry leaves its span then.
        refusal.getOptions().setMaxAge(deduplicator.retryAfterSeconds(exchange.getPeersIdentity()));
        exchange.sendResponse(refusal);
    }
}
