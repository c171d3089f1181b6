package dev.mecgw.ran.nef;

import java.net.URI;
import java.util.Objects;

/**
 * Where the NEF northbound APIs live and who we are to them.
 *
 * @param apiRoot the {@code {apiRoot}} of TS 29.122 clause 5.2.4, e.g. {@code https://nef.example:8443}
 * @param scsAsId our AF / SCS/AS identifier, as provisioned at the NEF
 */
public record NefApi(URI apiRoot, String scsAsId) {

    /** Rejects a missing root or identifier. */
    public NefApi {
        Objects.requireNonNull(apiRoot, "apiRoot");
        Objects.requireNonNull(scsAsId, "scsAsId");
    }

    /** {@code {apiRoot}/<api>/v1/<path>} with the path segments appended. */
    URI resolve(String api, String path) {
        String root = apiRoot.toString().replaceAll("/+$", "");
        return URI.create(root + "/" + api + "/v1/" + path);
    }
}
