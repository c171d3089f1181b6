package dev.mecgw.ran.simulator;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Simulated ETSI MEC 013 Location API ({@code location/v2}): one zone per site, cells as access points.
 */
final class LocationRoute implements SimRoute {

    static final String ZONE = "zone-site";

    private final SimulatedNetwork network;
    private final Supplier<URI> base;
    private final Clock clock;

    LocationRoute(SimulatedNetwork network, Supplier<URI> base, Clock clock) {
        this.network = network;
        this.base = base;
        this.clock = clock;
    }

    @Override
    public String basePath() {
        return "/location/v2";
    }

    @Override
    public boolean threeGpp() {
        return false;
    }

    @Override
    public SimResponse handle(SimRequest request) {
        if (request.is("GET", 2)
                && request.segment(0).equals("queries")
                && request.segment(1).equals("zones")) {
            return zones();
        }
        if (request.is("GET", 2)
                && request.segment(0).equals("queries")
                && request.segment(1).equals("users")) {
            return users(Set.copyOf(request.query().getOrDefault("address", List.of())));
        }
        return SimResponse.problemEtsi(404, "no such resource or method");
    }

    private SimResponse zones() {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ObjectNode list = body.putObject("zoneList");
        list.put("resourceURL", base.get() + basePath() + "/queries/zones");
        ObjectNode zone = list.putArray("zone").addObject();
        zone.put("zoneId", ZONE);
        zone.put(
                "numberOfAccessPoints",
                network.ues.values().stream()
                        .map(SimulatedUe::cellId)
                        .distinct()
                        .count());
        zone.put("numberOfUnserviceableAccessPoints", 0);
        zone.put(
                "numberOfUsers",
                network.ues.values().stream().filter(SimulatedUe::connected).count());
        zone.put("resourceURL", base.get() + basePath() + "/queries/zones/" + ZONE);
        return SimResponse.json(200, body);
    }

    private SimResponse users(Set<String> addresses) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ObjectNode list = body.putObject("userList");
        list.put("resourceURL", base.get() + basePath() + "/queries/users");
        var users = list.putArray("user");
        for (SimulatedUe ue : network.ues.values()) {
            String address = "acr:" + ue.ipv4();
            if (ue.connected() && (addresses.isEmpty() || addresses.contains(address))) {
                ObjectNode user = users.addObject();
                user.put("address", address);
                user.put("accessPointId", ue.cellId());
                user.put("zoneId", ZONE);
                user.put("resourceURL", base.get() + basePath() + "/queries/users?address=" + address);
                user.set("timestamp", SimNotifications.timeStamp(clock.instant()));
            }
        }
        return SimResponse.json(200, body);
    }
}
