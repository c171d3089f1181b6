package dev.mecgw.ran.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/** Simulated TS 29.122 MonitoringEvent API ({@code 3gpp-monitoring-event/v1}). */
final class NefMonitoringRoute implements SimRoute {

    private static final Set<String> SUPPORTED =
            Set.of("LOSS_OF_CONNECTIVITY", "UE_REACHABILITY", "LOCATION_REPORTING");

    private final SimulatedNetwork network;
    private final Supplier<URI> base;

    NefMonitoringRoute(SimulatedNetwork network, Supplier<URI> base) {
        this.network = network;
        this.base = base;
    }

    @Override
    public String basePath() {
        return "/3gpp-monitoring-event/v1";
    }

    @Override
    public boolean threeGpp() {
        return true;
    }

    @Override
    public SimResponse handle(SimRequest request) {
        if (request.is("POST", 2) && request.segment(1).equals("subscriptions")) {
            return create(request.segment(0), request.body());
        }
        if (request.is("PUT", 3) && request.segment(1).equals("subscriptions")) {
            return replace(request.segment(2), request.body());
        }
        if (request.is("DELETE", 3) && request.segment(1).equals("subscriptions")) {
            return network.monitoring.remove(request.segment(2)) != null
                    ? SimResponse.noContent()
                    : SimResponse.problem3gpp(404, null, "no such subscription");
        }
        return SimResponse.problem3gpp(404, null, "no such resource or method");
    }

    private SimResponse create(String scsAsId, JsonNode body) {
        Optional<SimResponse> refused = refusal(body);
        if (refused.isPresent()) {
            return refused.get();
        }
        String id = network.newId();
        String self = base.get() + basePath() + "/" + scsAsId + "/subscriptions/" + id;
        network.monitoring.put(id, subscription(self, body));
        return SimResponse.created(self, resource(self, body));
    }

    /** TS 29.122 clause 5.3.3.3.3: PUT replaces the subscription, e.g. with a later monitorExpireTime. */
    private SimResponse replace(String id, JsonNode body) {
        SimulatedNetwork.MonitoringSub existing = network.monitoring.get(id);
        if (existing == null) {
            return SimResponse.problem3gpp(404, null, "no such subscription");
        }
        Optional<SimResponse> refused = refusal(body);
        if (refused.isPresent()) {
            return refused.get();
        }
        network.monitoring.put(id, subscription(existing.self(), body));
        return SimResponse.json(200, resource(existing.self(), body));
    }

    private static Optional<SimResponse> refusal(JsonNode body) {
        Optional<String> problem = SimChecks.requireFields(body, "notificationDestination", "monitoringType")
                .or(() -> SimChecks.exactlyOne(body, "externalId", "msisdn", "externalGroupId"))
                .or(() -> check(body));
        if (problem.isPresent()) {
            return Optional.of(SimResponse.problem3gpp(400, null, problem.get()));
        }
        String type = body.get("monitoringType").asText();
        if (!SUPPORTED.contains(type)) {
            return Optional.of(SimResponse.problem3gpp(403, "REQUEST_NOT_AUTHORIZED", type + " is not offered"));
        }
        return Optional.empty();
    }

    private static SimulatedNetwork.MonitoringSub subscription(String self, JsonNode body) {
        return new SimulatedNetwork.MonitoringSub(
                self,
                body.get("monitoringType").asText(),
                body.path("externalId").asText(null),
                body.path("externalGroupId").asText(null),
                URI.create(body.get("notificationDestination").asText()));
    }

    private static ObjectNode resource(String self, JsonNode body) {
        ObjectNode resource = ((ObjectNode) body).deepCopy();
        resource.put("self", self);
        return resource;
    }

    private static Optional<String> check(JsonNode body) {
        if (!body.has("maximumNumberOfReports") && !body.has("monitorExpireTime")) {
            return Optional.of("maximumNumberOfReports or monitorExpireTime is required");
        }
        String type = body.get("monitoringType").asText();
        // TS 29.122 clause 5.3.2.1.1: these types need their qualifier.
        if (type.equals("UE_REACHABILITY") && !body.has("reachabilityType")) {
            return Optional.of("reachabilityType is required for UE_REACHABILITY");
        }
        if (type.equals("LOCATION_REPORTING") && !body.has("locationType")) {
            return Optional.of("locationType is required for LOCATION_REPORTING");
        }
        return Optional.empty();
    }
}
