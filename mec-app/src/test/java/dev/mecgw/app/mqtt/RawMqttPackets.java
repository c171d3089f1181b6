package dev.mecgw.app.mqtt;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Builds raw MQTT packets byte by byte, for tests that must send what no client library would. */
final class RawMqttPackets {

    private RawMqttPackets() {}

    /** A UTF-8 string with its two-byte length prefix (MQTT 3.1.1 section 1.5.3). */
    static void string(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(b.length >> 8);
        out.write(b.length & 0xff);
        out.writeBytes(b);
    }

    /** A fixed header (type and flags, variable-length remaining length) followed by {@code body}. */
    static byte[] packet(int header, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(header);
        int length = body.length;
        do {
            int digit = length % 128;
            length /= 128;
            out.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** An MQTT 5 CONNECT with clean start, the given keep-alive, no properties and no credentials. */
    static byte[] connectV5(String clientId, int keepAliveSeconds) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        string(body, "MQTT");
        body.write(5); // protocol level
        body.write(0x02); // clean start
        body.write(keepAliveSeconds >> 8);
        body.write(keepAliveSeconds & 0xff);
        body.write(0); // no properties
        string(body, clientId);
        return packet(0x10, body.toByteArray());
    }

    /**
     * Sends {@link #connectV5} on {@code socket} and reads the CONNACK.
     *
     * @return the stream that reads what the broker sends next
     * @throws IOException when the broker answers with something else or closes
     */
    static DataInputStream connectedV5(Socket socket, String clientId) throws IOException {
        socket.setSoTimeout((int) PahoClients.WAIT_MS);
        DataInputStream in = new DataInputStream(socket.getInputStream());
        socket.getOutputStream().write(connectV5(clientId, 60));
        if (in.readUnsignedByte() != 0x20) {
            throw new IOException("no CONNACK");
        }
        in.readFully(new byte[in.readUnsignedByte()]);
        return in;
    }

    /** Reads the next packet, which must be a DISCONNECT, and returns its reason code. */
    static int disconnectReason(DataInputStream in) throws IOException {
        if (in.readUnsignedByte() != 0xE0) {
            throw new IOException("not a DISCONNECT");
        }
        in.readUnsignedByte();
        return in.readUnsignedByte();
    }
}
