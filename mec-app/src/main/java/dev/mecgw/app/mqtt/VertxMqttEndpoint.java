package dev.mecgw.app.mqtt;

import dev.mecgw.app.mqtt.session.InboundGate;
import dev.mecgw.app.problem.ErrorKind;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.TrustOptions;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.X509TrustManager;

/**
 * Binds the Vert.x MQTT listeners (plain and, when a certificate is configured, TLS) on the broker's
 * context and enforces the per-address connection limit. No business logic.
 */
public class VertxMqttEndpoint {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(VertxMqttEndpoint.class);

    private final Vertx vertx;
    private final Context context;
    private final BrokerContext ctx;
    private final Map<String, Integer> perAddress = new HashMap<>();
    private final List<MqttServer> servers = new ArrayList<>();
    private int port = -1;
    private int tlsPort = -1;

    VertxMqttEndpoint(Vertx vertx, Context context, BrokerContext ctx) {
        this.vertx = vertx;
        this.context = context;
        this.ctx = ctx;
    }

    /** Starts listening; completes with the bound plain port. */
    public Future<Integer> start() {
        Promise<Integer> bound = Promise.promise();
        context.runOnContext(v -> {
            Future<MqttServer> plain = listen(options().setPort(ctx.config().port()));
            Future<MqttServer> tls =
                    ctx.config().tlsCert().isPresent() && ctx.config().tlsKey().isPresent()
                            ? listen(tlsOptions())
                            : Future.succeededFuture(null);
            Future.all(plain, tls)
                    .onSuccess(all -> {
                        port = plain.result().actualPort();
                        tlsPort = tls.result() == null ? -1 : tls.result().actualPort();
                        bound.complete(port);
                    })
                    .onFailure(bound::fail);
        });
        return bound.future();
    }

    private Future<MqttServer> listen(MqttServerOptions options) {
        MqttServer server = MqttServer.create(vertx, options);
        servers.add(server);
        // Malformed packets before or during CONNECT end here: counted, not logged at ERROR per connection.
        server.exceptionHandler(e -> {
            ctx.metrics().protocolError(e);
            LOG.debugf("MQTT connection failed before or during CONNECT: %s", e.toString());
        });
        return server.endpointHandler(this::onEndpoint).listen();
    }

    private MqttServerOptions options() {
        return new MqttServerOptions()
                .setHost(ctx.config().host())
                .setMaxMessageSize(ctx.config().maxPacketSize())
                .setTimeoutOnConnect(
                        Math.toIntExact(ctx.config().connectTimeout().toSeconds()))
                .setAutoClientId(false); // MqttConnection assigns ids bound to the principal
    }

    private MqttServerOptions tlsOptions() {
        MqttServerOptions options = options().setPort(ctx.config().tlsPort());
        options.setSsl(true);
        options.setPemKeyCertOptions(new PemKeyCertOptions()
                .setCertPath(ctx.config().tlsCert().get().toString())
                .setKeyPath(ctx.config().tlsKey().get().toString()));
        // Client certificates are optional and checked by fingerprint against the registry (X509AuthHandler).
        options.setClientAuth(ClientAuth.REQUEST);
        options.setTrustOptions(TrustOptions.wrap(new FingerprintTrust()));
        return options;
    }

    private void onEndpoint(MqttEndpoint endpoint) {
        String host = endpoint.remoteAddress() == null
                ? "?"
                : endpoint.remoteAddress().host();
        // First, so that packets sent right after CONNECT wait for its answer (and go with a refused connection).
        InboundGate gate = MqttFrameAssembler.install(endpoint, ctx.config().maxPacketSize(), ctx.metrics());
        int open = perAddress.getOrDefault(host, 0);
        if (open >= ctx.config().maxConnectionsPerAddress()) {
            ctx.metrics().refusedByAddressLimit();
            endpoint.reject(MqttReasonCodes.connack(ErrorKind.QUOTA_EXCEEDED, endpoint.protocolVersion() == 5));
            return;
        }
        perAddress.put(host, open + 1);
        new MqttConnection(
                        endpoint, gate, ctx, () -> perAddress.computeIfPresent(host, (k, n) -> n <= 1 ? null : n - 1))
                .start();
    }

    /** The bound plain port, -1 before start. */
    public int port() {
        return port;
    }

    /** The bound TLS port, -1 when TLS is off. */
    public int tlsPort() {
        return tlsPort;
    }

    /** Stops listening and closes connections. */
    public Future<Void> stop() {
        return Future.all(servers.stream().map(MqttServer::close).toList()).mapEmpty();
    }

    /** Accepts any client certificate at the TLS layer; the registry fingerprint decides later. */
    private static final class FingerprintTrust implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            // Trust is decided by X509AuthHandler from the registered SHA-256 fingerprint.
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("server-side trust manager");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
