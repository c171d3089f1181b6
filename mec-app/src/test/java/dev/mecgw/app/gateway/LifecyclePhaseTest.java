package dev.mecgw.app.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaParameter;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The start and stop order of the gateway: the phases' numbers follow the enum, every start-up and
 * shut-down observer of mec-app names a phase, and on shut-down the front-ends stop accepting readings
 * before the ingest drains, which happens before the store closes, so that no reading is acknowledged
 * after the store closed.
 */
class LifecyclePhaseTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages("dev.mecgw.app");
    }

    @Test
    void shouldStartInEnumOrderAndStopInReverse() {
        List<LifecyclePhase> phases = List.of(LifecyclePhase.values());

        assertThat(phases)
                .extracting(LifecyclePhase::startPriority)
                .isSortedAccordingTo(Comparator.naturalOrder())
                .doesNotHaveDuplicates();
        assertThat(phases)
                .extracting(LifecyclePhase::stopPriority)
                .isSortedAccordingTo(Comparator.reverseOrder())
                .doesNotHaveDuplicates();
        assertThat(phases)
                .startsWith(LifecyclePhase.STORE, LifecyclePhase.INGEST)
                .endsWith(LifecyclePhase.FRONT_ENDS, LifecyclePhase.REPORT);
    }

    @Test
    void shouldGiveEveryStartupObserverAPhase() {
        Map<String, Integer> observers = observers(StartupEvent.class);

        assertThat(observers).isNotEmpty();
        assertThat(observers.values())
                .allMatch(priority ->
                        Arrays.stream(LifecyclePhase.values()).anyMatch(phase -> phase.startPriority() == priority));
    }

    @Test
    void shouldCloseTheStoreOnlyAfterTheFrontEndsStoppedAndTheIngestDrained() {
        // Given the shut-down observers of the gateway, ordered as CDI runs them
        Map<String, Integer> observers = observers(ShutdownEvent.class);
        assertThat(observers.values())
                .allMatch(priority ->
                        Arrays.stream(LifecyclePhase.values()).anyMatch(phase -> phase.stopPriority() == priority));

        // Then the MQTT and CoAP listeners stop before the ingest writer drains, and that before the store stops
        int mqtt = observers.get("dev.mecgw.app.mqtt.app.MqttProducers");
        int coap = observers.get("dev.mecgw.app.coap.app.CoapLifecycle");
        int ingest = observers.get("dev.mecgw.app.ingest.app.IngestProducers");
        int store = observers.get("dev.mecgw.app.store.app.EmbeddedPostgresLifecycle");
        assertThat(Math.max(mqtt, coap)).isLessThan(ingest);
        assertThat(ingest).isLessThan(store);
        assertThat(observers.values()).allMatch(priority -> priority <= store);
    }

    /** The observers of an event type, by declaring class, with their {@code @Priority} (-1 when none). */
    private static Map<String, Integer> observers(Class<?> event) {
        return classes.stream()
                .flatMap(type -> type.getMethods().stream())
                .filter(method -> observes(method, event))
                .collect(Collectors.toMap(
                        method -> method.getOwner().getName(),
                        LifecyclePhaseTest::priority,
                        (first, second) -> first.equals(second) ? first : -1));
    }

    private static boolean observes(JavaMethod method, Class<?> event) {
        return method.getParameters().stream()
                .anyMatch(parameter ->
                        parameter.getRawType().isEquivalentTo(event) && parameter.isAnnotatedWith(Observes.class));
    }

    private static int priority(JavaMethod method) {
        return method.getParameters().stream()
                .filter(parameter -> parameter.isAnnotatedWith(Observes.class))
                .map(JavaParameter::getAnnotations)
                .flatMap(java.util.Set::stream)
                .filter(annotation -> annotation.getRawType().isEquivalentTo(Priority.class))
                .map(annotation -> (Integer) annotation.get("value").orElse(-1))
                .findFirst()
                .orElse(-1);
    }
}
