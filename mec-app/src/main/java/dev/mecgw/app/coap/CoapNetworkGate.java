package dev.mecgw.app.coap;

import dev.mecgw.app.acl.AccessPolicy;
import dev.mecgw.app.acl.DeviceTopic;
import dev.mecgw.app.acl.Principal;
import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.ran.NetworkAdmission;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.californium.core.network.Exchange;
import org.eclipse.californium.elements.DtlsEndpointContext;
import org.eclipse.californium.elements.EndpointContext;
import org.eclipse.californium.elements.util.Bytes;

/**
 * Issue #7 for CoAP. The DTLS PSK store never sees the peer address, so the 5G identity check runs per
 * (peer address, device, DTLS session) instead: the first request asks {@link NetworkAdmission}
 * asynchronously and is held, with any that follow, until the verdict, which is then cached. A refusal is
 * 4.03 (reason as diagnostic payload for DTLS peers only, so plain CoAP never amplifies); an admission
 * delivers the held requests again. Admitted requests of a device confined to its slice's topics must
 * also fall within {@link AccessPolicy#withinScope} for the resource's topic {@code devices/{id}/<path>}.
 * The cached path is one map lookup; protocol threads never wait on the network. Thread-safe.
 */
final class CoapNetworkGate {

    /** Requests held per key while its check runs; more get 5.03. */
    static final int MAX_HELD = 16;
    /** A check that takes longer fails (5.03), so that held requests are never stuck. */
    static final Duration CHECK_TIMEOUT = Duration.ofSeconds(30);
    /** Refusals are cached briefly, so that a device whose SIM was fixed is not locked out long. */
    static final Duration REFUSAL_TTL = Duration.ofSeconds(30);

    private final NetworkAdmission admission;
    private final AccessPolicy policy;
    private final long admittedNanos;
    private final long refusedNanos;
    private final int maxEntries;
    private final Map<Key, Object> verdicts = new ConcurrentHashMap<>();

    /**
     * @param ttl how long an admission holds for a peer and session (plain CoAP has no session)
     * @param maxEntries bound of the verdict cache; beyond it new keys get 5.03
     */
    public CoapNetworkGate(NetworkAdmission admission, AccessPolicy policy, Duration ttl, int maxEntries) {
        this.admission = admission;
        this.policy = policy;
        this.admittedNanos = ttl.toNanos();
        this.refusedNanos = Math.min(ttl.toNanos(), REFUSAL_TTL.toNanos());
        this.maxEntries = maxEntries;
    }

    /**
     * Called for every request before it reaches a resource.
     *
     * @param deviceId the device the request claims (DTLS identity, or the path of unsecured telemetry);
     *     null lets it pass (discovery)
     * @param authenticated whether the device was authenticated by DTLS
     * @param redeliver delivers a held request again once it was admitted
     * @return true when the gate answered or holds the request, false when it may be delivered now
     */
    public boolean intercept(Exchange exchange, String deviceId, boolean authenticated, Consumer<Exchange> redeliver) {
        if (deviceId == null) {
            return false;
        }
        EndpointContext source = exchange.getRequest().getSourceContext();
        Key key = new Key(source.getPeerAddress(), deviceId, source.get(DtlsEndpointContext.KEY_SESSION_ID));
        Object verdict = verdicts.get(key);
        long now = System.nanoTime();
        if (live(verdict, now)) {
            return answer(exchange, deviceId, authenticated, (Verdict) verdict);
        }
        return hold(exchange, key, authenticated, redeliver, now);
    }

    /** Drops the verdicts of a device whose access was revoked (issue 15.9); its next request is checked again. */
    public void forget(String deviceId) {
        verdicts.keySet().removeIf(key -> key.deviceId().equals(deviceId));
    }

    /** Drops expired verdicts; called periodically and when the cache is full. */
    public void sweep(long now) {
        verdicts.values().removeIf(v -> v instanceof Verdict && !live(v, now));
    }

    private boolean answer(Exchange exchange, String deviceId, boolean authenticated, Verdict verdict) {
        if (verdict.refusal() != null) {
            exchange.sendResponse(CoapErrorResponse.of(
                    ErrorKind.FORBIDDEN, "refused by the 5G network: " + verdict.refusal(), authenticated));
            return true;
        }
        if (verdict.confined() && !policy.withinScope(new Principal(deviceId, null), topicOf(exchange, deviceId))) {
            exchange.sendResponse(CoapErrorResponse.of(
                    ErrorKind.FORBIDDEN,
                    "resource outside the allowed topics of the device's 5G slice",
                    authenticated));
            return true;
        }
        return false;
    }

