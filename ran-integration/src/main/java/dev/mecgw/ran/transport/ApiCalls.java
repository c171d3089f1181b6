package dev.mecgw.ran.transport;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last call of each network API (NEF or MEC) and how it went, for operators (issue 19: the console's 5G tile).
 * An API is the path segment before the version, e.g. {@code 3gpp-monitoring-event} in
 * {@code /3gpp-monitoring-event/v1/…} or {@code rni} in {@code /rni/v2/…}; at most {@value #MAX_APIS} are kept.
 * Thread-safe.
 */
public final class ApiCalls {

    /** APIs remembered; the families of TS 29.122 and ETSI MEC are far fewer. */
    static final int MAX_APIS = 32;

    /**
     * The last call of one API.
     *
     * @param api the API's name, as in its path
     * @param request method and path
     * @param status the HTTP status answered, or 0 when no answer came (refused, time-out)
     * @param at when the call ended
     * @param failure why no answer came, or null
     */
    public record Call(String api, String request, int status, Instant at, String failure) {

        /** Whether the peer answered at all (any HTTP status). */
        public boolean answered() {
            return status > 0;
        }
    }

    private final Map<String, Call> last = new ConcurrentHashMap<>();
    private final Clock clock;

    public ApiCalls(Clock clock) {
        this.clock = clock;
    }

    /** The last call of each API, by API name. */
    public List<Call> last() {
        return last.values().stream().sorted(Comparator.comparing(Call::api)).toList();
    }

    void answered(String method, URI uri, int status) {
        remember(new Call(api(uri), method + " " + uri.getPath(), status, clock.instant(), null));
    }

    void failed(String method, URI uri, String failure) {
        remember(new Call(api(uri), method + " " + uri.getPath(), 0, clock.instant(), failure));
    }

    private void remember(Call call) {
        if (last.size() < MAX_APIS || last.containsKey(call.api())) {
            last.put(call.api(), call);
        }
    }

    /** The segment before the first version segment ({@code v1}, {@code v2}…), else the first segment. */
    static String api(URI uri) {
        String[] segments =
                uri.getPath() == null ? new String[0] : uri.getPath().split("/");
        String first = null;
        for (int i = 0; i < segments.length; i++) {
            if (segments[i].isEmpty()) {
                continue;
            }
            if (first == null) {
                first = segments[i];
            }
            if (i > 0 && segments[i].matches("v\\d+") && !segments[i - 1].isEmpty()) {
                return segments[i - 1];
            }
        }
        return first == null ? "/" : first;
    }
}
