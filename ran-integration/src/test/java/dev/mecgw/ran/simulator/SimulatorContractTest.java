package dev.mecgw.ran.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.ran.mec.LocationClient;
import dev.mecgw.ran.mec.MecAppSupportClient;
import dev.mecgw.ran.mec.MecPlatform;
import dev.mecgw.ran.mec.MecServiceMgmtClient;
import dev.mecgw.ran.mec.MecServiceRegistration;
import dev.mecgw.ran.mec.RnisClient;
import dev.mecgw.ran.nef.MonitoringSubscriptionRequest;
import dev.mecgw.ran.nef.MonitoringType;
import dev.mecgw.ran.nef.NefApi;
import dev.mecgw.ran.nef.NefAsSessionWithQosClient;
import dev.mecgw.ran.nef.NefMonitoringEventClient;
import dev.mecgw.ran.nef.NefSubscription;
import dev.mecgw.ran.nef.NefUeIdClient;
import dev.mecgw.ran.nef.QosSessionRequest;
import dev.mecgw.ran.transport.JdkRestTransport;
import dev.mecgw.ran.transport.NetworkApiException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Contract test (issue 7): drives every client against the simulator through every scenario event and
 * validates each request our clients sent, each response the simulator gave and each notification it
 * posted against the OpenAPI files.
 */
class SimulatorContractTest {

    private static OpenApiContract contract;
    private static final List<SimExchange> EXCHANGES = new CopyOnWriteArrayList<>();
    private static NetworkSimulator simulator;
    private static CallbackReceiver callbacks;

    @BeforeAll
    static void givenEveryApiExercised() {
        // First, so that without the spec fixtures the class is skipped before anything starts.
        contract = new OpenApiContract();
        simulator = NetworkSimulator.startLocal();
        simulator.onExchange(EXCHANGES::add);
        callbacks = new CallbackReceiver();
        JdkRestTransport http = new JdkRestTransport(new ObjectMapper(), Duration.ofSeconds(5), Optional.empty());
        NefApi nef = new NefApi(simulator.baseUri(), "mecgw-site-1");
        MecPlatform mep = new MecPlatform(simulator.baseUri(), "app-4711");
        exerciseNef(http, nef);
        exerciseMec(http, mep);
        // attach x2 (reachability, location), move (location, cell change), lose (loss, QoS termination),
        // regain, QoS grant, RAB x3 (default bearers, granted), termination, cancellation x3.
        await().atMost(Duration.ofSeconds(10)).until(() -> count(SimExchange.Kind.NOTIFICATION) >= 15);
    }

    private static void exerciseNef(JdkRestTransport http, NefApi nef) {
        NefMonitoringEventClient monitoring = new NefMonitoringEventClient(http, nef);
        Instant expiry = Instant.now().plus(Duration.ofHours(1));
        for (MonitoringType type : List.of(
                MonitoringType.LOSS_OF_CONNECTIVITY,
                MonitoringType.UE_REACHABILITY,
                MonitoringType.LOCATION_REPORTING)) {
            monitoring
                    .subscribe(new MonitoringSubscriptionRequest(
                            type, null, "site@site.example", callbacks.uri("/nef/" + type), expiry))
                    .join();
        }
        NefSubscription single = monitoring
                .subscribe(new MonitoringSubscriptionRequest(
                        MonitoringType.LOSS_OF_CONNECTIVITY,
                        "cam-1@site.example",
                        null,
                        callbacks.uri("/nef/one"),
                        expiry))
                .join();
        monitoring
                .update(
                        single,
                        new MonitoringSubscriptionRequest(
                                MonitoringType.LOSS_OF_CONNECTIVITY,
                                "cam-1@site.example",
                                null,
                                callbacks.uri("/nef/one"),
                                expiry.plus(Duration.ofHours(1))))
                .join();
        monitoring.unsubscribe(single).join();
        assertThatThrownBy(() -> monitoring
                        .update(
                                single,
                                new MonitoringSubscriptionRequest(
                                        MonitoringType.LOSS_OF_CONNECTIVITY,
                                        "cam-1@site.example",
                                        null,
                                        callbacks.uri("/nef/one"),
                                        expiry))
                        .join())
                .hasCauseInstanceOf(NetworkApiException.class);
        simulator.attach(new SimulatedUe(
                "10.45.0.2", "cam-1@site.example", "site@site.example", 1, "000001", "000000001", true));
        NefUeIdClient ueId = new NefUeIdClient(http, nef);
        assertThat(ueId.externalIdOf(address("10.45.0.2")).join()).contains("cam-1@site.example");
        assertThat(ueId.externalIdOf(address("10.45.0.99")).join()).isEmpty();
        NefAsSessionWithQosClient qos = new NefAsSessionWithQosClient(http, nef);
        QosSessionRequest request = new QosSessionRequest(
                "10.45.0.2", List.of("permit out 17 from 192.0.2.10 to 10.45.0.2"), "qos-video", callbacks.uri("/qos"));
        NefSubscription session = qos.create(request).join();
        qos.changeQos(session, "qos-video-hd").join();
        qos.delete(session).join();
        simulator.refuseQos("qos-uhd");
        assertThatThrownBy(() -> qos.create(new QosSessionRequest(
                                "10.45.0.2", request.flowDescriptions(), "qos-uhd", callbacks.uri("/qos")))
                        .join())
                .hasCauseInstanceOf(NetworkApiException.class);
        qos.create(request).join();
    }

