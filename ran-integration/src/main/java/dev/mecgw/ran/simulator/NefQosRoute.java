package dev.mecgw.ran.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Simulated TS 29.122 AsSessionWithQoS API ({@code 3gpp-as-session-with-qos/v1}). QoS references put on the
 * refused list are answered 403 (the PCF did not authorise them); {@code qosUnavailable} answers 503 that
 * many times, to exercise retries.
 */
final class NefQosRoute implements SimRoute {

    /** QCI reported on the RAN side for a granted session (TS 23.203: 2, conversational video). */
    static final int GRANTED_QCI = 2;

    private final SimulatedNetwork network;
    private final Supplier<URI> base;

    NefQosRoute(SimulatedNetwork network, Supplier<URI> base) {
        this.network = network;
        this.base = base;
    }

    @Override
    public String basePath() {
        return "/3gpp-as-session-with-qos/v1";
    }

    @Override
    public boolean threeGpp() {
        return true;
    }

    @Override
    public SimResponse handle(SimRequest request) {
        boolean collection =
                request.segments().size() == 2 && request.segment(1).equals("subscriptions");
        boolean item = request.segments().size() == 3 && request.segment(1).equals("subscriptions");
        if (collection && request.method().equals("POST")) {
            return create(request.segment(0), request.body());
        }
        SimulatedNetwork.QosSession session = item ? network.qosSessions.get(request.segment(2)) : null;
        if (item && session == null) {
            return SimResponse.problem3gpp(404, null, "no such QoS session");
        }
        if (item && request.method().equals("PATCH")) {
            return patch(session, request);
        }
        if (item && request.method().equals("DELETE")) {
            network.qosSessions.remove(request.segment(2));
            return SimResponse.noContent();
        }
        if (item && request.method().equals("GET")) {
            return SimResponse.json(200, session.resource());
        }
        return SimResponse.problem3gpp(404, null, "no such resource or method");
    }

    private SimResponse create(String scsAsId, JsonNode body) {
        Optional<String> problem = SimChecks.requireFields(body, "notificationDestination")
                .or(() -> SimChecks.exactlyOne(body, "ueIpv4Addr", "ueIpv6Addr", "macAddr"))
                .or(() -> body.has("flowInfo") || body.has("ethFlowInfo") || body.has("enEthFlowInfo")
                        ? Optional.empty()
                        : Optional.of("flowInfo is required"));
        if (problem.isPresent()) {
            return SimResponse.problem3gpp(400, null, problem.get());
        }
        Optional<SimResponse> refusal = refusal(body.path("qosReference").asText(null));
        if (refusal.isPresent()) {
            return refusal.get();
        }
        String ueIpv4 = body.path("ueIpv4Addr").asText();
        if (!network.ues.containsKey(ueIpv4) || !network.ues.get(ueIpv4).connected()) {
            return SimResponse.problem3gpp(500, null, "no PDU session for the UE address");
        }
        String id = network.newId();
        String self = base.get() + basePath() + "/" + scsAsId + "/subscriptions/" + id;
        ObjectNode resource = ((ObjectNode) body).deepCopy();
        resource.put("self", self);
        SimulatedNetwork.QosSession session = new SimulatedNetwork.QosSession(
                self, ueIpv4, URI.create(body.get("notificationDestination").asText()), resource);
        network.qosSessions.put(id, session);
        network.qosGranted(session, GRANTED_QCI);
        return SimResponse.created(self, resource);
    }

    private SimResponse patch(SimulatedNetwork.QosSession session, SimRequest request) {
        // TS 29.122 clause 5.14.3.3.3: PATCH bodies are JSON merge patches.
        if (!"application/merge-patch+json".equals(request.contentType())) {
            return SimResponse.problem3gpp(415, null, "PATCH needs application/merge-patch+json");
        }
        if (request.body() == null || !request.body().isObject()) {
            return SimResponse.problem3gpp(400, null, "a JSON object body is required");
        }
        Optional<SimResponse> refusal =
                refusal(request.body().path("qosReference").asText(null));
        if (refusal.isPresent()) {
            return refusal.get();
        }
        synchronized (session) {
            Iterator<Map.Entry<String, JsonNode>> fields = request.body().fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getValue().isNull()) {
                    session.resource().remove(field.getKey());
                } else {
                    session.resource().set(field.getKey(), field.getValue());
                }
            }
            return SimResponse.json(200, session.resource().deepCopy());
        }
    }

    private Optional<SimResponse> refusal(String qosReference) {
        if (network.qosUnavailable.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return Optional.of(SimResponse.problem3gpp(503, null, "PCF temporarily unavailable"));
        }
        if (qosReference != null && network.refusedQos.contains(qosReference)) {
            return Optional.of(SimResponse.problem3gpp(
                    403, "REQUEST_NOT_AUTHORIZED", "QoS reference " + qosReference + " is not authorised"));
        }
        return Optional.empty();
    }
}
