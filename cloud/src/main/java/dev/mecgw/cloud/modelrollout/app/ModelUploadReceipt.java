package dev.mecgw.cloud.modelrollout.app;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.FileSystem;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerFileUpload;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The file parts of one model upload as they stream in: the {@code model} part goes to a temporary file, counted
 * against the model limit; a {@code rollout} part sent as a file is kept in memory up to the form allowance; any
 * other part is counted against that allowance and dropped. Bytes past a limit are counted and dropped, never
 * stored. Confined to the request's event loop.
 */
final class ModelUploadReceipt {

    static final String MODEL = "model";
    static final String ROLLOUT = "rollout";

    private final FileSystem files;
    private final long modelLimit;
    private final long formAllowance;
    private final Promise<Void> stored = Promise.promise();
    private long modelBytes;
    private long formBytes;
    private String overPart;
    private boolean modelStarted;
    private boolean discarded;
    private Path path;
    private AsyncFile file;
    private Buffer rolloutFile;

    ModelUploadReceipt(FileSystem files, long modelLimit, long formAllowance) {
        this.files = files;
        this.modelLimit = modelLimit;
        this.formAllowance = formAllowance;
    }

    /** Takes one file part of the request. */
    void part(HttpServerFileUpload upload) {
        if (upload.name().equals(MODEL) && !modelStarted) {
            receiveModel(upload);
        } else if (upload.name().equals(ROLLOUT) && rolloutFile == null) {
            Buffer rollout = Buffer.buffer();
            rolloutFile = rollout;
            upload.handler(buffer -> {
                if (countForm(ROLLOUT, buffer.length())) {
                    rollout.appendBuffer(buffer);
                }
            });
        } else {
            upload.handler(buffer -> countForm(upload.name(), buffer.length()));
        }
    }

    /** @return completes when the model part is on disk, or at once when there is none */
    Future<Void> done() {
        if (!modelStarted) {
            stored.tryComplete();
        }
        return stored.future();
    }

    /** @return the name of the first part that went over its limit; null when none did */
    String overPart() {
        return overPart;
    }

    /** @return the limit in bytes of the part {@link #overPart()} names */
    long limitOf(String part) {
        return MODEL.equals(part) ? modelLimit : formAllowance;
    }

    /** @return the model's file; null when the request had no model part */
    Path model() {
        return path;
    }

    /** @return the rollout part when it came as a file; null otherwise */
    String rolloutFile() {
        return rolloutFile == null ? null : rolloutFile.toString(StandardCharsets.UTF_8);
    }

    /** Closes and deletes the model's file, if any; safe to call more than once. */
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

    private void receiveModel(HttpServerFileUpload upload) {
        modelStarted = true;
        // Held while the file is created; the request's bytes wait in the connection, not in memory.
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
                        if (countModel(buffer.length()) && file == opened) {
                            opened.write(buffer);
                            if (opened.writeQueueFull()) {
                                upload.pause();
                                opened.drainHandler(drained -> upload.resume());
                            }
                        }
                    });
                    upload.endHandler(end -> close().onComplete(closed -> {
                        if (closed.succeeded()) {
                            stored.tryComplete();
                        } else {
                            stored.tryFail(closed.cause());
                        }
                    }));
                    upload.exceptionHandler(stored::tryFail);
                    upload.resume();
                })
                .onFailure(failure -> {
                    stored.tryFail(failure);
                    upload.handler(buffer -> countModel(buffer.length()));
                    upload.resume();
                });
    }

    /** @return false once the model is over its limit: nothing more of it is stored */
    private boolean countModel(int length) {
        modelBytes += length;
        if (modelBytes > modelLimit && overPart == null) {
            overPart = MODEL;
        }
        return modelBytes <= modelLimit;
    }

    /** @return false once the parts besides the model are over the allowance */
    private boolean countForm(String part, int length) {
        formBytes += length;
        if (formBytes > formAllowance && overPart == null) {
            overPart = part;
        }
        return formBytes <= formAllowance;
    }

    /** Closes the model's file once; later calls succeed at once. */
    private Future<Void> close() {
        AsyncFile open = file;
        file = null;
        return open == null ? Future.succeededFuture() : open.close();
    }
}
