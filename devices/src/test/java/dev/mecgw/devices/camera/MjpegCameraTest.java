package dev.mecgw.devices.camera;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class MjpegCameraTest {

    @Test
    void shouldServeJpegPartsWhenAViewerConnects() throws Exception {
        System.setProperty("java.awt.headless", "true");
        // given a camera with the synthetic scene on a free loopback port
        try (MjpegCamera camera = new MjpegCamera(
                "cam-1", new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 20, null, Clock.systemUTC())) {
            camera.start();

            // when a viewer reads the stream
            HttpResponse<InputStream> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(camera.url())).build(),
                            HttpResponse.BodyHandlers.ofInputStream());

            // then it is multipart and its first part decodes as a 640x480 image
            assertThat(response.headers().firstValue("Content-Type").orElseThrow())
                    .startsWith("multipart/x-mixed-replace; boundary=");
            try (InputStream in = response.body()) {
                int length = contentLength(in);
                byte[] jpeg = in.readNBytes(length);
                BufferedImage image = ImageIO.read(new ByteArrayInputStream(jpeg));
                assertThat(image.getWidth()).isEqualTo(640);
                assertThat(image.getHeight()).isEqualTo(480);
            }
            assertThat(camera.showsPhotos()).isFalse();
        }
    }

    private static int contentLength(InputStream in) throws Exception {
        StringBuilder line = new StringBuilder();
        int length = -1;
        while (true) {
            int c = in.read();
            if (c == '\n') {
                String text = line.toString().trim();
                if (text.isEmpty() && length >= 0) {
                    return length;
                }
                if (text.startsWith("Content-Length:")) {
                    length = Integer.parseInt(
                            text.substring("Content-Length:".length()).trim());
                }
                line.setLength(0);
            } else {
                line.append(new String(new byte[] {(byte) c}, StandardCharsets.US_ASCII));
            }
        }
    }
}
