package dev.mecgw.app.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaAnnotation;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.domain.JavaMethodReference;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaParameter;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.mecgw.app.gateway.app.GatewayProducers;
import dev.mecgw.app.sync.CloudSync;
import dev.mecgw.inference.model.FileModelRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The start and stop order of the gateway, read from the compiled classes: the phases' numbers follow the enum; every
 * start-up and shut-down observer and every {@code @Startup} producer of mec-app names a phase; on shut-down the
 * front-ends stop accepting readings before the ingest drains, the ingest before the writers flush, and the writers
 * before the store closes; nothing that uses the store is closed by a CDI disposer (disposers run after the store
 * closed); and every class with a {@code @Scheduled} method stops in a phase (the scheduler itself stops only in
 * {@code @PreDestroy}), through a {@link PhaseGate} that the phase's stop closes (review 9, 4.1: a stop flag of the
 * job's own let a run in flight outlive its phase): a gate of its own, or {@link CloudSync}'s, which
 * {@link CloudSync#stop()} closes (review 10, 4: the sync timers held both, and one hung run cost both bounds); and
 * every gate waits within the one {@link StopDeadline} that the first stop phase starts. It cannot see what a job does
 * inside the gate: that the stop really leaves the store alone is shown on the packaged gateway by
 * {@code LifecyclePhaseIT}.
 */
class LifecyclePhaseTest {

    /** Types a disposer may close: they touch no store (the model registry's ONNX sessions and files). */
    private static final Set<Class<?>> CLOSED_BY_DISPOSERS = Set.of(FileModelRegistry.class);

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
                .startsWith(LifecyclePhase.STORE, LifecyclePhase.WRITERS, LifecyclePhase.INGEST)
                .endsWith(LifecyclePhase.FRONT_ENDS, LifecyclePhase.REPORT);
    }

    @Test
    void shouldGiveEveryStartupObserverAndStartupProducerAPhase() {
        Map<String, Integer> observers = observers(StartupEvent.class);
        Map<String, Integer> producers = startupProducers();

        assertThat(observers).isNotEmpty();
        assertThat(producers).isNotEmpty();
        assertThat(Stream.concat(observers.values().stream(), producers.values().stream()))
                .allMatch(priority ->
                        Arrays.stream(LifecyclePhase.values()).anyMatch(phase -> phase.startPriority() == priority));
    }

    @Test
    void shouldCloseTheStoreOnlyAfterTheFrontEndsStoppedTheIngestDrainedAndTheWritersFlushed() {
        // Given the shut-down observers of the gateway, ordered as CDI runs them
        Map<String, Integer> observers = observers(ShutdownEvent.class);
        assertThat(observers.values())
                .allMatch(priority ->
                        Arrays.stream(LifecyclePhase.values()).anyMatch(phase -> phase.stopPriority() == priority));

        // Then the MQTT and CoAP listeners and the camera pulls stop before the ingest writer drains
        int frontEnds = Stream.of(
                        "dev.mecgw.app.mqtt.app.MqttProducers.onStop",
                        "dev.mecgw.app.coap.app.CoapLifecycle.onStop",
                        "dev.mecgw.app.inference.app.CameraPullSchedule.onStop")
                .mapToInt(observers::get)
                .max()
                .orElseThrow();
        int ingest = observers.get("dev.mecgw.app.ingest.app.IngestProducers.onStop");
        assertThat(frontEnds).isLessThan(ingest);
        // and the rejected-payload aggregates and the command dispatcher close after that, before the store stops
        int rejections = observers.get("dev.mecgw.app.events.app.EventProducers.onStop");
        int commands = observers.get("dev.mecgw.app.twin.app.CommandLifecycle.onClose");
        int store = observers.get("dev.mecgw.app.store.app.EmbeddedPostgresLifecycle.onStop");
        assertThat(ingest).isLessThan(Math.min(rejections, commands));
        assertThat(Math.max(rejections, commands)).isLessThan(store);
        assertThat(observers.values()).allMatch(priority -> priority <= store);
    }

    @Test
    void shouldLeaveToDisposersOnlyWhatTouchesNoStore() {
        // Disposers run after every ShutdownEvent observer, so after the store closed
        List<String> disposed = classes.stream()
                .flatMap(type -> type.getMethods().stream())
                .flatMap(method -> method.getParameters().stream())
                .filter(parameter -> parameter.isAnnotatedWith(Disposes.class))
                .map(parameter -> parameter.getRawType().getName())
                .toList();

        assertThat(disposed)
                .isNotEmpty()
                .allMatch(type -> CLOSED_BY_DISPOSERS.stream()
                        .anyMatch(allowed -> allowed.getName().equals(type)));
    }

    @Test
    void shouldStopEveryScheduledJobInAPhase() {
        // Given the scheduled jobs by class (the scheduler stops in @PreDestroy, after the store closed)
        Map<String, List<JavaMethod>> jobsByClass = scheduledJobs().stream()
                .collect(Collectors.groupingBy(job -> job.getOwner().getName()));
        Set<String> gatedBySync = cloudSyncGatedWork();
        Map<String, List<JavaMethod>> stopObservers = classes.stream()
                .flatMap(type -> type.getMethods().stream())
                .filter(method -> observes(method, ShutdownEvent.class))
                .collect(Collectors.groupingBy(method -> method.getOwner().getName()));

        // Then each class turns its jobs off in a phase's stop, or runs every job through CloudSync's gated work,
        // which SYNC's stop of CloudSync turns off and which then needs no stop of the class's own
        assertThat(jobsByClass).isNotEmpty();
        assertThat(jobsByClass)
                .allSatisfy((type, jobs) -> assertThat(stopObservers.containsKey(type)
                                || jobs.stream().allMatch(job -> callsAnyOf(job, gatedBySync)))
                        .as(type + " observes ShutdownEvent, or runs every job through CloudSync's gated work")
                        .isTrue());
        assertThat(shutdownObserversCalling(CloudSync.class.getName() + ".stop"))
                .as("a shut-down observer stops CloudSync")
                .isNotEmpty();
        // and a stop observer such a class keeps does something (an empty one would satisfy the rule above)
        assertThat(jobsByClass.keySet().stream().flatMap(type -> stopObservers.getOrDefault(type, List.of()).stream()))
                .allSatisfy(observer ->
                        assertThat(calls(observer)).as(observer.getFullName()).isNotEmpty());
    }

    @Test
    void shouldRunEveryScheduledJobThroughAPhaseGateItsStopCloses() {
        // Given every scheduled method of the gateway, and CloudSync's work that runs through its gate
        List<JavaMethod> jobs = scheduledJobs();
        assertThat(jobs).isNotEmpty();
        Set<String> gatedBySync = cloudSyncGatedWork();
        assertThat(gatedBySync)
                .contains(
                        CloudSync.class.getName() + ".probeBackhaul",
                        CloudSync.class.getName() + ".sampleBacklog",
                        CloudSync.class.getName() + ".guardDisk",
                        CloudSync.class.getName() + ".whileRunning")
                .doesNotContain(CloudSync.class.getName() + ".status");

        // Then each runs its work through a gate: its class's own, or CloudSync's
        String gateRun = PhaseGate.class.getName() + ".run";
        assertThat(jobs)
                .allSatisfy(job -> assertThat(
                                callsAnyOf(job, gatedBySync) || calls(job).contains(gateRun))
                        .as(job.getFullName() + " runs through a PhaseGate")
                        .isTrue());
        // and through one gate only: a gate inside another adds a second close bound to one hung run (review 10, 4)
        assertThat(jobs)
                .allSatisfy(job -> assertThat(
                                callsAnyOf(job, gatedBySync) && calls(job).contains(gateRun))
                        .as(job.getFullName() + " runs through two gates")
                        .isFalse());
        // and a class with a gate of its own closes it in a shut-down observer
        assertThat(jobs.stream()
                        .filter(job -> calls(job).contains(gateRun))
                        .map(JavaMethod::getOwner)
                        .distinct())
                .allSatisfy(type -> assertThat(type.getMethods().stream()
                                .filter(method -> observes(method, ShutdownEvent.class))
                                .flatMap(method -> calls(method).stream()))
                        .as(type.getName())
                        .contains(PhaseGate.class.getName() + ".close"));
        // and CloudSync's stop, which a shut-down observer calls, closes CloudSync's gate
        assertThat(calls(classes.get(CloudSync.class).getMethod("stop")))
                .contains(PhaseGate.class.getName() + ".close");
    }

    @Test
    void shouldGiveEveryGateTheOneDeadlineThatTheFirstStopPhaseStarts() {
        // Given where the gateway builds a shutdown deadline
        List<String> builders = classes.stream()
                .flatMap(type -> type.getConstructorCallsFromSelf().stream())
                .filter(call -> call.getTargetOwner().isEquivalentTo(StopDeadline.class))
                .filter(call -> !call.getOriginOwner().isEquivalentTo(StopDeadline.class))
                .map(call -> call.getOrigin().getFullName())
                .distinct()
                .toList();

        // Then one producer builds it, so that every gate waits within the same deadline (review 10, 4: gates closed
        // one after the other added their bounds up past ExitHook's 60 s)
        assertThat(builders).singleElement().asString().startsWith(GatewayProducers.class.getName() + ".stopDeadline");
        // and the first stop phase starts it
        assertThat(shutdownObserversCalling(StopDeadline.class.getName() + ".start"))
                .singleElement()
                .satisfies(observer -> assertThat(observers(ShutdownEvent.class))
                        .containsEntry(
                                observer.substring(0, observer.indexOf('(')), LifecyclePhase.REPORT.stopPriority()));
        assertThat(LifecyclePhase.REPORT.stopPriority())
                .isEqualTo(Arrays.stream(LifecyclePhase.values())
                        .mapToInt(LifecyclePhase::stopPriority)
                        .min()
                        .orElseThrow());
    }

    private static List<JavaMethod> scheduledJobs() {
        return classes.stream()
                .flatMap(type -> type.getMethods().stream())
                .filter(method -> method.isAnnotatedWith(Scheduled.class))
                .toList();
    }

    /** CloudSync's public methods that run their work through a gate (its timers' gate, which its stop closes). */
    private static Set<String> cloudSyncGatedWork() {
        return classes.get(CloudSync.class).getMethods().stream()
                .filter(method -> method.getModifiers().contains(JavaModifier.PUBLIC))
                .filter(method -> calls(method).contains(PhaseGate.class.getName() + ".run"))
                .map(method -> CloudSync.class.getName() + "." + method.getName())
                .collect(Collectors.toSet());
    }

    private static boolean callsAnyOf(JavaMethod method, Set<String> targets) {
        return calls(method).stream().anyMatch(targets::contains);
    }

    /** The shut-down observers, by declaring class and method name, whose body calls {@code target}. */
    private static List<String> shutdownObserversCalling(String target) {
        return classes.stream()
                .flatMap(type -> type.getMethods().stream())
                .filter(method -> observes(method, ShutdownEvent.class))
                .filter(method -> calls(method).contains(target))
                .map(JavaMethod::getFullName)
                .toList();
    }

    /**
     * What a method calls, in its body or its lambdas, or passes as a method reference (which runs too, as in
     * {@code gate.run(sync::guardDisk)}), as {@code owner.name}.
     */
    private static List<String> calls(JavaMethod method) {
        return Stream.concat(
                        method.getMethodCallsFromSelf().stream().map(JavaMethodCall::getTarget),
                        method.getMethodReferencesFromSelf().stream().map(JavaMethodReference::getTarget))
                .map(target -> target.getOwner().getName() + "." + target.getName())
                .toList();
    }

    /** The observers of an event type, by declaring class and method name, with their {@code @Priority} (-1: none). */
    private static Map<String, Integer> observers(Class<?> event) {
        return classes.stream()
                .flatMap(type -> type.getMethods().stream())
                .filter(method -> observes(method, event))
                .collect(Collectors.toMap(
                        method -> method.getOwner().getName() + "." + method.getName(),
                        LifecyclePhaseTest::priority,
                        (first, second) -> first.equals(second) ? first : -1));
    }

    /** The {@code @Startup} producers and beans, by name, with their {@code @Startup} value. */
    private static Map<String, Integer> startupProducers() {
        Stream<Map.Entry<String, JavaAnnotation<?>>> methods = classes.stream()
                .flatMap(type -> type.getMethods().stream())
                .filter(method -> method.isAnnotatedWith(Startup.class))
                .map(method -> Map.entry(method.getFullName(), method.getAnnotationOfType(Startup.class.getName())));
        Stream<Map.Entry<String, JavaAnnotation<?>>> types = classes.stream()
                .filter(type -> type.isAnnotatedWith(Startup.class))
                .map(type -> Map.entry(type.getName(), type.getAnnotationOfType(Startup.class.getName())));
        return Stream.concat(methods, types).collect(Collectors.toMap(Map.Entry::getKey, entry ->
                (Integer) entry.getValue().get("value").orElse(-1)));
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
