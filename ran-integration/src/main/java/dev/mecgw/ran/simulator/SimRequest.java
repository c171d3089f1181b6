package dev.mecgw.ran.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * A request as a simulated API sees it.
 *
 * @param method HTTP method
 * @param segments path segments after the API's base path, decoded
 * @param query query parameters, decoded, each with all its values
 * @param contentType request content type without parameters, or null
 * @param body parsed JSON body, or null when there was none
 */
record SimRequest(
        String method, List<String> segments, Map<String, List<String>> query, String contentType, JsonNode body) {

    boolean is(String expectedMethod, int segmentCount) {
        return method.equals(expectedMethod) && segments.size() == segmentCount;
    }

    String segment(int index) {
        return segments.get(index);
    }
}
