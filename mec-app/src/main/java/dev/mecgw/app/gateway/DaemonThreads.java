package dev.mecgw.app.gateway;

import java.util.concurrent.ThreadFactory;
import org.apache.commons.lang3.concurrent.BasicThreadFactory;

/**
 * The gateway's background threads (issue 13, item 3): daemon threads, so that none of them keeps the JVM up once
 * Quarkus has stopped, each named {@code mecgw-<area>[-<n>]} as operators read them in thread dumps. Every mec-app
 * thread and executor is made here; the libraries (inference, sync, ran-integration) keep their own.
 */
public final class DaemonThreads {

    private DaemonThreads() {}

    /**
     * A factory of daemon threads for an executor.
     *
     * @param namingPattern the thread name; a {@code %d} in it becomes 1, 2, ... in the order the threads are made
     *     (without one, every thread gets the same name)
     */
    public static ThreadFactory named(String namingPattern) {
        return BasicThreadFactory.builder()
                .namingPattern(namingPattern)
                .daemon(true)
                .build();
    }

    /** A daemon thread that runs {@code task} under exactly {@code name}, not yet started. */
    public static Thread unstarted(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    /** Starts a daemon thread that runs {@code task} under exactly {@code name}. */
    public static Thread start(String name, Runnable task) {
        Thread thread = unstarted(name, task);
        thread.start();
        return thread;
    }
}
