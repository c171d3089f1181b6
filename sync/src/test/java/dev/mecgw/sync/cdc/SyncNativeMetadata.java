package dev.mecgw.sync.cdc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The sync jar's native-image metadata ({@code META-INF/native-image/dev.mecgw/sync}) as the tests read it: the
 * classes registered for reflection with their constructors, the resource patterns, the JNI classes.
 */
record SyncNativeMetadata(Map<String, JsonNode> reflect, List<Pattern> resources, Set<String> jni) {

    static final String DIR = "META-INF/native-image/dev.mecgw/sync/";

    static SyncNativeMetadata load() {
        Map<String, JsonNode> reflect = new HashMap<>();
        read("reflect-config.json")
                .forEach(entry -> reflect.put(entry.get("name").asText(), entry));
        List<Pattern> resources = new ArrayList<>();
        read("resource-config.json")
                .get("resources")
                .get("includes")
                .forEach(entry ->
                        resources.add(Pattern.compile(entry.get("pattern").asText())));
        Set<String> jni = new TreeSet<>();
        read("jni-config.json").forEach(entry -> jni.add(entry.get("name").asText()));
        return new SyncNativeMetadata(reflect, resources, jni);
    }

    Set<String> reflected() {
        return reflect.keySet();
    }

    /** Whether {@code type} is registered with a constructor taking no argument (or all constructors). */
    boolean hasNoArgConstructor(String type) {
        JsonNode entry = reflect.get(type);
        if (entry == null) {
            return false;
        }
        if (entry.path("allDeclaredConstructors").asBoolean()
                || entry.path("allPublicConstructors").asBoolean()) {
            return true;
        }
        for (JsonNode method : entry.path("methods")) {
            if (method.path("name").asText().equals("<init>")
                    && method.path("parameterTypes").isEmpty()) {
                return true;
            }
        }
        return false;
    }

    boolean includesResource(String name) {
        return resources.stream().anyMatch(p -> p.matcher(name).matches());
    }

    private static JsonNode read(String file) {
        try (InputStream in = SyncNativeMetadata.class.getClassLoader().getResourceAsStream(DIR + file)) {
            if (in == null) {
                throw new IllegalStateException(DIR + file + " is not on the class path");
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
