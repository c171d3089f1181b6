package dev.mecgw.devices.coap;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.eclipse.californium.elements.util.DaemonThreadFactory;
import org.eclipse.californium.elements.util.ExecutorsUtil;

/**
 * The threads every simulated CoAP sensor of one JVM shares (issue 18, bench/ota with 1,000 CoAP devices): alone,
 * each sensor's endpoint starts its own protocol-stage pool (one thread per core), a secondary scheduler, a DTLS
 * connector pool and a DTLS timer, about 6 threads a device, so 1,000 devices held 6,026 threads and the machine's load
 * rose to 200 while the gateway starved. Shared, a sensor keeps only its socket's receiver thread. The pools are
 * daemons and live as long as the JVM: endpoints do not shut down executors they were given.
 */
final class CoapThreads {

    private static final int CORES = Runtime.getRuntime().availableProcessors();

    /** Protocol stage (matching, blockwise, observe) of every sensor's endpoint. */
    static final ScheduledExecutorService PROTOCOL =
            ExecutorsUtil.newScheduledThreadPool(2 * CORES, new DaemonThreadFactory("sim-coap#"));

    /**
     * The endpoints' and clients' secondary tasks (exchange and observation store clean-ups, request timeouts): a
     * {@code CoapClient} without executors starts a scheduler thread of its own, and a sensor makes one client per
     * request (2,157 such threads 5 minutes into the 1,000-device CoAP run).
     */
    static final ScheduledThreadPoolExecutor SECONDARY = ExecutorsUtil.newDefaultSecondaryScheduler("sim-coap-timer#");

    /**
     * DTLS record and handshake work of every connector; scheduled, so that the connector uses it as its timer too
     * (retransmissions) instead of starting one thread of its own.
     */
    static final ScheduledExecutorService DTLS =
            ExecutorsUtil.newScheduledThreadPool(2 * CORES, new DaemonThreadFactory("sim-dtls#"));

    private CoapThreads() {}
}
