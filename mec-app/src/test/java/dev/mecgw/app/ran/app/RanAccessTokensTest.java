package dev.mecgw.app.ran.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.ran.RanConfig;
import dev.mecgw.ran.nef.NefApi;
import dev.mecgw.ran.nef.NefUeIdClient;
import dev.mecgw.ran.simulator.NetworkSimulator;
import dev.mecgw.ran.transport.AccessTokens;
import dev.mecgw.ran.transport.JdkRestTransport;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue #7: {@code mecgw.ran.nef.oauth.*} binds and makes the NEF clients fetch and send tokens. */
class RanAccessTokensTest {

    @Test
    void shouldFetchTokensByClientCredentialsWhenOAuthIsConfigured() throws Exception {
        try (NetworkSimulator nef = NetworkSimulator.startWithOAuth(
                new InetSocketAddress("127.0.0.1", 0), "gw-client", "gw-secret-123", Duration.ofHours(1))) {
            // given the configuration keys of the docs
            RanConfig config = givenConfig(Map.of(
                    "mecgw.ran.nef.oauth.token-url",
                    nef.tokenUri().toString(),
                    "mecgw.ran.nef.oauth.client-id",
                    "gw-client",
                    "mecgw.ran.nef.oauth.client-secret",
                    "gw-secret-123",
                    "mecgw.ran.nef.token",
                    "ignored-static-token"));

            // when the NEF client calls
            AccessTokens tokens =
                    RanAccessTokens.of(config.nef().oauth(), config.nef().token(), config.timeout());
            new NefUeIdClient(
                            new JdkRestTransport(new ObjectMapper(), config.timeout(), tokens),
                            new NefApi(nef.baseUri(), "mecgw"))
                    .externalIdOf(InetAddress.getByName("10.45.0.7"))
                    .join();

            // then it got a token from the endpoint and the secret does not show
            assertThat(nef.tokensIssued()).isEqualTo(1);
            assertThat(tokens.toString()).doesNotContain("gw-secret-123");
        }
    }

    @Test
    void shouldSendTheStaticTokenWhenNoOAuthIsConfigured() throws Exception {
        // given
        RanConfig config = givenConfig(Map.of("mecgw.ran.mec.token", "static-1"));
        // when
        AccessTokens tokens =
                RanAccessTokens.of(config.mec().oauth(), config.mec().token(), config.timeout());
        // then
        assertThat(tokens.current().join()).contains("static-1");
        assertThat(tokens.invalidate("static-1")).isFalse();
    }

    private static RanConfig givenConfig(Map<String, String> values) {
        // Quarkus' converter reads "5s"-style durations, as in the application.
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(RanConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(values, "test", 100))
                .build();
        return config.getConfigMapping(RanConfig.class);
    }
}
