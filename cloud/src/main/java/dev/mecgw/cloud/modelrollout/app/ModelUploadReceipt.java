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
import java.util.function.Function;

/**
 * The file parts of one model upload as they stream in: the {@code model} part goes to a temporary file, counted
 * against the model limit; a {@code rollout} part sent as a file is kept in memory up to the form allowance; any
 * other part is counted against that allowance and dropped. Bytes past a limit are counted and dropped, never
 * stored. Confined to the request's event loop.
 *
 * <p>The model's file is closed and deleted on {@link #discard()}, but never while an operation on it is in flight
 * (its creation, its opening, its close, or its {@linkplain #lend loan} to the rollout's creation): the one that
 * settles last does it. Review finding: a discard between the file's creation and its opening deleted the path and
 * closed nothing, so the opened file was never closed (a leaked descriptor on an unlinked file, or a file the
 * opening created again).
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
    private int inFlight;
    private Path path;
    private AsyncFile file;
    private Future<Void> closing;
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

    /**
     * Lends the model's file to {@code borrower} (the rollout's creation, which reads it on a worker): a {@link
     * #discard()} meanwhile, as when the client goes away, deletes the file only once the borrower's future settles.
     *
     * @param borrower takes the model's file (null when the request had none) and returns when it is done with it
     * @return the borrower's result
     */
    <T> Future<T> lend(Function<Path, Future<T>> borrower) {
        inFlight++;
        Future<T> borrowed;
        try {
            borrowed = borrower.apply(path);
        } catch (RuntimeException e) {
            borrowed = Future.failedFuture(e);
        }
        return borrowed.andThen(result -> settled());
    }

    /** @return the rollout part when it came as a file; null otherwise */
    String rolloutFile() {
        return rolloutFile == null ? null : rolloutFile.toString(StandardCharsets.UTF_8);
    }

    /**
     * Closes and deletes the model's file, if any, at once or when the operation on it in flight settles; safe to
     * call more than once.
     */
    void discard() {
        discarded = true;
        releaseWhenIdle();
    }

    private void receiveModel(HttpServerFileUpload upload) {
        modelStarted = true;
        // Held while the file is created; the request's bytes wait in the connection, not in memory.
        upload.pause();
        inFlight++;
        files.createTempFile("mecgw-model-", ".upload")
                .compose(created -> {
                    path = Path.of(created);
                    if (discarded) {
                        // The request failed while the file was being created.
                        return Future.failedFuture("discarded");
                    }
                    // Not created again should anything have deleted it meanwhile.
                    return files.open(created, new OpenOptions().setWrite(true).setCreate(false));
                })
                .onComplete(opened -> {
                    file = opened.succeeded() ? opened.result() : null;
                    settled();
                    if (discarded) {
                        return; // settled() closed and deleted it: the request is gone
                    }
                    if (opened.succeeded()) {
                        store(upload, opened.result());
                    } else {
                        stored.tryFail(opened.cause());
                        upload.handler(buffer -> countModel(buffer.length()));
                        upload.resume();
                    }
                });
    }

    private void store(HttpServerFileUpload upload, AsyncFile opened) {
        upload.handler(buffer -> {
            if (countModel(buffer.length()) && file == opened) {
                opened.write(buffer);
                if (opened.writeQueueFull()) {
                    upload.pause();
                    opened.drainHandler(drained -> upload.resume());
                }
            }
        });
        upload.endHandler(end -> {
            inFlight++;
            close().onComplete(closed -> {
                // Completed before settling: a rollout created on it borrows the file before a discard can delete it.
                if (closed.succeeded()) {
                    stored.tryComplete();
                } else {
                    stored.tryFail(closed.cause());
                }
                settled();
            });
        });
        upload.exceptionHandler(stored::tryFail);
        upload.resume();
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

    /** An operation on the file settled: if the receipt was discarded meanwhile, the file goes now. */
    private void settled() {
        inFlight--;
        releaseWhenIdle();
    }

    private void releaseWhenIdle() {
        if (!discarded || inFlight > 0) {
            return;
        }
        close().onComplete(closed -> {
            if (inFlight > 0) {
                return; // lent while the close was pending: the loan's settling deletes it
            }
            // Deleted after the close: a descriptor left open would keep the unlinked file's blocks.
            Path created = path;
            path = null;
            if (created != null) {
                files.delete(created.toString());
            }
        });
    }

    /** Closes the model's file once; later calls return that same close, or succeed at once when none was open. */
    private Future<Void> close() {
        if (file != null) {
            closing = file.close();
            file = null;
        }
        return closing == null ? Future.succeededFuture() : closing;
    }
}
