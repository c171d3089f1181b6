package dev.mecgw.app.mqtt;

import dev.mecgw.app.problem.ErrorKind;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubAckReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubRecReasonCode;
import io.vertx.mqtt.messages.codes.MqttSubAckReasonCode;

/**
 * The one place where an {@link ErrorKind} becomes an MQTT reason code (MQTT 5 section 2.4) or an MQTT
 * 3.1.1 return code. Pure functions.
 */
public final class MqttReasonCodes {

    private MqttReasonCodes() {}

    /** CONNACK code; MQTT 3.1.1 only has the six return codes of section 3.2.2.3. */
    public static MqttConnectReturnCode connack(ErrorKind kind, boolean mqtt5) {
        return switch (kind) {
            case UNAUTHORIZED ->
                mqtt5
                        ? MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD
                        : MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD;
            case FORBIDDEN ->
                mqtt5
                        ? MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5
                        : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED;
            case BAD_REQUEST, CONFLICT, NOT_FOUND, UNPROCESSABLE ->
                mqtt5
                        ? MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID
                        : MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED;
            case QUOTA_EXCEEDED ->
                mqtt5
                        ? MqttConnectReturnCode.CONNECTION_REFUSED_QUOTA_EXCEEDED
                        : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE;
            case UNAVAILABLE ->
                mqtt5
                        ? MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5
                        : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE;
            case INTERNAL ->
                mqtt5
                        ? MqttConnectReturnCode.CONNECTION_REFUSED_UNSPECIFIED_ERROR
                        : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE;
        };
    }

    /** PUBACK reason code for a refused QoS 1 publish (MQTT 5 only). */
    public static MqttPubAckReasonCode puback(ErrorKind kind) {
        return switch (kind) {
            case BAD_REQUEST, UNPROCESSABLE -> MqttPubAckReasonCode.PAYLOAD_FORMAT_INVALID;
            case UNAUTHORIZED, FORBIDDEN -> MqttPubAckReasonCode.NOT_AUTHORIZED;
            case NOT_FOUND -> MqttPubAckReasonCode.TOPIC_NAME_INVALID;
            case QUOTA_EXCEEDED -> MqttPubAckReasonCode.QUOTA_EXCEEDED;
            case CONFLICT, UNAVAILABLE -> MqttPubAckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR;
            case INTERNAL -> MqttPubAckReasonCode.UNSPECIFIED_ERROR;
        };
    }

    /** PUBREC reason code for a refused QoS 2 publish (MQTT 5 only); same table as PUBACK. */
    public static MqttPubRecReasonCode pubrec(ErrorKind kind) {
        return MqttPubRecReasonCode.valueOf(puback(kind).value());
    }

    /** SUBACK code; MQTT 3.1.1 clients get the single failure code 0x80 whatever the kind. */
    public static MqttSubAckReasonCode suback(ErrorKind kind, boolean mqtt5) {
        if (!mqtt5) {
            return MqttSubAckReasonCode.UNSPECIFIED_ERROR;
        }
        return switch (kind) {
            case UNAUTHORIZED, FORBIDDEN -> MqttSubAckReasonCode.NOT_AUTHORIZED;
            case BAD_REQUEST, NOT_FOUND, UNPROCESSABLE -> MqttSubAckReasonCode.TOPIC_FILTER_INVALID;
            case QUOTA_EXCEEDED -> MqttSubAckReasonCode.QUOTA_EXCEEDED;
            case CONFLICT, UNAVAILABLE -> MqttSubAckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR;
            case INTERNAL -> MqttSubAckReasonCode.UNSPECIFIED_ERROR;
        };
    }

    /** DISCONNECT reason code the server sends before closing an MQTT 5 connection. */
    public static MqttDisconnectReasonCode disconnect(ErrorKind kind) {
        return switch (kind) {
            case BAD_REQUEST -> MqttDisconnectReasonCode.PROTOCOL_ERROR;
            case UNPROCESSABLE -> MqttDisconnectReasonCode.PAYLOAD_FORMAT_INVALID;
            case UNAUTHORIZED, FORBIDDEN -> MqttDisconnectReasonCode.NOT_AUTHORIZED;
            case NOT_FOUND -> MqttDisconnectReasonCode.TOPIC_NAME_INVALID;
            case QUOTA_EXCEEDED -> MqttDisconnectReasonCode.QUOTA_EXCEEDED;
            case CONFLICT -> MqttDisconnectReasonCode.SESSION_TAKEN_OVER;
            case UNAVAILABLE -> MqttDisconnectReasonCode.SERVER_BUSY;
            case INTERNAL -> MqttDisconnectReasonCode.UNSPECIFIED_ERROR;
        };
    }
}