    private static void exerciseMec(JdkRestTransport http, MecPlatform mep) {
        MecAppSupportClient support = new MecAppSupportClient(http, mep);
        support.confirmReady().join();
        assertThat(support.trafficRules().join()).hasSize(1);
        URI termination =
                support.subscribeTermination(callbacks.uri("/mec/termination")).join();
        MecServiceMgmtClient services = new MecServiceMgmtClient(http, mep);
        URI service = services.register(new MecServiceRegistration(
                        "mecgw-telemetry", "1.0", URI.create("http://10.45.0.1:8080/api/v1")))
                .join();
        RnisClient rnis = new RnisClient(http, mep);
        URI cell = rnis.subscribeCellChange(callbacks.uri("/mec/cell"), "10.45.0.2")
                .join();
        rnis.subscribeRabEstablishment(callbacks.uri("/mec/rab"), 9).join();
        rnis.subscribeRabEstablishment(callbacks.uri("/mec/rab-granted"), NefQosRoute.GRANTED_QCI)
                .join();
        simulator.attach(new SimulatedUe(
                "10.45.0.3", "temp-1@site.example", "site@site.example", 1, "000001", "000000001", true));
        LocationClient location = new LocationClient(http, mep);
        assertThat(location.zones().join()).containsExactly(LocationRoute.ZONE);
        assertThat(location.locate("10.45.0.3").join())
                .hasValueSatisfying(user -> assertThat(user.accessPointId()).isEqualTo("000000001"));
        simulator.moveToCell("10.45.0.2", "000000002");
        simulator.loseConnectivity("10.45.0.2");
        simulator.regainConnectivity("10.45.0.2");
        simulator.requestAppTermination("app-4711");
        support.confirmTermination("TERMINATING").join();
        // what the gateway's MecHandshake deletes on stop (the simulator picked each notification's recipients
        // when the event happened, so the notifications above are still delivered)
        support.unsubscribe(termination).join();
        services.deregister(service).join();
        rnis.unsubscribe(cell).join();
        simulator.cancelMonitoring();
    }

    @Test
    void shouldConformToTheSpecsWhenClientsSendRequests() {
        // given every request recorded above
        List<String> violations = new ArrayList<>();
        // when each is checked against its operation
        EXCHANGES.stream()
                .filter(e -> e.kind() == SimExchange.Kind.REQUEST)
                .forEach(e ->
                        contract.violations(e).forEach(v -> violations.add(e.method() + " " + e.uri() + ": " + v)));
        // then none breaks the contract
        assertThat(count(SimExchange.Kind.REQUEST)).isGreaterThanOrEqualTo(20);
        assertThat(violations).isEmpty();
    }

    @Test
    void shouldConformToTheSpecsWhenSimulatorResponds() {
        // given every response recorded above
        List<String> violations = new ArrayList<>();
        // when each is checked against the declared responses of its operation
        EXCHANGES.stream()
                .filter(e -> e.kind() == SimExchange.Kind.RESPONSE)
                .forEach(e -> contract.violations(e)
                        .forEach(v -> violations.add(e.method() + " " + e.uri() + " -> " + e.status() + ": " + v)));
        // then none breaks the contract, and refusals and not-found answers were among them
        assertThat(EXCHANGES).anyMatch(e -> e.kind() == SimExchange.Kind.RESPONSE && e.status() == 403);
        assertThat(EXCHANGES).anyMatch(e -> e.kind() == SimExchange.Kind.RESPONSE && e.status() == 404);
        assertThat(violations).isEmpty();
    }

