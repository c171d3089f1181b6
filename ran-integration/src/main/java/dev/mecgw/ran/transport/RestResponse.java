package dev.mecgw.ran.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.net.URI;
import java.util.Optional;

/**
 * A successful (2xx) answer of a network API.
 *
 * @param status HTTP status code
 * @param location the {@code Location} header resolved against the request URI, if present
 * @param body parsed JSON body; {@link MissingNode} when the answer had no body
 */
public record RestResponse(int status, Optional<URI> location, JsonNode body) {}
