package dev.mecgw.ran.mec;

import java.net.URI;
import java.util.Objects;

/**
 * The MEC platform (Mp1 reference point) and the application instance the gateway runs as.
 *
 * @param apiRoot root under which the ETSI APIs are served, e.g. {@code https://mep.example}; the API names
 *     ({@code mec_app_support/v1}, {@code mec_service_mgmt/v1}, {@code rni/v2}, {@code location/v2}) follow it
 * @param appInstanceId our application instance id, given by the MEC platform at instantiation
 */
public record MecPlatform(URI apiRoot, String appInstanceId) {

    /** Rejects a missing root or instance id. */
    public MecPlatform {
        Objects.requireNonNull(apiRoot, "apiRoot");
        Objects.requireNonNull(appInstanceId, "appInstanceId");
    }

    /** {@code {apiRoot}/<api>/<path>}. */
    URI resolve(String api, String path) {
        return URI.create(apiRoot.toString().replaceAll("/+$", "") + "/" + api + "/" + path);
    }
}
