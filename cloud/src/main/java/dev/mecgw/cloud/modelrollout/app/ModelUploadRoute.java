package dev.mecgw.cloud.modelrollout.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.cloud.admin.AdminToken;
import dev.mecgw.cloud.modelrollout.ModelRolloutView;
import dev.mecgw.cloud.modelrollout.ModelRolloutsConfig;
import dev.mecgw.cloud.problem.CloudException;
import dev.mecgw.cloud.problem.ErrorKind;
import dev.mecgw.cloud.problem.Problem;
import dev.mecgw.cloud.problem.RestProblems;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Answers {@code POST /api/v1/model-rollouts} itself, as a Vert.x route ordered before Quarkus' body-size check and
 * before RESTEasy, so that this one route admits a body above the global {@code quarkus.http.limits.max-body-size}
 * (review finding: the whole API had been raised to 80M for it). RESTEasy never sees the request: its request context
 * pauses a request when it takes it over, which over HTTP/2 (an h2c upgrade) throws once the body has been read.
 *
 * <p>Steps: the admin token (401), the content type (400 naming {@code Content-Type}), a {@code Content-Length}
 * over the limit (413 before a byte is read), then the parts streamed by {@link ModelUploadReceipt} (413 naming the
 * part over its limit, once the body has ended), then the rollout created on a worker thread (201 with the view, or
 * the problem {@link ModelRolloutProducers#rollouts()} raised). Every error is problem+json. The model's temporary
 * file is deleted when the response ends or the connection closes, once nothing is writing or reading it.
 */
@Singleton
class ModelUploadRoute {

    private static final Logger LOG = Logger.getLogger(ModelUploadRoute.class);

    static final String PATH = "/api/v1/model-rollouts";

    /** Room for the {@code rollout} part and the multipart framing besides the model. */
    static final long FORM_ALLOWANCE_BYTES = 1 << 20;

    /** Quarkus' body-size check runs at route order -2. */
    private static final int ORDER = -3;

    private AdminToken token;
    private ModelRolloutProducers producers;
    private ObjectMapper json;
    private long modelLimit;

    void install(
            @Observes Router router,
            AdminToken token,
            ModelRolloutsConfig config,
            ModelRolloutProducers producers,
            ObjectMapper json) {
        this.token = token;
        this.producers = producers;
        this.json = json;
        this.modelLimit = config.maxModelBytes();
        router.post(PATH).order(ORDER).handler(this::receive);
    }

    private void receive(RoutingContext context) {
        HttpServerRequest request = context.request();
        Optional<String> refusal = token.refusal(request.getHeader(HttpHeaders.AUTHORIZATION));
        if (refusal.isPresent()) {
            refuse(context, new CloudException(ErrorKind.UNAUTHORIZED, refusal.get(), List.of(), null));
            return;
        }
        String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (type == null || !type.regionMatches(true, 0, "multipart/form-data", 0, 19)) {
            refuse(context, CloudException.badField("Content-Type", "expected multipart/form-data"));
            return;
        }
        if (contentLength(request) > modelLimit + FORM_ALLOWANCE_BYTES) {
            // Known too large before any byte is read: answer now and close, as Quarkus' own check does.
            answer(context, CloudException.tooLarge(ModelUploadReceipt.MODEL, modelLimit), true);
            return;
        }
        ModelUploadReceipt receipt =
                new ModelUploadReceipt(context.vertx().fileSystem(), modelLimit, FORM_ALLOWANCE_BYTES);
        context.addEndHandler(ended -> receipt.discard());
        request.setExpectMultipart(true);
        request.uploadHandler(receipt::part);
        request.exceptionHandler(failure -> {
            receipt.discard();
            LOG.debugf(failure, "Model upload on %s failed while reading", request.path());
            answer(context, CloudException.badField("body", "not a readable multipart/form-data body"), true);
        });
        request.endHandler(end -> receipt.done().onComplete(stored -> {
            if (receipt.overPart() != null) {
                String part = receipt.overPart();
                answer(context, CloudException.tooLarge(part, receipt.limitOf(part)), false);
            } else if (stored.failed()) {
                answer(context, CloudException.unavailable("The upload could not be stored", stored.cause()), false);
            } else {
                create(context, formPart(request, receipt), receipt);
            }
        }));
        if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
            context.response().writeContinue();
        }
        request.resume();
    }

    /**
     * Answers before the body is read and closes, as the early 413 does: the request stays paused, so nothing of a
     * refused body is read. Resuming to drain it would read an unauthenticated body of any size, since this route
     * runs before Quarkus' body-size check (review finding).
     */
    private void refuse(RoutingContext context, CloudException failure) {
        answer(context, failure, true);
    }

    private static String formPart(HttpServerRequest request, ModelUploadReceipt receipt) {
        String attribute = request.getFormAttribute(ModelUploadReceipt.ROLLOUT);
        return attribute != null ? attribute : receipt.rolloutFile();
    }

    private void create(RoutingContext context, String rollout, ModelUploadReceipt receipt) {
        // Lent, so that a client gone meanwhile has the file deleted only once the rollout has read it.
        receipt.lend(model -> context.vertx()
                        .executeBlocking(() -> producers.rollouts().create(parse(rollout), read(model)), false))
                .onComplete(created -> {
                    if (created.failed()) {
                        answer(context, created.cause(), false);
                        return;
                    }
                    ModelRolloutView view = created.result();
                    String base = context.request().absoluteURI();
                    int query = base.indexOf('?');
                    base = query < 0 ? base : base.substring(0, query);
                    context.response()
                            .setStatusCode(201)
                            .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                            .putHeader(HttpHeaders.LOCATION, base + (base.endsWith("/") ? "" : "/") + view.id())
                            .end(write(view));
                });
    }

    private JsonNode parse(String rollout) {
        if (rollout == null || rollout.isBlank()) {
            throw CloudException.badField(ModelUploadReceipt.ROLLOUT, "the rollout part (JSON) is required");
        }
        try {
            return json.readTree(rollout);
        } catch (JsonProcessingException e) {
            throw CloudException.badField(
                    ModelUploadReceipt.ROLLOUT,
                    "not JSON (line " + e.getLocation().getLineNr() + ")");
        }
    }

    private static byte[] read(Path model) {
        if (model == null) {
            return null;
        }
        try {
            return Files.readAllBytes(model);
        } catch (IOException e) {
            throw CloudException.unavailable("The upload could not be read", e);
        }
    }

    /**
     * Writes the problem+json of a failure, once; logs 5xx here, as the JAX-RS mappers do for the other routes.
     *
     * @param close whether the request's body was left unread: over HTTP/1.x the connection is closed after the
     *     answer (HTTP/2 ends just the stream)
     */
    private void answer(RoutingContext context, Throwable failure, boolean close) {
        HttpServerResponse response = context.response();
        String path = context.request().path();
        CloudException problem;
        if (failure instanceof CloudException known) {
            problem = known;
            if (known.kind() == ErrorKind.INTERNAL || known.kind() == ErrorKind.UNAVAILABLE) {
                LOG.errorf(known, "%s on %s", known.getMessage(), path);
            }
        } else {
            LOG.error("Unexpected error on " + path, failure);
            problem = new CloudException(ErrorKind.INTERNAL, "Internal error", List.of(), failure);
        }
        if (response.ended() || response.closed()) {
            return;
        }
        Problem document = RestProblems.problem(problem.kind(), problem.getMessage(), path, problem.fieldErrors());
        response.setStatusCode(document.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        RestProblems.headers(problem.kind()).forEach(response::putHeader);
        boolean closeConnection = close && context.request().version() != HttpVersion.HTTP_2;
        if (closeConnection) {
            response.putHeader(HttpHeaders.CONNECTION, "close");
        }
        response.end(write(document)).onComplete(sent -> {
            if (closeConnection) {
                context.request().connection().close();
            }
        });
    }

    private String write(Object body) {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a view or problem document always serializes", e);
        }
    }

    /** @return the announced body length; -1 when absent (chunked, HTTP/2), unbounded when not a number */
    private static long contentLength(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return -1;
        }
        try {
            return Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
