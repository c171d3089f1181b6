package dev.mecgw.app.modelrollout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mecgw.inference.sensor.RobustZScoreFitter;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The cloud's messages of one model rollout on {@code <siteId>.models}, written field by field as CONTRACT-sync §4
 * (docs/sync.md "Model downlink") states them: mec-app may not use the cloud's encoder.
 */
final class ModelDownlinkMessages {

    static final String MODEL = "sensor-anomaly";

    private final ObjectMapper json;
    private final String rolloutId;
    private final int chunkBytes;

    ModelDownlinkMessages(ObjectMapper json, String rolloutId, int chunkBytes) {
        this.json = json;
        this.rolloutId = rolloutId;
        this.chunkBytes = chunkBytes;
    }

    /** A sensor model whose normal values sit around {@code center}, window 4. */
    static RobustZScoreFitter.Fitted fit(String version, double center) {
        double[] normal = new double[200];
        for (int i = 0; i < normal.length; i++) {
            normal[i] = center + Math.sin(i);
        }
        return new RobustZScoreFitter().fit(MODEL, version, List.of(normal), 4, 1.5);
    }

    /** @return how many chunks the model travels in */
    int chunks(byte[] model) {
        return (model.length + chunkBytes - 1) / chunkBytes;
    }

    /** The offer of {@code fitted}, with a gate that wants 5 runs. */
    byte[] offer(RobustZScoreFitter.Fitted fitted, Duration window) throws JsonProcessingException {
        byte[] model = fitted.onnx();
        ObjectNode offer = json.createObjectNode();
        offer.put("kind", "model-offer");
        offer.put("rolloutId", rolloutId);
        offer.put("name", MODEL);
        offer.put("version", fitted.metadata().version());
        offer.put("sha256", ChunkAssembly.sha256(model));
        offer.put("size", model.length);
        offer.put("chunkBytes", chunkBytes);
        offer.put("chunks", chunks(model));
        ArrayNode hashes = offer.putArray("chunkSha256");
        for (int i = 0; i < chunks(model); i++) {
            hashes.add(ChunkAssembly.sha256(slice(model, i)));
        }
        offer.set("metadata", json.valueToTree(fitted.metadata()));
        offer.put("healthWindow", window.toString());
        offer.putObject("gate").put("minRuns", 5);
        return json.writeValueAsBytes(offer);
    }

    /** Chunk {@code index} of {@code model}; {@code corrupt} flips a bit of its data but not of its SHA-256. */
    byte[] chunk(byte[] model, int index, boolean corrupt) throws JsonProcessingException {
        byte[] data = slice(model, index);
        String sha256 = ChunkAssembly.sha256(data);
        if (corrupt) {
            data[0] ^= 1;
        }
        ObjectNode chunk = json.createObjectNode();
        chunk.put("kind", "model-chunk");
        chunk.put("rolloutId", rolloutId);
        chunk.put("index", index);
        chunk.put("sha256", sha256);
        chunk.put("data", data);
        return json.writeValueAsBytes(chunk);
    }

    private byte[] slice(byte[] model, int index) {
        return Arrays.copyOfRange(model, index * chunkBytes, Math.min(model.length, (index + 1) * chunkBytes));
    }
}
