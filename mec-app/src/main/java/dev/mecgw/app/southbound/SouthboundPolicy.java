package dev.mecgw.app.southbound;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mecgw.app.registry.ConnectionPolicy;
import java.util.Map;
import java.util.Set;

/** {@link ConnectionPolicy} that asks each type's protocol. */
final class SouthboundPolicy implements ConnectionPolicy {

    private final Map<String, SouthboundProtocol> protocols;

    SouthboundPolicy(Map<String, SouthboundProtocol> protocols) {
        this.protocols = protocols;
    }

    @Override
    public Set<String> types() {
        return protocols.keySet();
    }

    @Override
    public CheckedConnection check(String type, JsonNode connection) {
        return protocols.get(type).check(connection);
    }
}
