package dev.mecgw.ran.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.ran.nef.NefApi;
import dev.mecgw.ran.nef.NefUeIdClient;
import dev.mecgw.ran.simulator.NetworkSimulator;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OAuthClientCredentialsTest {

    private static final String SECRET = "s3cret-of-the-gateway";

    private NetworkSimulator simulator;
    private NetworkSimulator other;

    @AfterEach
    void tearDown() {
        if (simulator != null) {
            simulator.close();
        }
        if (other != null) {
            other.close();
        }
    }

    @Test
    void shouldCarryTheFetchedBearerAndReuseItWhenCallsFollow() throws Exception {
        // given a NEF that only accepts tokens from its token endpoint
        simulator = givenAnOAuthSimulator(Duration.ofHours(1));
        NefUeIdClient ueId = givenAClient(simulator, tokens(simulator, SECRET));

        // when two calls are made
        ueId.externalIdOf(InetAddress.getByName("10.45.0.9")).join();
        ueId.externalIdOf(InetAddress.getByName("10.45.0.9")).join();

        // then both passed the bearer check with one token
        assertThat(simulator.tokensIssued()).isEqualTo(1);
    }

    @Test
    void shouldBeRefusedWhenNoTokenIsSent() {
        // given
        simulator = givenAnOAuthSimulator(Duration.ofHours(1));
        NefUeIdClient ueId = givenAClient(simulator, AccessTokens.fixed(Optional.empty()));

        // when
        Throwable refused = catchThrowable(
                () -> ueId.externalIdOf(InetAddress.getByName("10.45.0.9")).join());

        // then
        assertThat(refused.getCause())
                .isInstanceOfSatisfying(
                        NetworkApiException.class, e -> assertThat(e.status()).isEqualTo(401));
    }

    @Test
    void shouldFetchANewTokenAndRetryOnceWhenTheApiAnswers401() throws Exception {
        // given a cached token that the server then revokes
        simulator = givenAnOAuthSimulator(Duration.ofHours(1));
        NefUeIdClient ueId = givenAClient(simulator, tokens(simulator, SECRET));
        ueId.externalIdOf(InetAddress.getByName("10.45.0.9")).join();
        simulator.revokeTokens();

        // when / then the next call succeeds with a second token
        ueId.externalIdOf(InetAddress.getByName("10.45.0.9")).join();
        assertThat(simulator.tokensIssued()).isEqualTo(2);
    }

    @Test
    void shouldFailAfterOneRefreshWhenTheFreshTokenIsRefusedToo() {
        // given tokens from one server, presented to another that does not know them
        simulator = givenAnOAuthSimulator(Duration.ofHours(1));
        other = givenAnOAuthSimulator(Duration.ofHours(1));
        NefUeIdClient ueId = givenAClient(other, tokens(simulator, SECRET));

        // when
        Throwable refused = catchThrowable(
                () -> ueId.externalIdOf(InetAddress.getByName("10.45.0.9")).join());

        // then 401, after exactly one refresh
        assertThat(refused.getCause())
                .isInstanceOfSatisfying(
                        NetworkApiException.class, e -> assertThat(e.status()).isEqualTo(401));
        assertThat(simulator.tokensIssued()).isEqualTo(2);
    }

    @Test
    void shouldFailWithoutRevealingTheSecretWhenCredentialsAreWrong() {
        // given
        simulator = givenAnOAuthSimulator(Duration.ofHours(1));
        AccessTokens tokens = tokens(simulator, "wrong-secret-value");

        // when
        Throwable refused = catchThrowable(() -> tokens.current().join());

        // then
        assertThat(refused.getCause()).isInstanceOfSatisfying(NetworkApiException.class, e -> {
            assertThat(e.status()).isEqualTo(401);
            assertThat(e.problemCause()).isEqualTo("invalid_client");
            assertThat(e.getMessage()).doesNotContain("wrong-secret-value");
        });
        assertThat(tokens.toString()).contains("mecgw-client").doesNotContain("wrong-secret-value");
    }

    @Test
    void shouldFetchANewTokenWhenTheCachedOneIsAboutToExpire() throws Exception {
        // given tokens that live 2 s (renewed after half of that)
        simulator = givenAnOAuthSimulator(Duration.ofSeconds(2));
        NefUeIdClient ueId = givenAClient(simulator, tokens(simulator, SECRET));
        InetAddress ue = InetAddress.getByName("10.45.0.9");
        ueId.externalIdOf(ue).join();

        // when calls go on / then a second token is fetched before the first expires
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            ueId.externalIdOf(ue).join();
            return simulator.tokensIssued() >= 2;
        });
    }

    private static NetworkSimulator givenAnOAuthSimulator(Duration tokenLifetime) {
        return NetworkSimulator.startWithOAuth(
                new InetSocketAddress("127.0.0.1", 0), "mecgw-client", SECRET, tokenLifetime);
    }

    private static AccessTokens tokens(NetworkSimulator server, String secret) {
        return new OAuthClientCredentials(
                server.tokenUri(), "mecgw-client", secret, Optional.empty(), Duration.ofSeconds(5), Clock.systemUTC());
    }

    private static NefUeIdClient givenAClient(NetworkSimulator server, AccessTokens tokens) {
        return new NefUeIdClient(
                new JdkRestTransport(new ObjectMapper(), Duration.ofSeconds(5), tokens),
                new NefApi(server.baseUri(), "mecgw"));
    }
}
