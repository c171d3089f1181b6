package dev.mecgw.app.mqtt;

import static dev.mecgw.app.mqtt.MqttFixtures.ADMIN;
import static dev.mecgw.app.mqtt.MqttFixtures.bytes;
import static dev.mecgw.app.mqtt.MqttFixtures.connected5;
import static dev.mecgw.app.mqtt.MqttFixtures.givenDevice;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasSize;

import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Issue 23: SenML over MQTT 5, CBOR by Content Type, units kept per metric, refusals with a reason. */
@QuarkusTest
class SenmlOverMqttTest {

    @Inject
    MqttBroker broker;

    @Inject
    DataSource dataSource;

    @Test
    void shouldStoreSenmlCborWithUnitsWhenContentTypeSaysSo() throws Exception {
        // given a pack with integer labels (RFC 8428 section 6): bn, bu, then two records
        String device = givenDevice("sensor");
        Mqtt5BlockingClient client = connected5(broker.port(), device);
        byte[] cbor = new CBORMapper()
                .writeValueAsBytes(
                        List.of(Map.of(-2, "room/", -4, "Cel", 0, "temp", 2, 21.5), Map.of(0, "open", 4, true)));
        // when
        Mqtt5PubAck ack = puback(() -> client.publishWith()
                .topic("devices/" + device + "/telemetry")
                .contentType("application/senml+cbor")
                .payload(cbor)
                .qos(MqttQos.AT_LEAST_ONCE)
                .send());
        // then stored with its unit and kind, visible in the telemetry API
        assertThat(ack.getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
        given().header("Authorization", ADMIN)
                .get("/api/v1/devices/" + device + "/telemetry")
                .then()
                .statusCode(200)
                .body("$", hasSize(2))
                .body("metric", contains("room/open", "room/temp"))
                .body("unit", contains("Cel", "Cel"))
                .body("kind", contains("boolean", "number"))
                .body("value", contains(1.0f, 21.5f));
        client.disconnect();
    }

    @Test
    void shouldReportAnEventWhenTheUnitOfAMetricChanges() throws Exception {
        // given a metric first sent in Celsius
        String device = givenDevice("sensor");
        Mqtt5BlockingClient client = connected5(broker.port(), device);
        publishJson(client, device, "[{\"n\":\"temp\",\"u\":\"Cel\",\"v\":21,\"t\":-10}]");
        // when the same metric arrives in Kelvin
        Mqtt5PubAck ack = publishJson(client, device, "[{\"n\":\"temp\",\"u\":\"K\",\"v\":294}]");
        // then stored, reported as a unit change, and the API shows the unit now in force
        assertThat(ack.getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
        assertThat(unitEvents(device)).containsExactly("{\"to\": \"K\", \"from\": \"Cel\", \"metric\": \"temp\"}");
        given().header("Authorization", ADMIN)
                .get("/api/v1/devices/" + device + "/telemetry?limit=1")
                .then()
                .body("unit", contains("K"));
        client.disconnect();
    }

    @Test
    void shouldRefuseWithAReasonNamingTheRecordWhenPackHoldsAStringValue() {
        // given
        String device = givenDevice("sensor");
        Mqtt5BlockingClient client = connected5(broker.port(), device);
        // when
        Mqtt5PubAck ack = publishJson(client, device, "[{\"n\":\"t\",\"v\":1},{\"n\":\"label\",\"vs\":\"hall\"}]");
        // then
        assertThat(ack.getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.PAYLOAD_FORMAT_INVALID);
        assertThat(ack.getReasonString())
                .hasValueSatisfying(
                        r -> assertThat(r.toString()).startsWith("SenML record 1: vs values are not stored"));
        client.disconnect();
    }

    private static Mqtt5PubAck publishJson(Mqtt5BlockingClient client, String device, String pack) {
        return puback(() -> client.publishWith()
                .topic("devices/" + device + "/telemetry")
                .contentType("application/senml+json")
                .payload(bytes(pack))
                .qos(MqttQos.AT_LEAST_ONCE)
                .send());
    }

    private List<String> unitEvents(String device) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT payload::text FROM events WHERE device_id = ? AND kind = 'telemetry.unit-changed'")) {
            ps.setString(1, device);
            try (ResultSet rs = ps.executeQuery()) {
                List<String> out = new java.util.ArrayList<>();
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
                return out;
            }
        }
    }

    private static Mqtt5PubAck puback(Supplier<Mqtt5PublishResult> publish) {
        try {
            Mqtt5PublishResult result = publish.get();
            if (result instanceof Mqtt5PublishResult.Mqtt5Qos1Result qos1) {
                return qos1.getPubAck();
            }
            throw new AssertionError("not a QoS 1 result: " + result);
        } catch (Mqtt5PubAckException e) {
            return e.getMqttMessage();
        }
    }
}
