package dev.mecgw.ran.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.Optional;
import java.util.function.Supplier;

/** Simulated ETSI MEC 011 service management API ({@code mec_service_mgmt/v1}): service registration. */
final class MecServiceMgmtRoute implements SimRoute {

    private final SimulatedNetwork network;
    private final Supplier<URI> base;

    MecServiceMgmtRoute(SimulatedNetwork network, Supplier<URI> base) {
        this.network = network;
        this.base = base;
    }

    @Override
    public String basePath() {
        return "/mec_service_mgmt/v1";
    }

    @Override
    public boolean threeGpp() {
        return false;
    }

    @Override
    public SimResponse handle(SimRequest request) {
        boolean services = request.segments().size() >= 3
                && request.segment(0).equals("applications")
                && request.segment(2).equals("services");
        if (services && request.is("POST", 3)) {
            return register(request.segment(1), request.body());
        }
        if (services && request.is("GET", 4)) {
            JsonNode service = network.services.get(request.segment(3));
            return service != null ? SimResponse.json(200, service) : SimResponse.problemEtsi(404, "no such service");
        }
        if (services && request.is("DELETE", 4)) {
            return network.services.remove(request.segment(3)) != null
                    ? SimResponse.noContent()
                    : SimResponse.problemEtsi(404, "no such service");
        }
        return SimResponse.problemEtsi(404, "no such resource or method");
    }

    private SimResponse register(String app, JsonNode body) {
        Optional<String> problem =
                SimChecks.requireFields(body, "serName", "version", "state", "transportInfo", "serializer");
        if (problem.isPresent()) {
            return SimResponse.problemEtsi(400, problem.get());
        }
        if (body.has("serInstanceId")) {
            // MEC 011 clause 8.2.6.3.4: the platform assigns the instance id.
            return SimResponse.problemEtsi(400, "serInstanceId must not be sent");
        }
        String id = network.newId();
        ObjectNode resource = ((ObjectNode) body).deepCopy();
        resource.put("serInstanceId", id);
        network.services.put(id, resource);
        return SimResponse.created(base.get() + basePath() + "/applications/" + app + "/services/" + id, resource);
    }
}
