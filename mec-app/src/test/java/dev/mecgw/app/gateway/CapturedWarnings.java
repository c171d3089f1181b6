package dev.mecgw.app.gateway;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;

/**
 * The WARN (and worse) messages one class logs while this is open, formatted as an operator reads them: for tests
 * whose outcome is a warning. Close it (try-with-resources) to stop capturing.
 */
public final class CapturedWarnings implements AutoCloseable {

    private final Logger logger;
    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                messages.add(record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage());
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    private CapturedWarnings(Class<?> source) {
        this.logger = Logger.getLogger(source.getName());
        logger.addHandler(handler);
    }

    /** Starts capturing what {@code source}'s logger (named after the class, as JBoss Logging names it) warns. */
    public static CapturedWarnings of(Class<?> source) {
        return new CapturedWarnings(source);
    }

    /** The warnings so far, oldest first. */
    public List<String> messages() {
        return List.copyOf(messages);
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
    }
}