    @Test
    void shouldConformToTheSpecsWhenSimulatorNotifies() {
        // given every notification recorded above
        List<String> violations = new ArrayList<>();
        List<SimExchange> notifications = EXCHANGES.stream()
                .filter(e -> e.kind() == SimExchange.Kind.NOTIFICATION)
                .toList();
        // when each is checked against the schema of its kind
        for (SimExchange notification : notifications) {
            notificationSchema(notification.body())
                    .forEach(schema -> contract.notificationViolations(schema[0], schema[1], notification.body())
                            .forEach(v -> violations.add(schema[1] + ": " + v)));
        }
        // then all were delivered and conform
        assertThat(notifications).allMatch(n -> n.status() == 204);
        assertThat(notifications)
                .extracting(n -> notificationSchema(n.body()).get(0)[1])
                .contains(
                        "MonitoringNotification",
                        "UserPlaneNotificationData",
                        "CellChangeNotification",
                        "RabEstNotification",
                        "AppTerminationNotification");
        assertThat(violations).isEmpty();
    }

    @Test
    void shouldReportViolationsWhenABodyBreaksTheSpec() throws Exception {
        // given a monitoring subscription without monitoringType and with a malformed externalId
        JsonNode broken = new ObjectMapper()
                .readTree("{\"notificationDestination\":\"http://x/cb\","
                        + "\"externalId\":42,\"monitorExpireTime\":\"soon\"}");
        SimExchange request = new SimExchange(
                SimExchange.Kind.REQUEST,
                "POST",
                "/3gpp-monitoring-event/v1/af/subscriptions",
                201,
                "application/json",
                broken);
        // when it is validated
        List<String> violations = contract.violations(request);
        // then the validator names the problems
        assertThat(violations).anyMatch(v -> v.contains("monitoringType")).anyMatch(v -> v.contains("externalId"));
    }

    @Test
    void shouldValidateServiceInfoWhenTheSpecSchemaIsDefective() throws Exception {
        // given a service registration without the mandatory serializer
        JsonNode body = new ObjectMapper()
                .readTree("{\"serName\":\"x\",\"version\":\"1\",\"state\":\"ACTIVE\"," + "\"transportInfo\":{}}");
        SimExchange request = new SimExchange(
                SimExchange.Kind.REQUEST,
                "POST",
                "/mec_service_mgmt/v1/applications/a/services",
                201,
                "application/json",
                body);
        // when validated / then the intended ServiceInfo schema applies
        assertThat(contract.violations(request)).anyMatch(v -> v.contains("serializer"));
    }

    @Test
    void shouldReportViolationsWhenAStatusOrOperationIsNotDeclared() {
        // given a status the operation does not declare, and a path no spec has
        SimExchange wrongStatus =
                new SimExchange(SimExchange.Kind.RESPONSE, "DELETE", "/rni/v2/subscriptions/1", 201, null, null);
        SimExchange wrongPath =
                new SimExchange(SimExchange.Kind.REQUEST, "PUT", "/3gpp-ueid/v1/retrieve", 0, null, null);
        // when validated / then both are reported
        assertThat(contract.violations(wrongStatus)).containsExactly("status 201 is not declared");
        assertThat(contract.violations(wrongPath)).singleElement().asString().contains("is not an operation");
    }

    private static List<String[]> notificationSchema(JsonNode body) {
        if (body.has("notificationType")) {
            String type = body.get("notificationType").asText();
            String file = type.equals("AppTerminationNotification")
                    ? "etsi-mec/MecAppSupportApi.yaml"
                    : "etsi-mec/RniAPI.yaml";
            return List.<String[]>of(new String[] {file, type});
        }
        if (body.has("transaction")) {
            return List.<String[]>of(new String[] {"3gpp/TS29122_AsSessionWithQoS.yaml", "UserPlaneNotificationData"});
        }
        return List.<String[]>of(new String[] {"3gpp/TS29122_MonitoringEvent.yaml", "MonitoringNotification"});
    }

    private static long count(SimExchange.Kind kind) {
        return EXCHANGES.stream().filter(e -> e.kind() == kind).count();
    }

    private static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (java.net.UnknownHostException e) {
            throw new CompletionException(e);
        }
    }

    @AfterAll
    static void stop() {
        if (simulator != null) {
            simulator.close();
        }
        if (callbacks != null) {
            callbacks.close();
        }
    }
}
