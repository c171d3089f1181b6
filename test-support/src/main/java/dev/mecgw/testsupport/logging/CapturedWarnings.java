package dev.mecgw.testsupport.logging;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;

/**
 * The messages one class logs at a level or above (WARN unless told) while this is open, formatted as an operator
 * reads them: for tests whose outcome is a log line. Close it (try-with-resources) to stop capturing.
 *
 * <p>Works under either logging backend a module's tests run with. Under JBoss LogManager (Quarkus modules) a record is
 * an {@code ExtLogRecord} whose {@code getMessage()} is the raw pattern ({@code "%d queued run(s) dropped"}): its
 * formatted message is taken. Under the JDK's own logging (a plain library's tests), JBoss Logging hands over the
 * message already formatted, and a record logged through {@code java.util.logging} with {@code {0}} parameters is
 * formatted as the JDK's formatters do. Only what the logger lets through reaches the capture: a level below the
 * logger's own (INFO by default) captures nothing more.
 */
public final class CapturedWarnings implements AutoCloseable {

    // Optional in this module: a module without JBoss LogManager on its test class path must never load ExtLogRecord.
    private static final boolean LOG_MANAGER = present("org.jboss.logmanager.ExtLogRecord");
    // Formatter's own message formatting (localisation, {0} parameters) without SimpleFormatter's line layout.
    private static final Formatter PLAIN = new Formatter() {
        @Override
        public String format(LogRecord record) {
            return formatMessage(record);
        }
    };

    private final Logger logger;
    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final Handler handler;

    private CapturedWarnings(Class<?> source, Level least) {
        this.logger = Logger.getLogger(source.getName());
        this.handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= least.intValue()) {
                    messages.add(formatted(record));
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        logger.addHandler(handler);
    }

    /** Starts capturing what {@code source}'s logger (named after the class, as JBoss Logging names it) warns. */
    public static CapturedWarnings of(Class<?> source) {
        return of(source, Level.WARNING);
    }

    /**
     * Starts capturing what {@code source}'s logger logs at {@code least} or above (e.g. {@link Level#INFO}; JBoss
     * Logging's levels compare by the same numbers: WARN is {@link Level#WARNING}).
     */
    public static CapturedWarnings of(Class<?> source, Level least) {
        return new CapturedWarnings(source, least);
    }

    /** The messages so far, formatted, oldest first. */
    public List<String> messages() {
        return List.copyOf(messages);
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
    }

    private static String formatted(LogRecord record) {
        if (LOG_MANAGER) {
            return LogManagerRecords.formatted(record);
        }
        return PLAIN.formatMessage(record);
    }

    private static boolean present(String type) {
        try {
            Class.forName(type, false, CapturedWarnings.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** The one place that names JBoss LogManager's record type, loaded only where that is on the class path. */
    private static final class LogManagerRecords {

        static String formatted(LogRecord record) {
            return record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : PLAIN.formatMessage(record);
        }
    }
}
