package dev.mecgw.ran.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.Optional;
import java.util.function.Supplier;

/** Simulated ETSI MEC 012 RNIS ({@code rni/v2}): cell change and RAB establishment subscriptions. */
final class RnisRoute implements SimRoute {

    private final SimulatedNetwork network;
    private final Supplier<URI> base;

    RnisRoute(SimulatedNetwork network, Supplier<URI> base) {
        this.network = network;
        this.base = base;
    }

    @Override
    public String basePath() {
        return "/rni/v2";
    }

    @Override
    public boolean threeGpp() {
        return false;
    }

    @Override
    public SimResponse handle(SimRequest request) {
        if (request.is("POST", 1) && request.segment(0).equals("subscriptions")) {
            return subscribe(request.body());
        }
        if (request.is("DELETE", 2) && request.segment(0).equals("subscriptions")) {
            return network.mecSubs.remove(request.segment(1)) != null
                    ? SimResponse.noContent()
                    : SimResponse.problemEtsi(404, "no such subscription");
        }
        return SimResponse.problemEtsi(404, "no such resource or method");
    }

    private SimResponse subscribe(JsonNode body) {
        Optional<String> problem = SimChecks.requireFields(body, "subscriptionType", "callbackReference");
        if (problem.isPresent()) {
            return SimResponse.problemEtsi(400, problem.get());
        }
        String type = body.get("subscriptionType").asText();
        String ueIpv4 = null;
        Integer qci = null;
        if (type.equals("CellChangeSubscription") && body.hasNonNull("filterCriteriaAssocHo")) {
            ueIpv4 = body.get("filterCriteriaAssocHo")
                    .path("associateId")
                    .path(0)
                    .path("value")
                    .asText(null);
        } else if (type.equals("RabEstSubscription")
                && body.path("filterCriteriaQci").has("qci")) {
            qci = body.get("filterCriteriaQci").get("qci").asInt();
        } else {
            return SimResponse.problemEtsi(
                    400,
                    "only CellChangeSubscription with filterCriteriaAssocHo and "
                            + "RabEstSubscription with filterCriteriaQci are simulated");
        }
        String id = network.newId();
        String self = base.get() + basePath() + "/subscriptions/" + id;
        network.mecSubs.put(
                id,
                new SimulatedNetwork.MecSub(
                        self, type, URI.create(body.get("callbackReference").asText()), ueIpv4, qci));
        ObjectNode resource = ((ObjectNode) body).deepCopy();
        resource.putObject("_links").putObject("self").put("href", self);
        return SimResponse.created(self, resource);
    }
}
