package dev.mecgw.cloud.modelrollout;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.jboss.logging.Logger;

/**
 * Publishes a model to one site on {@code <siteId>.models} (CONTRACT-sync §4): an offer (metadata, SHA-256 of the
 * whole and of every chunk, the gate), then the chunks, each one Kafka message well under the broker's 1 MB default
 * limit; and cancels and reverts. The key is the rollout id, so one rollout's messages stay in order. Thread-safe.
 */
final class ModelDownlink {

    private static final Logger LOG = Logger.getLogger(ModelDownlink.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Producer<String, byte[]> producer;
    private final Duration sendTimeout;

    ModelDownlink(Producer<String, byte[]> producer, Duration sendTimeout) {
        this.producer = producer;
        this.sendTimeout = sendTimeout;
    }

    static String topic(String siteId) {
        return siteId + ".models";
    }

    /**
     * Publishes the offer and the given chunks and waits for Kafka.
     *
     * @return whether Kafka confirmed every message
     */
    boolean sendModel(String siteId, String rolloutId, ModelRolloutSpec spec, byte[] model, List<Integer> chunks) {
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        sends.add(publish(siteId, rolloutId, offer(rolloutId, spec, model)));
        for (int index : chunks) {
            sends.add(publish(siteId, rolloutId, chunk(rolloutId, spec, model, index)));
        }
        return confirmed(siteId, rolloutId, sends);
    }

    /** Publishes a control message, {@code model-cancel} or {@code model-revert}; @return whether Kafka confirmed */
    boolean sendControl(String siteId, String rolloutId, String kind) {
        ObjectNode message = JSON.createObjectNode();
        message.put("kind", kind);
        message.put("rolloutId", rolloutId);
        return confirmed(siteId, rolloutId, List.of(publish(siteId, rolloutId, message)));
    }

    static ObjectNode offer(String rolloutId, ModelRolloutSpec spec, byte[] model) {
        ObjectNode offer = JSON.createObjectNode();
        offer.put("kind", "model-offer");
        offer.put("rolloutId", rolloutId);
        offer.put("name", spec.name());
        offer.put("version", spec.version());
        offer.put("sha256", spec.sha256());
        offer.put("size", spec.size());
        offer.put("chunkBytes", spec.chunkBytes());
        offer.put("chunks", spec.chunks());
        ArrayNode hashes = offer.putArray("chunkSha256");
        for (int i = 0; i < spec.chunks(); i++) {
            hashes.add(sha256(slice(model, spec, i)));
        }
        offer.set("metadata", spec.metadata());
        offer.put("healthWindow", spec.healthWindow().toString());
        ObjectNode gate = offer.putObject("gate");
        gate.put("maxErrorRateIncrease", spec.gate().maxErrorRateIncrease());
        gate.put("maxLatencyP99Ratio", spec.gate().maxLatencyP99Ratio());
        gate.put("maxDetectionRateDelta", spec.gate().maxDetectionRateDelta());
        gate.put("minRuns", spec.gate().minRuns());
        gate.put("maxDetectionsPerFrameDelta", spec.gate().maxDetectionsPerFrameDelta());
        gate.put("minFrames", spec.gate().minFrames());
        return offer;
    }

    static ObjectNode chunk(String rolloutId, ModelRolloutSpec spec, byte[] model, int index) {
        byte[] data = slice(model, spec, index);
        ObjectNode chunk = JSON.createObjectNode();
        chunk.put("kind", "model-chunk");
        chunk.put("rolloutId", rolloutId);
        chunk.put("index", index);
        chunk.put("sha256", sha256(data));
        chunk.put("data", data);
        return chunk;
    }

    static byte[] slice(byte[] model, ModelRolloutSpec spec, int index) {
        int from = index * spec.chunkBytes();
        return Arrays.copyOfRange(model, from, Math.min(model.length, from + spec.chunkBytes()));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JRE", e);
        }
    }

    private Future<RecordMetadata> publish(String siteId, String rolloutId, ObjectNode message) {
        try {
            return producer.send(new ProducerRecord<>(topic(siteId), rolloutId, JSON.writeValueAsBytes(message)));
        } catch (KafkaException | com.fasterxml.jackson.core.JsonProcessingException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private boolean confirmed(String siteId, String rolloutId, List<Future<RecordMetadata>> sends) {
        try {
            for (Future<RecordMetadata> send : sends) {
                send.get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            LOG.warnf(
                    "model rollout %s: downlink to site %s not confirmed by Kafka, retried next tick: %s",
                    rolloutId, siteId, e.getMessage());
            return false;
        }
    }
}
