package dev.mecgw.ran.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Optional;

/** Simulated TS 29.522 UEId API ({@code 3gpp-ueid/v1}): UE address to external identifier. */
final class NefUeIdRoute implements SimRoute {

    private final SimulatedNetwork network;

    NefUeIdRoute(SimulatedNetwork network) {
        this.network = network;
    }

    @Override
    public String basePath() {
        return "/3gpp-ueid/v1";
    }

    @Override
    public boolean threeGpp() {
        return true;
    }

    @Override
    public SimResponse handle(SimRequest request) {
        if (!request.is("POST", 1) || !request.segment(0).equals("retrieve")) {
            return SimResponse.problem3gpp(404, null, "no such resource or method");
        }
        JsonNode body = request.body();
        Optional<String> problem =
                SimChecks.requireFields(body, "afId").or(() -> SimChecks.exactlyOne(body, "ueIpAddr", "ueMacAddr"));
        if (problem.isPresent()) {
            return SimResponse.problem3gpp(400, null, problem.get());
        }
        String ipv4 = body.path("ueIpAddr").path("ipv4Addr").asText(null);
        SimulatedUe ue = ipv4 == null ? null : network.ues.get(ipv4);
        if (ue == null) {
            return SimResponse.problem3gpp(404, null, "no UE holds this address");
        }
        return SimResponse.json(200, JsonNodeFactory.instance.objectNode().put("externalId", ue.externalId()));
    }
}
