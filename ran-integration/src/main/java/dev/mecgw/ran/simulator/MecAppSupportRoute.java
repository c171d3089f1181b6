package dev.mecgw.ran.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.Optional;
import java.util.function.Supplier;

/** Simulated ETSI MEC 011 application support API ({@code mec_app_support/v1}). */
final class MecAppSupportRoute implements SimRoute {

    private final SimulatedNetwork network;
    private final Supplier<URI> base;

    MecAppSupportRoute(SimulatedNetwork network, Supplier<URI> base) {
        this.network = network;
        this.base = base;
    }

    @Override
    public String basePath() {
        return "/mec_app_support/v1";
    }

    @Override
    public boolean threeGpp() {
        return false;
    }

    @Override
    public SimResponse handle(SimRequest request) {
        if (request.segments().size() < 3 || !request.segment(0).equals("applications")) {
            return SimResponse.problemEtsi(404, "no such resource");
        }
        String app = request.segment(1);
        String resource = request.segment(2);
        if (request.is("POST", 3) && resource.equals("confirm_ready")) {
            if (!"READY"
                    .equals(
                            request.body() == null
                                    ? null
                                    : request.body().path("indication").asText())) {
                return SimResponse.problemEtsi(400, "indication must be READY");
            }
            return network.readyApps.add(app)
                    ? SimResponse.noContent()
                    : SimResponse.problemEtsi(409, "the application instance is already ready");
        }
        if (request.is("POST", 3) && resource.equals("confirm_termination")) {
            Optional<String> problem = SimChecks.requireFields(request.body(), "operationAction");
            return problem.map(p -> SimResponse.problemEtsi(400, p)).orElseGet(SimResponse::noContent);
        }
        if (request.is("GET", 3) && resource.equals("traffic_rules")) {
            return SimResponse.json(200, trafficRules());
        }
        if (request.is("POST", 3) && resource.equals("subscriptions")) {
            return subscribe(app, request.body());
        }
        if (request.is("DELETE", 4) && resource.equals("subscriptions")) {
            return network.mecSubs.remove(request.segment(3)) != null
                    ? SimResponse.noContent()
                    : SimResponse.problemEtsi(404, "no such subscription");
        }
        return SimResponse.problemEtsi(404, "no such resource or method");
    }

    private SimResponse subscribe(String app, JsonNode body) {
        Optional<String> problem =
                SimChecks.requireFields(body, "subscriptionType", "callbackReference", "appInstanceId");
        if (problem.isPresent()) {
            return SimResponse.problemEtsi(400, problem.get());
        }
        if (!"AppTerminationNotificationSubscription"
                .equals(body.get("subscriptionType").asText())) {
            return SimResponse.problemEtsi(400, "subscriptionType must be AppTerminationNotificationSubscription");
        }
        String id = network.newId();
        String self = base.get() + basePath() + "/applications/" + app + "/subscriptions/" + id;
        network.mecSubs.put(
                id,
                new SimulatedNetwork.MecSub(
                        self,
                        body.get("subscriptionType").asText(),
                        URI.create(body.get("callbackReference").asText()),
                        null,
                        null));
        ObjectNode resource = ((ObjectNode) body).deepCopy();
        resource.putObject("_links").putObject("self").put("href", self);
        return SimResponse.created(self, resource);
    }

    private static ArrayNode trafficRules() {
        ArrayNode rules = JsonNodeFactory.instance.arrayNode();
        ObjectNode rule = rules.addObject();
        rule.put("trafficRuleId", "mecgw-local-breakout");
        rule.put("filterType", "FLOW");
        rule.put("priority", 1);
        ObjectNode filter = rule.putArray("trafficFilter").addObject();
        filter.putArray("dstAddress").add("10.45.0.1");
        filter.putArray("dstPort").add("1883").add("5684");
        rule.put("action", "PASSTHROUGH");
        rule.put("state", "ACTIVE");
        return rules;
    }
}
