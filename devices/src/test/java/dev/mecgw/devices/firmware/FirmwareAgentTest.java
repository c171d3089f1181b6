package dev.mecgw.devices.firmware;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class FirmwareAgentTest {

    private static final byte[] IMAGE = "firmware 2.0 image".getBytes(StandardCharsets.UTF_8);

    private final ObjectMapper json = new ObjectMapper();
    private final List<JsonNode> reports = new ArrayList<>();

    @Test
    void shouldReportSuccessWhenHashAndSignatureMatch() throws Exception {
        KeyPair site = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        FirmwareAgent agent = givenAnAgent(site, IMAGE);

        agent.onDesired(desired(site, IMAGE));

        assertThat(reports)
                .extracting(r -> r.path("firmware").path("state").asText())
                .containsExactly("downloading", "downloaded", "updating", "idle");
        assertThat(last().path("result").asInt()).isEqualTo(1);
        assertThat(last().path("version").asText()).isEqualTo("2.0");
        assertThat(last().path("rollout").asText()).isEqualTo("r-1");
    }

    @Test
    void shouldReportIntegrityFailureWhenTheImageDiffers() throws Exception {
        KeyPair site = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        FirmwareAgent agent = givenAnAgent(site, "tampered".getBytes(StandardCharsets.UTF_8));

        agent.onDesired(desired(site, IMAGE));

        assertThat(last().path("result").asInt()).isEqualTo(5);
        assertThat(agent.version()).isEqualTo("1.0");
    }

    @Test
    void shouldReportIntegrityFailureWhenSignedByAnotherKey() throws Exception {
        KeyPair site = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        KeyPair stranger = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        FirmwareAgent agent = givenAnAgent(site, IMAGE);

        agent.onDesired(desired(stranger, IMAGE));

        assertThat(last().path("result").asInt()).isEqualTo(5);
    }

    @Test
    void shouldFailAsToldWhenAFailureModeIsSet() throws Exception {
        KeyPair site = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        FirmwareAgent agent = givenAnAgent(site, IMAGE);

        agent.failureMode(FirmwareAgent.FailureMode.CORRUPT_IMAGE);
        agent.onDesired(desired(site, IMAGE));
        assertThat(last().path("result").asInt()).isEqualTo(5);

        agent.failureMode(FirmwareAgent.FailureMode.INSTALL_FAILS);
        agent.onDesired(desired(site, IMAGE));
        assertThat(last().path("result").asInt()).isEqualTo(8);
        assertThat(agent.version()).isEqualTo("1.0");
    }

    @Test
    void shouldSwitchBackWithoutDownloadWhenRolledBackToThePreviousVersion() throws Exception {
        // Given a device updated from 1.0 to 2.0
        KeyPair site = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        List<String> fetched = new ArrayList<>();
        String key = Base64.getEncoder().encodeToString(site.getPublic().getEncoded());
        FirmwareAgent agent = new FirmwareAgent(
                "1.0",
                key,
                uri -> {
                    fetched.add(uri);
                    return IMAGE;
                },
                reports::add);
        agent.onDesired(desired(site, IMAGE));

        // When the rollout puts its previous firmware object back
        agent.onDesired(json.readTree("{\"firmware\":{\"version\":\"1.0\"}}"));

        // Then it runs 1.0 again from its other slot and says so
        assertThat(agent.version()).isEqualTo("1.0");
        assertThat(fetched).hasSize(1);
        assertThat(last().path("version").asText()).isEqualTo("1.0");
        assertThat(last().path("result").asInt()).isEqualTo(1);
    }

    @Test
    void shouldGoSilentAfterInstallUntilRolledBackWhenToldTo() throws Exception {
        KeyPair site = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        FirmwareAgent agent = givenAnAgent(site, IMAGE);
        agent.failureMode(FirmwareAgent.FailureMode.SILENT_AFTER_INSTALL);

        agent.onDesired(desired(site, IMAGE));
        assertThat(last().path("result").asInt()).isEqualTo(1);
        assertThat(agent.silenced()).isTrue();

        agent.onDesired(json.readTree("{\"firmware\":{\"version\":\"1.0\"}}"));
        assertThat(agent.silenced()).isFalse();
    }

    @Test
    void shouldHandleTheLatestDesiredOffTheCallerThreadWhenAsked() throws Exception {
        KeyPair site = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        List<JsonNode> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        String key = Base64.getEncoder().encodeToString(site.getPublic().getEncoded());
        FirmwareAgent agent = new FirmwareAgent("1.0", key, uri -> IMAGE, seen::add);

        agent.onDesiredAsync(desired(site, IMAGE));

        // one wait for both: the agent sets its version just before it adds the last report
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .untilAsserted(() -> {
                    assertThat(agent.version()).isEqualTo("2.0");
                    assertThat(seen).hasSize(4);
                });
    }

    private FirmwareAgent givenAnAgent(KeyPair site, byte[] served) {
        String key = Base64.getEncoder().encodeToString(site.getPublic().getEncoded());
        return new FirmwareAgent("1.0", key, uri -> served, reports::add);
    }

    private JsonNode last() {
        return reports.get(reports.size() - 1).path("firmware");
    }

    private JsonNode desired(KeyPair signer, byte[] image) throws Exception {
        String sha =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(image));
        Signature signature = Signature.getInstance("Ed25519");
        signature.initSign(signer.getPrivate());
        signature.update(("mecgw-firmware-v1\nfw.bin\n2.0\n" + sha).getBytes(StandardCharsets.UTF_8));
        ObjectNode desired = json.createObjectNode();
        ObjectNode firmware = desired.putObject("firmware");
        firmware.put("name", "fw.bin");
        firmware.put("version", "2.0");
        firmware.put("sha256", sha);
        firmware.put("signature", Base64.getEncoder().encodeToString(signature.sign()));
        firmware.putArray("uris").add("/fw/fw.bin");
        firmware.put("rollout", "r-1");
        return desired;
    }
}
