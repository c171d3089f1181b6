package dev.mecgw.sync.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 22: what the sync jar's native-image metadata promises, checked against the jars on the class path. Quarkus
 * builds with GraalVM's automatic service registration off, so a service file Debezium reads must be a resource and
 * each of its providers must be registered with its constructor, or the executable's {@code ServiceLoader} fails.
 * {@link NativeMetadataIT} finds which service files and classes a real capture looks up; this test fails when a
 * library upgrade adds a provider to one of those files.
 */
class SyncNativeMetadataTest {

    private final SyncNativeMetadata metadata = SyncNativeMetadata.load();

    @Test
    void shouldRegisterEveryProviderWhenAServiceFileIsIncluded() throws IOException {
        // given: the service files the metadata includes as resources
        List<String> services = includedServiceFiles();
        assertThat(services).contains("META-INF/services/io.debezium.engine.DebeziumEngine$BuilderFactory");
        // when: every jar's copy of each file is read
        List<String> providers = new ArrayList<>();
        for (String service : services) {
            for (URL url : Collections.list(getClass().getClassLoader().getResources(service))) {
                providers.addAll(providersIn(url));
            }
        }
        // then
        assertThat(providers)
                .contains("io.debezium.embedded.async.ConvertingAsyncEngineBuilderFactory")
                .allSatisfy(provider -> assertThat(metadata.hasNoArgConstructor(provider))
                        .as("reflect-config.json registers the constructor of %s", provider)
                        .isTrue());
    }

    @Test
    void shouldIncludeZstdLibraryWhenZstdIsTheDefaultCompression() {
        // the JNI library zstd-jni extracts for this platform (its Native.resourceName)
        String library = "linux/amd64/libzstd-jni-" + com.github.luben.zstd.util.ZstdVersion.VERSION + ".so";
        assertThat(getClass().getClassLoader().getResource(library)).isNotNull();
        assertThat(metadata.includesResource(library)).isTrue();
        assertThat(metadata.jni())
                .contains(
                        "com.github.luben.zstd.ZstdOutputStreamNoFinalizer",
                        "com.github.luben.zstd.ZstdInputStreamNoFinalizer");
    }

    @Test
    void shouldRegisterOffsetStoreAndConnectorWhenEngineNamesThem() {
        assertThat(metadata.hasNoArgConstructor(PostgresOffsetBackingStore.class.getName()))
                .isTrue();
        assertThat(metadata.hasNoArgConstructor("io.debezium.connector.postgresql.PostgresConnector"))
                .isTrue();
        // the connector hands its task over as a Class, not a name, so no class loader sees it being looked up
        assertThat(metadata.hasNoArgConstructor("io.debezium.connector.postgresql.PostgresConnectorTask"))
                .isTrue();
    }

    private List<String> includedServiceFiles() {
        List<String> services = new ArrayList<>();
        for (Pattern pattern : metadata.resources()) {
            String literal = pattern.pattern();
            if (literal.startsWith("\\QMETA-INF/services/") && literal.endsWith("\\E")) {
                services.add(literal.substring(2, literal.length() - 2));
            }
        }
        return services;
    }

    private static List<String> providersIn(URL url) throws IOException {
        List<String> providers = new ArrayList<>();
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(url.openStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                String provider = line.replaceAll("#.*", "").trim();
                if (!provider.isEmpty()) {
                    providers.add(provider);
                }
            }
        }
        return providers;
    }
}
