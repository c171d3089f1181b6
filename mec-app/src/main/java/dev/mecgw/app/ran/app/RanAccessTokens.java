package dev.mecgw.app.ran.app;

import dev.mecgw.app.ran.RanConfig;
import dev.mecgw.ran.transport.AccessTokens;
import dev.mecgw.ran.transport.OAuthClientCredentials;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/** Chooses the bearer tokens of the NEF or MEC clients: fetched by client credentials, fixed, or none. */
final class RanAccessTokens {

    private RanAccessTokens() {}

    static AccessTokens of(Optional<RanConfig.OAuth> oauth, Optional<String> fixed, Duration timeout) {
        return oauth.<AccessTokens>map(o -> new OAuthClientCredentials(
                        o.tokenUrl(), o.clientId(), o.clientSecret(), o.scope(), timeout, Clock.systemUTC()))
                .orElseGet(() -> AccessTokens.fixed(fixed));
    }
}
