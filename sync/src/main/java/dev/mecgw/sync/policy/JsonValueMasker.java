package dev.mecgw.sync.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Masks the values at {@link JsonPathMasks} paths inside one JSON document. */
final class JsonValueMasker {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final UnaryOperator<String> mask;

    JsonValueMasker(UnaryOperator<String> mask) {
        this.mask = mask;
    }

    /**
     * @param value the column value: JSON text (how Debezium carries json/jsonb) or an already parsed map
     * @param paths the paths to mask
     * @return the value with the matches masked, as JSON text; a value that is no JSON is masked whole, since it
     *     cannot be inspected and might hold what the paths name
     */
    Object apply(Object value, List<String> paths) {
        JsonNode root;
        try {
            root = value instanceof Map<?, ?> map ? JSON.valueToTree(map) : JSON.readTree(value.toString());
        } catch (JsonProcessingException e) {
            return mask.apply(value.toString());
        }
        for (String path : paths) {
            boolean anyDepth = path.startsWith("$..");
            String[] names = path.substring(anyDepth ? 3 : 2).split("\\.");
            visit(root, names, 0, anyDepth);
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("masked JSON cannot be written", e);
        }
    }

    private void visit(JsonNode node, String[] names, int index, boolean anyDepth) {
        if (node instanceof ArrayNode array) {
            array.forEach(element -> visit(element, names, index, anyDepth));
            return;
        }
        if (!(node instanceof ObjectNode object)) {
            return;
        }
        List<String> fields = new ArrayList<>();
        object.fieldNames().forEachRemaining(fields::add);
        for (String field : fields) {
            JsonNode child = object.get(field);
            if (field.equals(names[index])) {
                if (index == names.length - 1) {
                    object.set(field, masked(child));
                } else {
                    visit(child, names, index + 1, false);
                }
            }
            if (anyDepth && index == 0) {
                visit(child, names, 0, true);
            }
        }
    }

    private JsonNode masked(JsonNode node) {
        if (node.isNull()) {
            return node;
        }
        if (node.isValueNode()) {
            return JSON.getNodeFactory().textNode(mask.apply(node.asText()));
        }
        JsonNode copy = node.deepCopy();
        if (copy instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            List<String> names = new ArrayList<>();
            fields.forEachRemaining(e -> names.add(e.getKey()));
            names.forEach(name -> object.set(name, masked(object.get(name))));
        } else if (copy instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, masked(array.get(i)));
            }
        }
        return copy;
    }
}
