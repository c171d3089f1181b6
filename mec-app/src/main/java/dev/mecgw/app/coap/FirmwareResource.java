package dev.mecgw.app.coap;

import dev.mecgw.app.artifacts.Artifact;
import dev.mecgw.app.artifacts.ArtifactStore;
import dev.mecgw.app.problem.ErrorKind;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.BlockOption;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.core.server.resources.Resource;

/**
 * {@code GET /fw/{name}}: an artifact served with Block2 (RFC 7959). The handler slices the file itself,
 * reading only the requested block, so a large image is never held in memory and any block can be asked
 * for directly. The ETag is the start of the SHA-256, so a client notices a replaced image mid-transfer;
 * Size2 gives the total length. Counts the payload bytes it serves (meter {@code mecgw.ota.download.bytes}, bound by
 * {@link CoapGateway#bindMeters}), so that a rollout's bytes per device can be set against the image size.
 */
class FirmwareResource extends CoapResource {

    private static final int ETAG_BYTES = 8;

    private final ArtifactStore store;
    private final CoapDevices devices;
    private final int blockSize;
    private final LongAdder served = new LongAdder();

    public FirmwareResource(ArtifactStore store, CoapDevices devices, int blockSize) {
        super("fw");
        this.store = store;
        this.devices = devices;
        this.blockSize = blockSize;
        getAttributes().setTitle("Firmware and other artifacts (GET /fw/{name}, Block2)");
    }

    /** Payload bytes of the blocks answered so far (retransmissions from the deduplication cache aside). */
    long bytesServed() {
        return served.sum();
    }

    @Override
    public Resource getChild(String name) {
        return this;
    }

    @Override
    public void handleGET(CoapExchange exchange) {
        List<String> path = exchange.getRequestOptions().getUriPath();
        if (path.size() != 2) {
            exchange.respond(CoapErrorResponse.of(ErrorKind.NOT_FOUND, "use /fw/{name}", true));
            return;
        }
        BlockOption requested = exchange.getRequestOptions().getBlock2();
        devices.supply(() -> block(path.get(1), requested))
                .whenComplete((response, failure) ->
                        exchange.respond(failure != null ? CoapErrorResponse.of(failure, true) : response));
    }

    private Response block(String name, BlockOption requested) {
        Artifact artifact =
                store.find(name).orElseThrow(() -> dev.mecgw.app.problem.GatewayException.notFound("Artifact " + name));
        int size = requested == null ? blockSize : Math.min(requested.getSize(), blockSize);
        int szx = BlockOption.size2Szx(size);
        int num = requested == null ? 0 : requested.getOffset() / size;
        long offset = (long) num * size;
        if (offset >= artifact.size()) {
            return new Response(ResponseCode.BAD_OPTION);
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(size, artifact.size() - offset));
        store.read(artifact, offset, buffer);
        Response response = new Response(ResponseCode.CONTENT);
        response.setPayload(buffer.array());
        response.getOptions().setContentFormat(MediaTypeRegistry.APPLICATION_OCTET_STREAM);
        response.getOptions().addETag(HexFormat.of().parseHex(artifact.sha256().substring(0, 2 * ETAG_BYTES)));
        response.getOptions().setBlock2(szx, offset + buffer.capacity() < artifact.size(), num);
        if (num == 0) {
            response.getOptions().setSize2((int) Math.min(Integer.MAX_VALUE, artifact.size()));
        }
        served.add(buffer.capacity());
        return response;
    }
}
