package dev.mecgw.app.mqtt;

import io.smallrye.config.FallbackConfigSourceInterceptor;
import java.util.Map;

/**
 * Keeps renamed {@code mecgw.mqtt} keys working for one release, so an operator's existing configuration
 * survives an upgrade: a new key that is absent falls back to its former name (issue 13 made
 * {@code connect-timeout-seconds}, a number of seconds, the {@code Duration} {@code connect-timeout}; a bare
 * number still reads as seconds). Registered through {@code META-INF/services}; remove after the next release.
 */
public final class DeprecatedMqttKeys extends FallbackConfigSourceInterceptor {

    private static final long serialVersionUID = 1L;

    /** Called by the configuration's service loader. */
    public DeprecatedMqttKeys() {
        super(Map.of("mecgw.mqtt.connect-timeout", "mecgw.mqtt.connect-timeout-seconds"));
    }
}
