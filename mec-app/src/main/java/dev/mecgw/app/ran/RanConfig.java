package dev.mecgw.app.ran;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** 5G network integration (issue 7): NEF, MEC platform, slice policies, QoS on demand, simulator. */
@ConfigMapping(prefix = "mecgw.ran")
public interface RanConfig {

    /** Whether the gateway talks to the 5G core and MEC platform. Env {@code MECGW_RAN_ENABLED}. Default false. */
    @WithDefault("false")
    boolean enabled();

    /**
     * Base URI under which the NEF and the MEC platform reach our callbacks, as they see us, e.g.
     * {@code https://gw.site.example:8443/ran/callbacks}. Env {@code MECGW_RAN_CALLBACK_BASE_URL}. Absent:
     * {@code http://127.0.0.1:<http port>/ran/callbacks} when the simulator runs, otherwise no subscriptions.
     */
    Optional<URI> callbackBaseUrl();

    /** Per-request timeout of network API calls. Env {@code MECGW_RAN_TIMEOUT}. Default 5s. */
    @WithDefault("5s")
    Duration timeout();

    /** The NEF (TS 29.122 / TS 29.522 northbound APIs). */
    Nef nef();

    /** The MEC platform (ETSI MEC 011, 012, 013). */
    Mec mec();

    /** Slice policies by name, e.g. {@code mecgw.ran.slices.iot.snssai=1:000001}. */
    Map<String, Slice> slices();

    /**
     * Whether a device with a registered SIM must connect from a UE address pool of a managed slice, where its SIM
     * identity is checked (issue 15.10); from elsewhere it is refused (MQTT CONNACK 0x87, CoAP 4.03,
     * {@code NETWORK_IDENTITY_REQUIRED}). Applies while the SIM identity check runs (a NEF is configured). Devices
     * without a SIM are never affected. Per slice: {@code mecgw.ran.slices.<name>.require-network-identity}. Env
     * {@code MECGW_RAN_REQUIRE_NETWORK_IDENTITY}. Default true.
     */
    @WithDefault("true")
    boolean requireNetworkIdentity();

    /** Device types that may connect from outside the UE pools even with a SIM. Absent: none. */
    Optional<List<String>> networkIdentityExemptTypes();

    /** QoS on demand. */
    Qos qos();

    /**
     * Rules of QoS on demand by name, e.g. {@code mecgw.ran.qos-rules.video.event-kind=inference.detection}:
     * an event of that kind recorded for a device asks for QoS for it. Default: none.
     */
    Map<String, QosRule> qosRules();

    /** The built-in network simulator (demo mode). */
    Simulator simulator();

    /** NEF settings. */
    interface Nef {

        /** NEF {@code apiRoot}, e.g. {@code https://nef.core:8443}. Env {@code MECGW_RAN_NEF_API_ROOT}. Absent: the simulator's, or NEF off. */
        Optional<URI> apiRoot();

        /** Our AF / SCS/AS id at the NEF (also the UEId {@code afId}). Env {@code MECGW_RAN_NEF_SCS_AS_ID}. Default {@code mecgw}. */
        @WithDefault("mecgw")
        String scsAsId();

        /** OAuth 2.0 access token for the NEF (TS 29.122 clause 5.2.3). Env {@code MECGW_RAN_NEF_TOKEN}. Absent: none sent. */
        Optional<String> token();

        /** Fetch NEF tokens with the client credentials grant ({@code mecgw.ran.nef.oauth.*}); wins over {@link #token()}. */
        Optional<OAuth> oauth();

        /** The site's UE group ({@code <local>@<domain>}) to monitor. Env {@code MECGW_RAN_NEF_EXTERNAL_GROUP_ID}. Absent: no monitoring. */
        Optional<String> externalGroupId();

        /** Requested lifetime of monitoring subscriptions; renewed at 80 %. Env {@code MECGW_RAN_NEF_SUBSCRIPTION_LIFETIME}. Default 24h. */
        @WithDefault("24h")
        Duration subscriptionLifetime();

        /**
         * Wait before subscribing again after the NEF cancelled a monitoring subscription or a call failed;
         * doubles each time until a renewal succeeds. Env {@code MECGW_RAN_NEF_RESUBSCRIBE_INITIAL_BACKOFF}.
         * Default 1s.
         */
        @WithDefault("1s")
        Duration resubscribeInitialBackoff();

        /** Longest such wait. Env {@code MECGW_RAN_NEF_RESUBSCRIBE_MAX_BACKOFF}. Default 5m. */
        @WithDefault("5m")
        Duration resubscribeMaxBackoff();
    }

    /** MEC platform settings. */
    interface Mec {

        /** Root of the MEC APIs (Mp1), e.g. {@code https://mep.site}. Env {@code MECGW_RAN_MEC_API_ROOT}. Absent: the simulator's, or MEC off. */
        Optional<URI> apiRoot();

        /** Our application instance id. Env {@code MECGW_RAN_MEC_APP_INSTANCE_ID}. Default {@code mecgw}. */
        @WithDefault("mecgw")
        String appInstanceId();

