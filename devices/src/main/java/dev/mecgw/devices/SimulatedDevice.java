package dev.mecgw.devices;

/**
 * One simulated device speaking a public device protocol to the gateway. Implementations connect in
 * {@link #start()} without blocking the caller for long, keep reconnecting on their own while running, and
 * release every socket and thread in {@link #close()}.
 */
public interface SimulatedDevice extends AutoCloseable {

    /** @return the device id, as registered */
    String id();

    /** @return the protocol it speaks, e.g. {@code mqtt5}, {@code mqtt3}, {@code coaps} */
    String protocol();

    /** @return live counters of what it sent and received; never null */
    DeviceCounters counters();

    /** Connects and starts sending; failures are counted and retried, never thrown. */
    void start();

    @Override
    void close();
}
