package dev.mecgw.ran.mec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mecgw.ran.transport.JdkRestTransport;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Client of ETSI GS MEC 013 Location ({@code location/v2}): zones of the site and where a UE is. */
public class LocationClient {

    private static final String API = "location/v2";

    private final JdkRestTransport http;
    private final MecPlatform platform;

    /** Uses {@code http} to reach {@code platform}. */
    public LocationClient(JdkRestTransport http, MecPlatform platform) {
        this.http = http;
        this.platform = platform;
    }

    /** {@code GET /queries/zones}: the zone ids. */
    public CompletableFuture<List<String>> zones() {
        return http.send("GET", platform.resolve(API, "queries/zones"), null).thenApply(response -> {
            List<String> zones = new ArrayList<>();
            response.body()
                    .path("zoneList")
                    .path("zone")
                    .forEach(zone -> zones.add(zone.path("zoneId").asText()));
            return List.copyOf(zones);
        });
    }

    /**
     * {@code GET /queries/users?address=acr:<ip>}: the zone and access point of one UE.
     *
     * @return empty when the platform does not locate the UE
     */
    public CompletableFuture<Optional<UserLocation>> locate(String ueAddress) {
        String address = ueAddress.startsWith("acr:") ? ueAddress : "acr:" + ueAddress;
        URI uri = platform.resolve(API, "queries/users?address=" + URLEncoder.encode(address, StandardCharsets.UTF_8));
        return http.send("GET", uri, null).thenApply(response -> {
            for (JsonNode user : response.body().path("userList").path("user")) {
                if (address.equals(user.path("address").asText())) {
                    return Optional.of(new UserLocation(
                            address,
                            user.path("zoneId").asText(),
                            user.path("accessPointId").asText()));
                }
            }
            return Optional.<UserLocation>empty();
        });
    }
}
