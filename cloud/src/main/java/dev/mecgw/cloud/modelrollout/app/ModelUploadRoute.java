package dev.mecgw.cloud.modelrollout.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.cloud.admin.AdminToken;
import dev.mecgw.cloud.modelrollout.ModelRolloutsConfig;
import dev.mecgw.cloud.problem.CloudException;
import dev.mecgw.cloud.problem.Problem;
import dev.mecgw.cloud.problem.RestProblems;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.FileSystem;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerFileUpload;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.nio.file.Path;

/**
 * Receives the body of {@code POST /api/v1/model-rollouts} itself, so that only this route admits a body above the
 * global {@code quarkus.http.limits.max-body-size} (review finding: the whole cloud API had been raised to 80M for
 * it). It runs before Quarkus' body-size check (route order -2), checks the admin token before reading a byte,
 * streams the {@code model} part to a temporary file counted against {@code
 * mecgw.cloud.model-rollouts.max-model-bytes} and hands the parts to {@link ModelRolloutResource} through the routing
 * context; the file is deleted when the response ends. Over the limit: 413 problem+json naming {@code model}; the
 * bytes beyond are read and dropped, never stored. Requests it does not take (no valid token, not multipart) go on
 * to JAX-RS under the global limit, which answers them (401, 415, 413).
 */
@Singleton
class ModelUploadRoute {

    /** Routing-context key of the received {@link ModelUpload}. */
    static final String UPLOAD = "mecgw.model-upload";

    static final String PATH = "/api/v1/model-rollouts";

    /** Room for the {@code rollout} JSON part and the multipart framing besides the model. */
    private static final long FORM_ALLOWANCE_BYTES = 1 << 20;

    private static final String BEARER = "Bearer ";

    void install(@Observes Router router, AdminToken token, ModelRolloutsConfig config, ObjectMapper json) {
        long limit = config.maxModelBytes();
        router.post(PATH).order(-3).handler(context -> receive(context, token, limit, json));
    }

    private static void receive(RoutingContext context, AdminToken token, long limit, ObjectMapper json) {
        HttpServerRequest request = context.request();
        String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (type == null || !type.regionMatches(true, 0, "multipart/form-data", 0, 19) || !authorized(request, token)) {
            context.next();
            return;
        }
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && parse(length) > limit + FORM_ALLOWANCE_BYTES) {
            // Known too large before any byte is read: answer now and close, as Quarkus' own check does.
            tooLarge(context, limit, json);
            return;
        }
        Receipt receipt = new Receipt(context.vertx().fileSystem(), limit);
        request.setExpectMultipart(true);
        request.uploadHandler(receipt::part);
        request.exceptionHandler(failure -> receipt.discard());
        request.endHandler(end -> receipt.done().onComplete(stored -> {
            if (receipt.over) {
                receipt.discard();
                tooLarge(context, limit, json);
            } else if (stored.failed()) {
                receipt.discard();
                context.fail(CloudException.unavailable("The upload could not be stored", stored.cause()));
            } else {
                context.put(UPLOAD, new ModelUpload(request.getFormAttribute("rollout"), receipt.path));
                context.addEndHandler(ended -> receipt.discard());
                // The body is consumed: the size check after this route must not judge it by its length again.
                request.headers().remove(HttpHeaders.CONTENT_LENGTH);
                context.next();
            }
        }));
        if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
            context.response().writeContinue();
        }
        request.resume();
    }

    private static boolean authorized(HttpServerRequest request, AdminToken token) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        return header != null
                && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                && token.matches(header.substring(BEARER.length()).strip());
    }

    private static long parse(String length) {
        try {
            return Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private static void tooLarge(RoutingContext context, long limit, ObjectMapper json) {
        CloudException failure = CloudException.tooLarge("model", limit);
        Problem problem = RestProblems.problem(
                failure.kind(), failure.getMessage(), context.request().path(), failure.fieldErrors());
        String body;
        try {
            body = json.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem document always serializes", e);
        }
        context.response()
                .setStatusCode(problem.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(body)
                .onComplete(sent -> context.request().connection().close());
    }

    /** The parts received: the rollout JSON (null when absent) and the model's file (null when absent). */
    record ModelUpload(String rollout, Path model) {}

    /** One upload's file parts: the {@code model} streamed to a temporary file, the others dropped. */
    private static final class Receipt {
        private final FileSystem files;
        private final long limit;
        private final Promise<Void> stored = Promise.promise();
        private long bytes;
        private boolean over;
        private boolean started;
        private boolean discarded;
        private Path path;
        private AsyncFile file;

        Receipt(FileSystem files, long limit) {
            this.files = files;
            this.limit = limit;
        }

        /** Completes when the model part is on disk, or at once when there is none. */
        Future<Void> done() {
            if (!started) {
                stored.tryComplete();
            }
            return stored.future();
        }

        void part(HttpServerFileUpload upload) {
            if (!upload.name().equals("model") || started) {
                upload.handler(buffer -> count(buffer.length()));
                return;
            }
            started = true;
            upload.pause();
            files.createTempFile("mecgw-model-", ".upload")
                    .compose(created -> {
                        if (discarded) {
                            // The request failed while the file was being created.
                            return files.delete(created).compose(deleted -> Future.failedFuture("discarded"));
                        }
                        path = Path.of(created);
                        return files.open(created, new OpenOptions().setWrite(true));
                    })
                    .onSuccess(opened -> {
                        file = opened;
                        upload.handler(buffer -> {
                            if (count(buffer.length()) && file == opened) {
                                opened.write(buffer);
                                if (opened.writeQueueFull()) {
                                    upload.pause();
                                    opened.drainHandler(drained -> upload.resume());
                                }
                            }
                        });
                        upload.endHandler(end -> close().onComplete(stored));
                        upload.exceptionHandler(stored::tryFail);
                        upload.resume();
                    })
                    .onFailure(failure -> {
                        stored.tryFail(failure);
                        upload.handler(buffer -> count(buffer.length()));
                        upload.resume();
                    });
        }

        /** Counts file bytes against the limit; false once over it, when nothing more is stored. */
        private boolean count(int length) {
            bytes += length;
            over |= bytes > limit;
            return !over;
        }

        /** Closes the model's file once; later calls succeed at once. */
        private Future<Void> close() {
            AsyncFile open = file;
            file = null;
            return open == null ? Future.succeededFuture() : open.close();
        }

        /** Closes and deletes the model's file, if any. */
        void discard() {
            discarded = true;
            Path created = path;
            path = null;
            close().onComplete(closed -> {
                if (created != null) {
                    files.delete(created.toString());
                }
            });
        }
    }
}