    private boolean hold(Exchange exchange, Key key, boolean authenticated, Consumer<Exchange> redeliver, long now) {
        if (verdicts.size() >= maxEntries) {
            sweep(now);
        }
        Pending fresh = new Pending();
        Object current = verdicts.compute(
                key,
                (k, v) -> v instanceof Pending || live(v, now) || (v == null && verdicts.size() >= maxEntries)
                        ? v
                        : fresh);
        if (current instanceof Verdict settled) {
            return answer(exchange, key.deviceId(), authenticated, settled);
        }
        if (!(current instanceof Pending pending)) {
            exchange.sendResponse(CoapErrorResponse.of(ErrorKind.UNAVAILABLE, "too many peers", authenticated));
            return true;
        }
        if (pending == fresh) {
            check(key, pending, redeliver);
        }
        synchronized (pending) {
            if (!pending.settled) {
                if (pending.held.size() >= MAX_HELD) {
                    exchange.sendResponse(
                            CoapErrorResponse.of(ErrorKind.UNAVAILABLE, "identity check pending", authenticated));
                } else {
                    pending.held.add(new Held(exchange, authenticated));
                }
                return true;
            }
        }
        // Settled before this request could wait (e.g. the integration is off): answer it here.
        if (pending.verdict == null) {
            exchange.sendResponse(CoapErrorResponse.of(ErrorKind.UNAVAILABLE, "identity check failed", authenticated));
            return true;
        }
        return answer(exchange, key.deviceId(), authenticated, pending.verdict);
    }

    private static boolean live(Object verdict, long now) {
        return verdict instanceof Verdict settled && now - settled.expiresAt() < 0;
    }

    private void check(Key key, Pending pending, Consumer<Exchange> redeliver) {
        CompletableFuture<Optional<String>> verdict;
        try {
            verdict = admission
                    .admit(key.peer().getAddress(), key.deviceId())
                    .toCompletableFuture()
                    .orTimeout(CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            verdict = CompletableFuture.failedFuture(e);
        }
        verdict.whenComplete((refusal, failure) -> settle(key, pending, refusal, failure, redeliver));
    }

    private void settle(
            Key key, Pending pending, Optional<String> refusal, Throwable failure, Consumer<Exchange> redeliver) {
        long now = System.nanoTime();
        Verdict verdict = null;
        if (failure == null) {
            verdict = refusal.isPresent()
                    ? new Verdict(refusal.get(), false, now + refusedNanos)
                    : new Verdict(null, policy.confined(new Principal(key.deviceId(), null)), now + admittedNanos);
            verdicts.replace(key, pending, verdict);
        } else {
            verdicts.remove(key, pending);
        }
        List<Held> held;
        synchronized (pending) {
            pending.verdict = verdict;
            pending.settled = true;
            held = new ArrayList<>(pending.held);
            pending.held.clear();
        }
        for (Held waiting : held) {
            Exchange exchange = waiting.exchange();
            if (verdict == null) {
                exchange.sendResponse(
                        CoapErrorResponse.of(ErrorKind.UNAVAILABLE, "identity check failed", waiting.authenticated()));
            } else if (!answer(exchange, key.deviceId(), waiting.authenticated(), verdict)) {
                // Back on the exchange's protocol thread, through the deliverer's front door again.
                exchange.execute(() -> redeliver.accept(exchange));
            }
        }
    }

    /** The MQTT topic a CoAP resource stands for: {@code devices/{id}/telemetry}, {@code .../twin/desired}. */
    static String topicOf(Exchange exchange, String deviceId) {
        List<String> path = exchange.getRequest().getOptions().getUriPath();
        String resource = !path.isEmpty() && path.get(0).equals(TelemetryResource.NAME)
                ? TelemetryResource.NAME
                : String.join("/", path);
        return DeviceTopic.of(deviceId, resource);
    }

    private record Key(InetSocketAddress peer, String deviceId, Bytes session) {}

    /** A cached verdict: refused (with the reason) or admitted, and whether the device is confined. */
    private record Verdict(String refusal, boolean confined, long expiresAt) {}

    private record Held(Exchange exchange, boolean authenticated) {}

    /** A check in flight and the requests waiting for it; guarded by its own monitor. */
    private static final class Pending {
        private final List<Held> held = new ArrayList<>();
        private boolean settled;
        private Verdict verdict;
    }
}
