package dev.mecgw.app.coap;

import org.eclipse.californium.core.coap.BlockOption;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.network.Exchange;
import org.eclipse.californium.core.network.ExtendedCoapStackFactory;
import org.eclipse.californium.core.network.Outbox;
import org.eclipse.californium.core.network.stack.BaseCoapStack;
import org.eclipse.californium.core.network.stack.BlockwiseLayer;
import org.eclipse.californium.core.network.stack.CoapStack;
import org.eclipse.californium.core.network.stack.CongestionControlLayer;
import org.eclipse.californium.core.network.stack.ExchangeCleanupLayer;
import org.eclipse.californium.core.network.stack.Layer;
import org.eclipse.californium.core.network.stack.ObserveLayer;
import org.eclipse.californium.elements.EndpointContextMatcher;
import org.eclipse.californium.elements.config.Configuration;

/**
 * Californium's block-wise layer with the {@link Block1Guard} in front of it: a refused block is answered here and
 * never reaches the layer that would reserve its reassembly buffer. {@link #stackFactory} builds Californium's UDP
 * stack (exchange clean-up, observe, block-wise, congestion control) with this layer in place of the plain one and
 * the {@link DeduplicationRefusalLayer} between block-wise and congestion control.
 */
final class GuardedBlockwiseLayer extends BlockwiseLayer {

    private final Block1Guard guard;

    GuardedBlockwiseLayer(String tag, Configuration config, EndpointContextMatcher matcher, Block1Guard guard) {
        super(tag, false, config, matcher);
        this.guard = guard;
    }

    @Override
    public void receiveRequest(Exchange exchange, Request request) {
        BlockOption block1 = request.getOptions().getBlock1();
        if (block1 == null) {
            super.receiveRequest(exchange, request);
            return;
        }
        Response refusal = guard.admit(request, block1);
        if (refusal != null) {
            exchange.sendResponse(refusal);
            return;
        }
        Runnable finish = block1.isM() ? null : guard.finisher(request);
        super.receiveRequest(exchange, request);
        if (finish != null) {
            finish.run();
        }
    }

    /**
     * Builds UDP stacks (plain and DTLS) whose block-wise layer is guarded and which refuse the requests the
     * endpoint's deduplicator had no room for.
     */
    static ExtendedCoapStackFactory stackFactory(Block1Guard guard, BudgetedDeduplicator deduplicator) {
        return new ExtendedCoapStackFactory() {
            @Override
            public CoapStack createCoapStack(
                    String protocol,
                    String tag,
                    Configuration config,
                    EndpointContextMatcher matcher,
                    Outbox outbox,
                    Object argument) {
                return new GuardedUdpStack(tag, config, matcher, outbox, guard, deduplicator);
            }

            @Override
            public CoapStack createCoapStack(
                    String protocol, String tag, Configuration config, Outbox outbox, Object argument) {
                return new GuardedUdpStack(tag, config, null, outbox, guard, deduplicator);
            }
        };
    }

    /** The layers of Californium's {@code CoapUdpStack}, with the guarded block-wise layer and the refusal. */
    private static final class GuardedUdpStack extends BaseCoapStack {
        GuardedUdpStack(
                String tag,
                Configuration config,
                EndpointContextMatcher matcher,
                Outbox outbox,
                Block1Guard guard,
                BudgetedDeduplicator deduplicator) {
            super(outbox);
            setLayers(new Layer[] {
                new ExchangeCleanupLayer(config),
                new ObserveLayer(config),
                new GuardedBlockwiseLayer(tag, config, matcher, guard),
                new DeduplicationRefusalLayer(deduplicator),
                CongestionControlLayer.newImplementation(tag, config)
            });
        }
    }
}