        /** OAuth 2.0 access token for the MEC platform. Env {@code MECGW_RAN_MEC_TOKEN}. Absent: none sent. */
        Optional<String> token();

        /** Fetch MEC tokens with the client credentials grant ({@code mecgw.ran.mec.oauth.*}); wins over {@link #token()}. */
        Optional<OAuth> oauth();

        /** Our REST endpoint to register as a MEC service. Env {@code MECGW_RAN_MEC_SERVICE_ENDPOINT}. Absent: not registered. */
        Optional<URI> serviceEndpoint();
    }

    /** OAuth 2.0 client credentials grant (RFC 6749 clause 4.4), the specs' {@code oAuth2ClientCredentials}. */
    interface OAuth {

        /** The authorization server's token endpoint. Env {@code MECGW_RAN_NEF_OAUTH_TOKEN_URL} / {@code MECGW_RAN_MEC_OAUTH_TOKEN_URL}. Required. */
        URI tokenUrl();

        /** Our client id. Env {@code MECGW_RAN_NEF_OAUTH_CLIENT_ID} / {@code MECGW_RAN_MEC_OAUTH_CLIENT_ID}. Required. */
        String clientId();

        /** Our client secret; never logged. Env {@code MECGW_RAN_NEF_OAUTH_CLIENT_SECRET} / {@code MECGW_RAN_MEC_OAUTH_CLIENT_SECRET}. Required. */
        String clientSecret();

        /** Scopes to request, space-separated. Env {@code MECGW_RAN_NEF_OAUTH_SCOPE} / {@code MECGW_RAN_MEC_OAUTH_SCOPE}. Absent: the client's default. */
        Optional<String> scope();
    }

    /** One slice policy. */
    interface Slice {

        /** S-NSSAI as {@code <sst>} or {@code <sst>:<sd>}, e.g. {@code 1:000001}. */
        String snssai();

        /** UE address pools (CIDR) of the slice. */
        List<String> ueSubnets();

        /** Device types allowed. Absent: every type. */
        Optional<List<String>> allowedTypes();

        /** Whether unknown SIMs are onboarded zero-touch. Default false (rejected). */
        @WithDefault("false")
        boolean zeroTouch();

        /** Type given to zero-touch devices; required when zero-touch. */
        Optional<String> defaultType();

        /** Topic filters / resource paths the slice's devices may use. Absent: the front-ends' defaults. */
        Optional<List<String>> allowedTopics();

        /**
         * Whether devices registered to this slice with a SIM must connect through a UE pool. Absent:
         * {@code mecgw.ran.require-network-identity}.
         */
        Optional<Boolean> requireNetworkIdentity();
    }

    /** QoS on demand limits. */
    interface Qos {

        /** Attempts per demand including the first. Env {@code MECGW_RAN_QOS_MAX_ATTEMPTS}. Default 4. */
        @WithDefault("4")
        @Min(1) @Max(20) int maxAttempts();

        /** Wait before the first retry; doubles each retry. Env {@code MECGW_RAN_QOS_INITIAL_BACKOFF}. Default 1s. */
        @WithDefault("1s")
        Duration initialBackoff();

        /** Longest wait between attempts. Env {@code MECGW_RAN_QOS_MAX_BACKOFF}. Default 30s. */
        @WithDefault("30s")
        Duration maxBackoff();

        /** Longest QoS session. Env {@code MECGW_RAN_QOS_MAX_DURATION}. Default 1h. */
        @WithDefault("1h")
        Duration maxDuration();
    }

    /** One rule of QoS on demand. */
    interface QosRule {

        /** Event kind that fires the rule, e.g. {@code inference.detection}. Required. */
        String eventKind();

        /** Device type the rule is limited to, e.g. {@code camera}. Absent: any type. */
        Optional<String> deviceType();

        /** QoS profile pre-agreed with the operator (AsSessionWithQoS {@code qosReference}). Required. */
        String qosReference();

        /** How long QoS is kept after the latest matching event; capped by {@code max-duration}. Default 60s. */
        @WithDefault("60s")
        Duration duration();

        /**
         * IPFilterRules (TS 29.214 clause 5.3.8) of the flows; {@code {ue}} stands for the device's UE address.
         * Default {@code permit out ip from any to {ue}} (every flow of the UE).
         */
        @WithDefault("permit out ip from any to {ue}")
        List<String> flowDescriptions();
    }

    /** Demo mode. */
    interface Simulator {

        /** Start the built-in simulated 5G core and MEC platform and use it. Env {@code MECGW_RAN_SIMULATOR_ENABLED}. Default false. */
        @WithDefault("false")
        boolean enabled();

        /** Port of the simulator on 127.0.0.1; 0 picks a free one. Env {@code MECGW_RAN_SIMULATOR_PORT}. Default 8480. */
        @WithDefault("8480")
        @Min(0) @Max(65535) int port();

        /** Scenario to play: {@code demo} (bundled) or a file path. Env {@code MECGW_RAN_SIMULATOR_SCENARIO}. Absent: none. */
        Optional<String> scenario();
    }
}
